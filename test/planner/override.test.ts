// A user's pinned compile and attention switches over the doctor's plan, with the sidecar's levers.
import { describe, expect, it } from 'vitest'
import type { DoctorReport } from '../../src/shared/doctor'
import type { LeverSupport } from '../../src/shared/plan'
import type { PlanOverride } from '../../src/shared/settings'
import { applyPlanOverride } from '../../src/main/planner/override'
import { planRender, DOCTOR_REQUEST } from '../../src/main/planner/planner'
import { CARDS, RAM_128_GB } from './hardware'

const LEVERS: LeverSupport = {
  attentionBackends: ['sdpa', 'sage'],
  compile: { available: true, reason: null },
  fastMode: { available: true, reason: null }
}
const AUTOMATIC: PlanOverride = { model: null, precision: null, experts: null, textEncoder: null, vaeTiling: null, segmentFrames: null, compile: null, attention: null }

function reportFor(card: keyof typeof CARDS): DoctorReport {
  const plan = planRender([CARDS[card]], RAM_128_GB, DOCTOR_REQUEST, { levers: LEVERS }).plan!
  return {
    gpus: [CARDS[card]],
    driverVersion: '550.54.15',
    cudaVersion: '12.4',
    ramTotalMiB: RAM_128_GB,
    error: null,
    warnings: [],
    plan,
    refusal: null,
    report: { gpuIndex: 0, verdicts: [] }
  }
}

describe('applyPlanOverride with speed levers', () => {
  it('leaves the doctor’s plan alone when nothing is pinned', () => {
    const report = reportFor('rtx4090')
    expect(applyPlanOverride(report, AUTOMATIC, [], LEVERS)).toEqual({ plan: report.plan, refusal: null, warnings: [], overridden: false })
  })

  it('pins attention and compilation, with their own predictions and reasons', () => {
    const report = reportFor('rtx4090')
    expect(report.plan!.speed).toEqual({ compile: true, attention: 'sage' })
    const pinned = applyPlanOverride(report, { ...AUTOMATIC, attention: 'sdpa', compile: false }, [], LEVERS)
    expect(pinned.plan!.speed).toEqual({ compile: false, attention: 'sdpa' })
    expect(pinned.plan!.predicted.secondsPerSegment).toBeGreaterThan(report.plan!.predicted.secondsPerSegment)
    expect(pinned.plan!.reasons).toEqual(['You pinned compile false, attention sdpa.', expect.stringMatching(/^In effect: /), 'Attention: PyTorch SDPA, as asked.', 'No compilation, as asked.'])
  })

  it('says why a pinned backend the engine lacks falls back to SDPA', () => {
    const pinned = applyPlanOverride(reportFor('rtx4090'), { ...AUTOMATIC, attention: 'flash3' }, [], LEVERS)
    expect(pinned.plan!.speed.attention).toBe('sdpa')
    expect(pinned.plan!.reasons.join('\n')).toMatch(/FlashAttention-3 was asked for but the engine doesn't report it/)
  })
})
