import { execFile, type ExecFileOptions } from 'node:child_process'
import { promisify } from 'node:util'
import { guardChild } from './childGuard'
import { runFfmpeg } from './ffmpeg'
import { findFfprobe } from './ffmpegPath'

const execFileAsync = promisify(execFile)

/** execFile whose child dies with this process (see childGuard). */
async function guardedExecFile(command: string, args: string[], options: ExecFileOptions): Promise<{ stdout: string }> {
  const running = execFileAsync(command, args, { ...options, encoding: 'utf8' })
  const releaseGuard = guardChild(running.child)
  try {
    return await running
  } finally {
    releaseGuard()
  }
}

export type VideoProbe = {
  width: number
  height: number
  fps: number
  /** Counted by reading every packet of the first video stream, not the container's claim. */
  frames: number
  codec: string
  pixFmt: string
  /** null where the stream does not say (ffmpeg's "unknown"/"unspecified"). */
  colorSpace: string | null
  colorPrimaries: string | null
  colorTransfer: string | null
  colorRange: string | null
  durationSeconds: number
  /** Container-level tags (title, comment, custom keys). */
  tags: Record<string, string>
  via: 'ffprobe' | 'ffmpeg'
}

export type ProbeOptions = {
  ffmpeg: string
  /** An ffprobe binary; undefined looks next to ffmpeg and on PATH; null forces the ffmpeg fallback. */
  ffprobe?: string | null
  path: string
  signal?: AbortSignal
}

/**
 * Describes a file's first video stream. Uses ffprobe's JSON when an ffprobe exists; ffmpeg-static
 * ships none, so otherwise it falls back to ffmpeg itself (see probeWithFfmpeg).
 */
export async function probeVideo(options: ProbeOptions): Promise<VideoProbe> {
  const ffprobe = options.ffprobe === undefined ? findFfprobe(options.ffmpeg) : options.ffprobe
  return ffprobe ? probeWithFfprobe(ffprobe, options.path, options.signal) : probeWithFfmpeg(options)
}

type FfprobeStream = {
  codec_type?: string
  codec_name?: string
  width?: number
  height?: number
  pix_fmt?: string
  color_space?: string
  color_primaries?: string
  color_transfer?: string
  color_range?: string
  avg_frame_rate?: string
  r_frame_rate?: string
  nb_frames?: string
  nb_read_packets?: string
  duration?: string
}

type FfprobeOutput = {
  streams?: FfprobeStream[]
  format?: { duration?: string; tags?: Record<string, string> }
}

function parseRate(rate: string | undefined): number | null {
  if (!rate) return null
  const [numerator, denominator = '1'] = rate.split('/')
  const value = Number(numerator) / Number(denominator)
  return Number.isFinite(value) && value > 0 ? value : null
}

function knownColor(value: string | undefined): string | null {
  return value && value !== 'unknown' && value !== 'unspecified' ? value : null
}

async function probeWithFfprobe(ffprobe: string, path: string, signal?: AbortSignal): Promise<VideoProbe> {
  const { stdout } = await guardedExecFile(
    ffprobe,
    ['-v', 'error', '-of', 'json', '-show_streams', '-show_format', '-count_packets', '-select_streams', 'v:0', path],
    { signal, maxBuffer: 16 * 1024 * 1024, windowsHide: true }
  )
  const parsed = JSON.parse(stdout) as FfprobeOutput
  const stream = parsed.streams?.find((candidate) => candidate.codec_type === 'video')
  if (!stream) throw new Error(`${path} has no video stream`)
  const fps = parseRate(stream.avg_frame_rate) ?? parseRate(stream.r_frame_rate) ?? 0
  return {
    width: stream.width ?? 0,
    height: stream.height ?? 0,
    fps,
    frames: Number(stream.nb_read_packets ?? stream.nb_frames ?? 0),
    codec: stream.codec_name ?? 'unknown',
    pixFmt: stream.pix_fmt ?? 'unknown',
    colorSpace: knownColor(stream.color_space),
    colorPrimaries: knownColor(stream.color_primaries),
    colorTransfer: knownColor(stream.color_transfer),
    colorRange: knownColor(stream.color_range),
    durationSeconds: Number(parsed.format?.duration ?? stream.duration ?? 0),
    tags: parsed.format?.tags ?? {},
    via: 'ffprobe'
  }
}

/** Splits on ", " outside parentheses and brackets, as ffmpeg nests details in its stream line. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = []
  let depth = 0
  let start = 0
  for (let index = 0; index < text.length; index++) {
    const char = text[index]
    if (char === '(' || char === '[') depth++
    else if (char === ')' || char === ']') depth--
    else if (char === ',' && depth === 0 && text[index + 1] === ' ') {
      parts.push(text.slice(start, index))
      start = index + 2
    }
  }
  parts.push(text.slice(start))
  return parts
}

const COLOR_RANGES = new Set(['tv', 'pc'])
const FIELD_ORDERS = new Set(['progressive', 'top first', 'bottom first', 'top coded first (swapped)', 'bottom coded first (swapped)'])

/**
 * Parses "yuv420p(tv, bt709, progressive)": ffmpeg prints the range, then the colour space, primaries
 * and transfer as one name when all three agree or as "space/primaries/transfer" when not.
 */
function parsePixelFormat(text: string): Pick<VideoProbe, 'pixFmt' | 'colorSpace' | 'colorPrimaries' | 'colorTransfer' | 'colorRange'> {
  const match = /^(\w+)(?:\((.*)\))?$/.exec(text.trim())
  const result = {
    pixFmt: match?.[1] ?? 'unknown',
    colorSpace: null as string | null,
    colorPrimaries: null as string | null,
    colorTransfer: null as string | null,
    colorRange: null as string | null
  }
  for (const detail of (match?.[2] ?? '').split(', ').filter(Boolean)) {
    if (COLOR_RANGES.has(detail)) result.colorRange = detail
    else if (FIELD_ORDERS.has(detail)) continue
    else {
      const [space, primaries = space, transfer = space] = detail.split('/')
      result.colorSpace = knownColor(space)
      result.colorPrimaries = knownColor(primaries)
      result.colorTransfer = knownColor(transfer)
    }
  }
  return result
}

/**
 * Fallback without ffprobe: `ffmpeg -i FILE -map 0:v:0 -c copy -f null -` copies every packet of
 * the first video stream to nowhere. Its final progress block counts the frames; the input dump on
 * stderr gives the container tags, the duration and the stream line (codec, pixel format, colour,
 * size, fps). The frame rate is then only as precise as ffmpeg prints it (e.g. "23.98 fps").
 */
async function probeWithFfmpeg(options: ProbeOptions): Promise<VideoProbe> {
  const tags: Record<string, string> = {}
  let lastTagKey: string | null = null
  let inInputHeader = false
  let inInputMetadata = false
  let durationSeconds = 0
  // Declared this way because TypeScript cannot see the callback assign it.
  let streamLine = null as string | null

  const onStderrLine = (line: string): void => {
    if (line.startsWith('Input #0')) {
      inInputHeader = true
      return
    }
    if (line.startsWith('Output #') || line.startsWith('Stream mapping')) inInputHeader = false
    if (!inInputHeader) return

    const duration = /^ {2}Duration: (\d+):(\d+):(\d+(?:\.\d+)?)/.exec(line)
    if (duration) {
      durationSeconds = Number(duration[1]) * 3600 + Number(duration[2]) * 60 + Number(duration[3])
      inInputMetadata = false
      return
    }
    if (line === '  Metadata:') {
      inInputMetadata = true
      return
    }
    if (inInputMetadata) {
      const continuation = /^ {4}\s+: (.*)$/.exec(line)
      const tag = /^ {4}(\S.*?)\s*: (.*)$/.exec(line)
      if (continuation?.[1] !== undefined && lastTagKey !== null) tags[lastTagKey] += `\n${continuation[1]}`
      else if (tag?.[1] !== undefined && tag[2] !== undefined) {
        lastTagKey = tag[1]
        tags[lastTagKey] = tag[2]
      }
      return
    }
    if (streamLine === null && /^ {2}Stream #0:\d+.*: Video: /.test(line)) streamLine = line
  }

  const { finalProgress } = await runFfmpeg({
    ffmpeg: options.ffmpeg,
    signal: options.signal,
    onStderrLine,
    args: ['-i', options.path, '-map', '0:v:0', '-c', 'copy', '-f', 'null', '-']
  })
  if (streamLine === null) throw new Error(`${options.path} has no video stream`)

  const [codecDescription = '', pixelFormat = '', ...rest] = splitTopLevel(streamLine.split(': Video: ')[1] ?? '')
  const size = rest.map((part) => /^(\d+)x(\d+)/.exec(part)).find((match) => match !== null)
  const rate = rest.map((part) => /^(\d+(?:\.\d+)?)(k?) (?:fps|tbr)$/.exec(part)).find((match) => match !== null)
  return {
    width: Number(size?.[1] ?? 0),
    height: Number(size?.[2] ?? 0),
    fps: rate ? Number(rate[1]) * (rate[2] ? 1000 : 1) : 0,
    frames: finalProgress?.frame ?? 0,
    codec: codecDescription.split(' ')[0] || 'unknown',
    ...parsePixelFormat(pixelFormat),
    durationSeconds,
    tags,
    via: 'ffmpeg'
  }
}
