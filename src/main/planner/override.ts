// A user's pinned choices applied over the planner's plan, with warnings when the result won't fit.
import type { DoctorReport } from '../../shared/doctor'
import type { LeverSupport, Plan } from '../../shared/plan'
import type { PlanOverride } from '../../shared/settings'
import type { CalibrationEntry } from './calibration'
import { DOCTOR_REQUEST, describeCandidate, evaluatePinnedPlan, planRender } from './planner'

export interface EffectivePlan {
  plan: Plan | null
  refusal: string | null
  warnings: string[]
  overridden: boolean
}

export function applyPlanOverride(
  report: DoctorReport,
  override: PlanOverride | null,
  calibration: readonly CalibrationEntry[] = [],
  levers?: LeverSupport
): EffectivePlan {
  if (!override || Object.values(override).every((value) => value === null)) {
    return { plan: report.plan, refusal: report.refusal, warnings: [], overridden: false }
  }
  if (report.gpus.length === 0) return { plan: null, refusal: report.refusal, warnings: [], overridden: true }
  // Model, precision and levers change what fits and how fast: plan again with them pinned, then pin the rest on top.
  const base = planRender(report.gpus, report.ramTotalMiB, DOCTOR_REQUEST, {
    model: override.model ?? undefined,
    precision: override.precision ?? undefined,
    calibration,
    levers,
    leverChoice: { compile: override.compile ?? undefined, attention: override.attention ?? undefined }
  })
  if (!base.plan) return { plan: null, refusal: base.refusal, warnings: [], overridden: true }
  const pinned = Object.entries(override)
    .filter(([, value]) => value !== null)
    .map(([key, value]) => `${key} ${String(value)}`)
  const plan: Plan = {
    ...base.plan,
    placement: {
      experts: override.experts ?? base.plan.placement.experts,
      textEncoder: override.textEncoder ?? base.plan.placement.textEncoder,
      vaeTiling: override.vaeTiling ?? base.plan.placement.vaeTiling
    },
    segmentFrames: override.segmentFrames ?? base.plan.segmentFrames
  }
  const { warnings, predicted } = evaluatePinnedPlan(plan, { gpus: report.gpus, ramTotalMiB: report.ramTotalMiB }, { calibration })
  if (predicted) plan.predicted = predicted
  // The planner's reasons explained its own choice; a pinned plan gets its own description.
  // The lever reasons still hold: they say whether a pinned lever could be honoured.
  const leverReasons = base.plan.reasons.filter((reason) => /^(Attention|No compilation|Regional compilation)/.test(reason))
  plan.reasons = [`You pinned ${pinned.join(', ')}.`, `In effect: ${describeCandidate(plan)}.`, ...leverReasons]
  return { plan, refusal: null, warnings, overridden: true }
}

/** Where the sidecar ran out of memory (`data.phase` of its -32002 error; PROTOCOL.md, "Engine: diffusers"). */
export type OutOfMemoryPhase = 'load' | 'encode' | 'denoise' | 'decode'

const OUT_OF_MEMORY_PHASES: readonly OutOfMemoryPhase[] = ['load', 'encode', 'denoise', 'decode']

/** The phase an out-of-memory error's data names; undefined when it names none (or one this core doesn't know). */
export function outOfMemoryPhase(data: unknown): OutOfMemoryPhase | undefined {
  const phase = typeof data === 'object' && data !== null ? (data as { phase?: unknown }).phase : undefined
  return OUT_OF_MEMORY_PHASES.find((known) => known === phase)
}

type StepDown = 'vaeTiling' | 'textEncoder' | 'experts'

/**
 * What frees memory where, first to try. decode: only the VAE decode's activations, so tile it.
 * encode: umT5 on the GPU, then the continuity encode (tiled like the decode). load / denoise: the
 * experts' weights (resident -> swap -> stream, one step per retry), then umT5, which stays on the
 * GPU through the denoise while the experts are resident. Unknown: cheapest first.
 */
const STEP_DOWN_ORDER: Record<OutOfMemoryPhase | 'unknown', readonly StepDown[]> = {
  decode: ['vaeTiling'],
  encode: ['textEncoder', 'vaeTiling'],
  denoise: ['experts', 'textEncoder'],
  load: ['experts', 'textEncoder'],
  unknown: ['vaeTiling', 'textEncoder', 'experts']
}

function stepDown(placement: Plan['placement'], step: StepDown): Plan['placement'] | null {
  switch (step) {
    case 'vaeTiling':
      return placement.vaeTiling ? null : { ...placement, vaeTiling: true }
    case 'textEncoder':
      return placement.textEncoder === 'gpu' ? { ...placement, textEncoder: 'cpu' } : null
    case 'experts':
      if (placement.experts === 'resident') return { ...placement, experts: 'swap' }
      return placement.experts === 'swap' ? { ...placement, experts: 'stream' } : null
  }
}

const PHASE_WORDS: Record<OutOfMemoryPhase, string> = { load: 'loading', encode: 'encoding', denoise: 'denoising', decode: 'decoding' }

/**
 * The next placement to try after running out of memory mid-segment, keeping model, precision and
 * segment length (so finished segments stay valid), one step at a time. The first step that frees
 * memory where it ran out (`phase`, see STEP_DOWN_ORDER) wins; when those are all taken, the
 * remaining general steps (tile the VAE, move umT5 to the CPU, swap then stream the experts) before
 * giving up. Null when nothing smaller is left at all.
 */
export function smallerPlacement(plan: Plan, phase?: OutOfMemoryPhase): Plan | null {
  const { placement } = plan
  let next: Plan['placement'] | null = null
  for (const step of [...STEP_DOWN_ORDER[phase ?? 'unknown'], ...STEP_DOWN_ORDER.unknown]) {
    next = stepDown(placement, step)
    if (next) break
  }
  if (!next) return null
  const where = phase ? ` while ${PHASE_WORDS[phase]}` : ''
  return { ...plan, placement: next, reasons: [`Stepped down after running out of memory${where} with ${describePlacement(placement)}.`, ...plan.reasons] }
}

export function describePlacement(placement: Plan['placement']): string {
  return `experts ${placement.experts}, umT5 on ${placement.textEncoder.toUpperCase()}, VAE ${placement.vaeTiling ? 'tiled' : 'whole'}`
}
