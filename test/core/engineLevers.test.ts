// The diffusers engine's fastMode and speedLevers details as the planner's LeverSupport.
import { describe, expect, it } from 'vitest'
import { engineLevers } from '../../src/main/core/engineLevers'

const FAST_MODE = {
  available: false,
  reason: 'the Wan2.2-Lightning LoRAs are not in the models folder',
  files: [
    { role: 'high-noise', path: '/m/Wan2.2-Lightning/high.safetensors', present: false },
    { role: 'low-noise', path: '/m/Wan2.2-Lightning/low.safetensors', present: true }
  ],
  howToGet: 'hf download lightx2v/Wan2.2-Lightning'
}

describe('engineLevers', () => {
  it('reads what the sidecar reports', () => {
    const { levers, fastModeFiles } = engineLevers({
      fastMode: { ...FAST_MODE, available: true, reason: null },
      speedLevers: { attentionBackends: ['sdpa', 'flash', 'sage'], compile: { available: true, reason: null } }
    })
    expect(levers).toEqual({ attentionBackends: ['sdpa', 'flash', 'sage'], compile: { available: true, reason: null }, fastMode: { available: true, reason: null } })
    expect(fastModeFiles).toEqual({ files: FAST_MODE.files, howToGet: FAST_MODE.howToGet })
  })

  it('offers SDPA alone, no compilation and no fast mode when an older sidecar reports neither', () => {
    for (const details of [undefined, {}]) {
      expect(engineLevers(details)).toEqual({
        levers: {
          attentionBackends: ['sdpa'],
          compile: { available: false, reason: 'the inference sidecar does not report speedLevers (it predates it)' },
          fastMode: { available: false, reason: 'the inference sidecar does not report fastMode (it predates it)' }
        },
        fastModeFiles: null
      })
    }
  })

  it('treats a malformed report as absent and says where it is malformed; unknown backends are left out', () => {
    const { levers, fastModeFiles } = engineLevers({
      fastMode: { ...FAST_MODE, files: [{ role: 'middle', path: '/x', present: true }] },
      speedLevers: { attentionBackends: ['flash', 'xformers'], compile: { available: false, reason: 'torch 2.3 has no compile_repeated_blocks' } }
    })
    expect(levers.fastMode).toEqual({ available: false, reason: expect.stringMatching(/^the inference sidecar's fastMode report can't be read \(fastMode\.files\.0\.role: /) })
    expect(fastModeFiles).toBeNull()
    expect(levers.attentionBackends).toEqual(['sdpa', 'flash'])
    expect(levers.compile).toEqual({ available: false, reason: 'torch 2.3 has no compile_repeated_blocks' })
  })
})
