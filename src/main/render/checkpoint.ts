// A finished segment is a checkpoint only when the file is what the engine said it wrote, and it
// stays one only while its bytes are unchanged.
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { probeVideo } from '../media/probe'
import { SegmentVerificationError } from './errors'

export interface CheckpointRecord {
  file: string
  frames: number
  bytes: number
  sha256: string
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/** Decodes the file's packets and checks the frame count and size; throws SegmentVerificationError. */
export async function verifySegmentFile(options: {
  ffmpeg: string
  path: string
  frames: number
  width: number
  height: number
  signal?: AbortSignal
}): Promise<void> {
  const { path, frames, width, height } = options
  let probe
  try {
    probe = await probeVideo({ ffmpeg: options.ffmpeg, path, signal: options.signal })
  } catch (error) {
    options.signal?.throwIfAborted()
    throw new SegmentVerificationError(`segment ${path} can't be read as video: ${(error as Error).message}`)
  }
  if (probe.frames !== frames) throw new SegmentVerificationError(`segment ${path} has ${probe.frames} frames, expected ${frames}`)
  if (probe.width !== width || probe.height !== height) {
    throw new SegmentVerificationError(`segment ${path} is ${probe.width}x${probe.height}, expected ${width}x${height}`)
  }
}

/** Why a recorded checkpoint can no longer be trusted, or null when its size and hash still match. */
export async function checkpointProblem(path: string, record: CheckpointRecord): Promise<string | null> {
  let bytes: number
  try {
    bytes = (await stat(path)).size
  } catch {
    return 'its file is missing'
  }
  if (bytes !== record.bytes) return `its size changed (${bytes} bytes, recorded ${record.bytes})`
  if ((await sha256File(path)) !== record.sha256) return 'its content changed (hash mismatch)'
  return null
}
