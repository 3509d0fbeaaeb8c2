// The System tab's view of the weight sources: each model with every place some of it was found,
// what is missing there, and which one the engine reads.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { findWeightSources } from '../../src/main/models/weightSources'
import { weightsFound } from '../../src/main/models/weightsFound'
import { engineSourceText, missingText } from '../../src/renderer/src/components/engine/weightSourceText'
import { weightsFoundSchema } from '../../src/shared/weights'
import { touchAll, writeDiffusersFolder, writeHubSnapshot } from './fakeWeights'

describe('weightsFound', () => {
  let root: string
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'wan-found-'))
  })
  afterEach(() => rmSync(root, { recursive: true, force: true }))

  it('lists each model with its sources in order, what each lacks, and the unusable files', () => {
    const modelsDir = join(root, 'models')
    writeDiffusersFolder(join(modelsDir, 'Wan2.2-T2V-A14B-Diffusers'), 't2v-a14b', ['vae/config.json'])
    const snapshot = writeHubSnapshot(join(root, 'hf', 'hub'), 't2v-a14b', 'e'.repeat(40))
    const comfy = join(root, 'ComfyUI')
    touchAll(comfy, ['models/diffusion_models/wan2.2_t2v_high_noise_14B_fp16.safetensors', 'models/text_encoders/umt5_xxl_fp8_e4m3fn_scaled.safetensors', 'models/vae/wan2.2_vae.safetensors'])
    const found = weightsFound(findWeightSources({ env: { HF_HOME: join(root, 'hf') }, modelsDir, comfyUiFolders: [comfy, join(root, 'absent')], home: root }))
    expect(weightsFoundSchema.parse(found)).toEqual(found)

    const t2v = found.models['t2v-a14b']!
    expect(t2v.map((entry) => [entry.kind, entry.complete])).toEqual([
      ['models-folder', false],
      ['huggingface-cache', true],
      ['comfyui', false]
    ])
    expect(t2v[0]!.missing).toEqual([join(modelsDir, 'Wan2.2-T2V-A14B-Diffusers', 'vae', 'config.json')])
    expect(t2v[2]!.missing).toEqual([
      'transformer_2: diffusion_models/wan2.2_t2v_low_noise_14B_fp16.safetensors',
      'text_encoder: text_encoders/umt5_xxl_fp16.safetensors',
      'vae: vae/wan_2.1_vae.safetensors'
    ])
    expect(t2v[2]!.unusable.map((file) => file.path)).toEqual([join(comfy, 'models', 'text_encoders', 'umt5_xxl_fp8_e4m3fn_scaled.safetensors')])
    // The 5B has only unusable files here (the fp8 umT5 it shares, the Wan2.2 VAE); the I2V nothing at all.
    expect(found.models['ti2v-5b']!.map((entry) => [entry.kind, entry.complete, entry.files])).toEqual([['comfyui', false, []]])
    expect(found.models['ti2v-5b']![0]!.unusable.map((file) => file.path)).toEqual([
      join(comfy, 'models', 'text_encoders', 'umt5_xxl_fp8_e4m3fn_scaled.safetensors'),
      join(comfy, 'models', 'vae', 'wan2.2_vae.safetensors')
    ])
    expect(found.models['i2v-a14b']).toBeUndefined()
    expect(found.problems).toEqual([{ kind: 'comfyui', root: join(root, 'absent'), problem: `${join(root, 'absent')} is not a folder` }])

    // Which source the engine reads: the sidecar's path matched against the sources found.
    expect(engineSourceText({ source: 'modelDirs', path: snapshot, complete: true }, t2v)).toBe('Hugging Face cache')
    expect(engineSourceText({ source: 'modelFiles', path: '/x.safetensors', complete: true }, t2v)).toBe('ComfyUI files')
    expect(engineSourceText({ source: 'modelsDir', path: join(modelsDir, 'Wan2.2-T2V-A14B-Diffusers') }, t2v)).toBe('models folder')
    expect(engineSourceText({}, t2v)).toBeNull()
    expect(missingText(t2v[2]!)).toBe('incomplete, missing transformer_2: diffusion_models/wan2.2_t2v_low_noise_14B_fp16.safetensors, text_encoder: text_encoders/umt5_xxl_fp16.safetensors, vae: vae/wan_2.1_vae.safetensors')
  })
})
