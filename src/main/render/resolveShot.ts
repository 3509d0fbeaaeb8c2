// Resolving a shot into a render: every choice made (engine, seed, size, mode, steps, frame rate,
// segment length). Pure: what the engine and the machine can do comes in as data, nothing is started.
import { FAST_MODE_STEPS, MAX_SEGMENT_FRAMES as MODEL_MAX_SEGMENT_FRAMES, type Plan } from '../../shared/plan'
import { acceptedModelPrompt, shotDimensions, shotFrames, type FrameSize, type Shot } from '../../shared/project'
import type { ResolvedShot } from '../../shared/queue'
import { CLIP_FPS, CONTINUITY_OVERLAP_FRAMES, MAX_SEGMENT_FRAMES, type EngineId } from '../../shared/render'
import { WAN_DEFAULT_NEGATIVE_PROMPT } from '../../shared/settings'
import { framesAtRate } from '../../shared/timeline'
import { renderKeyFor } from './renderKey'
import { planShot, type ShotPlanning } from './shotPlan'

/** Quality mode's steps when the shot sets none; fast mode is always FAST_MODE_STEPS (the synthetic engine mimics it). */
export const DEFAULT_STEPS: Record<EngineId, number> = { synthetic: 8, diffusers: 40 }

/** Whether the real engine can render here, and what planning a shot for it needs (from the cached system state). */
/** `modelsDir` is null when the weights come only from a Hugging Face cache or ComfyUI's folders. */
export type RealEngineReadiness = { ready: true; modelsDir: string | null; planning: ShotPlanning } | { ready: false; reason: string }

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
  /** What the model receives instead of the prompt as typed (its translation or extension), prepared before resolving. */
  modelPrompt?: string
}

export type ResolvedShotRender = { render: ResolvedShot; renderKey: string; notes: string[] }

/** The shot's render and its key; `shot.seed` must already be drawn (see drawMissingSeeds). */
export function resolveShot(shot: Shot, context: ResolveContext): ResolvedShotRender {
  if (shot.seed === null) throw new RenderRequestError(`shot ${shot.id} has no seed yet`)
  if (shot.prompt.trim() === '') throw new RenderRequestError(`shot ${shot.id}: the prompt is empty: describe the shot to render`)
  if (shot.join.kind === 'continue' && !context.previous) throw new RenderRequestError(`shot ${shot.id} continues a shot, but there is none before it`)
  const { realEngine } = context
  const notes: string[] = []
  let engine: EngineId
  if (shot.engine === 'auto') {
    engine = realEngine.ready ? 'diffusers' : 'synthetic'
    if (!realEngine.ready) notes.push(`rendering with the synthetic engine because ${realEngine.reason}`)
  } else engine = shot.engine
  if (engine === 'diffusers' && !realEngine.ready) throw new RenderRequestError(`the Wan2.2 (diffusers) engine can't render: ${realEngine.reason}`)

  const fast = shot.mode === 'fast'
  if (fast && shot.steps !== null && shot.steps !== FAST_MODE_STEPS) {
    notes.push(`fast mode renders ${FAST_MODE_STEPS} steps (what its LoRAs were distilled for); the shot's ${shot.steps} steps are ignored`)
  }
  const overlap = context.overlap ?? CONTINUITY_OVERLAP_FRAMES
  const continueFrom = shot.join.kind === 'continue' ? context.previous : null
  const typed = shot.prompt.trim()
  const modelPrompt = context.modelPrompt?.trim() || typed
  const common = {
    prompt: modelPrompt,
    // Only when it differs, so renders without a translation keep their resolved shot as it was.
    ...(modelPrompt !== typed ? { typedPrompt: typed, modelPromptFrom: acceptedModelPrompt(shot) === modelPrompt ? ('accepted' as const) : ('helper' as const) } : {}),
    seed: shot.seed,
    engine,
    mode: shot.mode,
    steps: fast ? FAST_MODE_STEPS : (shot.steps ?? DEFAULT_STEPS[engine]),
    overlap,
    continueFrom
  }
  const size = shotDimensions(context.size, shot)
  let render: ResolvedShot
  if (engine === 'diffusers' && realEngine.ready) {
    const plan = shotPlan(shot, size, { ...common, continuing: continueFrom !== null }, realEngine.planning)
    const frames = framesAtRate(shotFrames(shot), plan.fps)
    const modelLongest = MODEL_MAX_SEGMENT_FRAMES[plan.model]
    // A planned length that covers the whole shot is no limit: the model's full length keeps the
    // render key of a shot independent of how long the planner was asked to cover.
    const planned = plan.segmentFrames >= frames + (continueFrom ? overlap : 0) ? modelLongest : plan.segmentFrames
    render = {
      ...common,
      // Wan2.2 is trained with its default negative prompt; an empty one is the user's explicit choice.
      negativePrompt: shot.negativePrompt === null ? WAN_DEFAULT_NEGATIVE_PROMPT : shot.negativePrompt.trim(),
      frames,
      fps: plan.fps,
      width: plan.width,
      height: plan.height,
      maxSegmentFrames: Math.min(planned, context.segmentFrames ?? modelLongest),
      gpuName: realEngine.planning.gpus.find((gpu) => gpu.index === plan.gpuIndex)?.name ?? `GPU ${plan.gpuIndex}`,
      engineOptions: { plan, ...(realEngine.modelsDir ? { modelsDir: realEngine.modelsDir } : {}) }
    }
  } else {
    render = {
      ...common,
      negativePrompt: shot.negativePrompt?.trim() || null,
      frames: shotFrames(shot),
      fps: CLIP_FPS,
      width: size.width,
      height: size.height,
      maxSegmentFrames: context.segmentFrames ?? MAX_SEGMENT_FRAMES,
      gpuName: null,
      engineOptions: context.syntheticOptions ?? {}
    }
  }
  if (render.maxSegmentFrames <= overlap + 1) {
    throw new RenderRequestError(`segments of ${render.maxSegmentFrames} frames can't repeat ${overlap} frames of the one before`)
  }
  return { render, renderKey: renderKeyFor(render), notes }
}

/** The planner's plan for this shot's size, length and mode, turned for a vertical frame. */
function shotPlan(
  shot: Shot,
  size: { width: number; height: number },
  request: { mode: Shot['mode']; steps: number; overlap: number; continuing: boolean },
  planning: ShotPlanning
): Plan {
  if (request.mode === 'fast' && !planning.levers.fastMode.available) throw new RenderRequestError(fastModeUnavailable(planning))
  const portrait = size.height > size.width
  // The planner plans landscape; portrait is the same pixel count turned on its side.
  const result = planShot(planning, {
    width: Math.max(size.width, size.height),
    height: Math.min(size.width, size.height),
    timelineFrames: shotFrames(shot),
    headFrames: request.continuing ? request.overlap : 0,
    mode: request.mode,
    steps: request.steps
  })
  if (!result.plan) throw new RenderRequestError(`no plan for this shot (${size.width}x${size.height}, ${request.mode} mode): ${result.refusal}`)
  const plan = result.plan
  return portrait ? { ...plan, width: plan.height, height: plan.width } : plan
}

function fastModeUnavailable(planning: ShotPlanning): string {
  const why = planning.levers.fastMode.reason ?? 'the engine did not say why'
  const files = planning.fastModeFiles
  if (!files) return `fast mode is not available: ${why}`
  const missing = files.files.filter((file) => !file.present).map((file) => `${file.role} LoRA ${file.path}`)
  const needs = missing.length > 0 ? ` It needs the Wan2.2-Lightning 4-step LoRAs; missing: ${missing.join(', ')}.` : ''
  return `fast mode is not available: ${why}.${needs} To get them: ${files.howToGet}`
}

/** The shots with every missing seed drawn, so a re-render of the saved project is identical. */
export function drawMissingSeeds(shots: readonly Shot[], drawSeed: () => number): Shot[] {
  return shots.map((shot) => (shot.seed === null ? { ...shot, seed: drawSeed() } : shot))
}
