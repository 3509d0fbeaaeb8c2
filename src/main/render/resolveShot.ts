// Resolving a shot into a render: every choice made (engine, seed, size, steps, segment length).
// Pure: what the engine can do comes in as data, and nothing is started here.
import type { Plan } from '../../shared/plan'
import { frameDimensions, shotFrames, type FrameSize, type Shot } from '../../shared/project'
import type { ResolvedShot } from '../../shared/queue'
import { CONTINUITY_OVERLAP_FRAMES, MAX_SEGMENT_FRAMES, type EngineId } from '../../shared/render'
import { WAN_DEFAULT_NEGATIVE_PROMPT } from '../../shared/settings'
import { renderKeyFor } from './renderKey'

export const DEFAULT_STEPS: Record<EngineId, number> = { synthetic: 8, diffusers: 40 }

/** Whether the real engine can render here, and with which plan (from the cached system state). */
export type RealEngineReadiness = { ready: true; plan: Plan; modelsDir: string; gpuName: string } | { ready: false; reason: string }

export class RenderRequestError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'RenderRequestError'
  }
}

export interface ResolveContext {
  size: FrameSize
  realEngine: RealEngineReadiness
  /** The previous shot's render, for a shot joined with `continue`. */
  previous: { renderKey: string; jobId: string | null } | null
  /** User limits on segments: 4n+1 frames at most, and frames each segment repeats of the one before. */
  segmentFrames?: number
  overlap?: number
  /** Options the synthetic engine gets (test pacing, say). */
  syntheticOptions?: Record<string, unknown>
}

/** The shot's render and its key; `shot.seed` must already be drawn (see drawMissingSeeds). */
export function resolveShot(shot: Shot, context: ResolveContext): { render: ResolvedShot; renderKey: string; note: string | null } {
  if (shot.seed === null) throw new RenderRequestError(`shot ${shot.id} has no seed yet`)
  if (shot.prompt.trim() === '') throw new RenderRequestError(`shot ${shot.id}: the prompt is empty: describe the shot to render`)
  if (shot.join.kind === 'continue' && !context.previous) throw new RenderRequestError(`shot ${shot.id} continues a shot, but there is none before it`)
  const { realEngine } = context
  let engine: EngineId
  let note: string | null = null
  if (shot.engine === 'auto') {
    engine = realEngine.ready ? 'diffusers' : 'synthetic'
    if (!realEngine.ready) note = `rendering with the synthetic engine because ${realEngine.reason}`
  } else engine = shot.engine
  if (engine === 'diffusers' && !realEngine.ready) throw new RenderRequestError(`the Wan2.2 (diffusers) engine can't render: ${realEngine.reason}`)

  const { width, height } = frameDimensions(context.size)
  const overlap = context.overlap ?? CONTINUITY_OVERLAP_FRAMES
  const common = {
    prompt: shot.prompt.trim(),
    frames: shotFrames(shot),
    seed: shot.seed,
    engine,
    steps: shot.steps ?? DEFAULT_STEPS[engine],
    overlap,
    continueFrom: shot.join.kind === 'continue' ? context.previous : null
  }
  let render: ResolvedShot
  if (engine === 'diffusers' && realEngine.ready) {
    const portrait = height > width
    // The planner plans landscape; portrait is the same pixel count turned on its side.
    const plan: Plan = portrait ? { ...realEngine.plan, width: realEngine.plan.height, height: realEngine.plan.width } : realEngine.plan
    render = {
      ...common,
      // Wan2.2 is trained with its default negative prompt; an empty one is the user's explicit choice.
      negativePrompt: shot.negativePrompt === null ? WAN_DEFAULT_NEGATIVE_PROMPT : shot.negativePrompt.trim(),
      width: plan.width,
      height: plan.height,
      maxSegmentFrames: Math.min(plan.segmentFrames, context.segmentFrames ?? MAX_SEGMENT_FRAMES),
      gpuName: realEngine.gpuName,
      engineOptions: { plan, modelsDir: realEngine.modelsDir }
    }
  } else {
    render = {
      ...common,
      negativePrompt: shot.negativePrompt?.trim() || null,
      width,
      height,
      maxSegmentFrames: context.segmentFrames ?? MAX_SEGMENT_FRAMES,
      gpuName: null,
      engineOptions: context.syntheticOptions ?? {}
    }
  }
  if (render.maxSegmentFrames <= overlap + 1) {
    throw new RenderRequestError(`segments of ${render.maxSegmentFrames} frames can't repeat ${overlap} frames of the one before`)
  }
  return { render, renderKey: renderKeyFor(render), note }
}

/** The shots with every missing seed drawn, so a re-render of the saved project is identical. */
export function drawMissingSeeds(shots: readonly Shot[], drawSeed: () => number): Shot[] {
  return shots.map((shot) => (shot.seed === null ? { ...shot, seed: drawSeed() } : shot))
}
