// A shot's status on the track, from its render and the queue's jobs for it.
//
// Out of date: the render key is computed in main from the resolved shot, but every render-shot job
// carries that resolved shot (payload.render), so the renderer compares the fields it can see (prompt,
// what the model receives, negative prompt, seed, frames, steps, engine, mode, draft size) with what
// its latest render was made from. What the model receives follows the rule main prepares it by
// (modelPromptSource, src/shared/modelPrompt.ts): the accepted text, the prompt as typed, or the helper
// model's translation, so a changed translate setting or accepted prompt is out of date exactly when
// the key changes. Defaults (null) match whatever the job resolved them to, except the negative
// prompt, whose default is known here. No IPC round trip per edit; what this can't see (a new models
// folder, plan or helper model) is not "out of date" but only a different render key in main, which
// renders again when queued anyway.
import { modelPromptSource } from '../../../shared/modelPrompt'
import { isDraftSize, shotFrames, type ProjectSettings, type Shot } from '../../../shared/project'
import type { QueueJob, ResolvedShot } from '../../../shared/queue'
import { CLIP_FPS } from '../../../shared/render'
import { WAN_DEFAULT_NEGATIVE_PROMPT } from '../../../shared/settings'
import { framesAtRate, renderTimelineFrames } from '../../../shared/timeline'

export type ShotStatus =
  | { kind: 'draft' }
  | { kind: 'queued' }
  | { kind: 'rendering'; fraction: number }
  | { kind: 'done' }
  | { kind: 'failed'; message: string }
  | { kind: 'stale' }

export const SHOT_STATUS_TEXT: Record<ShotStatus['kind'], string> = {
  // Not "Draft": that word is a shot rendered small (shot.draft).
  draft: 'Not rendered',
  queued: 'Queued',
  rendering: 'Rendering',
  done: 'Rendered',
  failed: 'Failed',
  stale: 'Out of date'
}

/** The newest render-shot job of the shot. */
export function latestShotJob(shotId: string, jobs: Record<string, QueueJob>): QueueJob | null {
  let latest: QueueJob | null = null
  for (const job of Object.values(jobs)) {
    if (job.payload.kind !== 'render-shot' || job.payload.shotId !== shotId) continue
    if (!latest || job.createdAt > latest.createdAt) latest = job
  }
  return latest
}

/** What a shot's status depends on besides the shot: the project's settings, and whether a helper model is installed (null: not known yet). */
export type ShotStatusContext = { settings: ProjectSettings; helperReady: boolean | null }

/** What a render's model received when it was not the prompt as typed, and from where (absent: not recorded). */
export type ReceivedPrompt = { text: string; from?: 'accepted' | 'helper' }

/**
 * True when queueing the shot now would give the model another prompt than a render's, whose model
 * received `received` (null: the prompt as typed). A translation's text is known only once made, so
 * the helper's translation of the same typed prompt agrees (greedy decoding makes the same one
 * again), and an accepted text does not (it may have been edited; if not, queueing finds the same
 * key and reuses every segment).
 */
export function modelPromptDiffers(shot: Shot, received: ReceivedPrompt | null, context: ShotStatusContext): boolean {
  const source = modelPromptSource(context.settings, shot)
  if (source.from === 'accepted') return (received?.text ?? shot.prompt.trim()) !== source.text
  if (source.from === 'typed') return received !== null
  // Under auto with no helper model the prompt goes as typed; while that is not known, either agrees.
  if (source.mode === 'auto' && context.helperReady !== true) return context.helperReady === false && received !== null
  return received === null || received.from === 'accepted'
}

/** True when the shot no longer asks for what `made` rendered. */
export function differsFromRender(
  shot: Shot,
  made: Pick<ResolvedShot, 'prompt' | 'typedPrompt' | 'modelPromptFrom' | 'negativePrompt' | 'seed' | 'frames' | 'steps' | 'engine' | 'mode' | 'fps' | 'width' | 'height'>,
  context: ShotStatusContext
): boolean {
  const negative = (text: string | null): string => text ?? WAN_DEFAULT_NEGATIVE_PROMPT
  return (
    // A translated render keeps the prompt as typed (trimmed, as main resolves it) beside what the model received.
    shot.prompt.trim() !== (made.typedPrompt ?? made.prompt) ||
    modelPromptDiffers(shot, made.typedPrompt === undefined ? null : { text: made.prompt, ...(made.modelPromptFrom ? { from: made.modelPromptFrom } : {}) }, context) ||
    negative(shot.negativePrompt) !== negative(made.negativePrompt) ||
    (shot.seed !== null && shot.seed !== made.seed) ||
    // A 24 fps model renders the shot's seconds as more frames.
    framesAtRate(shotFrames(shot), made.fps ?? CLIP_FPS) !== made.frames ||
    // Fast mode always renders its own 4 steps.
    (shot.steps !== null && shot.mode === 'quality' && shot.steps !== made.steps) ||
    shot.mode !== (made.mode ?? 'quality') ||
    shot.draft !== isDraftSize(made) ||
    (shot.engine !== 'auto' && shot.engine !== made.engine)
  )
}

export function shotStatus(shot: Shot, jobs: Record<string, QueueJob>, fractions: Record<string, number>, context: ShotStatusContext): ShotStatus {
  const job = latestShotJob(shot.id, jobs)
  if (job?.payload.kind === 'render-shot' && differsFromRender(shot, job.payload.render, context)) return shot.render || job.state === 'done' ? { kind: 'stale' } : { kind: 'draft' }
  if (job) {
    if (job.state === 'queued' || job.state === 'paused') return { kind: 'queued' }
    if (job.state === 'running') return { kind: 'rendering', fraction: fractions[job.id] ?? 0 }
    if (job.state === 'failed') return { kind: 'failed', message: job.error?.message ?? 'the render failed' }
    if (job.state === 'done') return { kind: 'done' }
  }
  if (!shot.render) return { kind: 'draft' }
  // Without a job (the queue was cleared): the render's own seed, frames, engine and model prompt still tell.
  const { render } = shot
  const stale =
    (shot.seed !== null && shot.seed !== render.seed) ||
    shotFrames(shot) !== renderTimelineFrames(render) ||
    (shot.engine !== 'auto' && shot.engine !== render.engine) ||
    modelPromptDiffers(shot, render.modelPrompt === undefined ? null : { text: render.modelPrompt }, context)
  return stale ? { kind: 'stale' } : { kind: 'done' }
}
