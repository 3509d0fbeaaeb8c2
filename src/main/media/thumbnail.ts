// A shot's thumbnail: the first frame of its first rendered segment as a small JPEG, made once by
// ffmpeg and cached beside the renders under a name derived from the segment's path, size and time,
// so a segment rendered again gets a new thumbnail and the old one is never served for it.
import { createHash } from 'node:crypto'
import { mkdir, rename, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { runFfmpeg } from './ffmpeg'

/** Width of a thumbnail in pixels; the height keeps the segment's aspect ratio. */
export const THUMBNAIL_WIDTH = 160

const inFlight = new Map<string, Promise<string>>()

/** The cached thumbnail's path for `segment` in `cacheDir`, made first when it is missing. */
export async function segmentThumbnail(ffmpeg: string, segment: string, cacheDir: string): Promise<string> {
  const info = await stat(segment).catch((error: unknown) => {
    throw new Error(`no thumbnail for ${segment}: ${(error as Error).message}`, { cause: error })
  })
  const key = createHash('sha256').update(`${segment}\n${info.size}\n${info.mtimeMs}`).digest('hex').slice(0, 32)
  const target = join(cacheDir, `${key}.jpg`)
  if (await stat(target).then(() => true, () => false)) return target
  const pending = inFlight.get(target) ?? make(ffmpeg, segment, target)
  inFlight.set(target, pending)
  try {
    return await pending
  } finally {
    inFlight.delete(target)
  }
}

async function make(ffmpeg: string, segment: string, target: string): Promise<string> {
  await mkdir(join(target, '..'), { recursive: true })
  // Written under a temporary name and renamed: a reader never sees half a JPEG.
  const temp = `${target}.${process.pid}.tmp.jpg`
  try {
    await runFfmpeg({ ffmpeg, args: ['-y', '-i', segment, '-frames:v', '1', '-vf', `scale=${THUMBNAIL_WIDTH}:-2`, '-q:v', '5', '-f', 'image2', temp] })
    await rename(temp, target)
    return target
  } catch (error) {
    await rm(temp, { force: true })
    throw new Error(`no thumbnail for ${segment}: ${(error as Error).message}`, { cause: error })
  }
}
