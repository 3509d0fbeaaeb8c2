import { describe, expect, it } from 'vitest'
import { planSchema, type Plan } from '../../src/shared/plan'
import { planKey, type CalibrationEntry } from '../../src/main/planner/calibration'
import { checkOverride, planRender, vramMarginMiB } from '../../src/main/planner/planner'
import { CARDS, RAM_128_GB, REQUEST_720P, gpu } from './hardware'

function planFor(card: keyof typeof CARDS, request = REQUEST_720P): Plan {
  const result = planRender([CARDS[card]], RAM_128_GB, request)
  if (!result.plan) throw new Error(`expected a plan for ${card}, got refusal: ${result.refusal}`)
  expect(planSchema.parse(result.plan)).toEqual(result.plan)
  return result.plan
}

describe('planRender: expected choices for 1280x720, 81 frames, weights present, 128 GB RAM', () => {
  it.each([
    ['h200', 't2v-a14b', 'bf16', 'resident'],
    ['h100', 't2v-a14b', 'bf16', 'swap'],
    ['a100', 't2v-a14b', 'bf16', 'swap'],
    ['l40s', 't2v-a14b', 'bf16', 'swap'],
    ['rtx5090', 't2v-a14b', 'fp8', 'swap'],
    ['rtx4090', 't2v-a14b', 'fp8', 'stream'],
    ['rtx3090', 't2v-a14b', 'int8', 'stream'],
    ['rtx4080', 'ti2v-5b', 'fp8', 'resident'],
    ['rtx3060', 'ti2v-5b', 'int8', 'stream'],
    ['t4', 'ti2v-5b', 'fp16', 'stream']
  ] as const)('%s: %s %s, experts %s', (card, model, precision, experts) => {
    const plan = planFor(card)
    expect({ model: plan.model, precision: plan.precision, experts: plan.placement.experts }).toEqual({ model, precision, experts })
    expect(plan.segmentFrames).toBe(81)
    expect(plan.predicted.peakVramMiB).toBeLessThanOrEqual(CARDS[card].memoryFreeMiB! - vramMarginMiB(CARDS[card].memoryTotalMiB!))
  })

  it('keeps the L40S off block streaming', () => {
    expect(planFor('l40s').placement.experts).not.toBe('stream')
  })

  it('renders the 5B at its own 720p, 1280x704, and says why', () => {
    const plan = planFor('rtx3060')
    expect([plan.width, plan.height]).toEqual([1280, 704])
    expect(plan.reasons.join('\n')).toMatch(/multiples of 32: 1280x720 becomes 1280x704/)
    expect(plan.reasons.join('\n')).toMatch(/T2V-A14B wants a GPU of at least 20\.0 GiB/)
  })

  it('refuses 8 GB cards with the reason', () => {
    for (const card of [CARDS.rtx3070, CARDS.rtx4060]) {
      const result = planRender([card], RAM_128_GB, REQUEST_720P)
      expect(result.plan).toBeUndefined()
      expect(result.refusal).toMatch(/has 8\.0 GiB of memory; the real engine needs at least 10\.0 GiB/)
    }
  })

  it('refuses without a GPU', () => {
    expect(planRender([], RAM_128_GB, REQUEST_720P).refusal).toMatch(/No NVIDIA GPU found/)
  })

  it('plans on the GPU with the most free memory', () => {
    const display = gpu({ ...facts(CARDS.rtx4090), index: 0, freeMiB: 21000 })
    const idle = gpu({ ...facts(CARDS.rtx4090), index: 1, freeMiB: 24100 })
    const small = gpu({ ...facts(CARDS.rtx3060), index: 2 })
    const plan = planRender([display, idle, small], RAM_128_GB, REQUEST_720P).plan!
    expect(plan.gpuIndex).toBe(1)
    expect(plan.gpuUuid).toBe('GPU-test-1')
    expect(plan.reasons[0]).toMatch(/GPU 1 .* most free memory of the 3 GPUs/)
  })

  it('falls back to 8-bit when RAM cannot hold bf16 experts', () => {
    // bf16 A14B loads ~68 GB of weights into RAM first; a 64 GB machine can't.
    const plan = planRender([CARDS.l40s], 64 * 1024, REQUEST_720P).plan!
    expect(plan.precision).toBe('fp8')
    expect(plan.predicted.peakRamMiB).toBeLessThanOrEqual(64 * 1024 * 0.9)
  })

  it('shortens segments before giving up, and says so', () => {
    const tight = gpu({ ...facts(CARDS.rtx4090), freeMiB: 9000 })
    const plan = planRender([tight], RAM_128_GB, REQUEST_720P).plan!
    expect(plan.model).toBe('t2v-a14b')
    expect(plan.segmentFrames).toBeLessThan(81)
    expect((plan.segmentFrames - 1) % 4).toBe(0)
    expect(plan.reasons.join('\n')).toMatch(new RegExp(`Segments of ${plan.segmentFrames} frames: ${plan.segmentFrames + 4}-frame segments don't fit`))
  })

  it('drops to the 5B when the A14B does not fit 33-frame segments', () => {
    const busy = gpu({ ...facts(CARDS.rtx4090), freeMiB: 7600 })
    const plan = planRender([busy], RAM_128_GB, REQUEST_720P).plan!
    expect(plan.model).toBe('ti2v-5b')
    expect(plan.reasons.join('\n')).toMatch(/TI2V-5B: the T2V-A14B doesn't fit/)
  })

  it('refuses when nothing fits, naming the leanest plan', () => {
    const busy = gpu({ ...facts(CARDS.rtx3060), freeMiB: 3000 })
    expect(planRender([busy], RAM_128_GB, REQUEST_720P).refusal).toMatch(/Not enough memory .* even the leanest plan \(TI2V-5B, int8, streamed/)
  })

  it('honours a pinned model and precision', () => {
    const plan = planRender([CARDS.h100], RAM_128_GB, REQUEST_720P, { model: 'ti2v-5b', precision: 'int8' }).plan!
    expect([plan.model, plan.precision]).toEqual(['ti2v-5b', 'int8'])
    expect(plan.reasons).toContain('TI2V-5B, as asked.')
    expect(plan.reasons).toContain('int8, as asked.')
  })

  it('streams bf16 only when bf16 is pinned', () => {
    const plan = planRender([CARDS.rtx4090], RAM_128_GB, REQUEST_720P, { precision: 'bf16' }).plan!
    expect([plan.precision, plan.placement.experts]).toEqual(['bf16', 'stream'])
  })

  it('uses one short segment for a short clip and the model default steps', () => {
    const plan = planFor('h100', { width: 832, height: 480, frames: 33, weightsPresent: true })
    expect(plan.segmentFrames).toBe(33)
    expect(plan.reasons).toContain('One 33-frame segment covers the 33-frame clip.')
    expect(plan.reasons.join('\n')).toMatch(/denoising 40 steps/)
  })

  it('explains the plan in plain words', () => {
    const reasons = planFor('rtx4090').reasons.join('\n')
    expect(reasons).toMatch(/fp8 weights \(compute 8\.9 converts fp8 in hardware\)/)
    expect(reasons).toMatch(/Transformer blocks stream from RAM .* a whole expert on the GPU doesn't fit/)
    expect(reasons).toMatch(/Predicted peak [\d,]+ MiB of GPU memory, within the [\d,]+ MiB usable \(23,563 MiB free minus a 2,456 MiB safety margin\)/)
    expect(reasons).toMatch(/About 1 h \d+ min per segment/)
  })

  it('says when the weights are not installed, and plans the same', () => {
    const absent = planRender([CARDS.rtx4090], RAM_128_GB, { ...REQUEST_720P, weightsPresent: false }).plan!
    const present = planFor('rtx4090')
    expect(absent.reasons.at(-1)).toMatch(/weights aren't installed yet/)
    expect({ ...absent, reasons: [] }).toEqual({ ...present, reasons: [] })
  })

  it('rejects a nonsense request with a refusal, not a throw', () => {
    expect(planRender([CARDS.h100], RAM_128_GB, { width: 0, height: 720, frames: 81 }).refusal).toMatch(/Invalid size/)
    expect(planRender([CARDS.h100], RAM_128_GB, { width: 1280, height: 720, frames: 2.5 }).refusal).toMatch(/Invalid frame count/)
  })

  it('plans on the largest MIG slice and names it', () => {
    const mig = {
      ...CARDS.a100,
      migEnabled: true,
      migDevices: [
        { uuid: 'MIG-small', profile: '1g.10gb', memoryMiB: 9536 },
        { uuid: 'MIG-big', profile: '4g.40gb', memoryMiB: 38146 }
      ]
    }
    const plan = planRender([mig], RAM_128_GB, REQUEST_720P).plan!
    expect(plan.gpuUuid).toBe('MIG-big')
    expect(plan.reasons.join('\n')).toMatch(/MIG mode: the plan uses its largest slice, 4g\.40gb/)
    expect(planRender([{ ...mig, migDevices: [] }], RAM_128_GB, REQUEST_720P).refusal).toMatch(/MIG mode with no MIG slice/)
  })
})

describe('planRender with calibration', () => {
  it('prefers measured figures to predictions and says so', () => {
    const predicted = planFor('rtx4090')
    const measured: CalibrationEntry = {
      gpuName: CARDS.rtx4090.name,
      planKey: planKey(predicted),
      peakVramMiB: 15000,
      secondsPerStep: 50,
      samples: 3,
      updatedAt: '2025-01-01T00:00:00.000Z'
    }
    const plan = planRender([CARDS.rtx4090], RAM_128_GB, REQUEST_720P, { calibration: [measured] }).plan!
    expect(plan.predicted.peakVramMiB).toBe(15800) // measured reserved + the CUDA context
    expect(plan.predicted.secondsPerSegment).toBeLessThan(predicted.predicted.secondsPerSegment)
    expect(plan.reasons.join('\n')).toMatch(/Measured on this GPU over 3 segment\(s\): peak 15,000 MiB reserved, 50\.0 s per step; used instead of the prediction/)
  })

  it('drops a plan whose measured peak no longer fits', () => {
    const predicted = planFor('rtx4090')
    const tooBig: CalibrationEntry = {
      gpuName: CARDS.rtx4090.name,
      planKey: planKey(predicted),
      peakVramMiB: 22000,
      secondsPerStep: 50,
      samples: 1,
      updatedAt: '2025-01-01T00:00:00.000Z'
    }
    const plan = planRender([CARDS.rtx4090], RAM_128_GB, REQUEST_720P, { calibration: [tooBig] }).plan!
    expect(planKey(plan)).not.toBe(planKey(predicted))
  })

  it('ignores entries for other GPUs', () => {
    const predicted = planFor('rtx4090')
    const other: CalibrationEntry = { gpuName: 'NVIDIA GeForce RTX 3090', planKey: planKey(predicted), peakVramMiB: 22000, secondsPerStep: 1, samples: 1, updatedAt: '' }
    expect(planRender([CARDS.rtx4090], RAM_128_GB, REQUEST_720P, { calibration: [other] }).plan).toEqual(predicted)
  })
})

describe('checkOverride', () => {
  const hardware = (card: keyof typeof CARDS) => ({ gpus: [CARDS[card]], ramTotalMiB: RAM_128_GB })

  it('has nothing to say about the planner’s own plan', () => {
    expect(checkOverride(planFor('rtx4090'), hardware('rtx4090'))).toEqual([])
  })

  it('warns that a bf16 resident A14B will not fit a 4090', () => {
    const plan: Plan = { ...planFor('rtx4090'), precision: 'bf16', placement: { experts: 'resident', textEncoder: 'gpu', vaeTiling: false } }
    expect(checkOverride(plan, hardware('rtx4090'))).toEqual([expect.stringMatching(/^Won't fit: this plan needs about [\d,]+ MiB of GPU memory; GPU 0 has 23,563 MiB free\.$/)])
  })

  it('warns about plans inside the safety margin', () => {
    const plan = planFor('rtx4090')
    const squeezed = gpu({ ...facts(CARDS.rtx4090), freeMiB: plan.predicted.peakVramMiB + 500 })
    expect(checkOverride(plan, { gpus: [squeezed], ramTotalMiB: RAM_128_GB })).toEqual([expect.stringMatching(/^Tight: .* inside the 2,456 MiB safety margin/)])
  })

  it('warns about fp8 without fp8 hardware, RAM, a missing GPU and a malformed plan', () => {
    const fp8OnAmpere: Plan = { ...planFor('rtx3090'), precision: 'fp8' }
    expect(checkOverride(fp8OnAmpere, hardware('rtx3090'))).toEqual([expect.stringMatching(/fp8 on NVIDIA GeForce RTX 3090: without fp8 hardware/)])
    expect(checkOverride(planFor('h100'), { gpus: [CARDS.h100], ramTotalMiB: 32 * 1024 })).toEqual([expect.stringMatching(/^Won't fit: .* of RAM/)])
    expect(checkOverride({ ...planFor('h100'), gpuIndex: 3 }, hardware('h100'))).toEqual(['GPU 3 doesn\'t exist here (GPUs: 0).'])
    expect(checkOverride({ ...planFor('h100'), segmentFrames: 80 }, hardware('h100'))).toContain('segmentFrames: segmentFrames must be 4n+1')
  })

  it('warns that compute 7.5 has no bf16 tensor cores when 8-bit (bf16 compute) is pinned, not for the planner’s fp16', () => {
    expect(checkOverride(planFor('t4'), hardware('t4'))).toEqual([])
    expect(checkOverride({ ...planFor('t4'), precision: 'int8' }, hardware('t4'))).toContainEqual(expect.stringMatching(/no bf16 tensor cores: int8 computes in bf16/))
  })

  it('warns that fp16 on a bf16 GPU risks overflow for nothing', () => {
    expect(checkOverride({ ...planFor('h100'), precision: 'fp16' }, hardware('h100'))).toContainEqual(expect.stringMatching(/fp16 may overflow/))
  })
})

function facts(record: (typeof CARDS)[keyof typeof CARDS]) {
  return { name: record.name, totalMiB: record.memoryTotalMiB!, freeMiB: record.memoryFreeMiB!, computeCapability: record.computeCapability! }
}
