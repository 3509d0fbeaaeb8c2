import { runFfmpeg } from './ffmpeg'

/**
 * Synthetic frames carry a machine-readable stamp in their top 16 pixel rows: 48 blocks, each
 * 10 px wide and 16 px tall, starting at x=0; white is 1, black is 0, most significant bit first.
 * Bits 0–15 hold the shot, 16–31 the segment, 32–47 the frame within the segment.
 */
export const STAMP_BLOCK_WIDTH = 10
export const STAMP_HEIGHT = 16
export const STAMP_BITS = 48
export const STAMP_WIDTH = STAMP_BLOCK_WIDTH * STAMP_BITS

export type Stamp = { shot: number; segment: number; frame: number }

/** The 48 bits of a stamp, MSB first, as the renderer draws them. */
export function stampBits(stamp: Stamp): boolean[] {
  const bits: boolean[] = []
  for (const value of [stamp.shot, stamp.segment, stamp.frame]) {
    if (!Number.isInteger(value) || value < 0 || value > 0xffff) {
      throw new RangeError(`stamp fields must be 16-bit unsigned integers, got ${value}`)
    }
    for (let bit = 15; bit >= 0; bit--) bits.push(((value >> bit) & 1) === 1)
  }
  return bits
}

// Averaging a small patch at each block's centre tolerates compression noise and the slight
// vertical stretch of a scaled frame (704 -> 720 rows) better than a single pixel.
const PATCH_HALF = 2
const THRESHOLD = 128

/** Reads one stamp from a gray STAMP_WIDTH x STAMP_HEIGHT image starting at `offset`. */
function readStamp(gray: Buffer, offset: number): Stamp {
  const fields: [number, number, number] = [0, 0, 0]
  const centreY = STAMP_HEIGHT / 2
  for (let bit = 0; bit < STAMP_BITS; bit++) {
    const centreX = bit * STAMP_BLOCK_WIDTH + STAMP_BLOCK_WIDTH / 2
    let sum = 0
    let count = 0
    for (let y = centreY - PATCH_HALF; y < centreY + PATCH_HALF; y++) {
      for (let x = centreX - PATCH_HALF; x < centreX + PATCH_HALF; x++) {
        sum += gray.readUInt8(offset + y * STAMP_WIDTH + x)
        count++
      }
    }
    const field = Math.floor(bit / 16) as 0 | 1 | 2
    fields[field] = (fields[field] << 1) | (sum / count >= THRESHOLD ? 1 : 0)
  }
  return { shot: fields[0], segment: fields[1], frame: fields[2] }
}

/**
 * Decodes the stamp of every frame of a video. ffmpeg crops each frame to the stamp strip and
 * pipes it out as 8-bit gray, so memory stays at one strip whatever the video's length.
 */
export async function decodeStamps(options: { ffmpeg: string; path: string; signal?: AbortSignal }): Promise<Stamp[]> {
  const frameBytes = STAMP_WIDTH * STAMP_HEIGHT
  const stamps: Stamp[] = []
  const partial = Buffer.alloc(frameBytes)
  let partialLength = 0

  const onStdout = (chunk: Buffer): void => {
    let position = 0
    if (partialLength > 0) {
      const needed = Math.min(frameBytes - partialLength, chunk.length)
      chunk.copy(partial, partialLength, 0, needed)
      partialLength += needed
      position = needed
      if (partialLength < frameBytes) return
      stamps.push(readStamp(partial, 0))
      partialLength = 0
    }
    while (chunk.length - position >= frameBytes) {
      stamps.push(readStamp(chunk, position))
      position += frameBytes
    }
    partialLength = chunk.copy(partial, 0, position)
  }

  await runFfmpeg({
    ffmpeg: options.ffmpeg,
    signal: options.signal,
    onStdout,
    args: [
      '-i', options.path,
      '-map', '0:v:0',
      '-vf', `crop=${STAMP_WIDTH}:${STAMP_HEIGHT}:0:0`,
      // Passthrough: one strip per decoded frame, never a duplicated or dropped one.
      '-fps_mode', 'passthrough',
      '-f', 'rawvideo',
      '-pix_fmt', 'gray',
      'pipe:1'
    ]
  })
  if (partialLength !== 0) {
    throw new Error(`ffmpeg output ended mid-frame (${partialLength} of ${frameBytes} bytes)`)
  }
  return stamps
}

export type ExpectedStampSequence = {
  shot: number
  segments: Array<{ segment: number; firstFrame: number; frames: number }>
}

export type StampSequenceCheck = { ok: true } | { ok: false; problems: string[] }

const MAX_PROBLEMS = 50

function stampKey(stamp: Stamp): string {
  return `${stamp.shot}/${stamp.segment}/${stamp.frame}`
}

function sameStamp(a: Stamp, b: Stamp): boolean {
  return a.shot === b.shot && a.segment === b.segment && a.frame === b.frame
}

/** Describes a run of stamps compactly, e.g. "segment 1 frames 5–7, segment 2 frame 0". */
function describeRun(run: Stamp[], shot: number): string {
  const groups: Array<{ first: Stamp; last: Stamp }> = []
  for (const stamp of run) {
    const group = groups.at(-1)
    const continues =
      group !== undefined &&
      stamp.shot === group.last.shot &&
      stamp.segment === group.last.segment &&
      stamp.frame === group.last.frame + 1
    if (continues) group.last = stamp
    else groups.push({ first: stamp, last: stamp })
  }
  return groups
    .map(({ first, last }) => {
      const prefix = `${first.shot === shot ? '' : `shot ${first.shot} `}segment ${first.segment}`
      return first === last ? `${prefix} frame ${first.frame}` : `${prefix} frames ${first.frame}–${last.frame}`
    })
    .join(', ')
}

/**
 * Checks decoded stamps against the frames an export should contain: every segment, in order, no
 * frame lost, doubled or foreign. Frame numbers in problems are 0-based positions in the video.
 */
export function verifyStampSequence(stamps: Stamp[], expected: ExpectedStampSequence): StampSequenceCheck {
  const wanted: Stamp[] = expected.segments.flatMap(({ segment, firstFrame, frames }) =>
    Array.from({ length: frames }, (_, offset) => ({ shot: expected.shot, segment, frame: firstFrame + offset }))
  )
  const wantedIndex = new Map(wanted.map((stamp, index) => [stampKey(stamp), index]))
  const describe = (stamp: Stamp): string => describeRun([stamp], expected.shot)
  const problems: string[] = []

  let got = 0
  let want = 0
  for (;;) {
    const actual = stamps[got]
    const expectedStamp = wanted[want]
    if (actual === undefined || expectedStamp === undefined) break
    if (sameStamp(actual, expectedStamp)) {
      got++
      want++
      continue
    }
    const previous = stamps[got - 1]
    if (previous !== undefined && sameStamp(actual, previous)) {
      problems.push(`frame ${got}: ${describe(actual)} doubled (expected ${describe(expectedStamp)})`)
      got++
      continue
    }
    const later = wantedIndex.get(stampKey(actual))
    if (later !== undefined && later > want) {
      const lost = wanted.slice(want, later)
      problems.push(
        `frame ${got}: expected ${describe(expectedStamp)}, got ${describe(actual)} ` +
          `(${lost.length} frame${lost.length === 1 ? '' : 's'} lost: ${describeRun(lost, expected.shot)})`
      )
      want = later + 1
      got++
      continue
    }
    problems.push(`frame ${got}: expected ${describe(expectedStamp)}, got ${describe(actual)}`)
    got++
    want++
  }
  if (want < wanted.length) {
    problems.push(
      `video ends after ${stamps.length} frames; missing ${wanted.length - want} expected frame(s): ` +
        describeRun(wanted.slice(want), expected.shot)
    )
  }
  if (got < stamps.length) {
    problems.push(
      `${stamps.length - got} unexpected frame(s) after the expected ${wanted.length}: ` +
        describeRun(stamps.slice(got), expected.shot)
    )
  }

  if (problems.length === 0) return { ok: true }
  if (problems.length > MAX_PROBLEMS) {
    const hidden = problems.length - MAX_PROBLEMS
    return { ok: false, problems: [...problems.slice(0, MAX_PROBLEMS), `… and ${hidden} more`] }
  }
  return { ok: false, problems }
}
