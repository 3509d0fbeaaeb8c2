// One shot's plan: the pure planner run for the shot's own size, length and mode on the hardware the
// cached system snapshot saw, with the user's pinned choices (System panel) on top. Pure.
import type { DoctorGpu } from '../../shared/doctor'
import type { LeverSupport, ModelId, Plan, RenderMode } from '../../shared/plan'
import { CLIP_FPS } from '../../shared/render'
import type { PlanOverride } from '../../shared/settings'
import { framesAtRate } from '../../shared/timeline'
import type { CalibrationEntry } from '../planner/calibration'
import { describeCandidate, evaluatePinnedPlan, planRender, type PlannerOptions, type PlanResult } from '../planner/planner'

/** What fast mode needs and how to get it, as the sidecar reported it (diffusers details.fastMode). */
export type FastModeFiles = {
  files: { role: 'high-noise' | 'low-noise'; path: string; present: boolean }[]
  howToGet: string
}

/** Everything planning a shot needs, from the cached system snapshot. */
export interface ShotPlanning {
  gpus: readonly DoctorGpu[]
  ramTotalMiB: number
  calibration: readonly CalibrationEntry[]
  planOverride: PlanOverride | null
  /** What the sidecar can do: attention backends, compilation, fast mode. */
  levers: LeverSupport
  /** The LoRA files fast mode loads; null when the sidecar didn't say (an older sidecar). */
  fastModeFiles: FastModeFiles | null
  /** Models whose weights are complete in the models folder. */
  completeModels: readonly ModelId[]
}

export type ShotPlanRequest = {
  width: number
  height: number
  /** Frames at the timeline's 16 fps; a model with another native rate renders as many seconds. */
  timelineFrames: number
  /** Frames a continued shot's first segment repeats of the shot before, at the model's rate. */
  headFrames: number
  mode: RenderMode
  steps: number
}

/** The plan for one shot, or why there is none. Width and height are the plan's (landscape) own. */
export function planShot(planning: ShotPlanning, request: ShotPlanRequest): PlanResult {
  const override = planning.planOverride
  const options: PlannerOptions = {
    model: override?.model ?? undefined,
    precision: override?.precision ?? undefined,
    calibration: planning.calibration,
    levers: planning.levers,
    leverChoice: { compile: override?.compile ?? undefined, attention: override?.attention ?? undefined }
  }
  let result = planAtNativeRate(planning, request, options)
  if (result.plan && !planning.completeModels.includes(result.plan.model)) {
    const incomplete = `the ${result.plan.model} weights are not complete in the models folder`
    // The planner doesn't know which weights are installed: its own choice of a model whose weights
    // are incomplete falls back to one that is complete (when that one can render the shot).
    const installed = options.model ? undefined : planning.completeModels.find((model) => model !== result.plan?.model)
    result = installed ? planAtNativeRate(planning, request, { ...options, model: installed }) : { refusal: incomplete }
    if (!result.plan) return { refusal: incomplete }
  }
  if (!result.plan) return result
  return { plan: withPinnedPlacement(result.plan, planning, request.steps) }
}

/**
 * Plans for the frames the model renders: at its native rate (plan.fps) the shot's seconds are a
 * different number of frames, so a model that isn't 16 fps is planned again, pinned, for those.
 */
function planAtNativeRate(planning: ShotPlanning, request: ShotPlanRequest, options: PlannerOptions): PlanResult {
  const ask = (frames: number, pinned: PlannerOptions): PlanResult =>
    planRender(planning.gpus, planning.ramTotalMiB, { width: request.width, height: request.height, frames, mode: request.mode, steps: request.steps, weightsPresent: true }, pinned)
  const first = ask(request.timelineFrames + request.headFrames, options)
  if (!first.plan || first.plan.fps === CLIP_FPS) return first
  return ask(framesAtRate(request.timelineFrames, first.plan.fps) + request.headFrames, { ...options, model: first.plan.model })
}

/** The user's pinned placement and segment length over the planner's, with their own predictions. */
function withPinnedPlacement(plan: Plan, planning: ShotPlanning, steps: number): Plan {
  const override = planning.planOverride
  if (!override) return plan
  const pins = { experts: override.experts, textEncoder: override.textEncoder, vaeTiling: override.vaeTiling, segmentFrames: override.segmentFrames }
  const pinned = Object.entries(pins).filter(([, value]) => value !== null)
  if (pinned.length === 0) return plan
  const result: Plan = {
    ...plan,
    placement: {
      experts: override.experts ?? plan.placement.experts,
      textEncoder: override.textEncoder ?? plan.placement.textEncoder,
      vaeTiling: override.vaeTiling ?? plan.placement.vaeTiling
    },
    segmentFrames: override.segmentFrames ?? plan.segmentFrames
  }
  const { predicted } = evaluatePinnedPlan(result, { gpus: planning.gpus, ramTotalMiB: planning.ramTotalMiB }, { calibration: planning.calibration, steps })
  return {
    ...result,
    predicted: predicted ?? result.predicted,
    reasons: [`You pinned ${pinned.map(([key, value]) => `${key} ${String(value)}`).join(', ')}.`, `In effect: ${describeCandidate(result)}.`, ...plan.reasons]
  }
}
