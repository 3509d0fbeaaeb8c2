// The cost model against the official Wan2.2 single-GPU figures (shared/notes/wan22.md), run as
// the official generate.py ran them: --offload_model True (our "swap"), bf16, whole-frame VAE.
import { describe, expect, it } from 'vitest'
import { forwardFlops, predictMemory, predictTime, type Candidate } from '../../src/main/planner/costModel'
import { gpuProfile, type GpuProfile } from '../../src/main/planner/gpuProfile'
import { WAN_MODELS, latentTokens } from '../../src/main/planner/wanModels'
import { gpu } from './hardware'

function profile(name: string, computeCapability: string, pcieGen: number): GpuProfile {
  const result = gpuProfile(gpu({ name, totalMiB: 81559, freeMiB: 81000, computeCapability, pcieGen }))
  if ('unusable' in result) throw new Error(result.unusable)
  return result
}

const officialRun = (model: Candidate['model'], width: number, height: number, frames: number, textEncoder: 'gpu' | 'cpu'): Candidate => ({
  model,
  precision: 'bf16',
  mode: 'quality',
  speed: { compile: false, attention: 'sdpa' },
  placement: { experts: 'swap', textEncoder, vaeTiling: false },
  segmentFrames: frames,
  width,
  height,
  steps: WAN_MODELS[model].defaultSteps
})

const A14B_720P = officialRun('t2v-a14b', 1280, 720, 81, 'gpu')
const A14B_480P = officialRun('t2v-a14b', 832, 480, 81, 'gpu')
const TI2V_5B_720P = officialRun('ti2v-5b', 1280, 704, 121, 'cpu') // run with --t5_cpu

describe('time model vs the official single-GPU table', () => {
  it.each([
    ['H100 T2V-A14B 720p', A14B_720P, profile('NVIDIA H100 80GB HBM3', '9.0', 5), 1041.5, 0.03],
    ['A100 T2V-A14B 720p', A14B_720P, profile('NVIDIA A100-SXM4-80GB', '8.0', 4), 2735.7, 0.03],
    ['RTX 4090 TI2V-5B 720p', TI2V_5B_720P, profile('NVIDIA GeForce RTX 4090', '8.9', 4), 534.7, 0.03],
    // Not fitted: shorter sequences run at lower efficiency, so the model is optimistic here.
    ['H100 T2V-A14B 480p', A14B_480P, profile('NVIDIA H100 80GB HBM3', '9.0', 5), 326.9, 0.2]
  ] as const)('%s: %s s within the stated error', (_, candidate, gpuProfile, officialSeconds, tolerance) => {
    const seconds = predictTime(candidate, gpuProfile.speed).secondsPerSegment
    expect(Math.abs(seconds / officialSeconds - 1)).toBeLessThanOrEqual(tolerance)
  })

  it('counts tokens and FLOPs as docs/planner.md does', () => {
    const a14b = WAN_MODELS['t2v-a14b']
    expect(latentTokens(a14b, 1280, 720, 81)).toBe(75600)
    expect(latentTokens(a14b, 832, 480, 81)).toBe(32760)
    expect(latentTokens(WAN_MODELS['ti2v-5b'], 1280, 704, 121)).toBe(27280)
    const flops = forwardFlops(a14b, 75600)
    expect(flops.linear / 1e15).toBeCloseTo(1.81, 2)
    expect(flops.attention / 1e15).toBeCloseTo(4.71, 2)
  })

  it('orders placements by what they cost: resident < swap < stream', () => {
    const h100 = profile('NVIDIA H100 80GB HBM3', '9.0', 5)
    const seconds = (experts: 'resident' | 'swap' | 'stream') =>
      predictTime({ ...A14B_720P, precision: 'fp8', placement: { ...A14B_720P.placement, experts } }, h100.speed).secondsPerSegment
    expect(seconds('resident')).toBeLessThan(seconds('swap'))
    expect(seconds('swap')).toBeLessThan(seconds('stream'))
  })

  it('charges software fp8 on Ampere more than INT8, and a narrow link more than a wide one', () => {
    const ampere = profile('NVIDIA A100-SXM4-80GB', '8.0', 4)
    const small = { ...A14B_480P, segmentFrames: 17, placement: { ...A14B_480P.placement, experts: 'stream' as const } }
    const time = (precision: 'fp8' | 'int8', pcieGBps = ampere.speed.pcieGBps) =>
      predictTime({ ...small, precision }, { ...ampere.speed, pcieGBps }).secondsPerSegment
    expect(time('fp8')).toBeGreaterThan(time('int8'))
    expect(time('int8', 4)).toBeGreaterThan(time('int8'))
  })
})

describe('memory model', () => {
  it('puts one bf16 expert, its activations, the VAE and the CUDA context on the GPU for the official 720p run', () => {
    const memory = predictMemory(A14B_720P)
    // 800 context + 485 VAE + 27,275 expert + 75,600 tokens x 128 KiB = 9,450 activations
    expect(memory.phasesMiB.denoise).toBeCloseTo(38010, -1)
    // The encode phase adds umT5 (10,872 MiB) to the expert that stays from the last segment.
    expect(memory.peakVramMiB).toBe(Math.ceil(memory.phasesMiB.encode))
    // bf16 experts, umT5 and the VAE all pass through RAM while loading.
    expect(memory.peakRamMiB).toBeGreaterThan(68000)
  })

  it('lands within 10% of the official 22.9 GB peak for the RTX 4090 TI2V-5B run', () => {
    const gigabytes = (predictMemory(TI2V_5B_720P).peakVramMiB * 2 ** 20) / 1e9
    expect(Math.abs(gigabytes / 22.9 - 1)).toBeLessThan(0.1)
  })

  it('shrinks with 8-bit weights, streaming and tiling', () => {
    const streamed = { ...A14B_720P, precision: 'int8' as const, placement: { experts: 'stream' as const, textEncoder: 'cpu' as const, vaeTiling: true } }
    expect(predictMemory(streamed).peakVramMiB).toBeLessThan(predictMemory({ ...streamed, precision: 'bf16' }).peakVramMiB)
    expect(predictMemory(streamed).peakVramMiB).toBeLessThan(predictMemory({ ...streamed, placement: { ...streamed.placement, experts: 'swap' } }).peakVramMiB)
    expect(predictMemory(streamed).phasesMiB.decode).toBeLessThan(predictMemory({ ...streamed, placement: { ...streamed.placement, vaeTiling: false } }).phasesMiB.decode)
  })
})
