// The Studio tells the sidecar where the weights are: a Hugging Face cache snapshot found by
// weightSources reaches the real sidecar as initialize.modelDirs, ComfyUI single files as
// initialize.modelFiles; ComfyUI folders are a checked setting. The last tests use the layouts the
// sidecar's own tests load (tests/tiny_models.py, real safetensors), built by the engine's Python.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Studio } from '../../src/main/core/studio'
import { sidecarWeights, sidecarWeightsFrom } from '../../src/main/models/sidecarWeights'
import { findWeightSources } from '../../src/main/models/weightSources'
import { createTestStudio, sourcePaths, testEnv } from '../helpers/studio'
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

describe('sidecarWeights', () => {
  it('names the first complete folder per model: the models folder before the cache, the cache when the models folder lacks it', () => {
    const root = tempFolder()
    const modelsDir = join(root, 'models')
    writeDiffusersFolder(join(modelsDir, 'Wan2.2-T2V-A14B-Diffusers'), 't2v-a14b')
    writeDiffusersFolder(join(modelsDir, 'Wan2.2-TI2V-5B-Diffusers'), 'ti2v-5b', ['vae/config.json'])
    const hub = join(root, 'hf', 'hub')
    writeHubSnapshot(hub, 't2v-a14b', 'a'.repeat(40))
    const ti2v = writeHubSnapshot(hub, 'ti2v-5b', 'b'.repeat(40))
    expect(sidecarWeights({ env: { HF_HOME: join(root, 'hf') }, modelsDir, comfyUiFolders: [], home: root })).toEqual({
      modelDirs: { 't2v-a14b': join(modelsDir, 'Wan2.2-T2V-A14B-Diffusers'), 'ti2v-5b': ti2v },
      modelFiles: {}
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

const sidecarDir = join(__dirname, '..', '..', 'resources', 'sidecar')
const enginePython = sourcePaths(testEnv()).engineVenvPython

/** A tiny T2V-A14B as a hub cache snapshot and as ComfyUI files, written by tests/tiny_models.py. */
function buildTinyLayouts(root: string): void {
  const script = [
    'import sys; from pathlib import Path',
    `sys.path[:0] = [${JSON.stringify(sidecarDir)}, ${JSON.stringify(join(sidecarDir, 'tests'))}]`,
    'import tiny_models',
    'root = Path(sys.argv[1])',
    "tiny_models.hub_cache_layout(tiny_models.build_t2v_a14b(root / 'built'), root / 'hf' / 'hub')",
    "tiny_models.build_comfy_t2v(root / 'ComfyUI', root / 'configs' / 't2v-a14b')"
  ].join('\n')
  execFileSync(enginePython, ['-c', script, root], { stdio: 'pipe', timeout: 120_000 })
}

describe.skipIf(!existsSync(enginePython))('the layouts the sidecar loads (tiny models)', () => {
  it('finds the cache snapshot and the ComfyUI files, offering the files only where no folder is complete', () => {
    const root = tempFolder()
    buildTinyLayouts(root)
    const comfy = join(root, 'ComfyUI')
    const sources = findWeightSources({ env: { HF_HOME: join(root, 'hf') }, modelsDir: null, comfyUiFolders: [comfy], home: root })
    const snapshot = join(root, 'hf', 'hub', 'models--Wan-AI--Wan2.2-T2V-A14B-Diffusers', 'snapshots', '0123456789abcdef0123456789abcdef01234567')
    expect(sources[0]).toMatchObject({ kind: 'huggingface-cache', models: [{ model: 't2v-a14b', path: snapshot, complete: true, isMain: true }] })
    const comfyT2v = sources[1]!.kind === 'comfyui' ? sources[1]!.models.find((model) => model.model === 't2v-a14b') : undefined
    expect(comfyT2v).toMatchObject({ complete: true, missing: [], unusable: [] })
    expect(sidecarWeightsFrom(sources)).toEqual({ modelDirs: { 't2v-a14b': snapshot }, modelFiles: {} })

    const comfyOnly = sidecarWeights({ env: { HF_HOME: join(root, 'nothing') }, modelsDir: null, comfyUiFolders: [comfy], home: root })
    expect(comfyOnly).toEqual({
      modelDirs: {},
      modelFiles: {
        't2v-a14b': {
          transformer: join(comfy, 'models', 'diffusion_models', 'wan2.2_t2v_high_noise_14B_fp16.safetensors'),
          transformer_2: join(comfy, 'models', 'diffusion_models', 'wan2.2_t2v_low_noise_14B_fp16.safetensors'),
          text_encoder: join(comfy, 'models', 'text_encoders', 'umt5_xxl_fp16.safetensors'),
          vae: join(comfy, 'models', 'vae', 'wan_2.1_vae.safetensors')
        }
      }
    })
  })

  it('a ComfyUI folder saved in the settings reaches the sidecar, which reports its files complete', async () => {
    const root = tempFolder()
    buildTinyLayouts(root)
    const modelsDir = join(root, 'models')
    mkdirSync(modelsDir)
    const studio = createTestStudio(testEnv({ WAN_STUDIO_MODELS_DIR: modelsDir, HF_HOME: join(root, 'nothing'), HF_HUB_CACHE: '' }))
    studios.push(studio)
    await studio.updateSettings({ comfyUiFolders: [join(root, 'ComfyUI')] })
    const snapshot = await studio.refreshSystem()
    const diffusers = snapshot.engineStatus.engines.find((engine) => engine.id === 'diffusers')
    const models = diffusers?.details.models as Record<string, { source: string; complete: boolean; files: Record<string, string> }>
    expect(models['t2v-a14b']).toMatchObject({ source: 'modelFiles', complete: true })
    expect(Object.keys(models['t2v-a14b']!.files).sort()).toEqual(['text_encoder', 'transformer', 'transformer_2', 'vae'])
  })
})
