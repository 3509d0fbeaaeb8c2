// When the inspector offers fast mode: the Wan2.2 engine's report of its LoRAs decides, the
// synthetic engine always mimics it.
import { describe, expect, it } from 'vitest'
import { fastModeAvailability } from '../../src/renderer/src/editor/fastModeAvailability'
import type { EngineStatus } from '../../src/shared/ipc'

const LORAS = [
  { role: 'high-noise', path: '/models/Wan2.2-Lightning/high_noise_model.safetensors', present: true },
  { role: 'low-noise', path: '/models/Wan2.2-Lightning/low_noise_model.safetensors', present: false }
]

function status(ready: boolean, fastMode: unknown): { engineStatus: EngineStatus } {
  return {
    engineStatus: {
      python: null,
      sidecar: { state: 'ready', lastError: null },
      engines: [{ id: 'diffusers', label: 'Wan2.2', available: ready, reason: null, details: fastMode === undefined ? {} : { fastMode } }],
      realEngine: ready ? { ready: true, reason: null } : { ready: false, reason: 'no models folder' }
    }
  }
}

describe('fast mode availability', () => {
  it('is offered when the engine found both LoRAs', () => {
    expect(fastModeAvailability('diffusers', status(true, { available: true, reason: null, files: LORAS, howToGet: 'hf download' }))).toEqual({ available: true })
  })

  it('is refused with the reason, the missing file and how to get it', () => {
    const refused = fastModeAvailability('auto', status(true, { available: false, reason: 'the low-noise LoRA is missing', files: LORAS, howToGet: 'hf download lightx2v/Wan2.2-Lightning' }))
    expect(refused).toEqual({
      available: false,
      reason: 'the low-noise LoRA is missing (missing: low-noise LoRA /models/Wan2.2-Lightning/low_noise_model.safetensors). To get them: hf download lightx2v/Wan2.2-Lightning'
    })
  })

  it('is refused when the engine said nothing of it, or before the system check', () => {
    expect(fastModeAvailability('diffusers', status(true, undefined))).toMatchObject({ available: false, reason: expect.stringMatching(/did not report fast mode/) as unknown })
    expect(fastModeAvailability('diffusers', null)).toMatchObject({ available: false })
  })

  it('is always offered where the synthetic engine renders (it mimics the 4 steps)', () => {
    expect(fastModeAvailability('synthetic', null)).toEqual({ available: true })
    expect(fastModeAvailability('auto', status(false, { available: false, reason: 'no LoRAs', files: LORAS, howToGet: 'x' }))).toEqual({ available: true })
  })
})
