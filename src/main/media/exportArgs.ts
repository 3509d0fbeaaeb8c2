// The export's single ffmpeg command: one filter graph that trims, scales, converts the frame rate
// of each shot alone and joins the shots, then the chosen editor format with BT.709 tags.
import { frameDimensions, type ExportFormat, type FrameSize } from '../../shared/project'
import { CLIP_FPS } from '../../shared/render'
import type { Timeline, TimelineShot } from '../../shared/timeline'

export type ExportEncoding = {
  /** The codec and pixel format ffprobe reports for a correct export. */
  codecName: string
  pixFmt: string
  muxer: 'mp4' | 'mov'
}

export const EXPORT_ENCODINGS: Record<ExportFormat, ExportEncoding> = {
  h264: { codecName: 'h264', pixFmt: 'yuv420p', muxer: 'mp4' },
  prores: { codecName: 'prores', pixFmt: 'yuv422p10le', muxer: 'mov' },
  dnxhr: { codecName: 'dnxhd', pixFmt: 'yuv422p', muxer: 'mov' }
}

/** Encoder, colour tags, rate and muxer flags: everything after the filter graph but the output. */
export function encoderArgs(format: ExportFormat, fps: number): string[] {
  const codec = {
    // -g: a keyframe at least every second, so editors and players seek quickly.
    h264: ['-c:v', 'libx264', '-preset', 'medium', '-crf', '18', '-profile:v', 'high', '-g', String(fps)],
    prores: ['-c:v', 'prores_ks', '-profile:v', '3', '-vendor', 'apl0'],
    dnxhr: ['-c:v', 'dnxhd', '-profile:v', 'dnxhr_hq']
  }[format]
  const { pixFmt, muxer } = EXPORT_ENCODINGS[format]
  // faststart moves the index to the front so a .mp4 plays while it downloads; editors don't need it.
  const movflags = muxer === 'mp4' ? '+faststart+use_metadata_tags' : '+use_metadata_tags'
  return [
    ...codec,
    '-pix_fmt', pixFmt,
    '-colorspace', 'bt709',
    '-color_primaries', 'bt709',
    '-color_trc', 'bt709',
    '-color_range', 'tv',
    '-r', String(fps),
    '-fps_mode', 'cfr',
    '-movflags', movflags,
    '-f', muxer
  ]
}

/** Collects inputs and filter chains; labels are unique per graph. */
class GraphBuilder {
  readonly inputs: string[] = []
  readonly chains: string[] = []
  private count = 0

  label(prefix: string): string {
    return `[${prefix}${this.count++}]`
  }

  input(path: string): number {
    return this.inputs.push(path) - 1
  }

  chain(sources: string, filters: string): string {
    const output = this.label('v')
    this.chains.push(`${sources}${filters}${output}`)
    return output
  }
}

/**
 * One shot at the export fps: each source range trimmed and scaled to the project's frame size (a
 * draft upscaled with lanczos) in
 * BT.709 limited range (per range, so segments of different sizes still concatenate), timestamps
 * rebuilt from the frame index at the shot's own rate, then frames repeated up to the export fps
 * (see FPS_CONVERSION_METHOD) and cut to exactly exportFrames.
 */
function shotStream(graph: GraphBuilder, shot: TimelineShot, fps: number, size: { width: number; height: number }, pixFmt: string, upscale: boolean): string {
  // A draft grows by about 1.5x: lanczos keeps its edges sharper than the default bicubic.
  const flags = upscale ? ':flags=lanczos' : ''
  const pieces = shot.sources.map((source) =>
    graph.chain(
      `[${graph.input(source.path)}:v:0]`,
      `trim=start_frame=${source.startFrame}:end_frame=${source.endFrame},setpts=PTS-STARTPTS,` +
        `scale=${size.width}:${size.height}${flags}:out_color_matrix=bt709:out_range=tv,format=${pixFmt},setsar=1`
    )
  )
  const joined = `concat=n=${pieces.length}:v=1:a=0`
  if (shot.sourceFps === CLIP_FPS) {
    const toExportFps = fps === CLIP_FPS ? '' : `,fps=fps=${fps}:round=up,trim=end_frame=${shot.exportFrames}`
    return graph.chain(pieces.join(''), `${joined},settb=1/${CLIP_FPS},setpts=N${toExportFps}`)
  }
  // Another rate: frame N starts at (16 N - lead) / (16 x rate) s after the trimmed start; the fps
  // filter shows the frame on screen at each export instant from 0, and the last frame is held if
  // rounding left the source a frame short.
  const ticks = CLIP_FPS * shot.sourceFps
  return graph.chain(
    pieces.join(''),
    `${joined},settb=1/${ticks},setpts=${CLIP_FPS}*N-${shot.sourceLeadTicks},fps=fps=${fps}:start_time=0:round=up,` +
      `tpad=stop_mode=clone:stop=1,trim=end_frame=${shot.exportFrames}`
  )
}

/** Splits a shot's stream into [head, body, tail] frame ranges; empty parts are left out (null). */
function splitShot(graph: GraphBuilder, stream: string, ranges: Array<[number, number]>): Array<string | null> {
  const kept = ranges.filter(([start, end]) => end > start)
  if (kept.length === 1) return ranges.map(([start, end]) => (end > start ? stream : null))
  const branches = kept.map(() => graph.label('split'))
  graph.chains.push(`${stream}split=${kept.length}${branches.join('')}`)
  let branch = 0
  return ranges.map(([start, end]) =>
    end > start ? graph.chain(branches[branch++] ?? '', `trim=start_frame=${start}:end_frame=${end},setpts=PTS-STARTPTS`) : null
  )
}

/** overlay's working format and the alpha-carrying input format for each export pixel format. */
const OVERLAY_FORMATS: Record<string, { overlay: string; withAlpha: string }> = {
  yuv420p: { overlay: 'yuv420', withAlpha: 'yuva420p' },
  yuv422p: { overlay: 'yuv422', withAlpha: 'yuva422p' },
  yuv422p10le: { overlay: 'yuv422p10', withAlpha: 'yuva422p10le' }
}

/**
 * Blends N' outgoing frames with N' incoming ones, incoming frame i weighing (i + 1) / (N' + 1):
 * the incoming frames get an alpha plane faded in by time (fade over N' + 1 frames, the frames
 * shifted one frame late so the first weighs 1 / (N' + 1)) and are overlaid on the outgoing ones.
 * Both are plain C loops; blend's all_expr evaluates an expression per pixel and cost seconds, and
 * xfade ends its transition early when its first input's end is signalled with frames still queued.
 */
function crossfade(graph: GraphBuilder, outgoing: string, incoming: string, frames: number, fps: number, pixFmt: string): string {
  const formats = OVERLAY_FORMATS[pixFmt]
  if (!formats) throw new Error(`no crossfade for pixel format ${pixFmt}`)
  const seconds = ((frames + 1) / fps).toFixed(6)
  const fadingIn = graph.chain(incoming, `format=${formats.withAlpha},setpts=PTS+1,fade=t=in:st=0:d=${seconds}:alpha=1,setpts=PTS-STARTPTS`)
  return graph.chain(`${outgoing}${fadingIn}`, `overlay=format=${formats.overlay}:shortest=1,format=${pixFmt}`)
}

function crossfadeFrames(join: TimelineShot['join'] | undefined): number {
  return join?.kind === 'crossfade' ? join.exportFrames : 0
}

/**
 * The whole film as one filter graph whose output is labelled [out]. Cuts (and continues) are plain
 * concatenation; a crossfade of N' export frames blends the outgoing shot's last N' frames with the
 * incoming shot's first N' (see CROSSFADE_METHOD), so each crossfade shortens the film by N'.
 */
export function buildExportGraph(timeline: Timeline, frameSize: FrameSize, pixFmt: string, upscaled: ReadonlySet<string> = new Set()): { inputs: string[]; graph: string } {
  const graph = new GraphBuilder()
  const size = frameDimensions(frameSize)
  const sequence: string[] = []
  let outgoingTail: string | null = null
  timeline.shots.forEach((shot, index) => {
    const head = crossfadeFrames(shot.join)
    const tail = crossfadeFrames(timeline.shots[index + 1]?.join)
    const stream = shotStream(graph, shot, timeline.fps, size, pixFmt, upscaled.has(shot.id))
    const [headPart, body, tailPart] = splitShot(graph, stream, [
      [0, head],
      [head, shot.exportFrames - tail],
      [shot.exportFrames - tail, shot.exportFrames]
    ])
    if (headPart && outgoingTail) sequence.push(crossfade(graph, outgoingTail, headPart, head, timeline.fps, pixFmt))
    if (body) sequence.push(body)
    outgoingTail = tailPart ?? null
  })
  // Tagged on the frames too: prores_ks writes its colour header from the frames, not the options.
  const bt709 = 'setparams=range=tv:color_primaries=bt709:color_trc=bt709:colorspace=bt709'
  graph.chains.push(`${sequence.join('')}concat=n=${sequence.length}:v=1:a=0,settb=1/${timeline.fps},setpts=N,${bt709}[out]`)
  return { inputs: graph.inputs, graph: graph.chains.join(';') }
}

/**
 * The ffmpeg arguments of an export. The ffmetadata document (tags and chapters) comes on stdin,
 * the last input; nothing is taken from the segment files' own tags.
 */
export function buildExportArgs(options: {
  timeline: Timeline
  frameSize: FrameSize
  format: ExportFormat
  partialOutput: string
  /** Ids of draft shots, scaled up to the frame size with lanczos. */
  upscaled?: ReadonlySet<string>
}): string[] {
  const { timeline, format } = options
  const { inputs, graph } = buildExportGraph(timeline, options.frameSize, EXPORT_ENCODINGS[format].pixFmt, options.upscaled)
  const metadataInput = String(inputs.length)
  return [
    // The exclusively created temp file is ours to overwrite.
    '-y',
    ...inputs.flatMap((path) => ['-i', path]),
    '-f', 'ffmetadata', '-i', 'pipe:0',
    '-filter_complex', graph,
    '-map', '[out]',
    '-map_metadata', metadataInput,
    '-map_chapters', metadataInput,
    ...encoderArgs(format, timeline.fps),
    options.partialOutput
  ]
}
