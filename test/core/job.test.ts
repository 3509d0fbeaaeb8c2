// The render job with a stand-in engine (ffmpeg's test source): checkpoints and out-of-memory step-down,
// phase by phase.
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { stepDownAfterOutOfMemory } from '../../src/main/core/studio'
import { outOfMemoryPhase, smallerPlacement, type OutOfMemoryPhase } from '../../src/main/planner/override'
import { jobIdFor, runRenderJob, type GenerateSegment, type ResolvedRender } from '../../src/main/render/job'
import { SidecarError } from '../../src/main/sidecar/client'
import { RpcCode, type GenerateParams } from '../../src/main/sidecar/protocol'
import type { Plan } from '../../src/shared/plan'
import { ffmpegFor, testEnv } from '../helpers/studio'

const ffmpeg = ffmpegFor(testEnv())

const plan: Plan = {
  gpuIndex: 0,
  model: 't2v-a14b',
  precision: 'bf16',
  placement: { experts: 'resident', textEncoder: 'gpu', vaeTiling: false },
  segmentFrames: 81,
  width: 320,
  height: 176,
  predicted: { peakVramMiB: 1, peakRamMiB: 1, secondsPerSegment: 1 },
  reasons: []
}

const render: ResolvedRender = {
  prompt: 'a test card',
  negativePrompt: null,
  frames: 96,
  seed: 1,
  engine: 'diffusers',
  steps: 2,
  width: 320,
  height: 176,
  maxSegmentFrames: 81,
  gpuName: null,
  engineOptions: { plan, modelsDir: '/models' }
}

/**
 * Writes `frames` frames of ffmpeg's test card, as the sidecar writes a segment. `failWhen` says
 * when to run out of memory instead: true for an error without a phase (an older sidecar), or the
 * phase to put in its data.
 */
const testCardEngine = (calls: GenerateParams[], failWhen: (params: GenerateParams) => boolean | OutOfMemoryPhase = () => false): GenerateSegment =>
  async (params, _signal, onStep) => {
    calls.push(params)
    const failure = failWhen(params)
    if (failure) {
      const phase = failure === true ? {} : { phase: failure }
      throw new SidecarError('CUDA out of memory', RpcCode.outOfMemory, { plan: (params.options as { plan: Plan }).plan, ...phase })
    }
    execFileSync(ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=${params.width}x${params.height}:rate=16`, '-frames:v', String(params.frames), '-pix_fmt', 'yuv420p', params.output])
    onStep({ requestId: 1, shot: 0, segment: params.segment, step: params.steps, steps: params.steps, expert: null, elapsedSeconds: 0 })
    return { output: params.output, frames: params.frames, width: params.width, height: params.height, fps: 16, engine: 'diffusers', elapsedSeconds: 0, secondsPerStep: 0.1 }
  }

function run(generate: GenerateSegment, logs: string[] = [], jobsDir = mkdtempSync(join(tmpdir(), 'wan-job-'))) {
  return runRenderJob({
    render,
    jobsDir,
    ffmpeg,
    generate,
    mediaUrl: (path) => path,
    signal: new AbortController().signal,
    onProgress: () => undefined,
    onLog: (message) => logs.push(message),
    onOutOfMemory: stepDownAfterOutOfMemory // what the studio passes
  })
}

const placementOf = (params: GenerateParams): Plan['placement'] => (params.options as { plan: Plan }).plan.placement
const shortPlacement = (placement: Plan['placement']): string => `${placement.experts}/${placement.textEncoder}/${placement.vaeTiling ? 'tiled' : 'whole'}`

/** Every placement smallerPlacement walks through from `plan` when each retry fails in `phase`. */
function stepDowns(phase?: OutOfMemoryPhase): string[] {
  const steps: string[] = []
  for (let next: Plan | null = plan; next; next = smallerPlacement(next, phase)) steps.push(shortPlacement(next.placement))
  return steps
}

describe('render job', () => {
  it('steps the placement down after an out-of-memory error and keeps the job', async () => {
    const calls: GenerateParams[] = []
    const logs: string[] = []
    // No phase in the error (an older sidecar): the general order, cheapest first.
    const result = await run(testCardEngine(calls, (params) => placementOf(params).textEncoder === 'gpu'), logs)
    expect(result).toMatchObject({ frames: 96, segments: 2, jobId: jobIdFor(render) })
    // Segment 0: whole VAE fails, tiled VAE fails, umT5 on CPU renders; segment 1 starts from there.
    expect(calls.map((call) => [call.segment, placementOf(call).vaeTiling, placementOf(call).textEncoder])).toEqual([
      [0, false, 'gpu'],
      [0, true, 'gpu'],
      [0, true, 'cpu'],
      [1, true, 'cpu']
    ])
    expect(logs.filter((line) => /retrying with a smaller placement/.test(line))).toHaveLength(2)
    expect(existsSync(result.output)).toBe(true)
  })

  it('fails with the out-of-memory error once nothing smaller is left', async () => {
    const calls: GenerateParams[] = []
    await expect(run(testCardEngine(calls, () => true))).rejects.toThrow(/out of memory/)
    expect(calls.map((call) => (call.options as { plan: Plan }).plan.placement.experts)).toEqual(['resident', 'resident', 'resident', 'swap', 'stream'])
  })

  it('never renders a finished segment twice', async () => {
    const jobsDir = mkdtempSync(join(tmpdir(), 'wan-job-'))
    const first: GenerateParams[] = []
    await run(testCardEngine(first), [], jobsDir)
    const second: GenerateParams[] = []
    const again = await run(testCardEngine(second), [], jobsDir)
    expect(first).toHaveLength(2)
    expect(second).toHaveLength(0)
    expect(again.resumedSegments).toBe(2)
  })

  it('orders step-downs from cheapest to slowest when the phase is unknown', () => {
    expect(stepDowns()).toEqual(['resident/gpu/whole', 'resident/gpu/tiled', 'resident/cpu/tiled', 'swap/cpu/tiled', 'stream/cpu/tiled'])
    expect(outOfMemoryPhase({ plan })).toBeUndefined()
    expect(outOfMemoryPhase({ phase: 'compile' })).toBeUndefined()
    expect(outOfMemoryPhase(null)).toBeUndefined()
  })

  // What helps the phase first, then the rest of the general order before giving up.
  it.each<[OutOfMemoryPhase, string[]]>([
    ['decode', ['resident/gpu/whole', 'resident/gpu/tiled', 'resident/cpu/tiled', 'swap/cpu/tiled', 'stream/cpu/tiled']],
    ['encode', ['resident/gpu/whole', 'resident/cpu/whole', 'resident/cpu/tiled', 'swap/cpu/tiled', 'stream/cpu/tiled']],
    ['denoise', ['resident/gpu/whole', 'swap/gpu/whole', 'stream/gpu/whole', 'stream/cpu/whole', 'stream/cpu/tiled']],
    ['load', ['resident/gpu/whole', 'swap/gpu/whole', 'stream/gpu/whole', 'stream/cpu/whole', 'stream/cpu/tiled']]
  ])('orders step-downs for a failure while in %s', (phase, expected) => {
    expect(outOfMemoryPhase({ plan, phase })).toBe(phase)
    expect(stepDowns(phase)).toEqual(expected)
    const reason = smallerPlacement(plan, phase)?.reasons[0]
    expect(reason).toMatch(/^Stepped down after running out of memory while (loading|encoding|denoising|decoding) with experts resident/)
  })

  // The stand-in runs out of memory in `phase` until the step that helps it is taken: one retry each
  // ("load" takes the same steps as "denoise").
  it.each<[OutOfMemoryPhase, (placement: Plan['placement']) => boolean, string]>([
    ['decode', (placement) => !placement.vaeTiling, 'resident/gpu/tiled'],
    ['encode', (placement) => placement.textEncoder === 'gpu', 'resident/cpu/whole'],
    ['denoise', (placement) => placement.experts === 'resident', 'swap/gpu/whole']
  ])('retries a segment that ran out of memory while in %s with the step that helps it', async (phase, fails, helped) => {
    const calls: GenerateParams[] = []
    const result = await run(testCardEngine(calls, (params) => fails(placementOf(params)) && phase))
    expect(result.frames).toBe(96)
    expect(calls.map((call) => [call.segment, shortPlacement(placementOf(call))])).toEqual([
      [0, 'resident/gpu/whole'],
      [0, helped],
      [1, helped]
    ])
  })

  it('follows the phase of each failure', async () => {
    // Experts resident don't fit the denoise; once swapped, the whole-frame decode doesn't fit either.
    const calls: GenerateParams[] = []
    const failure = (placement: Plan['placement']): OutOfMemoryPhase | false =>
      placement.experts === 'resident' ? 'denoise' : !placement.vaeTiling ? 'decode' : false
    await run(testCardEngine(calls, (params) => failure(placementOf(params))))
    expect(calls.map((call) => shortPlacement(placementOf(call)))).toEqual(['resident/gpu/whole', 'swap/gpu/whole', 'swap/gpu/tiled', 'swap/gpu/tiled'])
  })

  it('falls back to the general steps before giving up on a phase', async () => {
    const calls: GenerateParams[] = []
    await expect(run(testCardEngine(calls, () => 'decode'))).rejects.toThrow(/out of memory/)
    expect(calls.map((call) => shortPlacement(placementOf(call)))).toEqual(stepDowns('decode'))
  })
})

describe('job lock', () => {
  it('refuses a job another live process is rendering, and takes over a dead one', async () => {
    const jobsDir = mkdtempSync(join(tmpdir(), 'wan-job-'))
    const jobDir = join(jobsDir, jobIdFor(render))
    mkdirSync(jobDir, { recursive: true })
    const holder = spawn('sleep', ['30'])
    writeFileSync(join(jobDir, 'job.lock'), String(holder.pid))
    const calls: GenerateParams[] = []
    await expect(run(testCardEngine(calls), [], jobsDir)).rejects.toThrow(/already running in another Wan Studio process \(pid \d+\)/)
    expect(calls).toHaveLength(0)
    holder.kill('SIGKILL')
    await new Promise((resolve) => holder.once('exit', resolve))
    const result = await run(testCardEngine(calls), [], jobsDir)
    expect(result.frames).toBe(96)
    expect(existsSync(join(jobDir, 'job.lock'))).toBe(false)
  })
})
