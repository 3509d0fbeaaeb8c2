// The render job with a stand-in engine (ffmpeg's test source): checkpoints and out-of-memory step-down.
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { smallerPlacement } from '../../src/main/planner/override'
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
  engineOptions: { plan, modelsDir: '/models' }
}

/** Writes `frames` frames of ffmpeg's test card, as the sidecar writes a segment. */
const testCardEngine = (calls: GenerateParams[], failWhen: (params: GenerateParams) => boolean = () => false): GenerateSegment =>
  async (params, _signal, onStep) => {
    calls.push(params)
    if (failWhen(params)) throw new SidecarError('CUDA out of memory', RpcCode.outOfMemory, { plan: (params.options as { plan: Plan }).plan })
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
    onOutOfMemory: (current) => {
      const smaller = smallerPlacement((current.engineOptions as { plan: Plan }).plan)
      return smaller ? { ...current, engineOptions: { ...current.engineOptions, plan: smaller } } : null
    }
  })
}

describe('render job', () => {
  it('steps the placement down after an out-of-memory error and keeps the job', async () => {
    const calls: GenerateParams[] = []
    const logs: string[] = []
    const placementOf = (params: GenerateParams) => (params.options as { plan: Plan }).plan.placement
    const result = await run(testCardEngine(calls, (params) => placementOf(params).textEncoder === 'gpu'), logs)
    expect(result).toMatchObject({ frames: 96, segments: 2, jobId: jobIdFor(render) })
    // Segment 0: whole VAE fails, tiled VAE fails, umT5 on CPU renders; segment 1 starts from there.
    expect(calls.map((call) => [call.segment, placementOf(call).vaeTiling, placementOf(call).textEncoder])).toEqual([
      [0, false, 'gpu'],
      [0, true, 'gpu'],
      [0, true, 'cpu'],
      [1, true, 'cpu']
    ])
    expect(logs.filter((line) => /ran out of memory/.test(line))).toHaveLength(2)
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

  it('orders step-downs from cheapest to slowest', () => {
    const steps: string[] = []
    for (let next: Plan | null = plan; next; next = smallerPlacement(next)) {
      steps.push(`${next.placement.experts}/${next.placement.textEncoder}/${next.placement.vaeTiling ? 'tiled' : 'whole'}`)
    }
    expect(steps).toEqual(['resident/gpu/whole', 'resident/gpu/tiled', 'resident/cpu/tiled', 'swap/cpu/tiled', 'stream/cpu/tiled'])
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
