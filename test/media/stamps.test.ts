import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FfmpegError, runFfmpeg } from '../../src/main/media/ffmpeg'
import { decodeStamps, stampBits, verifyStampSequence, type Stamp } from '../../src/main/media/stamps'
import { ffmpeg, useTempDir, writeStampedVideo } from './helpers'

const dir = useTempDir('stamps')

function run(segment: number, firstFrame: number, frames: number, shot = 3): Stamp[] {
  return Array.from({ length: frames }, (_, offset) => ({ shot, segment, frame: firstFrame + offset }))
}

describe('stampBits', () => {
  it('lays out shot, segment and frame as 16 bits each, MSB first', () => {
    const bits = stampBits({ shot: 0x8001, segment: 2, frame: 0xffff })
    expect(bits).toHaveLength(48)
    expect(bits.slice(0, 16).map(Number).join('')).toBe('1000000000000001')
    expect(bits.slice(16, 32).map(Number).join('')).toBe('0000000000000010')
    expect(bits.slice(32).every(Boolean)).toBe(true)
    expect(() => stampBits({ shot: 0x10000, segment: 0, frame: 0 })).toThrow(RangeError)
  })
})

describe('decodeStamps', () => {
  it('reads every frame of an encoded video', async () => {
    const path = join(dir, 'stamped.mp4')
    await writeStampedVideo({ path, width: 480, height: 64, fps: 16, shot: 0xa5c3, segment: 7, frames: 30, firstFrame: 100 })
    const stamps = await decodeStamps({ ffmpeg, path })
    expect(stamps).toEqual(run(7, 100, 30, 0xa5c3))
  })

  it('fails with FfmpegError on a video narrower than the stamp strip', async () => {
    const path = join(dir, 'narrow.mp4')
    await runFfmpeg({ ffmpeg, args: ['-y', '-f', 'lavfi', '-i', 'testsrc=size=320x64:rate=16', '-frames:v', '2', path] })
    await expect(decodeStamps({ ffmpeg, path })).rejects.toBeInstanceOf(FfmpegError)
  })
})

describe('verifyStampSequence', () => {
  const expected = {
    shot: 3,
    segments: [
      { segment: 0, firstFrame: 0, frames: 37 },
      { segment: 1, firstFrame: 4, frames: 33 },
      { segment: 2, firstFrame: 4, frames: 10 }
    ]
  }
  const perfect = [...run(0, 0, 37), ...run(1, 4, 33), ...run(2, 4, 10)]

  it('accepts the exact sequence', () => {
    expect(verifyStampSequence(perfect, expected)).toEqual({ ok: true })
  })

  it('names a lost frame by position, expectation and what came instead', () => {
    const stamps = perfect.filter((stamp) => !(stamp.segment === 1 && stamp.frame === 5))
    expect(verifyStampSequence(stamps, expected)).toEqual({
      ok: false,
      problems: ['frame 38: expected segment 1 frame 5, got segment 1 frame 6 (1 frame lost: segment 1 frame 5)']
    })
  })

  it('names a doubled frame', () => {
    const stamps = [...perfect.slice(0, 41), perfect[40] as Stamp, ...perfect.slice(41, -1)]
    const check = verifyStampSequence(stamps, expected)
    expect(check.ok).toBe(false)
    if (!check.ok) {
      expect(check.problems[0]).toBe('frame 41: segment 1 frame 7 doubled (expected segment 1 frame 8)')
      expect(check.problems[1]).toBe('video ends after 80 frames; missing 1 expected frame(s): segment 2 frame 13')
    }
  })

  it('reports a missing segment and overlap frames left in', () => {
    const withoutSegmentOne = [...run(0, 0, 37), ...run(2, 4, 10)]
    const check = verifyStampSequence(withoutSegmentOne, expected)
    expect(check).toEqual({
      ok: false,
      problems: ['frame 37: expected segment 1 frame 4, got segment 2 frame 4 (33 frames lost: segment 1 frames 4–36)']
    })

    const overlapKept = [...run(0, 0, 37), ...run(1, 0, 37), ...run(2, 4, 10)]
    const overlapCheck = verifyStampSequence(overlapKept, expected)
    expect(overlapCheck.ok).toBe(false)
    if (!overlapCheck.ok) expect(overlapCheck.problems[0]).toBe('frame 37: expected segment 1 frame 4, got segment 1 frame 0')
  })

  it('reports segments out of order, a wrong shot and trailing extra frames', () => {
    const swapped = [...run(0, 0, 37), ...run(2, 4, 10), ...run(1, 4, 33)]
    const check = verifyStampSequence(swapped, expected)
    expect(check.ok).toBe(false)
    if (!check.ok) expect(check.problems[0]).toBe('frame 37: expected segment 1 frame 4, got segment 2 frame 4 (33 frames lost: segment 1 frames 4–36)')

    const wrongShot = perfect.map((stamp, index) => (index === 5 ? { ...stamp, shot: 9 } : stamp))
    expect(verifyStampSequence(wrongShot, expected)).toEqual({
      ok: false,
      problems: ['frame 5: expected segment 0 frame 5, got shot 9 segment 0 frame 5']
    })

    const untrimmed = [...perfect, ...run(2, 14, 3)]
    expect(verifyStampSequence(untrimmed, expected)).toEqual({
      ok: false,
      problems: ['3 unexpected frame(s) after the expected 80: segment 2 frames 14–16']
    })
  })
})
