import { mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createMediaHandlers } from '../../src/main/core/mediaHandlers'
import type { Studio } from '../../src/main/core/studio'
import { ffmpeg, writeStampedVideo } from '../media/helpers'

const rendersDir = mkdtempSync(join(tmpdir(), 'wan-media-ipc-'))
const studio = {
  rendersDir,
  systemSnapshot: () => Promise.resolve({ info: { ffmpeg: { path: ffmpeg, source: 'FFMPEG_BIN' } } }),
  mediaUrl: (path: string) => `media:${path.slice(rendersDir.length)}`
} as unknown as Studio

describe('media.thumbnail', () => {
  it("answers the media URL of a renders-folder segment's cached thumbnail", async () => {
    const segment = join(rendersDir, 'key', 'segment-000.mp4')
    mkdirSync(join(rendersDir, 'key'))
    await writeStampedVideo({ path: segment, width: 64, height: 36, fps: 16, shot: 1, segment: 0, frames: 3 })
    expect((await createMediaHandlers(studio).thumbnail({ segment })).url).toMatch(/^media:\/thumbnails\/[0-9a-f]{32}\.jpg$/)
  })

  it('refuses a file outside the renders folder, naming both', async () => {
    await expect(createMediaHandlers(studio).thumbnail({ segment: '/etc/passwd' })).rejects.toThrow(`/etc/passwd is not a segment in the renders folder ${rendersDir}`)
    await expect(createMediaHandlers(studio).thumbnail({ segment: join(rendersDir, '..', 'x.mp4') })).rejects.toThrow(/is not a segment in the renders folder/)
  })
})
