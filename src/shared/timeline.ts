// Frame accounting of an export: which source frames each shot keeps, how many frames it has at
// the export's frame rate, where the joins blend and where each shot sits in the exported film.
// Pure: the export's filter graph, its verification and the UI's timeline all read this.
import type { ExportFps, Join, Shot, ShotRender } from './project'
import { CLIP_FPS } from './render'

/**
 * How a shot at the timeline's 16 fps becomes 24 or 30 fps: each shot alone, by repeating frames.
 * Export frame n shows timeline frame floor(n * 16 / fps), the frame on screen at that instant
 * (ffmpeg's `fps` filter with round=up); no frame is blended or invented, none is dropped.
 * A shot rendered at another rate (TI2V-5B's 24 fps) is placed by time the same way: its trim,
 * in 16 fps frames, is a span of seconds, and each export frame shows the rendered frame on screen
 * at that instant, so a 24 fps render exported at 16 fps drops frames, at 24 fps shows each once.
 */
export const FPS_CONVERSION_METHOD =
  'per shot by time (each export frame shows the rendered frame on screen at that instant, ffmpeg fps filter with round=up; no blending): 16 fps renders are repeated, 24 fps renders shown at 24 fps, repeated at 30, thinned at 16'

/** How a crossfade of N timeline frames is drawn: N' = round(N * fps / 16) blended frames. */
export const CROSSFADE_METHOD =
  "N' = round(N * fps / 16) blended frames; blended frame i weighs the incoming shot (i + 1) / (N' + 1)"

/** A run of frames [startFrame, endFrame) within one segment file, counted from the file's first frame. */
export type SourceRange = { path: string; startFrame: number; endFrame: number }

export type TimelineJoin =
  | { kind: 'cut' | 'continue' }
  | { kind: 'crossfade'; timelineFrames: number; exportFrames: number }

export type TimelineShot = {
  index: number
  id: string
  /** The shot's rendered frames in order: overlaps dropped (skipHeadFrames), then trimmed. */
  sources: SourceRange[]
  /** The rate the shot was rendered at; `sources` are frames at this rate. */
  sourceFps: number
  /**
   * How long before the trimmed start the first source frame begins, in ticks of 1 / (16 x
   * sourceFps) s: a trim in 16 fps frames can start inside a 24 fps frame. 0 at 16 fps.
   */
  sourceLeadTicks: number
  /** Frames at the timeline's 16 fps. */
  timelineFrames: number
  /** Frames at the export fps before any crossfade overlaps them. */
  exportFrames: number
  /** The join with the shot before (the first shot's is a cut). */
  join: TimelineJoin
  /** First export frame showing this shot (the start of its incoming crossfade, if any). */
  startFrame: number
  /** One past the last export frame showing this shot (the end of its outgoing crossfade). */
  endFrame: number
  startSeconds: number
  endSeconds: number
}

export type Timeline = {
  fps: ExportFps
  shots: TimelineShot[]
  /** Export frames: every shot's frames less the blended frames of each crossfade. */
  frames: number
  durationSeconds: number
}

/**
 * Export frames of F timeline frames: M = round(F * fps / 16), halves rounding up. Frame repetition
 * of a shot ends with its last frame shown for its full 16 fps duration give or take half an export
 * frame; rounding per shot keeps every shot's length independent of the shots before it.
 */
export function exportFrameCount(timelineFrames: number, fps: ExportFps): number {
  return framesAtRate(timelineFrames, fps)
}

/** Frames lasting as long as `timelineFrames` at 16 fps, at `fps` (a render's or an export's rate), halves rounding up. */
export function framesAtRate(timelineFrames: number, fps: number): number {
  return Math.round((timelineFrames * fps) / CLIP_FPS)
}

/** The timeline frame (within a shot) that export frame n of that shot shows. */
export function timelineFrameAt(exportFrame: number, fps: ExportFps): number {
  return Math.floor((exportFrame * CLIP_FPS) / fps)
}

/** The render's length in timeline (16 fps) frames. */
export function renderTimelineFrames(render: Pick<ShotRender, 'frames' | 'fps'>): number {
  return Math.round((render.frames * CLIP_FPS) / render.fps)
}

/**
 * The rendered frame (of a render at `sourceFps`) on screen at timeline frame `timelineFrame` plus
 * export frame `exportFrame` at `fps`: floor(seconds x sourceFps), in whole numbers.
 */
export function sourceFrameAt(timelineFrame: number, exportFrame: number, fps: number, sourceFps: number): number {
  return Math.floor((timelineFrame * sourceFps * fps + exportFrame * sourceFps * CLIP_FPS) / (CLIP_FPS * fps))
}

function shotName(shot: Shot, index: number): string {
  return `shot ${index + 1} (id "${shot.id}")`
}

/** The shot's frames after overlaps, as file ranges, cut to [in, out) in rendered frames. */
function sourceRanges(render: ShotRender, trimIn: number, trimOut: number): SourceRange[] {
  const ranges: SourceRange[] = []
  let kept = 0 // shot frames before this segment's first kept frame
  for (const segment of render.segments) {
    const from = Math.max(trimIn, kept)
    const to = Math.min(trimOut, kept + segment.takeFrames)
    if (from < to) {
      const fileStart = segment.skipHeadFrames + (from - kept)
      ranges.push({ path: segment.path, startFrame: fileStart, endFrame: fileStart + (to - from) })
    }
    kept += segment.takeFrames
  }
  return ranges
}

/** The shot's render, checked to be whole; its trim range checked against it. */
function renderedRange(shot: Shot, index: number): { render: ShotRender; trimIn: number; trimOut: number } {
  const name = shotName(shot, index)
  const render = shot.render
  if (!render) throw new Error(`${name} has not been rendered yet`)
  render.segments.forEach((segment, segmentIndex) => {
    if (segment.skipHeadFrames + segment.takeFrames > segment.frames) {
      throw new Error(
        `${name}: segment ${segmentIndex} keeps frames ${segment.skipHeadFrames}–${segment.skipHeadFrames + segment.takeFrames - 1} ` +
          `but ${segment.path} has ${segment.frames} frames`
      )
    }
  })
  const kept = render.segments.reduce((sum, segment) => sum + segment.takeFrames, 0)
  if (kept !== render.frames) throw new Error(`${name}: its segments keep ${kept} frames but the render says ${render.frames}`)
  const length = renderTimelineFrames(render)
  const trimIn = shot.trim.in
  const trimOut = shot.trim.out ?? length
  if (trimIn < 0 || trimOut > length || trimIn >= trimOut) {
    const rate = render.fps === CLIP_FPS ? '' : ` (${render.frames} at ${render.fps} fps)`
    throw new Error(`${name}: trim [${trimIn}, ${trimOut}) is outside its ${length} rendered frames${rate}`)
  }
  return { render, trimIn, trimOut }
}

function timelineJoin(join: Join, index: number, fps: ExportFps): TimelineJoin {
  if (index === 0) return { kind: 'cut' }
  if (join.kind !== 'crossfade') return { kind: join.kind }
  return { kind: 'crossfade', timelineFrames: join.frames, exportFrames: exportFrameCount(join.frames, fps) }
}

function blendedFrames(join: TimelineJoin | undefined): { timeline: number; export: number } {
  return join?.kind === 'crossfade' ? { timeline: join.timelineFrames, export: join.exportFrames } : { timeline: 0, export: 0 }
}

/** A shot must be at least as long as its incoming and outgoing crossfades together. */
function checkCrossfadesFit(name: string, shot: TimelineShot, next: TimelineJoin | undefined, fps: ExportFps): void {
  const incoming = blendedFrames(shot.join)
  const outgoing = blendedFrames(next)
  if (incoming.timeline + outgoing.timeline > shot.timelineFrames) {
    throw new Error(
      `${name} has ${shot.timelineFrames} frames, fewer than its crossfades need (${incoming.timeline} in + ${outgoing.timeline} out)`
    )
  }
  if (incoming.export + outgoing.export > shot.exportFrames) {
    throw new Error(
      `${name} has ${shot.exportFrames} frames at ${fps} fps, fewer than its crossfades need ` +
        `(${incoming.export} in + ${outgoing.export} out); shorten a crossfade by a frame`
    )
  }
}

/**
 * Lays out the shots in order at the export's frame rate. A `continue` join counts like a cut: the
 * continued shot's first segment already skips the frames it repeats. Throws naming the shot when
 * one has no render, an inconsistent render or a trim outside it.
 */
export function buildTimeline(shots: readonly Shot[], fps: ExportFps): Timeline {
  if (shots.length === 0) throw new Error('the project has no shots to export')
  const laidOut: TimelineShot[] = []
  let frames = 0
  shots.forEach((shot, index) => {
    const { render, trimIn, trimOut } = renderedRange(shot, index)
    const join = timelineJoin(shot.join, index, fps)
    const next = shots[index + 1]
    const exportFrames = exportFrameCount(trimOut - trimIn, fps)
    const startFrame = frames - blendedFrames(join).export
    frames = startFrame + exportFrames
    // The trim is a span of time: the rendered frames on screen from its start to its end.
    const sourceIn = sourceFrameAt(trimIn, 0, CLIP_FPS, render.fps)
    const sourceOut = Math.min(render.frames, Math.ceil((trimOut * render.fps) / CLIP_FPS))
    const laid: TimelineShot = {
      index,
      id: shot.id,
      sources: sourceRanges(render, sourceIn, sourceOut),
      sourceFps: render.fps,
      sourceLeadTicks: trimIn * render.fps - sourceIn * CLIP_FPS,
      timelineFrames: trimOut - trimIn,
      exportFrames,
      join,
      startFrame,
      endFrame: frames,
      startSeconds: startFrame / fps,
      endSeconds: frames / fps
    }
    checkCrossfadesFit(shotName(shot, index), laid, next && timelineJoin(next.join, index + 1, fps), fps)
    laidOut.push(laid)
  })
  return { fps, shots: laidOut, frames, durationSeconds: frames / fps }
}
