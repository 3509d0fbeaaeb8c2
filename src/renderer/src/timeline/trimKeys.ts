// Trimming from the keyboard: a focused trim handle moves its edge one frame per arrow key (one
// second with Shift), held within the shot; the whole burst is one edit when the key comes up.
import { CLIP_FPS } from '../../../shared/render'
import { shotFrames, trimmedRange, type Shot } from '../../../shared/project'

export type TrimEdge = 'in' | 'out'

/** Frames an arrow key moves the edge by, or null for any other key. */
export function trimKeyFrames(key: string, shift: boolean): number | null {
  const direction = key === 'ArrowLeft' ? -1 : key === 'ArrowRight' ? 1 : 0
  return direction === 0 ? null : direction * (shift ? CLIP_FPS : 1)
}

/** The edge's frame (in the shot's untrimmed frames) after moving it by `delta`, kept inside the shot with at least one frame left. */
export function movedEdge(shot: Pick<Shot, 'seconds' | 'trim'>, edge: TrimEdge, delta: number): number {
  const range = trimmedRange(shot)
  return edge === 'in' ? Math.min(Math.max(0, range.in + delta), range.out - 1) : Math.min(Math.max(range.in + 1, range.out + delta), shotFrames(shot))
}

/** The trimShot change for the moved edge; the end at the shot's last frame is stored as null. */
export function trimEdgeChange(shot: Pick<Shot, 'seconds' | 'trim'>, edge: TrimEdge, delta: number): { in: number } | { out: number | null } {
  const frame = movedEdge(shot, edge, delta)
  if (edge === 'in') return { in: frame }
  return { out: frame === shotFrames(shot) ? null : frame }
}
