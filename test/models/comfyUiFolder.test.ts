import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readComfyUiFolder } from '../../src/main/models/comfyUiFolder'
import { touchAll } from './fakeWeights'

describe('readComfyUiFolder', () => {
  let comfy: string
  beforeEach(() => {
    comfy = mkdtempSync(join(tmpdir(), 'wan-comfy-'))
  })
  afterEach(() => rmSync(comfy, { recursive: true, force: true }))

  it('finds the fp16 T2V experts, umT5 and the Wan2.1 VAE from the ComfyUI root, in subfolders too', () => {
    touchAll(comfy, [
      'models/diffusion_models/wan2.2_t2v_high_noise_14B_fp16.safetensors',
      'models/diffusion_models/Wan2.2/wan2.2_t2v_low_noise_14B_fp16.safetensors',
      'models/text_encoders/umt5_xxl_fp16.safetensors',
      'models/vae/wan_2.1_vae.safetensors'
    ])
    const report = readComfyUiFolder(comfy)
    expect(report.modelsDir).toBe(join(comfy, 'models'))
    expect(report.problem).toBeNull()
    const t2v = report.models.find((model) => model.model === 't2v-a14b')!
    expect(t2v).toEqual({
      model: 't2v-a14b',
      complete: true,
      files: [
        { component: 'transformer', path: join(comfy, 'models/diffusion_models/wan2.2_t2v_high_noise_14B_fp16.safetensors') },
        { component: 'transformer_2', path: join(comfy, 'models/diffusion_models/Wan2.2/wan2.2_t2v_low_noise_14B_fp16.safetensors') },
        { component: 'text_encoder', path: join(comfy, 'models/text_encoders/umt5_xxl_fp16.safetensors') },
        { component: 'vae', path: join(comfy, 'models/vae/wan_2.1_vae.safetensors') }
      ],
      missing: [],
      unusable: []
    })
    // The 5B shares umT5 but needs its own transformer and the Wan2.2 VAE.
    const ti2v = report.models.find((model) => model.model === 'ti2v-5b')!
    expect(ti2v.complete).toBe(false)
    expect(ti2v.missing).toEqual([
      { component: 'transformer', folder: 'diffusion_models', acceptedNames: ['wan2.2_ti2v_5B_fp16.safetensors'] },
      { component: 'vae', folder: 'vae', acceptedNames: [] }
    ])
  })

  it('reads the older folder names (unet/, clip/) when given the models folder itself', () => {
    touchAll(comfy, [
      'unet/wan2.2_t2v_high_noise_14B_fp16.safetensors',
      'unet/wan2.2_t2v_low_noise_14B_fp16.safetensors',
      'clip/umt5_xxl_fp16.safetensors',
      'vae/wan_2.1_vae.safetensors'
    ])
    const report = readComfyUiFolder(comfy)
    expect(report.modelsDir).toBe(comfy)
    expect(report.models.find((model) => model.model === 't2v-a14b')).toMatchObject({ complete: true, missing: [], unusable: [] })
  })

  it("names the TI2V-5B's Wan2.2 VAE file as unusable: diffusers converts only the Wan2.1 VAE's single file", () => {
    touchAll(comfy, ['models/diffusion_models/wan2.2_ti2v_5B_fp16.safetensors', 'models/text_encoders/umt5_xxl_fp16.safetensors', 'models/vae/wan2.2_vae.safetensors'])
    const ti2v = readComfyUiFolder(comfy).models.find((model) => model.model === 'ti2v-5b')!
    expect(ti2v.complete).toBe(false)
    expect(ti2v.unusable).toEqual([{ component: 'vae', path: join(comfy, 'models/vae/wan2.2_vae.safetensors'), reason: "diffusers 0.42.1 converts only the Wan2.1 VAE's single file, not the Wan2.2 VAE's" }])
  })

  it('names fp8 "scaled" files as found but unusable, and the fp16 names that would do', () => {
    touchAll(comfy, [
      'models/diffusion_models/wan2.2_t2v_high_noise_14B_fp8_scaled.safetensors',
      'models/diffusion_models/wan2.2_t2v_low_noise_14B_fp8_scaled.safetensors',
      'models/text_encoders/umt5_xxl_fp8_e4m3fn_scaled.safetensors',
      'models/vae/wan_2.1_vae.safetensors'
    ])
    const t2v = readComfyUiFolder(comfy).models.find((model) => model.model === 't2v-a14b')!
    expect(t2v.complete).toBe(false)
    expect(t2v.files).toEqual([{ component: 'vae', path: join(comfy, 'models/vae/wan_2.1_vae.safetensors') }])
    expect(t2v.missing.map((missing) => missing.acceptedNames)).toEqual([
      ['wan2.2_t2v_high_noise_14B_fp16.safetensors'],
      ['wan2.2_t2v_low_noise_14B_fp16.safetensors'],
      ['umt5_xxl_fp16.safetensors']
    ])
    expect(t2v.unusable.map((file) => [file.component, file.path])).toEqual([
      ['transformer', join(comfy, 'models/diffusion_models/wan2.2_t2v_high_noise_14B_fp8_scaled.safetensors')],
      ['transformer_2', join(comfy, 'models/diffusion_models/wan2.2_t2v_low_noise_14B_fp8_scaled.safetensors')],
      ['text_encoder', join(comfy, 'models/text_encoders/umt5_xxl_fp8_e4m3fn_scaled.safetensors')]
    ])
  })

  it('says what is wrong with a folder that is not ComfyUI or does not exist', () => {
    expect(readComfyUiFolder(comfy)).toEqual({ modelsDir: comfy, problem: `${comfy} has none of ComfyUI's model folders (diffusion_models, text_encoders, vae)`, models: [] })
    const absent = join(comfy, 'absent')
    expect(readComfyUiFolder(absent)).toEqual({ modelsDir: absent, problem: `${absent} is not a folder`, models: [] })
  })
})
