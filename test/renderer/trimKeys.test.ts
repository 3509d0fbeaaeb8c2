import { describe, expect, it } from 'vitest'
import { newShot } from '../../src/shared/project'
import { movedEdge, trimEdgeChange, trimKeyFrames } from '../../src/renderer/src/timeline/trimKeys'

// 2 s at 16 fps: 32 frames, trimmed to [4, 28).
const shot = newShot('s', { seconds: 2, trim: { in: 4, out: 28 } })

describe('keyboard trim', () => {
  it('arrows move one frame, a second with Shift; other keys are not trims', () => {
    expect(trimKeyFrames('ArrowLeft', false)).toBe(-1)
    expect(trimKeyFrames('ArrowRight', true)).toBe(16)
    expect(trimKeyFrames('ArrowUp', false)).toBeNull()
  })

  it('keeps each edge inside the shot with at least one frame left', () => {
    expect(movedEdge(shot, 'in', -2)).toBe(2)
    expect(movedEdge(shot, 'in', -100)).toBe(0)
    expect(movedEdge(shot, 'in', 100)).toBe(27)
    expect(movedEdge(shot, 'out', 100)).toBe(32)
    expect(movedEdge(shot, 'out', -100)).toBe(5)
  })

  it('gives the trimShot change, the end at the last frame as null', () => {
    expect(trimEdgeChange(shot, 'in', 3)).toEqual({ in: 7 })
    expect(trimEdgeChange(shot, 'out', -1)).toEqual({ out: 27 })
    expect(trimEdgeChange(shot, 'out', 16)).toEqual({ out: null })
  })
})
