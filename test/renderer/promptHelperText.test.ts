// The System tab's words for the prompt helper model's part of the plan.
import { describe, expect, it } from 'vitest'
import type { PromptHelperPlan } from '../../src/shared/plan'
import {
  helperBesideRenderText,
  helperInstalledText,
  helperPlacementText,
  helperWeightsText
} from '../../src/renderer/src/components/system/promptHelperText'

const HELPER: PromptHelperPlan = {
  model: 'qwen2.5-3b-instruct',
  repo: 'Qwen/Qwen2.5-3B-Instruct',
  parametersBillions: 3.09,
  installed: true,
  weightsBytes: 6_171_877_432,
  weightsFrom: 'installed',
  used: true,
  placement: 'gpu',
  gpuIndex: 0,
  fitsGpu: true,
  predicted: { peakVramMiB: 7_251, peakRamMiB: 8_958, loadSeconds: 13.5, besideRenderRamMiB: 49_783 },
  others: [
    { model: 'qwen2.5-1.5b-instruct', repo: 'Qwen/Qwen2.5-1.5B-Instruct', parametersBillions: 1.54, installed: null, weightsBytes: 3_080_000_000, weightsFrom: 'catalogue' }
  ],
  reasons: [],
  warnings: []
}

describe('the prompt helper model in the System tab’s plan', () => {
  it('says whether each helper model is installed, missing or unchecked', () => {
    expect(helperInstalledText(HELPER)).toBe('installed')
    expect(helperInstalledText({ ...HELPER, installed: false })).toBe('missing')
    expect(helperInstalledText(HELPER.others[0]!)).toBe('not checked')
  })

  it('says where the weights size comes from', () => {
    expect(helperWeightsText(HELPER)).toBe('6.17 GB bf16, from its files (3.09 B parameters)')
    expect(helperWeightsText(HELPER.others[0]!)).toBe('3.08 GB bf16, 2 bytes a parameter (1.54 B parameters)')
  })

  it('says where it runs when idle and during a render', () => {
    expect(helperPlacementText(HELPER)).toBe('GPU 0 when queued with nothing rendering; the CPU while a render runs or a Wan2.2 pipeline is cached')
    expect(helperPlacementText({ ...HELPER, placement: 'cpu' })).toBe('the CPU')
    expect(helperBesideRenderText(HELPER)).toBe('48.6 GiB of RAM with the render’s, on the CPU')
    expect(helperBesideRenderText({ ...HELPER, predicted: { ...HELPER.predicted, besideRenderRamMiB: null } })).toBeNull()
  })
})
