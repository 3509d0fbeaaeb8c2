// Where each shot sits on the timeline track, in 16 fps frames and in pixels. Pure: the track, the
// ruler, drag-to-reorder and split-at-playhead read it, and the tests check it without a DOM.
import { trimmedFrames, type Join, type Project, type Shot } from '../../../shared/project'

export type TrackItem = {
  shot: Shot
  index: number
  /** First timeline frame of the shot; a crossfade overlaps it with the shot before. */
  startFrame: number
  frames: number
  x: number
  width: number
  join: Join
}

export type TrackLayout = { items: TrackItem[]; totalFrames: number; width: number }

/** Lays the shots end to end at `pixelsPerFrame`; a crossfade pulls a shot back by its frames. */
export function layoutTrack(shots: readonly Shot[], pixelsPerFrame: number): TrackLayout {
  let end = 0
  const items = shots.map((shot, index) => {
    const frames = trimmedFrames(shot)
    const overlap = index > 0 && shot.join.kind === 'crossfade' ? shot.join.frames : 0
    const startFrame = Math.max(0, end - overlap)
    end = startFrame + frames
    return { shot, index, startFrame, frames, x: startFrame * pixelsPerFrame, width: frames * pixelsPerFrame, join: shot.join }
  })
  return { items, totalFrames: end, width: end * pixelsPerFrame }
}

/** The shot under a timeline frame and the frame within its untrimmed length; the last shot owns the end. */
export function shotAtFrame(layout: TrackLayout, frame: number): { item: TrackItem; shotFrame: number } | null {
  const item = [...layout.items].reverse().find((candidate) => frame >= candidate.startFrame) ?? null
  if (!item) return null
  return { item, shotFrame: item.shot.trim.in + Math.min(frame - item.startFrame, item.frames - 1) }
}

/**
 * The index a dragged shot lands on when its centre is at `centerX`: it snaps to the nearest gap
 * between the other shots (their midpoints decide), so a drag never lands between frames.
 */
export function dropIndex(layout: TrackLayout, draggedId: string, centerX: number): number {
  const others = layout.items.filter((item) => item.shot.id !== draggedId)
  const before = others.filter((item) => item.x + item.width / 2 < centerX).length
  return before
}

/** The timeline frame whose span holds pixel `x` of the track, clamped to the film. */
export function frameAtX(layout: TrackLayout, x: number, pixelsPerFrame: number): number {
  return Math.min(Math.max(0, Math.floor(x / pixelsPerFrame)), Math.max(0, layout.totalFrames - 1))
}

/** Ruler ticks: a labelled tick every `step` seconds, chosen so labels sit at least 60 px apart. */
export function rulerTicks(totalFrames: number, pixelsPerFrame: number, fps: number): { frame: number; label: string }[] {
  const steps = [1, 2, 5, 10, 30, 60]
  const step = steps.find((seconds) => seconds * fps * pixelsPerFrame >= 60) ?? 60
  const ticks: { frame: number; label: string }[] = []
  for (let seconds = 0; seconds * fps <= totalFrames; seconds += step) ticks.push({ frame: seconds * fps, label: `${seconds}s` })
  return ticks
}

export function projectFrames(project: Project): number {
  return layoutTrack(project.shots, 1).totalFrames
}
