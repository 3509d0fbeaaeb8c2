// Properties of the planner over many machines: seeded sweeps, so failures reproduce.
import { describe, expect, it } from 'vitest'
import { planSchema, type LeverSupport, type Plan } from '../../src/shared/plan'
import { SPEED_BAND, planRender, ramMarginMiB, vramMarginMiB, type PlanRequest } from '../../src/main/planner/planner'
import { gpu } from './hardware'

/** mulberry32: a tiny seeded PRNG. */
function random(seed: number): () => number {
  let state = seed
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const KINDS = [
  { name: 'NVIDIA H100 80GB HBM3', computeCapability: '9.0' },
  { name: 'NVIDIA A100-SXM4-80GB', computeCapability: '8.0' },
  { name: 'NVIDIA L40S', computeCapability: '8.9' },
  { name: 'NVIDIA GeForce RTX 4090', computeCapability: '8.9' },
  { name: 'NVIDIA GeForce RTX 3090', computeCapability: '8.6' },
  { name: 'Tesla T4', computeCapability: '7.5' },
  { name: 'NVIDIA Mystery GPU', computeCapability: '8.6' }
]
const ALL_LEVERS: LeverSupport = {
  attentionBackends: ['sdpa', 'flash', 'flash3', 'sage'],
  compile: { available: true, reason: null },
  fastMode: { available: true, reason: null }
}
const REQUESTS: PlanRequest[] = [
  { width: 1280, height: 720, frames: 81 },
  { width: 832, height: 480, frames: 161 },
  { width: 720, height: 1280, frames: 49 },
  { width: 1920, height: 1088, frames: 121 }
]

describe('planner properties', () => {
  it('never predicts more than free VRAM minus the margin, nor more RAM than the machine spares', () => {
    const next = random(20250101)
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!
    let plans = 0
    for (let trial = 0; trial < 400; trial++) {
      const totalMiB = Math.round(8192 + next() * 150000)
      const freeMiB = Math.round(totalMiB * (0.2 + 0.8 * next()))
      const kind = pick(KINDS)
      const card = gpu({ ...kind, totalMiB, freeMiB, pcieGen: pick([3, 4, 5]), pcieWidth: pick([4, 8, 16]) })
      const ramMiB = pick([16, 32, 64, 128, 256]) * 1024
      const request = { ...pick(REQUESTS), frames: 1 + 4 * Math.floor(next() * 60), mode: pick(['quality', 'fast'] as const) }
      const result = planRender([card], ramMiB, request, { levers: ALL_LEVERS })
      if (!result.plan) {
        expect(result.refusal.length).toBeGreaterThan(20)
        continue
      }
      plans++
      const { predicted } = planSchema.parse(result.plan)
      expect(predicted.peakVramMiB).toBeLessThanOrEqual(freeMiB - vramMarginMiB(totalMiB))
      expect(predicted.peakRamMiB).toBeLessThanOrEqual(ramMiB - ramMarginMiB(ramMiB))
    }
    expect(plans).toBeGreaterThan(200)
  })

  it('more free VRAM never gives a slower plan for the same model and segment length, and never a worse one', () => {
    const totalMiB = 160 * 1024
    for (const kind of KINDS) {
      for (const request of REQUESTS) {
        let previous: Plan | null = null
        for (let freeMiB = 6 * 1024; freeMiB <= totalMiB; freeMiB += 512) {
          const plan = planRender([gpu({ ...kind, totalMiB, freeMiB })], 256 * 1024, request).plan
          if (!plan) {
            expect(previous, `${kind.name} ${freeMiB} MiB: a plan at less memory, none at more`).toBeNull()
            continue
          }
          if (previous) {
            const where = `${kind.name}, ${request.width}x${request.height}, ${freeMiB} MiB free`
            // The bigger model and longer segments are quality steps, taken as soon as they fit.
            if (previous.model === 't2v-a14b') expect(plan.model, where).toBe('t2v-a14b')
            if (plan.model === previous.model) {
              expect(plan.segmentFrames, where).toBeGreaterThanOrEqual(previous.segmentFrames)
              if (plan.segmentFrames === previous.segmentFrames) {
                expect(plan.predicted.secondsPerSegment, where).toBeLessThanOrEqual(
                  Math.ceil(previous.predicted.secondsPerSegment * (1 + SPEED_BAND))
                )
              }
            }
          }
          previous = plan
        }
        expect(previous, `${kind.name} plans with 160 GiB free`).not.toBeNull()
      }
    }
  })
})
