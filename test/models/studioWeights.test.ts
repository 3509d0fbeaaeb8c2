// The Studio tells the sidecar where the weights are: a Hugging Face cache snapshot found by
// weightSources reaches the real sidecar as initialize.modelDirs, which reports it as that model's
// folder (source "modelDirs"); ComfyUI folders are a checked setting.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Studio } from '../../src/main/core/studio'
import { sidecarModelDirs } from '../../src/main/models/sidecarModelDirs'
import { createTestStudio, testEnv } from '../helpers/studio'
import { writeDiffusersFolder, writeHubSnapshot } from './fakeWeights'

const studios: Studio[] = []
const folders: string[] = []
afterEach(async () => {
  await Promise.all(studios.splice(0).map((studio) => studio.close()))
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true })
})

function tempFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'wan-studio-weights-'))
  folders.push(folder)
  return folder
}

describe('sidecarModelDirs', () => {
  it('names the first complete folder per model: the models folder before the cache, the cache when the models folder lacks it', () => {
    const root = tempFolder()
    const modelsDir = join(root, 'models')
    writeDiffusersFolder(join(modelsDir, 'Wan2.2-T2V-A14B-Diffusers'), 't2v-a14b')
    writeDiffusersFolder(join(modelsDir, 'Wan2.2-TI2V-5B-Diffusers'), 'ti2v-5b', ['vae/config.json'])
    const hub = join(root, 'hf', 'hub')
    writeHubSnapshot(hub, 't2v-a14b', 'a'.repeat(40))
    const ti2v = writeHubSnapshot(hub, 'ti2v-5b', 'b'.repeat(40))
    expect(sidecarModelDirs({ env: { HF_HOME: join(root, 'hf') }, modelsDir, comfyUiFolders: [], home: root })).toEqual({
      't2v-a14b': join(modelsDir, 'Wan2.2-T2V-A14B-Diffusers'),
      'ti2v-5b': ti2v
    })
  })
})

describe('the Studio and the weights it finds', () => {
  it('passes a cache snapshot to the sidecar, which reports it as the model folder', async () => {
    const root = tempFolder()
    const modelsDir = join(root, 'models')
    mkdirSync(modelsDir)
    const snapshot = writeHubSnapshot(join(root, 'hf', 'hub'), 'ti2v-5b', 'c'.repeat(40))
    const env = testEnv({ WAN_STUDIO_MODELS_DIR: modelsDir, HF_HOME: join(root, 'hf'), HF_HUB_CACHE: '' })
    const studio = createTestStudio(env)
    studios.push(studio)
    const snapshotInfo = await studio.systemSnapshot()
    const diffusers = snapshotInfo.engineStatus.engines.find((engine) => engine.id === 'diffusers')
    const models = diffusers?.details.models as Record<string, { path: string; source: string }>
    expect(models['ti2v-5b']).toMatchObject({ path: snapshot, source: 'modelDirs' })
    expect(models['t2v-a14b']).toMatchObject({ path: join(modelsDir, 'Wan2.2-T2V-A14B-Diffusers'), source: 'modelsDir' })
  })

  it('keeps ComfyUI folders as absolute paths and refuses one that is not a folder', async () => {
    const root = tempFolder()
    const studio = createTestStudio(testEnv())
    studios.push(studio)
    await expect(studio.updateSettings({ comfyUiFolders: [join(root, 'absent')] })).rejects.toThrow(`ComfyUI folder ${join(root, 'absent')} does not exist or is not a folder`)
    const saved = await studio.updateSettings({ comfyUiFolders: [root, root] })
    expect(saved.comfyUiFolders).toEqual([root])
    expect((await studio.settings()).modelsDir).toBeNull()
  })
})
