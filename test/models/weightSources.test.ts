import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { completeModelFolders, findWeightSources } from '../../src/main/models/weightSources'
import { touchAll, writeDiffusersFolder, writeHubSnapshot } from './fakeWeights'

describe('findWeightSources', () => {
  let root: string
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'wan-sources-'))
  })
  afterEach(() => rmSync(root, { recursive: true, force: true }))

  it('reports the models folder, the HF cache (HF_HOME) and a ComfyUI folder, each with what it has', () => {
    const modelsDir = join(root, 'models')
    writeDiffusersFolder(join(modelsDir, 'Wan2.2-TI2V-5B-Diffusers'), 'ti2v-5b', ['vae/config.json'])
    const snapshot = writeHubSnapshot(join(root, 'hf', 'hub'), 't2v-a14b', 'c'.repeat(40))
    touchAll(join(root, 'ComfyUI'), [
      'models/diffusion_models/wan2.2_t2v_high_noise_14B_fp16.safetensors',
      'models/diffusion_models/wan2.2_t2v_low_noise_14B_fp16.safetensors',
      'models/text_encoders/umt5_xxl_fp16.safetensors',
      'models/vae/wan_2.1_vae.safetensors'
    ])

    const sources = findWeightSources({ env: { HF_HOME: join(root, 'hf') }, modelsDir, comfyUiFolders: [join(root, 'ComfyUI')], home: root })
    expect(sources.map((source) => [source.kind, source.root, source.problem])).toEqual([
      ['models-folder', modelsDir, null],
      ['huggingface-cache', join(root, 'hf', 'hub'), null],
      ['comfyui', join(root, 'ComfyUI', 'models'), null]
    ])
    expect(sources[0]!.models).toEqual([
      { model: 'ti2v-5b', path: join(modelsDir, 'Wan2.2-TI2V-5B-Diffusers'), complete: false, missing: [join(modelsDir, 'Wan2.2-TI2V-5B-Diffusers', 'vae', 'config.json')] }
    ])
    expect(sources[1]!.models).toMatchObject([{ model: 't2v-a14b', path: snapshot, complete: true }])
    expect(sources[2]!.models.filter((model) => model.complete).map((model) => model.model)).toEqual(['t2v-a14b'])

    // The complete diffusers folders; the ComfyUI files are offered separately (sidecarWeights).
    expect(completeModelFolders(sources)).toEqual({ 't2v-a14b': { kind: 'huggingface-cache', path: snapshot } })
  })

  it('the models folder wins over the cache for the same model; a bad HF setting is a problem on that source only', () => {
    const modelsDir = join(root, 'models')
    writeDiffusersFolder(join(modelsDir, 'Wan2.2-T2V-A14B-Diffusers'), 't2v-a14b')
    writeHubSnapshot(join(root, '.cache', 'huggingface', 'hub'), 't2v-a14b', 'd'.repeat(40))
    const folders = completeModelFolders(findWeightSources({ env: {}, modelsDir, comfyUiFolders: [], home: root }))
    expect(folders['t2v-a14b']).toEqual({ kind: 'models-folder', path: join(modelsDir, 'Wan2.2-T2V-A14B-Diffusers') })

    const [cache] = findWeightSources({ env: { HF_HOME: 'relative/hf' }, modelsDir: null, comfyUiFolders: [], home: root })
    expect(cache).toMatchObject({ kind: 'huggingface-cache', root: null, from: 'HF_HOME', models: [] })
    expect(cache!.problem).toContain('relative path')
  })
})
