import { describe, expect, it } from 'vitest'
import { newShot, type Join, type RenderedSegment, type Shot, type Trim } from '../../src/shared/project'
import { buildTimeline, exportFrameCount, timelineFrameAt } from '../../src/shared/timeline'

/** A rendered shot whose segments keep `takes` frames each, later ones skipping `overlap` frames. */
function renderedShot(id: string, takes: number[], options: { join?: Join; trim?: Partial<Trim>; firstSkip?: number; overlap?: number } = {}): Shot {
  const overlap = options.overlap ?? 5
  const segments: RenderedSegment[] = takes.map((take, index) => {
    const skip = index === 0 ? (options.firstSkip ?? 0) : overlap
    return { index, path: `/r/${id}-${index}.mp4`, frames: skip + take, skipHeadFrames: skip, takeFrames: take }
  })
  const frames = takes.reduce((sum, take) => sum + take, 0)
  return newShot(id, {
    prompt: `prompt ${id}`,
    seconds: frames / 16,
    join: options.join ?? { kind: 'cut' },
    trim: { in: options.trim?.in ?? 0, out: options.trim?.out ?? null },
    render: {
      renderKey: `key-${id}`,
      engine: 'synthetic',
      seed: 1,
      frames,
      width: 1280,
      height: 720,
      fps: 16,
      model: 'synthetic',
      plan: 'cpu',
      segments,
      renderedAt: '2026-01-01T00:00:00Z'
    }
  })
}

describe('exportFrameCount and timelineFrameAt', () => {
  it('converts per shot with halves rounding up', () => {
    expect(exportFrameCount(80, 16)).toBe(80)
    expect(exportFrameCount(80, 24)).toBe(120)
    expect(exportFrameCount(9, 24)).toBe(14) // 13.5
    expect(exportFrameCount(9, 30)).toBe(17) // 16.875
    expect(exportFrameCount(5, 30)).toBe(9) // 9.375
  })

  it('shows each timeline frame at least once, in order, ending on the last one', () => {
    for (const fps of [16, 24, 30] as const) {
      for (const frames of [1, 2, 5, 9, 80, 81]) {
        const shown = Array.from({ length: exportFrameCount(frames, fps) }, (_, n) => timelineFrameAt(n, fps))
        expect(new Set(shown).size).toBe(frames)
        expect(shown.at(-1)).toBe(frames - 1)
        expect(shown).toEqual([...shown].sort((a, b) => a - b))
      }
    }
  })
})

describe('buildTimeline', () => {
  it('drops each skipped head once and applies the trim to the kept frames', () => {
    const shot = renderedShot('a', [20, 16, 10], { trim: { in: 3, out: 40 } })
    const [laidOut] = buildTimeline([shot], 16).shots
    expect(laidOut?.sources).toEqual([
      { path: '/r/a-0.mp4', startFrame: 3, endFrame: 20 },
      { path: '/r/a-1.mp4', startFrame: 5, endFrame: 21 },
      { path: '/r/a-2.mp4', startFrame: 5, endFrame: 9 }
    ])
    expect(laidOut?.timelineFrames).toBe(37)
  })

  it('leaves out a segment the trim removes entirely', () => {
    const shot = renderedShot('a', [20, 16, 10], { trim: { in: 21, out: 30 } })
    expect(buildTimeline([shot], 16).shots[0]?.sources).toEqual([{ path: '/r/a-1.mp4', startFrame: 6, endFrame: 15 }])
  })

  it('counts a continue like a cut, its repeated head skipped by the first segment', () => {
    const shots = [renderedShot('a', [20]), renderedShot('b', [12], { join: { kind: 'continue' }, firstSkip: 5 })]
    const timeline = buildTimeline(shots, 16)
    expect(timeline.shots[1]?.sources).toEqual([{ path: '/r/b-0.mp4', startFrame: 5, endFrame: 17 }])
    expect(timeline.shots[1]?.join).toEqual({ kind: 'continue' })
    expect(timeline.frames).toBe(32)
  })

  it('lays out cuts and crossfades at the export fps', () => {
    const shots = [
      renderedShot('a', [20]),
      renderedShot('b', [16], { join: { kind: 'crossfade', frames: 4 } }),
      renderedShot('c', [9], { join: { kind: 'cut' } })
    ]
    const at16 = buildTimeline(shots, 16)
    expect(at16.frames).toBe(20 + 16 - 4 + 9)
    expect(at16.shots.map((s) => [s.startFrame, s.endFrame])).toEqual([[0, 20], [16, 32], [32, 41]])

    const at24 = buildTimeline(shots, 24)
    expect(at24.shots.map((s) => s.exportFrames)).toEqual([30, 24, 14])
    expect(at24.shots[1]?.join).toEqual({ kind: 'crossfade', timelineFrames: 4, exportFrames: 6 })
    expect(at24.frames).toBe(30 + 24 - 6 + 14)
    expect(at24.durationSeconds).toBeCloseTo(62 / 24, 10)
    expect(at24.shots[2]).toMatchObject({ startFrame: 48, endFrame: 62, startSeconds: 2, endSeconds: 62 / 24 })

    const at30 = buildTimeline(shots, 30)
    expect(at30.shots.map((s) => s.exportFrames)).toEqual([38, 30, 17]) // 37.5, 30, 16.875
    expect(at30.frames).toBe(38 + 30 - 8 + 17) // 4 frames -> 7.5 -> 8 blended
  })

  it('names the shot that has no render', () => {
    const shots = [renderedShot('a', [20]), { ...renderedShot('b', [20]), render: null }]
    expect(() => buildTimeline(shots, 16)).toThrow('shot 2 (id "b") has not been rendered yet')
  })

  it('names the shot whose trim is outside its render', () => {
    const shot = renderedShot('a', [20], { trim: { out: 21 } })
    expect(() => buildTimeline([shot], 16)).toThrow('shot 1 (id "a"): trim [0, 21) is outside its 20 rendered frames')
    const empty = renderedShot('a', [20], { trim: { in: 20 } })
    expect(() => buildTimeline([empty], 24)).toThrow(/shot 1 \(id "a"\): trim \[20, 20\)/)
  })

  it('refuses a render whose segments do not add up', () => {
    const shot = renderedShot('a', [20, 16])
    const broken = { ...shot, render: shot.render && { ...shot.render, frames: 40 } }
    expect(() => buildTimeline([broken], 16)).toThrow(/shot 1 \(id "a"\): its segments keep 36 frames but the render says 40/)
    const pastEnd = { ...shot, render: shot.render && { ...shot.render, segments: shot.render.segments.map((s) => ({ ...s, frames: 10 })) } }
    expect(() => buildTimeline([pastEnd], 16)).toThrow(/segment 0 keeps frames 0–19 but \/r\/a-0.mp4 has 10 frames/)
  })

  it('refuses a shot shorter than its two crossfades', () => {
    const shots = [
      renderedShot('a', [20]),
      renderedShot('b', [10], { join: { kind: 'crossfade', frames: 6 } }),
      renderedShot('c', [20], { join: { kind: 'crossfade', frames: 5 } })
    ]
    expect(() => buildTimeline(shots, 16)).toThrow(/shot 2 \(id "b"\) has 10 frames, fewer than its crossfades need \(6 in \+ 5 out\)/)
  })

  it('refuses crossfades that fit at 16 fps but not after rounding', () => {
    // 2 frames -> 3 at 24 fps; two 1-frame crossfades -> 2 + 2.
    const shots = [
      renderedShot('a', [20]),
      renderedShot('b', [2], { join: { kind: 'crossfade', frames: 1 } }),
      renderedShot('c', [20], { join: { kind: 'crossfade', frames: 1 } })
    ]
    expect(buildTimeline(shots, 16).frames).toBe(40)
    expect(() => buildTimeline(shots, 24)).toThrow(/shot 2 \(id "b"\) has 3 frames at 24 fps/)
  })

  it('refuses an empty project', () => {
    expect(() => buildTimeline([], 16)).toThrow(/no shots/)
  })
})
