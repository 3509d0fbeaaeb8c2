// The System tab's ComfyUI folders: a typed folder is checked (absolute, existing) before it is kept,
// and the weights check then names what that folder holds of a model and what it lacks.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { touchAll } from '../models/fakeWeights'
import { openBrowserStudio, RTX_4090_MACHINE, type BrowserStudio } from './browserStudio'
import { testEnv } from '../helpers/studio'

describe('ComfyUI folders in the System tab (Chromium + real core)', () => {
  let app: BrowserStudio
  const models = mkdtempSync(join(tmpdir(), 'wan-models-'))
  const env = testEnv({ ...RTX_4090_MACHINE, WAN_STUDIO_MODELS_DIR: models, HF_HOME: join(models, 'no-hf-cache'), HF_HUB_CACHE: '' })

  beforeAll(async () => {
    app = await openBrowserStudio(env, { viewport: { width: 1440, height: 900 }, mediaOverHttp: true, consoleErrors: true })
  })

  afterAll(() => app?.close())

  it('refuses a relative or absent folder inline, keeps a real one, and shows what it holds', async () => {
    const { page, studio, pageErrors } = app
    const comfy = mkdtempSync(join(tmpdir(), 'wan-comfyui-'))
    touchAll(comfy, ['models/diffusion_models/wan2.2_t2v_high_noise_14B_fp16.safetensors', 'models/text_encoders/umt5_xxl_fp8_e4m3fn_scaled.safetensors'])
    await page.getByTestId('system-tab').click()
    const input = page.getByTestId('comfyui-folder-input')

    await input.fill('ComfyUI/models')
    await page.getByTestId('comfyui-folder-add').click()
    await expect.poll(() => page.getByTestId('comfyui-folder-error').textContent(), { timeout: 30_000 }).toMatch(/must be an absolute path/)

    await input.fill(join(comfy, 'absent'))
    await page.getByTestId('comfyui-folder-add').click()
    await expect.poll(() => page.getByTestId('comfyui-folder-error').textContent(), { timeout: 30_000 }).toMatch(/does not exist/)
    expect((await studio.settings()).comfyUiFolders).toEqual([])

    await input.fill(comfy)
    await page.getByTestId('comfyui-folder-add').click()
    await expect.poll(async () => (await studio.settings()).comfyUiFolders, { timeout: 30_000 }).toEqual([comfy])
    await expect.poll(() => page.getByTestId('comfyui-folders').textContent(), { timeout: 30_000 }).toContain(comfy)
    const t2v = page.getByTestId('engine-check-weights-t2v-a14b').getByTestId('weight-sources')
    await expect.poll(() => t2v.textContent(), { timeout: 30_000 }).toMatch(/ComfyUI files.*incomplete, missing transformer_2: diffusion_models\/wan2\.2_t2v_low_noise_14B_fp16\.safetensors/)
    expect(await t2v.textContent()).toMatch(/not usable: .*umt5_xxl_fp8_e4m3fn_scaled\.safetensors \(fp8 "scaled" weights/)

    await page.getByRole('button', { name: `Remove the ComfyUI folder ${comfy}` }).click()
    await expect.poll(async () => (await studio.settings()).comfyUiFolders, { timeout: 30_000 }).toEqual([])
    expect(pageErrors).toEqual([])
  }, 120_000)
})
