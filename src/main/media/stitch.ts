import { mkdir, rename, rm } from 'node:fs/promises'
import { dirname } from 'node:path'
import { runFfmpeg, type FfmpegProgress } from './ffmpeg'

export type StitchSegment = {
  path: string
  /** Frames at the start that repeat the previous segment's tail (continuity overlap). */
  skipHeadFrames: number
  takeFrames: number
}

export type StitchOptions = {
  ffmpeg: string
  segments: StitchSegment[]
  output: string
  fps: number
  width?: number
  height?: number
  /** Container tags; `title`, `comment` and any custom key (kept through use_metadata_tags). */
  metadata?: Record<string, string>
  signal?: AbortSignal
  /** `percent` counts frames written out of the total to write. */
  onProgress?: (progress: FfmpegProgress) => void
}

function assertWholeNumber(value: number, what: string, minimum: number): void {
  if (!Number.isInteger(value) || value < minimum) {
    throw new RangeError(`${what} must be an integer >= ${minimum}, got ${value}`)
  }
}

function validate(options: Required<Pick<StitchOptions, 'segments' | 'fps' | 'width' | 'height'>>): void {
  if (options.segments.length === 0) throw new RangeError('stitchSegments needs at least one segment')
  options.segments.forEach((segment, index) => {
    assertWholeNumber(segment.skipHeadFrames, `segments[${index}].skipHeadFrames`, 0)
    assertWholeNumber(segment.takeFrames, `segments[${index}].takeFrames`, 1)
  })
  if (!(options.fps > 0) || !Number.isFinite(options.fps)) {
    throw new RangeError(`fps must be a positive number, got ${options.fps}`)
  }
  // yuv420p halves the chroma planes, so both dimensions must be even.
  for (const [name, value] of [['width', options.width], ['height', options.height]] as const) {
    assertWholeNumber(value, name, 2)
    if (value % 2 !== 0) throw new RangeError(`${name} must be even for yuv420p, got ${value}`)
  }
}

/**
 * The ffmpeg arguments for a stitch; exported so the exact command can be logged or inspected.
 * Each input is trimmed to its frame range, scaled to the exact output size, then concatenated;
 * timestamps are rebuilt from the frame index so every taken frame becomes exactly one output frame.
 */
export function buildStitchArgs(options: {
  segments: StitchSegment[]
  partialOutput: string
  fps: number
  width: number
  height: number
  metadata: Record<string, string>
}): string[] {
  const { segments, fps, width, height } = options
  const inputs = segments.flatMap((segment) => ['-i', segment.path])
  const perInput = segments.map((segment, index) => {
    const start = segment.skipHeadFrames
    const end = segment.skipHeadFrames + segment.takeFrames
    return (
      `[${index}:v:0]trim=start_frame=${start}:end_frame=${end},setpts=PTS-STARTPTS,` +
      `scale=${width}:${height}:out_color_matrix=bt709:out_range=tv,setsar=1[v${index}]`
    )
  })
  const concatInputs = segments.map((_, index) => `[v${index}]`).join('')
  const filterGraph = [
    ...perInput,
    `${concatInputs}concat=n=${segments.length}:v=1:a=0,setpts=N/(${fps}*TB),format=yuv420p[out]`
  ].join(';')

  const metadataArgs = Object.entries(options.metadata).flatMap(([key, value]) => {
    if (!/^[A-Za-z0-9_.-]+$/.test(key)) throw new RangeError(`invalid metadata key "${key}"`)
    return ['-metadata', `${key}=${value}`]
  })

  return [
    '-y',
    ...inputs,
    '-filter_complex', filterGraph,
    '-map', '[out]',
    // Tags of the intermediate segments (encoder names, creation times) are not the film's.
    '-map_metadata', '-1',
    '-map_chapters', '-1',
    '-c:v', 'libx264',
    '-preset', 'medium',
    '-crf', '18',
    '-pix_fmt', 'yuv420p',
    '-r', String(fps),
    '-fps_mode', 'cfr',
    '-g', String(Math.max(1, Math.round(fps))),
    '-colorspace', 'bt709',
    '-color_primaries', 'bt709',
    '-color_trc', 'bt709',
    '-color_range', 'tv',
    '-movflags', '+faststart+use_metadata_tags',
    ...metadataArgs,
    '-f', 'mp4',
    options.partialOutput
  ]
}

/**
 * Joins rendered segments into one editor-friendly H.264 file. Writes `<output>.partial` and renames
 * it into place only after ffmpeg succeeded and wrote exactly the expected number of frames.
 */
export async function stitchSegments(options: StitchOptions): Promise<{ frames: number }> {
  const { ffmpeg, segments, output, fps, signal } = options
  const width = options.width ?? 1280
  const height = options.height ?? 720
  validate({ segments, fps, width, height })

  const expectedFrames = segments.reduce((sum, segment) => sum + segment.takeFrames, 0)
  const partialOutput = `${output}.partial`
  const args = buildStitchArgs({ segments, partialOutput, fps, width, height, metadata: options.metadata ?? {} })

  await mkdir(dirname(output), { recursive: true })
  try {
    const { finalProgress } = await runFfmpeg({
      ffmpeg,
      args,
      signal,
      durationSeconds: expectedFrames / fps,
      onProgress: options.onProgress
        ? (progress) =>
            options.onProgress?.({
              ...progress,
              percent: progress.done ? 100 : Math.min(100, (progress.frame / expectedFrames) * 100)
            })
        : undefined
    })

    const writtenFrames = finalProgress?.done ? finalProgress.frame : null
    if (writtenFrames !== expectedFrames) {
      const ranges = segments
        .map((s) => `${s.path} [${s.skipHeadFrames}, ${s.skipHeadFrames + s.takeFrames})`)
        .join(', ')
      throw new Error(
        `stitched video has ${writtenFrames ?? 'an unknown number of'} frames, expected ${expectedFrames} ` +
          `(a segment is probably shorter than its frame range: ${ranges})`
      )
    }
    await rename(partialOutput, output)
    return { frames: writtenFrames }
  } catch (error) {
    await rm(partialOutput, { force: true })
    throw error
  }
}
