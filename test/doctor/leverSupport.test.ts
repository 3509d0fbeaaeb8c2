import { describe, expect, it } from 'vitest'
import { leverSupportFromDetails } from '../../src/main/doctor/leverSupport'

describe('leverSupportFromDetails', () => {
  it('passes the diffusers engine’s speed levers and fast mode through', () => {
    const details = {
      speedLevers: { attentionBackends: ['sdpa', 'sage', 'flash3'], compile: { available: true, reason: null } },
      fastMode: { available: false, reason: 'Wan2.2-Lightning high-noise LoRA missing', files: [], howToGet: 'hf download …' }
    }
    expect(leverSupportFromDetails(details)).toEqual({
      attentionBackends: ['sdpa', 'sage', 'flash3'],
      compile: { available: true, reason: null },
      fastMode: { available: false, reason: 'Wan2.2-Lightning high-noise LoRA missing' }
    })
  })

  it('reads an older sidecar’s silence as SDPA only, no compilation, no fast mode', () => {
    const levers = leverSupportFromDetails({ modelsDir: '/models' })
    expect(levers.attentionBackends).toEqual(['sdpa'])
    expect(levers.compile.available).toBe(false)
    expect(levers.fastMode).toEqual({ available: false, reason: 'the engine reported no fast-mode LoRAs' })
  })

  it('drops backends it doesn’t know and always keeps SDPA', () => {
    expect(leverSupportFromDetails({ speedLevers: { attentionBackends: ['xformers', 'flash'], compile: { available: false, reason: 'no triton' } } }).attentionBackends).toEqual([
      'sdpa',
      'flash'
    ])
  })

  it('treats a malformed report as unsupported and says so', () => {
    const levers = leverSupportFromDetails({ speedLevers: { attentionBackends: 'sage' } })
    expect(levers.attentionBackends).toEqual(['sdpa'])
    expect(levers.fastMode.reason).toMatch(/could not be read/)
  })
})
