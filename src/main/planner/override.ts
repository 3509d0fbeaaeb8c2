// A user's pinned choices applied over the planner's plan, with warnings when the result won't fit.
import type { DoctorReport } from '../../shared/doctor'
import type { Plan } from '../../shared/plan'
import type { PlanOverride } from '../../shared/settings'
import { DOCTOR_REQUEST } from '../gpu/doctor'
import type { CalibrationEntry } from './calibration'
import { describeCandidate, evaluatePinnedPlan, planRender } from './planner'

export interface EffectivePlan {
  plan: Plan | null
  refusal: string | null
  warnings: string[]
  overridden: boolean
}

export function applyPlanOverride(report: DoctorReport, override: PlanOverride | null, calibration: readonly CalibrationEntry[] = []): EffectivePlan {
  if (!override || Object.values(override).every((value) => value === null)) {
    return { plan: report.plan, refusal: report.refusal, warnings: [], overridden: false }
  }
  if (report.gpus.length === 0) return { plan: null, refusal: report.refusal, warnings: [], overridden: true }
  // Model and precision change what fits: plan again with them pinned, then pin the rest on top.
  const base = planRender(report.gpus, report.ramTotalMiB, DOCTOR_REQUEST, {
    model: override.model ?? undefined,
    precision: override.precision ?? undefined,
    calibration
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
  plan.reasons = [`You pinned ${pinned.join(', ')}.`, `In effect: ${describeCandidate(plan)}.`]
  return { plan, refusal: null, warnings, overridden: true }
}

/**
 * The next placement to try after running out of memory mid-segment, keeping model, precision and
 * segment length (so finished segments stay valid): tile the VAE, move umT5 to the CPU, then swap
 * and finally stream the experts. Null when nothing smaller is left.
 */
export function smallerPlacement(plan: Plan): Plan | null {
  const { placement } = plan
  let next: Plan['placement'] | null = null
  if (!placement.vaeTiling) next = { ...placement, vaeTiling: true }
  else if (placement.textEncoder === 'gpu') next = { ...placement, textEncoder: 'cpu' }
  else if (placement.experts === 'resident') next = { ...placement, experts: 'swap' }
  else if (placement.experts === 'swap') next = { ...placement, experts: 'stream' }
  if (!next) return null
  return { ...plan, placement: next, reasons: [`Stepped down after running out of memory with ${describePlacement(placement)}.`, ...plan.reasons] }
}

export function describePlacement(placement: Plan['placement']): string {
  return `experts ${placement.experts}, umT5 on ${placement.textEncoder.toUpperCase()}, VAE ${placement.vaeTiling ? 'tiled' : 'whole'}`
}
