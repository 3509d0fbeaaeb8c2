// One render job: the shot's segments rendered one after another (each a checkpoint on disk),
// then stitched into the clip. Re-running the same request resumes from the finished segments.
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { CLIP_FPS, CLIP_HEIGHT, CLIP_WIDTH, type EngineId, type RenderProgress, type RenderResult } from '../../shared/render'
import { stitchSegments } from '../media/stitch'
import { writeJsonAtomic } from '../project/atomicFile'
import { SidecarError } from '../sidecar/client'
import { RpcCode, type GenerateParams, type GenerateResult, type SidecarProgress } from '../sidecar/protocol'
import { planSegments, type SegmentPlan } from '../../shared/segments'
import { lockJob } from './jobLock'

/** A request with every choice made: engine resolved, seed drawn, frames counted. */
export interface ResolvedRender {
  prompt: string
  negativePrompt: string | null
  frames: number
  seed: number
  engine: EngineId
  steps: number
  /** Size the engine renders at; the clip is always 1280x720. */
  width: number
  height: number
  maxSegmentFrames: number
  /** The GPU a real render runs on (its measurements are kept per GPU); null for the synthetic engine. */
  gpuName: string | null
  engineOptions: Record<string, unknown>
}

export type GenerateSegment = (
  params: GenerateParams,
  signal: AbortSignal,
  onStep: (progress: SidecarProgress) => void
) => Promise<GenerateResult>

export interface RunJobOptions {
  render: ResolvedRender
  jobsDir: string
  /** Final clip path; defaults to clip.mp4 in the job folder. */
  output?: string
  ffmpeg: string
  generate: GenerateSegment
  mediaUrl: (path: string) => string
  /** After an out-of-memory error: the same render with a smaller placement, or null to give up. */
  onOutOfMemory?: (render: ResolvedRender, error: SidecarError) => ResolvedRender | null
  signal: AbortSignal
  onProgress: (progress: RenderProgress) => void
  onLog?: (message: string) => void
}

const MANIFEST_VERSION = 1

const segmentDoneSchema = z.object({
  file: z.string(),
  frames: z.number().int(),
  seconds: z.number(),
  secondsPerStep: z.number().nullable()
})

const manifestSchema = z.object({
  version: z.literal(MANIFEST_VERSION),
  jobId: z.string(),
  createdAt: z.string(),
  render: z.object({
    prompt: z.string(),
    negativePrompt: z.string().nullable(),
    frames: z.number().int(),
    seed: z.number().int(),
    engine: z.enum(['synthetic', 'diffusers']),
    steps: z.number().int(),
    width: z.number().int(),
    height: z.number().int(),
    maxSegmentFrames: z.number().int(),
    engineOptions: z.record(z.string(), z.unknown())
  }),
  segments: z.array(
    z.object({
      index: z.number().int(),
      frames: z.number().int(),
      startFrame: z.number().int(),
      overlap: z.number().int(),
      take: z.number().int()
    })
  ),
  done: z.record(z.string(), segmentDoneSchema),
  result: z.unknown().nullable()
})
type Manifest = z.infer<typeof manifestSchema>

/**
 * Same request, same job: the id is a hash of everything that changes the frames. Where weights
 * sit in memory (the plan's placement) changes speed, not content, so an out-of-memory step-down
 * keeps the job and its finished segments.
 */
export function jobIdFor(render: ResolvedRender): string {
  const { plan, ...options } = render.engineOptions as { plan?: { model: string; precision: string } }
  const identity = JSON.stringify([
    render.prompt,
    render.negativePrompt,
    render.frames,
    render.seed,
    render.engine,
    render.steps,
    render.width,
    render.height,
    render.maxSegmentFrames,
    options,
    plan ? [plan.model, plan.precision] : null
  ])
  return createHash('sha256').update(identity).digest('hex').slice(0, 16)
}

export function segmentFileName(index: number): string {
  return `segment-${String(index).padStart(3, '0')}.mp4`
}

async function loadManifest(path: string, onLog?: (message: string) => void): Promise<Manifest | null> {
  if (!existsSync(path)) return null
  try {
    return manifestSchema.parse(JSON.parse(await readFile(path, 'utf8')))
  } catch (error) {
    onLog?.(`ignoring unreadable job manifest ${path}: ${(error as Error).message}`)
    return null
  }
}

/** Half-written files of a run that crashed; never mistaken for checkpoints. */
async function removePartials(jobDir: string): Promise<void> {
  for (const name of await readdir(jobDir)) {
    if (name.endsWith('.partial')) await rm(join(jobDir, name), { force: true })
  }
}

async function isCheckpoint(path: string): Promise<boolean> {
  try {
    return (await stat(path)).size > 0
  } catch {
    return false
  }
}

export async function runRenderJob(options: RunJobOptions): Promise<RenderResult> {
  const jobId = jobIdFor(options.render)
  const jobDir = join(options.jobsDir, jobId)
  await mkdir(jobDir, { recursive: true })
  const unlock = await lockJob(jobDir)
  try {
    return await renderLockedJob(options, jobId, jobDir)
  } finally {
    await unlock()
  }
}

async function renderLockedJob(options: RunJobOptions, jobId: string, jobDir: string): Promise<RenderResult> {
  const { render, signal, onProgress } = options
  await removePartials(jobDir)
  const manifestPath = join(jobDir, 'job.json')
  const plans = planSegments(render.frames, render.maxSegmentFrames)
  const manifest: Manifest = (await loadManifest(manifestPath, options.onLog)) ?? {
    version: MANIFEST_VERSION,
    jobId,
    createdAt: new Date().toISOString(),
    render,
    segments: plans,
    done: {},
    result: null
  }
  manifest.result = null
  await writeJsonAtomic(manifestPath, manifest)

  let current = render
  const started = performance.now()
  const elapsed = (): number => (performance.now() - started) / 1000
  let resumed = 0
  const renderedStepSeconds: number[] = []
  const segmentSeconds: number[] = []

  const report = (fields: Omit<RenderProgress, 'jobId' | 'segments' | 'elapsedSeconds' | 'resumedSegments'>): void =>
    onProgress({ jobId, segments: plans.length, elapsedSeconds: elapsed(), resumedSegments: resumed, ...fields })

  report({ phase: 'starting', segment: 0, step: 0, steps: render.steps, fraction: 0, etaSeconds: null, message: 'Starting' })

  for (const plan of plans) {
    const file = join(jobDir, segmentFileName(plan.index))
    const done = manifest.done[String(plan.index)]
    if (done && (await isCheckpoint(file))) {
      resumed++
      segmentSeconds.push(0)
      continue
    }
    signal.throwIfAborted()
    const segmentStarted = performance.now()
    const previous = plan.index > 0 ? join(jobDir, segmentFileName(plan.index - 1)) : null
    const paramsFor = (attempt: ResolvedRender): GenerateParams => ({
      engine: attempt.engine,
      shot: 0,
      segment: plan.index,
      prompt: attempt.prompt,
      negativePrompt: attempt.negativePrompt,
      seed: attempt.seed,
      frames: plan.frames,
      width: attempt.width,
      height: attempt.height,
      fps: CLIP_FPS,
      steps: attempt.steps,
      output: file,
      startFrame: plan.startFrame,
      continueFrom: previous && plan.overlap > 0 ? { path: previous, frames: plan.overlap } : null,
      options: attempt.engineOptions
    })
    const onStep = (step: SidecarProgress): void => {
      const stepSeconds = (performance.now() - segmentStarted) / 1000 / Math.max(step.step, 1)
      const remainingSegments = plans.length - plan.index - 1 - countDoneAfter(manifest, plan.index)
      const knownStep = median([...renderedStepSeconds, stepSeconds])
      report({
        phase: 'rendering',
        segment: plan.index + 1,
        step: step.step,
        steps: step.steps,
        fraction: segmentFraction(plans, manifest, plan.index, step.step / step.steps),
        etaSeconds: knownStep * (step.steps - step.step + remainingSegments * step.steps) + stitchEstimate(render.frames),
        message: `Segment ${plan.index + 1} of ${plans.length}, step ${step.step} of ${step.steps}`
      })
    }
    let result: GenerateResult
    for (;;) {
      try {
        result = await options.generate(paramsFor(current), signal, onStep)
        break
      } catch (error) {
        if (!isOutOfMemory(error) || signal.aborted) throw error
        const smaller = options.onOutOfMemory?.(current, error) ?? null
        if (!smaller) throw error
        options.onLog?.(`segment ${plan.index + 1}: ${error.message}; retrying with a smaller placement`)
        current = smaller
      }
    }
    const seconds = (performance.now() - segmentStarted) / 1000
    segmentSeconds.push(seconds)
    renderedStepSeconds.push(seconds / render.steps)
    manifest.done[String(plan.index)] = { file: segmentFileName(plan.index), frames: result.frames, seconds, secondsPerStep: result.secondsPerStep }
    await writeJsonAtomic(manifestPath, manifest)
  }

  signal.throwIfAborted()
  const output = options.output ?? join(jobDir, 'clip.mp4')
  const stitchStarted = performance.now()
  report({ phase: 'stitching', segment: plans.length, step: 0, steps: 0, fraction: 0.95, etaSeconds: stitchEstimate(render.frames), message: 'Stitching segments into the clip' })
  await stitchSegments({
    ffmpeg: options.ffmpeg,
    segments: plans.map((plan) => ({ path: join(jobDir, segmentFileName(plan.index)), skipHeadFrames: plan.overlap, takeFrames: plan.take })),
    output,
    fps: CLIP_FPS,
    width: CLIP_WIDTH,
    height: CLIP_HEIGHT,
    metadata: clipMetadata(render, jobId),
    signal
  })
  const stitchSeconds = (performance.now() - stitchStarted) / 1000

  const result: RenderResult = {
    jobId,
    output,
    mediaUrl: options.mediaUrl(output),
    prompt: render.prompt,
    frames: render.frames,
    fps: CLIP_FPS,
    width: CLIP_WIDTH,
    height: CLIP_HEIGHT,
    segments: plans.length,
    resumedSegments: resumed,
    seed: render.seed,
    engine: render.engine,
    timings: { totalSeconds: elapsed(), segmentSeconds, stitchSeconds }
  }
  manifest.result = result
  await writeJsonAtomic(manifestPath, manifest)
  report({ phase: 'done', segment: plans.length, step: 0, steps: 0, fraction: 1, etaSeconds: 0, message: 'Done' })
  return result
}

/** Settings embedded in the clip, so a file dropped back in can restore them. */
function clipMetadata(render: ResolvedRender, jobId: string): Record<string, string> {
  return {
    title: render.prompt.slice(0, 200),
    comment: `Wan Studio, ${render.engine === 'synthetic' ? 'synthetic engine (no model)' : 'Wan2.2'}, seed ${render.seed}`,
    wan_studio: JSON.stringify({ jobId, prompt: render.prompt, negativePrompt: render.negativePrompt, seed: render.seed, engine: render.engine, steps: render.steps, frames: render.frames })
  }
}

function isOutOfMemory(error: unknown): error is SidecarError {
  return error instanceof SidecarError && error.code === RpcCode.outOfMemory
}

function countDoneAfter(manifest: Manifest, index: number): number {
  return Object.keys(manifest.done).filter((key) => Number(key) > index).length
}

/** Overall fraction up to 0.95; stitching takes the rest. */
function segmentFraction(plans: SegmentPlan[], manifest: Manifest, index: number, within: number): number {
  const finished = plans.filter((plan) => plan.index !== index && manifest.done[String(plan.index)]).length
  return Math.min(0.95, ((finished + within) / plans.length) * 0.95)
}

/** Stitching re-encodes the clip once: roughly real time on two cores. */
function stitchEstimate(frames: number): number {
  return frames / CLIP_FPS
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? 0
}
