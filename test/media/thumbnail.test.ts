import { readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { segmentThumbnail } from '../../src/main/media/thumbnail'
import { ffmpeg, useTempDir, writeStampedVideo } from './helpers'

const dir = useTempDir('thumbnail')

/** Width and height from a baseline JPEG's SOF0 marker. */
function jpegSize(path: string): { width: number; height: number } {
  const bytes = readFileSync(path)
  expect([bytes[0], bytes[1]]).toEqual([0xff, 0xd8])
  for (let offset = 2; offset < bytes.length; ) {
    const marker = bytes[offset + 1]!
    if (marker === 0xc0) return { height: bytes.readUInt16BE(offset + 5), width: bytes.readUInt16BE(offset + 7) }
    offset += 2 + bytes.readUInt16BE(offset + 2)
  }
  throw new Error('no SOF0 marker')
}

describe('segment thumbnails', () => {
  it('makes a 160 px wide JPEG of the first frame once, then serves the cached one', async () => {
    const segment = join(dir, 'segment-000.mp4')
    await writeStampedVideo({ path: segment, width: 320, height: 180, fps: 16, shot: 1, segment: 0, frames: 9 })
    const cache = join(dir, 'thumbs')
    const [first, second] = await Promise.all([segmentThumbnail(ffmpeg, segment, cache), segmentThumbnail(ffmpeg, segment, cache)])
    expect(second).toBe(first)
    expect(jpegSize(first)).toEqual({ width: 160, height: 90 })
    expect(readdirSync(cache)).toEqual([first.split('/').at(-1)])
    const made = statSync(first).mtimeMs
    expect(await segmentThumbnail(ffmpeg, segment, cache)).toBe(first)
    expect(statSync(first).mtimeMs).toBe(made)

    // The segment rendered again (a new time): a new thumbnail, not the old one.
    utimesSync(segment, new Date(), new Date(Date.now() + 5000))
    expect(await segmentThumbnail(ffmpeg, segment, cache)).not.toBe(first)
  })

  it('names the segment when it is missing or not a video, and leaves no temporary file', async () => {
    const cache = join(dir, 'bad-thumbs')
    await expect(segmentThumbnail(ffmpeg, join(dir, 'missing.mp4'), cache)).rejects.toThrow(/no thumbnail for .*missing\.mp4: .*ENOENT/)
    const broken = join(dir, 'broken.mp4')
    writeFileSync(broken, 'not a video')
    await expect(segmentThumbnail(ffmpeg, broken, cache)).rejects.toThrow(/no thumbnail for .*broken\.mp4/)
    expect(readdirSync(cache)).toEqual([])
  })
})
