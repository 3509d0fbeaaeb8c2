import { CONTINUITY_OVERLAP_FRAMES, MAX_SEGMENT_FRAMES } from './render'

/** One `generate` call: which frames it renders and which of them the clip keeps. */
export interface SegmentPlan {
  index: number
  /** Frames the engine renders: always 4n+1, as Wan2.2 requires. */
  frames: number
  /** Index in the shot of this segment's first rendered frame. */
  startFrame: number
  /** Leading frames that repeat the previous segment's tail (continuity); dropped (once) by the export. */
  overlap: number
  /** Frames the clip keeps after the overlap (the last segment may render a few more than it needs). */
  take: number
}

/** Smallest 4n+1 frame count that is at least `frames`. */
export function atLeast4nPlus1(frames: number): number {
  return Math.ceil((frames - 1) / 4) * 4 + 1
}

/**
 * Splits a shot of `totalFrames` into the fewest segments of at most `maxFrames` (4n+1), each
 * continuing from the previous one's last `overlap` frames, all of equal length so no segment is a
 * short, low-quality tail.
 */
export function planSegments(
  totalFrames: number,
  maxFrames: number = MAX_SEGMENT_FRAMES,
  overlap: number = CONTINUITY_OVERLAP_FRAMES
): SegmentPlan[] {
  if (!Number.isInteger(totalFrames) || totalFrames < 1) throw new RangeError(`totalFrames must be a positive integer, got ${totalFrames}`)
  if (maxFrames < 5 || (maxFrames - 1) % 4 !== 0) throw new RangeError(`maxFrames must be 4n+1 and at least 5, got ${maxFrames}`)
  if (overlap < 0 || overlap >= maxFrames - 1) throw new RangeError(`overlap must be between 0 and ${maxFrames - 2}, got ${overlap}`)

  if (totalFrames <= maxFrames) {
    return [{ index: 0, frames: atLeast4nPlus1(totalFrames), startFrame: 0, overlap: 0, take: totalFrames }]
  }
  const count = Math.ceil((totalFrames - overlap) / (maxFrames - overlap))
  const frames = atLeast4nPlus1(Math.ceil((totalFrames - overlap) / count) + overlap)
  const plans: SegmentPlan[] = []
  let kept = 0
  for (let index = 0; index < count; index++) {
    const head = index === 0 ? 0 : overlap
    const take = Math.min(frames - head, totalFrames - kept)
    plans.push({ index, frames, startFrame: index * (frames - overlap), overlap: head, take })
    kept += take
  }
  return plans
}

/**
 * Plans the frames of a shot still to render after `keptSoFar` frames are finished, continuing
 * from what came before: the shot's finished segments, or (`continuesPrevious`) the previous
 * shot's last frames for a shot joined with `continue`. Used for a fresh shot (keptSoFar 0), a
 * continued shot, and after an out-of-memory step-down to shorter segments. The first planned
 * segment repeats `overlap` frames of what came before when there is something to continue from.
 */
export function planRemainingSegments(options: {
  totalFrames: number
  keptSoFar: number
  firstIndex: number
  maxFrames: number
  overlap?: number
  continuesPrevious: boolean
}): SegmentPlan[] {
  const overlap = options.overlap ?? CONTINUITY_OVERLAP_FRAMES
  const remaining = options.totalFrames - options.keptSoFar
  if (remaining < 1) return []
  const head = options.keptSoFar > 0 || options.continuesPrevious ? overlap : 0
  // Plan the remaining frames plus the repeated head as if they were a shot of their own, then
  // mark the head of the first segment as repeated (dropped when joining, exactly once).
  return planSegments(remaining + head, options.maxFrames, overlap).map((plan) => {
    const first = plan.index === 0
    return {
      index: options.firstIndex + plan.index,
      frames: plan.frames,
      startFrame: Math.max(0, options.keptSoFar - head + plan.startFrame),
      overlap: first ? head : plan.overlap,
      take: first ? plan.take - head : plan.take
    }
  })
}

/** The next shorter segment length (4n+1) after running out of memory, or null below `minimum`. */
export function shorterSegmentFrames(frames: number, minimum = 4 * 4 + 1): number | null {
  const shorter = atLeast4nPlus1(Math.floor(frames / 2))
  return shorter < frames && shorter >= minimum ? shorter : null
}
