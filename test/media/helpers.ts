import { mkdtempSync, rmSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterAll } from 'vitest'
import { runFfmpeg } from '../../src/main/media/ffmpeg'
import { resolveFfmpeg } from '../../src/main/media/ffmpegPath'
import { STAMP_BITS, STAMP_BLOCK_WIDTH, STAMP_HEIGHT, STAMP_WIDTH, stampBits, type Stamp } from '../../src/main/media/stamps'

/** The same lookup the app uses: FFMPEG_BIN, ffmpeg-static's binary, then PATH. */
export const ffmpeg = resolveFfmpeg().path

/** A temporary folder removed after the test file. */
export function useTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `wan-media-${prefix}-`))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** One RGB frame: a changing background (so the encoder sees motion) under the stamp strip. */
export function stampedFrame(width: number, height: number, stamp: Stamp, index: number): Buffer {
  const frame = Buffer.alloc(width * height * 3)
  const shade = 70 + ((index * 13) % 50)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const offset = (y * width + x) * 3
      frame[offset] = shade
      frame[offset + 1] = (x + index * 4) % 120
      frame[offset + 2] = (y * 2) % 120
    }
  }
  stampBits(stamp).forEach((bit, block) => {
    const value = bit ? 255 : 0
    for (let y = 0; y < STAMP_HEIGHT; y++) {
      const rowStart = (y * width + block * STAMP_BLOCK_WIDTH) * 3
      frame.fill(value, rowStart, rowStart + STAMP_BLOCK_WIDTH * 3)
    }
  })
  return frame
}

/**
 * Writes an H.264 mp4 like a sidecar segment: `frames` frames stamped with `shot`, `segment` and
 * frame numbers from `firstFrame`. Frames are generated lazily so large sizes stay cheap in memory.
 */
export async function writeStampedVideo(options: {
  path: string
  width: number
  height: number
  fps: number
  shot: number
  segment: number
  frames: number
  firstFrame?: number
}): Promise<void> {
  const { width, height, shot, segment, frames } = options
  const firstFrame = options.firstFrame ?? 0
  function* generate(): Generator<Buffer> {
    for (let index = 0; index < frames; index++) {
      yield stampedFrame(width, height, { shot, segment, frame: firstFrame + index }, index)
    }
  }
  await runFfmpeg({
    ffmpeg,
    stdin: Readable.from(generate()),
    args: [
      '-y',
      '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${width}x${height}`, '-r', String(options.fps), '-i', '-',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '10', '-pix_fmt', 'yuv420p',
      options.path
    ]
  })
}

/** The top-level MP4 boxes in file order, e.g. ['ftyp', 'moov', 'mdat']. */
export async function topLevelAtoms(path: string): Promise<string[]> {
  const file = await open(path, 'r')
  try {
    const { size: fileSize } = await file.stat()
    const atoms: string[] = []
    const header = Buffer.alloc(16)
    let position = 0
    while (position + 8 <= fileSize) {
      await file.read(header, 0, 16, position)
      let size = header.readUInt32BE(0)
      atoms.push(header.toString('latin1', 4, 8))
      if (size === 1) size = Number(header.readBigUInt64BE(8))
      else if (size === 0) size = fileSize - position
      if (size < 8) throw new Error(`corrupt box at ${position}`)
      position += size
    }
    return atoms
  } finally {
    await file.close()
  }
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Per frame, the mean gray level (0–255) at the centre of each of the 48 stamp blocks, as
 * decodeStamps samples them: for checking blends, where a block is neither white nor black.
 */
export async function decodeStampLevels(path: string): Promise<number[][]> {
  const frameBytes = STAMP_WIDTH * STAMP_HEIGHT
  const chunks: Buffer[] = []
  await runFfmpeg({
    ffmpeg,
    onStdout: (chunk) => chunks.push(chunk),
    args: ['-i', path, '-map', '0:v:0', '-vf', `crop=${STAMP_WIDTH}:${STAMP_HEIGHT}:0:0`, '-fps_mode', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1']
  })
  const strips = Buffer.concat(chunks)
  const levels: number[][] = []
  for (let offset = 0; offset + frameBytes <= strips.length; offset += frameBytes) {
    levels.push(
      Array.from({ length: STAMP_BITS }, (_, bit) => {
        let sum = 0
        for (let y = STAMP_HEIGHT / 2 - 2; y < STAMP_HEIGHT / 2 + 2; y++) {
          for (let x = bit * STAMP_BLOCK_WIDTH + 3; x < bit * STAMP_BLOCK_WIDTH + 7; x++) sum += strips.readUInt8(offset + y * STAMP_WIDTH + x)
        }
        return sum / 16
      })
    )
  }
  return levels
}
