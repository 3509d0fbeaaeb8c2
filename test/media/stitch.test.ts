import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { FfmpegCancelledError, FfmpegError, type FfmpegProgress } from '../../src/main/media/ffmpeg'
import { probeVideo } from '../../src/main/media/probe'
import { decodeStamps, verifyStampSequence } from '../../src/main/media/stamps'
import { stitchSegments } from '../../src/main/media/stitch'
import { ffmpeg, topLevelAtoms, useTempDir, writeStampedVideo } from './helpers'

const dir = useTempDir('stitch')
const SHOT = 12
const FPS = 16
const SEGMENT_FRAMES = 21
const OVERLAP = 4

const small = (segment: number): string => join(dir, `small-${segment}.mp4`)
const hd = (segment: number): string => join(dir, `hd-${segment}.mp4`)

function partialFilesIn(folder: string): string[] {
  return readdirSync(folder).filter((name) => name.endsWith('.partial'))
}

beforeAll(async () => {
  for (const segment of [0, 1, 2]) {
    await writeStampedVideo({ path: small(segment), width: 480, height: 64, fps: FPS, shot: SHOT, segment, frames: SEGMENT_FRAMES })
  }
  // One model renders 1280x704; the stitch must scale those to exactly 1280x720.
  await writeStampedVideo({ path: hd(0), width: 1280, height: 704, fps: FPS, shot: SHOT, segment: 0, frames: 13 })
  await writeStampedVideo({ path: hd(1), width: 1280, height: 720, fps: FPS, shot: SHOT, segment: 1, frames: 13 })
})

describe('stitchSegments', () => {
  it('drops overlap heads and trims the last tail exactly', async () => {
    const output = join(dir, 'small-out.mp4')
    const events: FfmpegProgress[] = []
    const result = await stitchSegments({
      ffmpeg,
      segments: [
        { path: small(0), skipHeadFrames: 0, takeFrames: SEGMENT_FRAMES },
        { path: small(1), skipHeadFrames: OVERLAP, takeFrames: SEGMENT_FRAMES - OVERLAP },
        { path: small(2), skipHeadFrames: OVERLAP, takeFrames: 9 }
      ],
      output,
      fps: FPS,
      width: 480,
      height: 64,
      onProgress: (progress) => events.push(progress)
    })
    expect(result).toEqual({ frames: 47 })
    expect(events.at(-1)).toMatchObject({ done: true, percent: 100, frame: 47 })

    const stamps = await decodeStamps({ ffmpeg, path: output })
    expect(
      verifyStampSequence(stamps, {
        shot: SHOT,
        segments: [
          { segment: 0, firstFrame: 0, frames: SEGMENT_FRAMES },
          { segment: 1, firstFrame: OVERLAP, frames: SEGMENT_FRAMES - OVERLAP },
          { segment: 2, firstFrame: OVERLAP, frames: 9 }
        ]
      })
    ).toEqual({ ok: true })
    expect(partialFilesIn(dir)).toEqual([])
  })

  it('writes an editor-friendly 1280x720 H.264 file from differently sized segments', async () => {
    const output = join(dir, 'hd', 'final.mp4')
    const metadata = {
      title: 'A fox at dawn',
      comment: 'prompt: a fox = "quiet", seed 42',
      wan_settings: '{"seed":42,"steps":40}'
    }
    const result = await stitchSegments({
      ffmpeg,
      segments: [
        { path: hd(0), skipHeadFrames: 0, takeFrames: 13 },
        { path: hd(1), skipHeadFrames: OVERLAP, takeFrames: 7 }
      ],
      output,
      fps: FPS,
      metadata
    })
    expect(result.frames).toBe(20)

    const probe = await probeVideo({ ffmpeg, path: output })
    expect(probe).toMatchObject({
      width: 1280,
      height: 720,
      fps: FPS,
      frames: 20,
      codec: 'h264',
      pixFmt: 'yuv420p',
      colorSpace: 'bt709',
      colorPrimaries: 'bt709',
      colorTransfer: 'bt709',
      colorRange: 'tv'
    })
    expect(probe.durationSeconds).toBeCloseTo(20 / FPS, 2)
    expect(probe.tags).toMatchObject(metadata)

    const atoms = await topLevelAtoms(output)
    expect(atoms.indexOf('moov')).toBeGreaterThanOrEqual(0)
    expect(atoms.indexOf('moov')).toBeLessThan(atoms.indexOf('mdat'))

    const stamps = await decodeStamps({ ffmpeg, path: output })
    expect(
      verifyStampSequence(stamps, {
        shot: SHOT,
        segments: [
          { segment: 0, firstFrame: 0, frames: 13 },
          { segment: 1, firstFrame: OVERLAP, frames: 7 }
        ]
      })
    ).toEqual({ ok: true })
  })

  it('keeps a previous output and leaves no partial file when ffmpeg fails', async () => {
    const output = join(dir, 'failing.mp4')
    writeFileSync(output, 'previous render')
    const error = await stitchSegments({
      ffmpeg,
      segments: [
        { path: small(0), skipHeadFrames: 0, takeFrames: 5 },
        { path: join(dir, 'missing.mp4'), skipHeadFrames: 0, takeFrames: 5 }
      ],
      output,
      fps: FPS,
      width: 480,
      height: 64
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(FfmpegError)
    expect((error as FfmpegError).stderrTail.join('\n')).toMatch(/missing\.mp4/)
    expect(readFileSync(output, 'utf8')).toBe('previous render')
    expect(partialFilesIn(dir)).toEqual([])
  })

  it('refuses a result with fewer frames than requested', async () => {
    const output = join(dir, 'short.mp4')
    await expect(
      stitchSegments({
        ffmpeg,
        segments: [
          { path: small(0), skipHeadFrames: 0, takeFrames: SEGMENT_FRAMES },
          { path: small(1), skipHeadFrames: OVERLAP, takeFrames: 30 }
        ],
        output,
        fps: FPS,
        width: 480,
        height: 64
      })
    ).rejects.toThrow(/has 38 frames, expected 51/)
    expect(existsSync(output)).toBe(false)
    expect(partialFilesIn(dir)).toEqual([])
  })

  it('cancels: ffmpeg stops and neither output nor partial remains', async () => {
    const output = join(dir, 'cancelled.mp4')
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 200)
    // 130 HD frames at preset medium: seconds of work even on a fast machine.
    const segments = Array.from({ length: 10 }, (_, index) => ({ path: hd(index % 2), skipHeadFrames: 0, takeFrames: 13 }))
    const error = await stitchSegments({
      ffmpeg,
      segments,
      output,
      fps: FPS,
      signal: controller.signal
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(FfmpegCancelledError)
    expect(existsSync(output)).toBe(false)
    expect(partialFilesIn(dir)).toEqual([])
  })

  it('validates its arguments before running ffmpeg', async () => {
    const base = { ffmpeg, output: join(dir, 'invalid.mp4'), fps: FPS }
    const segment = { path: small(0), skipHeadFrames: 0, takeFrames: 5 }
    await expect(stitchSegments({ ...base, segments: [] })).rejects.toThrow(/at least one segment/)
    await expect(stitchSegments({ ...base, segments: [{ ...segment, takeFrames: 0 }] })).rejects.toThrow(/takeFrames/)
    await expect(stitchSegments({ ...base, segments: [segment], width: 481 })).rejects.toThrow(/even/)
    await expect(stitchSegments({ ...base, segments: [segment], metadata: { 'bad key': 'x' } })).rejects.toThrow(/metadata key/)
  })
})
