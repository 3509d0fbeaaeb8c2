import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { runFfmpeg } from '../../src/main/media/ffmpeg'
import { findFfprobe } from '../../src/main/media/ffmpegPath'
import { probeVideo } from '../../src/main/media/probe'
import { ffmpeg, useTempDir } from './helpers'

const dir = useTempDir('probe')
const tagged = join(dir, 'tagged.mp4')
const untagged = join(dir, 'untagged.mp4')

beforeAll(async () => {
  await runFfmpeg({
    ffmpeg,
    args: [
      '-y', '-f', 'lavfi', '-i', 'testsrc=size=320x180:rate=16', '-frames:v', '24',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p',
      '-colorspace', 'bt709', '-color_primaries', 'bt709', '-color_trc', 'bt709', '-color_range', 'tv',
      '-movflags', '+faststart+use_metadata_tags',
      '-metadata', 'title=Probe me', '-metadata', 'comment=line one\nline two', '-metadata', 'wan_seed=7',
      tagged
    ]
  })
  await runFfmpeg({
    ffmpeg,
    args: ['-y', '-f', 'lavfi', '-i', 'testsrc=size=160x96:rate=25', '-frames:v', '10', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv444p', untagged]
  })
})

const ffprobe = findFfprobe(ffmpeg)

describe('probeVideo', () => {
  it.skipIf(ffprobe === null)('reads ffprobe JSON', async () => {
    const probe = await probeVideo({ ffmpeg, path: tagged })
    expect(probe).toEqual({
      width: 320,
      height: 180,
      fps: 16,
      frames: 24,
      codec: 'h264',
      pixFmt: 'yuv420p',
      colorSpace: 'bt709',
      colorPrimaries: 'bt709',
      colorTransfer: 'bt709',
      colorRange: 'tv',
      durationSeconds: 1.5,
      tags: expect.objectContaining({ title: 'Probe me', comment: 'line one\nline two', wan_seed: '7' }),
      via: 'ffprobe'
    })
  })

  it('falls back to ffmpeg alone with the same answers', async () => {
    for (const path of [tagged, untagged]) {
      const fallback = await probeVideo({ ffmpeg, ffprobe: null, path })
      expect(fallback.via).toBe('ffmpeg')
      if (ffprobe !== null) {
        const reference = await probeVideo({ ffmpeg, ffprobe, path })
        expect({ ...fallback, via: 'ffprobe' }).toEqual(reference)
      }
    }
    const untaggedProbe = await probeVideo({ ffmpeg, ffprobe: null, path: untagged })
    expect(untaggedProbe).toMatchObject({ width: 160, height: 96, fps: 25, frames: 10, pixFmt: 'yuv444p', colorSpace: null })
  })

  it('rejects a missing file', async () => {
    await expect(probeVideo({ ffmpeg, path: join(dir, 'missing.mp4') })).rejects.toThrow()
    await expect(probeVideo({ ffmpeg, ffprobe: null, path: join(dir, 'missing.mp4') })).rejects.toThrow(/No such file/)
  })
})
