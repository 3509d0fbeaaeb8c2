// A shot rendered at 24 fps (TI2V-5B's native rate) on the 16 fps timeline: its trim is a span of
// time, and every export frame shows the rendered frame on screen at that instant.
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { exportProject } from '../../src/main/media/export'
import { decodeStamps, type Stamp } from '../../src/main/media/stamps'
import { newProject, newShot, type Project, type ShotRender } from '../../src/shared/project'
import { buildTimeline, exportFrameCount, renderTimelineFrames } from '../../src/shared/timeline'
import { ffmpeg, useTempDir, writeStampedVideo } from './helpers'

const dir = useTempDir('native-rate')
const path = (name: string): string => join(dir, `${name}.mp4`)

// Shot 1: 2 s at 24 fps = 48 frames, one 49-frame segment; trimmed to timeline frames [3, 29).
// Shot 2: 1 s at 16 fps, cut in after it.
function render(stamp: number, fps: number, frames: number, fileFrames: number): ShotRender {
  return {
    renderKey: `key-${stamp}`,
    engine: 'diffusers',
    seed: stamp,
    frames,
    width: 1280,
    height: 96,
    fps,
    model: fps === 24 ? 'ti2v-5b' : 't2v-a14b',
    plan: 'bf16, experts resident',
    segments: [{ index: 0, path: path(`shot-${stamp}`), frames: fileFrames, skipHeadFrames: 0, takeFrames: frames }],
    renderedAt: '2026-01-01T00:00:00Z'
  }
}

function project(): Project {
  return {
    ...newProject('Native rate'),
    shots: [
      newShot('a', { prompt: 'a heron lands', seconds: 2, trim: { in: 3, out: 29 }, render: render(1, 24, 48, 49) }),
      newShot('b', { prompt: 'it folds its wings', seconds: 1, render: render(2, 16, 16, 17) })
    ]
  }
}

/** The frames the export must show, worked out in seconds rather than with the timeline module. */
function expectedStamps(fps: 16 | 24 | 30): Stamp[] {
  const shotA = Array.from({ length: exportFrameCount(26, fps) }, (_, n) => {
    const seconds = 3 / 16 + n / fps
    return { shot: 1, segment: 0, frame: Math.floor(seconds * 24 + 1e-9) }
  })
  const shotB = Array.from({ length: exportFrameCount(16, fps) }, (_, n) => ({ shot: 2, segment: 0, frame: Math.floor((n * 16) / fps + 1e-9) }))
  return [...shotA, ...shotB]
}

beforeAll(async () => {
  await writeStampedVideo({ path: path('shot-1'), width: 1280, height: 96, fps: 24, shot: 1, segment: 0, frames: 49 })
  await writeStampedVideo({ path: path('shot-2'), width: 1280, height: 96, fps: 16, shot: 2, segment: 0, frames: 17 })
})

describe('a 24 fps render on the 16 fps timeline', () => {
  it('keeps its length in timeline frames and maps its trim to the rendered frames by time', () => {
    expect(renderTimelineFrames({ frames: 48, fps: 24 })).toBe(32)
    expect(renderTimelineFrames({ frames: 80, fps: 16 })).toBe(80)
    const timeline = buildTimeline(project().shots, 16)
    const [a, b] = timeline.shots
    // 3/16 s is 4.5 frames at 24 fps: frame 4 is on screen, started 1/48 s (8 ticks of 1/384 s) before.
    expect(a).toMatchObject({ sourceFps: 24, sourceLeadTicks: 8, timelineFrames: 26, exportFrames: 26, sources: [{ startFrame: 4, endFrame: 44 }] })
    expect(b).toMatchObject({ sourceFps: 16, sourceLeadTicks: 0, sources: [{ startFrame: 0, endFrame: 16 }] })
    expect(timeline.frames).toBe(42)
  })

  it('refuses a trim past the render’s end in timeline frames', () => {
    const shots = project().shots
    const tooLong = [{ ...shots[0]!, seconds: 2.5, trim: { in: 0, out: 40 } }]
    expect(() => buildTimeline(tooLong, 16)).toThrow('shot 1 (id "a"): trim [0, 40) is outside its 32 rendered frames (48 at 24 fps)')
  })

  it.each([16, 24, 30] as const)('exports at %i fps with every frame the one on screen at its instant', async (fps) => {
    const output = path(`film-${fps}`)
    const result = await exportProject({ ffmpeg, project: project(), spec: { format: 'h264', fps, output, overwrite: false, drafts: 'refuse' as const }, appVersion: 'test' })
    const expected = expectedStamps(fps)
    expect(result.frames).toBe(expected.length)
    expect(await decodeStamps({ ffmpeg, path: output })).toEqual(expected)
  })
})
