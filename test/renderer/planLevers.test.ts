// The System tab's words for a plan's levers, and which lever values the override form offers.
import { describe, expect, it } from 'vitest'
import { offeredLevers, oneTimeText } from '../../src/renderer/src/components/system/planLevers'

describe('plan levers in the System tab', () => {
  it('offers only the backends the engine reported, SDPA always, unknown names dropped', () => {
    const details = { speedLevers: { attentionBackends: ['sage', 'xformers', 'sdpa'], compile: { available: false, reason: 'no Triton' } } }
    expect(offeredLevers(details)).toEqual({ attention: ['sdpa', 'sage'], compile: [false] })
  })

  it('offers compilation where the engine says it works, and nothing but SDPA from an older sidecar', () => {
    expect(offeredLevers({ speedLevers: { attentionBackends: ['flash3'], compile: { available: true, reason: null } } }).compile).toEqual([true, false])
    expect(offeredLevers({})).toEqual({ attention: ['sdpa'], compile: [false] })
  })

  it('names what the first segment pays once', () => {
    expect(oneTimeText({ loraLoadSeconds: 10, compileSeconds: 60, compileCachedSeconds: 10 })).toBe('compile 1 min (10 s cached), LoRAs 10 s')
    expect(oneTimeText({ loraLoadSeconds: 0, compileSeconds: 0, compileCachedSeconds: 0 })).toBeNull()
    expect(oneTimeText(undefined)).toBeNull()
  })
})
