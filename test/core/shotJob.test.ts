// A shot render with a stand-in engine (ffmpeg's test source): verified checkpoints, resume, damaged
// files, and the out-of-memory step-downs (placement first, then shorter segments).
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, truncateSync, writeFileSync, copyFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { outOfMemoryPhase, smallerPlacement, type OutOfMemoryPhase } from '../../src/main/planner/override'
import { OutOfMemoryError } from '../../src/main/render/errors'
import { lockJob } from '../../src/main/render/jobLock'
import { segmentFileName } from '../../src/main/render/manifest'
import { stepDownPlacement } from '../../src/main/render/placementStepDown'
import { renderKeyFor } from '../../src/main/render/renderKey'
import { runShotJob, type GenerateSegment, type SegmentRequest } from '../../src/main/render/shotJob'
import type { Plan } from '../../src/shared/plan'
import type { ResolvedShot, StepDown } from '../../src/shared/queue'
import { ffmpegFor, testEnv } from '../helpers/studio'

const ffmpeg = ffmpegFor(testEnv())

const plan: Plan = {
  gpuIndex: 0,
  model: 't2v-a14b',
  precision: 'bf16',
  mode: 'quality',
  speed: { compile: false, attention: 'sdpa' },
  fps: 16,
  placement: { experts: 'resident', textEncoder: 'gpu', vaeTiling: false },
  segmentFrames: 81,
  width: 320,
  height: 176,
  predicted: { peakVramMiB: 1, peakRamMiB: 1, secondsPerSegment: 1 },
  reasons: []
}

const render: ResolvedShot = {
  prompt: 'a test card',
  negativePrompt: null,
  frames: 96,
  seed: 1,
  engine: 'diffusers',
  steps: 2,
  width: 320,
  height: 176,
  maxSegmentFrames: 81,
  overlap: 5,
  gpuName: null,
  engineOptions: { plan, modelsDir: '/models' },
  continueFrom: null
}

/**
 * Writes `frames` frames of ffmpeg's test card, as the sidecar writes a segment. `failWhen` says
 * when to run out of memory instead: true for an error without a phase (an older sidecar), or the
 * phase to put in its data.
 */
const testCardEngine = (calls: SegmentRequest[], failWhen: (request: SegmentRequest) => boolean | OutOfMemoryPhase = () => false, pattern = 'testsrc2'): GenerateSegment =>
  (request, _signal, onStep) => {
    calls.push(request)
    const failure = failWhen(request)
    if (failure) {
      const phase = failure === true ? null : failure
      return Promise.reject(new OutOfMemoryError('CUDA out of memory', phase, { plan: request.options.plan, ...(phase ? { phase } : {}) }))
    }
    execFileSync(ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', `${pattern}=size=${request.width}x${request.height}:rate=16`, '-frames:v', String(request.frames), '-pix_fmt', 'yuv420p', '-f', 'mp4', request.output])
    onStep({ step: request.steps, steps: request.steps, expert: null })
    return Promise.resolve({ secondsPerStep: 0.1 })
  }

function run(generate: GenerateSegment, options: { logs?: string[]; rendersDir?: string; shot?: ResolvedShot; stepDowns?: StepDown[]; previousShotTail?: string } = {}) {
  const shot = options.shot ?? render
  return runShotJob({
    render: shot,
    renderKey: renderKeyFor(shot),
    rendersDir: options.rendersDir ?? mkdtempSync(join(tmpdir(), 'wan-job-')),
    ffmpeg,
    generate,
    previousShotTail: options.previousShotTail ?? null,
    placementStepDown: stepDownPlacement, // what the executor passes
    onStepDown: (stepDown) => options.stepDowns?.push(stepDown),
    signal: new AbortController().signal,
    onProgress: () => undefined,
    onLog: (message) => options.logs?.push(message)
  })
}

const placementOf = (request: SegmentRequest): Plan['placement'] => (request.options as { plan: Plan }).plan.placement
const shortPlacement = (placement: Plan['placement']): string => `${placement.experts}/${placement.textEncoder}/${placement.vaeTiling ? 'tiled' : 'whole'}`

/** Every placement smallerPlacement walks through from `plan` when each retry fails in `phase`. */
function stepDowns(phase?: OutOfMemoryPhase): string[] {
  const steps: string[] = []
  for (let next: Plan | null = plan; next; next = smallerPlacement(next, phase)) steps.push(shortPlacement(next.placement))
  return steps
}

describe('shot render: out of memory', () => {
  it('steps the placement down after an out-of-memory error and keeps the job', async () => {
    const calls: SegmentRequest[] = []
    const logs: string[] = []
    const recorded: StepDown[] = []
    // No phase in the error (an older sidecar): the general order, cheapest first.
    const result = await run(testCardEngine(calls, (request) => placementOf(request).textEncoder === 'gpu'), { logs, stepDowns: recorded })
    expect(result).toMatchObject({ renderedSegments: 2, reusedSegments: 0, render: { frames: 96, renderKey: renderKeyFor(render) } })
    expect(result.render.segments).toHaveLength(2)
    // Segment 0: whole VAE fails, tiled VAE fails, umT5 on CPU renders; segment 1 starts from there.
    expect(calls.map((call) => [call.segment, placementOf(call).vaeTiling, placementOf(call).textEncoder])).toEqual([
      [0, false, 'gpu'],
      [0, true, 'gpu'],
      [0, true, 'cpu'],
      [1, true, 'cpu']
    ])
    expect(logs.filter((line) => /retrying with experts resident/.test(line))).toHaveLength(2)
    // Every step-down is recorded, told as it happens, and reported in the result.
    expect(result.stepDowns).toEqual(recorded)
    expect(recorded.map((step) => [step.segment, step.kind, step.to])).toEqual([
      [0, 'placement', 'experts resident, umT5 on GPU, VAE tiled'],
      [0, 'placement', 'experts resident, umT5 on CPU, VAE tiled']
    ])
  })

  it('after the placements, renders the rest in shorter segments; fails once nothing shorter is left', async () => {
    const calls: SegmentRequest[] = []
    const recorded: StepDown[] = []
    await expect(run(testCardEngine(calls, () => true), { stepDowns: recorded })).rejects.toThrow(/out of memory/)
    expect(calls.map((call) => (call.options as { plan: Plan }).plan.placement.experts)).toEqual(['resident', 'resident', 'resident', 'swap', 'stream', 'stream', 'stream'])
    // 96 frames in 53-frame segments, then 29, then 17: no shorter length is left after that.
    expect(calls.slice(4).map((call) => call.frames)).toEqual([53, 29, 17])
    expect(recorded.filter((step) => step.kind === 'segment-length').map((step) => step.to)).toEqual(['29-frame segments', '17-frame segments'])
  })

  it('keeps the finished segments and continues from them with shorter ones', async () => {
    const calls: SegmentRequest[] = []
    const shot = { ...render, engine: 'synthetic' as const, engineOptions: {}, frames: 160 }
    // The first 57-frame segment fits; later ones run out of memory above 33 frames.
    const result = await run(testCardEngine(calls, (request) => request.segment > 0 && request.frames > 33), { shot })
    expect(calls.map((call) => [call.segment, call.frames, call.startFrame, call.continueFrom?.frames ?? 0])).toEqual([
      [0, 57, 0, 0],
      [1, 57, 52, 5],
      [1, 29, 52, 5],
      [2, 29, 76, 5],
      [3, 29, 100, 5],
      [4, 29, 124, 5],
      [5, 29, 148, 5]
    ])
    expect(result.render.segments.map((segment) => [segment.frames, segment.skipHeadFrames, segment.takeFrames])).toEqual([
      [57, 0, 57],
      [29, 5, 24],
      [29, 5, 24],
      [29, 5, 24],
      [29, 5, 24],
      [29, 5, 7]
    ])
    expect(result.render.frames).toBe(160)
    expect(result.stepDowns).toMatchObject([{ segment: 1, kind: 'segment-length', from: '57-frame segments', to: '29-frame segments' }])
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
    const calls: SegmentRequest[] = []
    const result = await run(testCardEngine(calls, (request) => fails(placementOf(request)) && phase))
    expect(result.render.frames).toBe(96)
    expect(calls.map((call) => [call.segment, shortPlacement(placementOf(call))])).toEqual([
      [0, 'resident/gpu/whole'],
      [0, helped],
      [1, helped]
    ])
  })

  it('follows the phase of each failure', async () => {
    // Experts resident don't fit the denoise; once swapped, the whole-frame decode doesn't fit either.
    const calls: SegmentRequest[] = []
    const failure = (placement: Plan['placement']): OutOfMemoryPhase | false =>
      placement.experts === 'resident' ? 'denoise' : !placement.vaeTiling ? 'decode' : false
    await run(testCardEngine(calls, (request) => failure(placementOf(request))))
    expect(calls.map((call) => shortPlacement(placementOf(call)))).toEqual(['resident/gpu/whole', 'swap/gpu/whole', 'swap/gpu/tiled', 'swap/gpu/tiled'])
  })

  it('falls back to the general steps, then shorter segments, before giving up on a phase', async () => {
    const calls: SegmentRequest[] = []
    await expect(run(testCardEngine(calls, () => 'decode'))).rejects.toThrow(/out of memory/)
    expect(calls.map((call) => shortPlacement(placementOf(call)))).toEqual([...stepDowns('decode'), 'stream/cpu/tiled', 'stream/cpu/tiled'])
  })
})

describe('shot render: checkpoints', () => {
  it('never renders a finished segment twice, and records each with its size and hash', async () => {
    const rendersDir = mkdtempSync(join(tmpdir(), 'wan-job-'))
    const first: SegmentRequest[] = []
    await run(testCardEngine(first), { rendersDir })
    const second: SegmentRequest[] = []
    const again = await run(testCardEngine(second), { rendersDir })
    expect(first).toHaveLength(2)
    expect(second).toHaveLength(0)
    expect(again).toMatchObject({ renderedSegments: 0, reusedSegments: 2 })
    const manifest = JSON.parse(readFileSync(join(rendersDir, renderKeyFor(render), 'job.json'), 'utf8')) as { done: Record<string, { bytes: number; sha256: string }> }
    expect(manifest.done['0']).toMatchObject({ bytes: expect.any(Number), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) })
  })

  it('renders a truncated or swapped checkpoint again, alone, and says so', async () => {
    const rendersDir = mkdtempSync(join(tmpdir(), 'wan-job-'))
    const jobDir = join(rendersDir, renderKeyFor(render))
    await run(testCardEngine([]), { rendersDir })
    truncateSync(join(jobDir, segmentFileName(1)), 2000)
    const logs: string[] = []
    const calls: SegmentRequest[] = []
    const result = await run(testCardEngine(calls), { rendersDir, logs })
    expect(calls.map((call) => call.segment)).toEqual([1])
    expect(result).toMatchObject({ renderedSegments: 1, reusedSegments: 1 })
    expect(logs.join('\n')).toMatch(/segment 2 can't be reused \(its size changed/)

    // Another render's segment of the same size and length swapped in: the hash tells.
    const otherDir = mkdtempSync(join(tmpdir(), 'wan-job-other-'))
    await run(testCardEngine([], () => false, 'mandelbrot'), { rendersDir: otherDir })
    copyFileSync(join(otherDir, renderKeyFor(render), segmentFileName(0)), join(jobDir, segmentFileName(0)))
    const swapped: SegmentRequest[] = []
    const swappedLogs: string[] = []
    await run(testCardEngine(swapped), { rendersDir, logs: swappedLogs })
    expect(swapped.map((call) => call.segment)).toEqual([0])
    expect(swappedLogs.join('\n')).toMatch(/segment 1 can't be reused \(its (content|size) changed/)
  })

  it('rebuilds a damaged job.json from the segments that verify, and adopts a segment a crash left unrecorded', async () => {
    const rendersDir = mkdtempSync(join(tmpdir(), 'wan-job-'))
    const jobDir = join(rendersDir, renderKeyFor(render))
    await run(testCardEngine([]), { rendersDir })
    writeFileSync(join(jobDir, 'job.json'), '{"version": 2, "renderKey": ')
    const logs: string[] = []
    const calls: SegmentRequest[] = []
    const rebuilt = await run(testCardEngine(calls), { rendersDir, logs })
    expect(calls).toEqual([])
    expect(rebuilt.reusedSegments).toBe(2)
    expect(logs.join('\n')).toMatch(/job\.json can't be used .*rebuilding it from the segments that verify/)

    // A kill between the sidecar's rename and the manifest write: the file is complete but unrecorded.
    const manifest = JSON.parse(readFileSync(join(jobDir, 'job.json'), 'utf8')) as { done: Record<string, unknown> }
    delete manifest.done['1']
    writeFileSync(join(jobDir, 'job.json'), JSON.stringify(manifest))
    const adopted: SegmentRequest[] = []
    expect(await run(testCardEngine(adopted), { rendersDir })).toMatchObject({ renderedSegments: 0, reusedSegments: 2 })
    expect(adopted).toEqual([])
  })

  it('refuses a segment the engine claims but did not write in full', async () => {
    const short: GenerateSegment = async (request, signal, onStep, onPreview) => testCardEngine([])({ ...request, frames: request.frames - 4 }, signal, onStep, onPreview)
    await expect(run(short)).rejects.toThrow(/segment .*segment-000\.mp4 has 49 frames, expected 53/)
  })

  it('starts a continued shot from the previous shot\'s last frames, repeating them once', async () => {
    const rendersDir = mkdtempSync(join(tmpdir(), 'wan-job-'))
    const previous = await run(testCardEngine([]), { rendersDir })
    const tail = previous.render.segments.at(-1)!.path
    const calls: SegmentRequest[] = []
    const shot = { ...render, prompt: 'the next take', frames: 40, continueFrom: { renderKey: previous.render.renderKey, jobId: null } }
    const result = await run(testCardEngine(calls), { rendersDir, shot, previousShotTail: tail })
    expect(calls).toMatchObject([{ frames: 45, startFrame: 0, continueFrom: { path: tail, frames: 5 } }])
    expect(result.render.segments).toMatchObject([{ skipHeadFrames: 5, takeFrames: 40 }])
    await expect(run(testCardEngine([]), { rendersDir, shot })).rejects.toThrow(/continues the previous one, which has no rendered frames/)
  })
})

describe('job lock', () => {
  it('waits for a job another holder is rendering, then renders it once released', async () => {
    const rendersDir = mkdtempSync(join(tmpdir(), 'wan-job-'))
    const jobDir = join(rendersDir, renderKeyFor(render))
    mkdirSync(jobDir, { recursive: true })
    const release = await lockJob(jobDir)
    const calls: SegmentRequest[] = []
    const rendering = run(testCardEngine(calls), { rendersDir })
    await new Promise((resolve) => setTimeout(resolve, 1000))
    expect(calls).toHaveLength(0)
    await release()
    const result = await rendering
    expect(result.render.frames).toBe(96)
    expect(existsSync(join(jobDir, 'job.lock.d'))).toBe(false)
  })
})
