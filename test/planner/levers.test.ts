// Issue #10's planner: fast mode, the speed levers, fp16 below compute 8.0, native frame rates,
// draft size and GPUs missing from the known-GPU table.
import { describe, expect, it } from 'vitest'
import { findKnownGpu } from '../../src/shared/knownGpus'
import { planSchema, type LeverSupport, type Plan } from '../../src/shared/plan'
import { planKey, type CalibrationEntry } from '../../src/main/planner/calibration'
import { predictTime, type Candidate } from '../../src/main/planner/costModel'
import { gpuProfile, type GpuProfile } from '../../src/main/planner/gpuProfile'
import { planRender, type PlanRequest, type PlannerOptions } from '../../src/main/planner/planner'
import { CARDS, RAM_128_GB, REQUEST_720P, gpu } from './hardware'

const ALL_LEVERS: LeverSupport = {
  attentionBackends: ['sdpa', 'flash', 'flash3', 'sage'],
  compile: { available: true, reason: null },
  fastMode: { available: true, reason: null }
}

function planOn(card: keyof typeof CARDS, request: PlanRequest = REQUEST_720P, options: PlannerOptions = {}): Plan {
  const result = planRender([CARDS[card]], RAM_128_GB, request, options)
  if (!result.plan) throw new Error(`expected a plan on ${card}, got: ${result.refusal}`)
  expect(planSchema.parse(result.plan)).toEqual(result.plan)
  return result.plan
}

const reasonsOf = (plan: Plan): string => plan.reasons.join('\n')

describe('GPUs missing from the known-GPU table', () => {
  const profile = (name: string, totalMiB: number, computeCapability: string): GpuProfile => {
    const result = gpuProfile(gpu({ name, totalMiB, freeMiB: totalMiB - 600, computeCapability }))
    if ('unusable' in result) throw new Error(result.unusable)
    return result
  }
  // A14B 720p in bf16 as the official runs did: only the GPU's speed differs between the two.
  const denoiseSeconds = (speedOf: GpuProfile): number => {
    const candidate: Candidate = {
      model: 't2v-a14b',
      precision: 'bf16',
      mode: 'quality',
      speed: { compile: false, attention: 'sdpa' },
      placement: { experts: 'swap', textEncoder: 'gpu', vaeTiling: false },
      segmentFrames: 81,
      width: 1280,
      height: 720,
      steps: 40
    }
    return predictTime(candidate, speedOf.speed).breakdown.denoise
  }

  it.each([
    ['NVIDIA GH200 480GB', 97871, '9.0', 'NVIDIA H100 80GB HBM3', 81559],
    ['NVIDIA GH200 144G HBM3e', 147456, '9.0', 'NVIDIA H200', 143771],
    ['NVIDIA A30', 24576, '8.0', 'NVIDIA A100-SXM4-40GB', 40960],
    ['NVIDIA RTX A5000', 24564, '8.6', 'NVIDIA GeForce RTX 3090', 24576],
    ['NVIDIA RTX 4000 Ada Generation', 20475, '8.9', 'NVIDIA GeForce RTX 4080', 16376],
    ['NVIDIA GeForce RTX 5080', 16303, '12.0', 'NVIDIA GeForce RTX 5090', 32607],
    ['NVIDIA B300', 275040, '10.3', 'NVIDIA B200', 183359],
    ['Quadro RTX 8000', 49152, '7.5', 'NVIDIA GeForce RTX 2080 Ti', 11264]
  ])('%s is estimated within 2x of the %s', (name, totalMiB, computeCapability, knownName, knownMiB) => {
    expect(findKnownGpu(name, totalMiB)).toBeNull()
    expect(findKnownGpu(knownName, knownMiB)).not.toBeNull()
    const estimated = profile(name, totalMiB, computeCapability)
    const known = profile(knownName, knownMiB, computeCapability)
    expect(estimated.speed.architecture).toBe(known.speed.architecture)
    const ratio = denoiseSeconds(estimated) / denoiseSeconds(known)
    expect(ratio).toBeGreaterThanOrEqual(0.5)
    expect(ratio).toBeLessThanOrEqual(2)
    expect(estimated.notes.join(' ')).toMatch(/isn't in the known-GPU table: compute .* is taken to run like the/)
  })

  it('plans a GH200 near an H100 (~1,000 s a 720p segment), not as a 20 TFLOPS card', () => {
    const gh200 = planRender([gpu({ name: 'NVIDIA GH200 480GB', totalMiB: 97871, freeMiB: 97200, computeCapability: '9.0' })], RAM_128_GB, REQUEST_720P).plan!
    const h100 = planOn('h100')
    expect(gh200.model).toBe('t2v-a14b')
    expect(gh200.predicted.secondsPerSegment).toBeGreaterThan(h100.predicted.secondsPerSegment / 2)
    expect(gh200.predicted.secondsPerSegment).toBeLessThan(h100.predicted.secondsPerSegment * 2)
    expect(gh200.predicted.secondsPerSegment).toBeLessThan(2000)
  })

  it('keeps the modest guess when not even the compute capability is known', () => {
    const mystery = gpuProfile({ ...gpu({ name: 'NVIDIA Mystery', totalMiB: 24576, freeMiB: 24000, computeCapability: '8.6' }), computeCapability: null })
    if ('unusable' in mystery) throw new Error(mystery.unusable)
    expect(mystery.speed.bf16Tflops).toBe(20)
    expect(mystery.notes.join(' ')).toMatch(/compute capability isn't reported/)
  })
})

describe('GPUs without bf16 (compute capability < 8.0)', () => {
  it('runs the TI2V-5B in fp16 on a T4 and says what is known about overflow', () => {
    const plan = planOn('t4')
    expect([plan.model, plan.precision]).toEqual(['ti2v-5b', 'fp16'])
    expect(reasonsOf(plan)).toMatch(/fp16: this GPU \(compute 7\.5\) has fp16 tensor cores but no bf16 ones/)
    expect(reasonsOf(plan)).toMatch(/trained in bf16 and no fp16 result is published/)
  })

  it('keeps quality mode on the 5B on a 32 GB V100 and says why not the A14B', () => {
    const v100 = gpu({ name: 'Tesla V100-SXM2-32GB', totalMiB: 32768, freeMiB: 32300, computeCapability: '7.0' })
    const plan = planRender([v100], RAM_128_GB, REQUEST_720P).plan!
    expect([plan.model, plan.precision]).toEqual(['ti2v-5b', 'fp16'])
    expect(reasonsOf(plan)).toMatch(/T2V-A14B would run in fp16, which its authors never validated/)
  })

  it('times fp16 on the fp16 tensor cores, far faster than the bf16 fallback', () => {
    const t4 = planOn('t4')
    const asInt8 = planOn('t4', REQUEST_720P, { precision: 'int8' })
    expect(t4.predicted.secondsPerSegment).toBeLessThan(asInt8.predicted.secondsPerSegment / 2)
  })

  it('runs fast mode’s A14B in fp16 on a 32 GB V100', () => {
    const v100 = gpu({ name: 'Tesla V100-SXM2-32GB', totalMiB: 32768, freeMiB: 32300, computeCapability: '7.0' })
    const plan = planRender([v100], RAM_128_GB, { ...REQUEST_720P, mode: 'fast' }, { levers: ALL_LEVERS }).plan!
    expect([plan.model, plan.precision, plan.mode, plan.speed.attention]).toEqual(['t2v-a14b', 'fp16', 'fast', 'sdpa'])
  })
})

describe('native frame rate and draft size', () => {
  it('plans 16 fps for the T2V-A14B and 24 fps for the TI2V-5B', () => {
    expect(planOn('h100').fps).toBe(16)
    expect(planOn('rtx4080').fps).toBe(24)
    expect(planOn('h100', REQUEST_720P, { model: 'ti2v-5b' }).fps).toBe(24)
  })

  it('rejects a plan whose fps is not its model’s', () => {
    expect(planSchema.safeParse({ ...planOn('h100'), fps: 24 }).success).toBe(false)
  })

  it.each([
    ['h100', 832, 480],
    ['h100', 480, 832],
    ['rtx4080', 832, 480],
    ['rtx4080', 480, 832]
  ] as const)('%s renders the %ix%i draft at that size, in well under 60%% of the 720p time', (card, width, height) => {
    const draft = planOn(card, { ...REQUEST_720P, width, height })
    const full = planOn(card)
    expect([draft.width, draft.height]).toEqual([width, height])
    expect(draft.predicted.secondsPerSegment).toBeLessThan(full.predicted.secondsPerSegment * 0.6)
    expect(reasonsOf(draft)).not.toMatch(/becomes/)
  })
})

describe('fast mode', () => {
  const FAST = { ...REQUEST_720P, mode: 'fast' as const }

  it('is refused without the LoRAs, with the sidecar’s reason', () => {
    expect(planRender([CARDS.h100], RAM_128_GB, FAST).refusal).toMatch(/^Fast mode isn't available: the engine reported no fast-mode LoRAs/)
    const missing = { ...ALL_LEVERS, fastMode: { available: false, reason: 'high_noise_model.safetensors is missing from /models/lightning' } }
    expect(planRender([CARDS.h100], RAM_128_GB, FAST, { levers: missing }).refusal).toBe(
      "Fast mode isn't available: high_noise_model.safetensors is missing from /models/lightning."
    )
  })

  it('is refused for the TI2V-5B', () => {
    expect(planRender([CARDS.h100], RAM_128_GB, FAST, { levers: ALL_LEVERS, model: 'ti2v-5b' }).refusal).toMatch(/made for the T2V-A14B only/)
  })

  it('denoises in 4 single passes: a twentieth of quality mode’s 40 steps x 2 passes, plus the LoRA', () => {
    const quality = planOn('h200', REQUEST_720P, { levers: { ...ALL_LEVERS, attentionBackends: ['sdpa'], compile: { available: false, reason: 'off' } } })
    const fast = planOn('h200', FAST, { levers: { ...ALL_LEVERS, attentionBackends: ['sdpa'], compile: { available: false, reason: 'off' } } })
    expect([fast.mode, fast.model, fast.precision, fast.placement.experts]).toEqual(['fast', 't2v-a14b', 'bf16', 'resident'])
    const denoise = (plan: Plan): number => Number(/, ([\d.]+) (s|min) of it denoising/.exec(reasonsOf(plan))?.[1])
    expect(reasonsOf(fast)).toMatch(/denoising 4 steps/)
    expect(reasonsOf(fast)).toMatch(/one pass a step, 4 passes a segment instead of 80/)
    expect(denoise(fast)).toBeGreaterThan(0)
    expect(fast.predicted.secondsPerSegment).toBeLessThan(quality.predicted.secondsPerSegment / 10)
    expect(fast.predicted.oneTime?.loraLoadSeconds).toBeGreaterThan(0)
    expect(quality.predicted.oneTime?.loraLoadSeconds).toBe(0)
  })

  it('plans 4 steps whatever steps were asked, and says so', () => {
    const plan = planOn('h100', { ...FAST, steps: 40 }, { levers: ALL_LEVERS })
    expect(reasonsOf(plan)).toMatch(/4 steps \(40 steps were asked; the LoRAs are trained for 4\)/)
    expect(reasonsOf(plan)).toMatch(/denoising 4 steps/)
  })

  it('runs the A14B on a 16 GB card, where quality mode picks the 5B', () => {
    expect(planOn('rtx4080').model).toBe('ti2v-5b')
    const fast = planOn('rtx4080', FAST, { levers: ALL_LEVERS })
    expect([fast.model, fast.placement.experts]).toEqual(['t2v-a14b', 'stream'])
  })
})

describe('attention backend', () => {
  it('picks SageAttention on Ada, FlashAttention-3 on Hopper, and gives the reason', () => {
    const ada = planOn('rtx4090', REQUEST_720P, { levers: ALL_LEVERS })
    expect(ada.speed.attention).toBe('sage')
    expect(reasonsOf(ada)).toMatch(/Attention: SageAttention, about 2x SDPA's attention.*quantizes Q and K to 8 bits/)
    expect(planOn('h100', REQUEST_720P, { levers: ALL_LEVERS }).speed.attention).toBe('flash3')
  })

  it('stays on SDPA where flash-attn is all that is installed (the same kernel)', () => {
    const plan = planOn('rtx4090', REQUEST_720P, { levers: { ...ALL_LEVERS, attentionBackends: ['sdpa', 'flash'] } })
    expect(plan.speed.attention).toBe('sdpa')
    expect(reasonsOf(plan)).toMatch(/as fast here as the others installed/)
  })

  it('honours the user’s choice, and falls back to SDPA with the reason when it can’t run', () => {
    expect(planOn('rtx4090', REQUEST_720P, { levers: ALL_LEVERS, leverChoice: { attention: 'sdpa' } }).speed.attention).toBe('sdpa')
    const hopperOnly = planOn('rtx4090', REQUEST_720P, { levers: ALL_LEVERS, leverChoice: { attention: 'flash3' } })
    expect(hopperOnly.speed.attention).toBe('sdpa')
    expect(reasonsOf(hopperOnly)).toMatch(/FlashAttention-3 was asked for but it doesn't run on this GPU's architecture \(ada\)/)
    const unreported = planOn('rtx4090', REQUEST_720P, { levers: { ...ALL_LEVERS, attentionBackends: ['sdpa'] }, leverChoice: { attention: 'sage' } })
    expect(reasonsOf(unreported)).toMatch(/SageAttention was asked for but the engine doesn't report it/)
  })

  it('is faster in the time model than SDPA, by the attention share only', () => {
    const sdpa = planOn('rtx4090', REQUEST_720P, { levers: ALL_LEVERS, leverChoice: { attention: 'sdpa', compile: false } })
    const sage = planOn('rtx4090', REQUEST_720P, { levers: ALL_LEVERS, leverChoice: { attention: 'sage', compile: false } })
    expect(sage.predicted.secondsPerSegment).toBeLessThan(sdpa.predicted.secondsPerSegment)
    expect(sage.predicted.secondsPerSegment).toBeGreaterThan(sdpa.predicted.secondsPerSegment / 2)
  })
})

describe('regional compilation', () => {
  it('is on where it pays back its compile time, with the figures', () => {
    const plan = planOn('h100', REQUEST_720P, { levers: ALL_LEVERS })
    expect(plan.speed.compile).toBe(true)
    expect(reasonsOf(plan)).toMatch(/Regional compilation of the repeated block \(compile_repeated_blocks\): about 1\.2x a pass/)
    expect(plan.predicted.oneTime).toEqual({ loraLoadSeconds: 0, compileSeconds: 60, compileCachedSeconds: 10 })
  })

  it('is off where it costs more than it saves (one fast segment on an H100)', () => {
    const plan = planOn('h100', { ...REQUEST_720P, mode: 'fast' }, { levers: ALL_LEVERS })
    expect(plan.speed.compile).toBe(false)
    expect(reasonsOf(plan)).toMatch(/No compilation: it would cost more than it saves here/)
    expect(plan.predicted.oneTime?.compileSeconds).toBe(0)
  })

  it('follows the user’s switch, and says why when the engine lacks it', () => {
    expect(planOn('h100', REQUEST_720P, { levers: ALL_LEVERS, leverChoice: { compile: false } }).speed.compile).toBe(false)
    expect(planOn('h100', { ...REQUEST_720P, mode: 'fast' }, { levers: ALL_LEVERS, leverChoice: { compile: true } }).speed.compile).toBe(true)
    const without = { ...ALL_LEVERS, compile: { available: false, reason: 'Triton is not installed' } }
    const plan = planOn('h100', REQUEST_720P, { levers: without, leverChoice: { compile: true } })
    expect(plan.speed.compile).toBe(false)
    expect(reasonsOf(plan)).toMatch(/No compilation: it was asked for, but Triton is not installed\./)
  })
})

describe('calibration keyed by mode and levers', () => {
  it('keeps the pre-#10 key for quality, eager, SDPA and extends it otherwise', () => {
    const plan = planOn('h100')
    expect(planKey(plan)).toBe('t2v-a14b/bf16/swap/umt5-gpu/vae-whole/1280x720/81')
    expect(planKey({ ...plan, mode: 'fast', speed: { compile: true, attention: 'sage' } })).toBe(
      't2v-a14b/bf16/swap/umt5-gpu/vae-whole/1280x720/81/fast/compiled/attn-sage'
    )
  })

  it('a fast run’s measured seconds per step calibrate the fast plan, not the quality one', () => {
    const options = { levers: ALL_LEVERS, leverChoice: { compile: false, attention: 'flash3' as const } }
    const fast = planOn('h200', { ...REQUEST_720P, mode: 'fast' }, options)
    const entry: CalibrationEntry = { gpuName: CARDS.h200.name, planKey: planKey(fast), peakVramMiB: 60000, secondsPerStep: 2, samples: 3, updatedAt: '2026-12-01T00:00:00.000Z' }
    const calibrated = planOn('h200', { ...REQUEST_720P, mode: 'fast' }, { ...options, calibration: [entry] })
    expect(reasonsOf(calibrated)).toMatch(/2\.0 s per step; used instead of the prediction/)
    expect(calibrated.predicted.secondsPerSegment).toBeLessThan(fast.predicted.secondsPerSegment)
    const quality = planOn('h200', REQUEST_720P, { ...options, calibration: [entry] })
    expect(reasonsOf(quality)).not.toMatch(/used instead of the prediction/)
  })
})
