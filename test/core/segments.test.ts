import { describe, expect, it } from 'vitest'
import { atLeast4nPlus1, planRemainingSegments, planSegments, shorterSegmentFrames } from '../../src/shared/segments'

describe('planSegments', () => {
  it('renders a 5 s shot as one 81-frame segment, keeping 80 frames', () => {
    expect(planSegments(80)).toEqual([{ index: 0, frames: 81, startFrame: 0, overlap: 0, take: 80 }])
  })

  it('renders 10 s (160 frames) as three equal 57-frame segments continuing with a 5-frame overlap', () => {
    const plans = planSegments(160)
    expect(plans.map((p) => p.frames)).toEqual([57, 57, 57])
    expect(plans.map((p) => p.overlap)).toEqual([0, 5, 5])
    expect(plans.map((p) => p.take)).toEqual([57, 52, 51])
    expect(plans.map((p) => p.startFrame)).toEqual([0, 52, 104])
  })

  it('always keeps exactly the requested frames, in segments of 4n+1 frames of at most 81', () => {
    for (let total = 1; total <= 16 * 120; total += 7) {
      const plans = planSegments(total)
      expect(plans.reduce((sum, p) => sum + p.take, 0)).toBe(total)
      for (const plan of plans) {
        expect((plan.frames - 1) % 4).toBe(0)
        expect(plan.frames).toBeLessThanOrEqual(81)
        expect(plan.overlap + plan.take).toBeLessThanOrEqual(plan.frames)
        expect(plan.take).toBeGreaterThan(0)
      }
      // Kept frames tile the shot: each segment's first kept frame follows the previous one's last.
      let next = 0
      for (const plan of plans) {
        expect(plan.startFrame + plan.overlap).toBe(next)
        next += plan.take
      }
      // Fewest segments possible under the limit.
      const count = plans.length
      if (count > 1) expect(81 + (count - 2) * 76).toBeLessThan(total)
    }
  })

  it('rejects frame counts and limits that cannot be planned', () => {
    expect(() => planSegments(0)).toThrow(/positive integer/)
    expect(() => planSegments(10.5)).toThrow(/positive integer/)
    expect(() => planSegments(100, 80)).toThrow(/4n\+1/)
    expect(() => planSegments(100, 81, 80)).toThrow(/overlap/)
  })

  it('rounds frame counts up to 4n+1', () => {
    expect([1, 2, 5, 6, 80, 81].map(atLeast4nPlus1)).toEqual([1, 5, 5, 9, 81, 81])
  })
})

describe('planRemainingSegments', () => {
  it('tiles the rest of a shot after finished frames, each repeating the overlap once', () => {
    for (const total of [1, 17, 64, 96, 160, 481]) {
      for (const keptSoFar of [0, 1, 16, Math.floor(total / 2)]) {
        for (const continuesPrevious of [false, true]) {
          if (keptSoFar >= total) continue
          for (const maxFrames of [17, 29, 81]) {
            const plans = planRemainingSegments({ totalFrames: total, keptSoFar, firstIndex: 3, maxFrames, continuesPrevious })
            let next = keptSoFar
            plans.forEach((plan, position) => {
              expect(plan.index).toBe(3 + position)
              expect((plan.frames - 1) % 4).toBe(0)
              expect(plan.frames).toBeLessThanOrEqual(maxFrames)
              const repeats = position > 0 || keptSoFar > 0 || continuesPrevious
              expect(plan.overlap).toBe(repeats ? 5 : 0)
              expect(plan.overlap + plan.take).toBeLessThanOrEqual(plan.frames)
              // The rendered frames start where the repeated head is: right after the finished ones.
              expect(plan.startFrame).toBe(Math.max(0, next - plan.overlap))
              next += plan.take
            })
            expect(next).toBe(total)
          }
        }
      }
    }
  })

  it('plans nothing when the shot is finished', () => {
    expect(planRemainingSegments({ totalFrames: 40, keptSoFar: 40, firstIndex: 2, maxFrames: 81, continuesPrevious: false })).toEqual([])
  })

  it('halves segments after running out of memory, down to 17 frames', () => {
    expect([81, 57, 41, 29, 17].map((frames) => shorterSegmentFrames(frames))).toEqual([41, 29, 21, 17, null])
  })
})
