// One shot render: its segments rendered one after another, each verified and recorded as a
// checkpoint before the next starts. Running the same render again (same key) renders only what is
// not finished. No stitching: the export reads the segments directly, so they are encoded lossily
// only once more.
import { existsSync } from 'node:fs'
import { mkdir, readdir, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { ShotRender } from '../../shared/project'
import type { JobProgress, RenderShotResult, ResolvedShot, StepDown } from '../../shared/queue'
import { CLIP_FPS } from '../../shared/render'
import { planRemainingSegments, shorterSegmentFrames, type SegmentPlan } from '../../shared/segments'
import { checkpointProblem, sha256File, verifySegmentFile, type CheckpointRecord } from './checkpoint'
import { OutOfMemoryError, SegmentVerificationError } from './errors'
import { lockJob } from './jobLock'
import { freshManifest, loadManifest, saveManifest, segmentFileName, type Manifest } from './manifest'
import { stampShotNumber } from './renderKey'

/** One `generate` call, as any engine host receives it (the sidecar's protocol has the same shape). */
export interface SegmentRequest {
  engine: ResolvedShot['engine']
  shot: number
  segment: number
  prompt: string
  negativePrompt: string | null
  seed: number
  frames: number
  width: number
  height: number
  fps: number
  steps: number
  output: string
  startFrame: number
  continueFrom: { path: string; frames: number } | null
  options: Record<string, unknown>
  /** Pictures of the denoised estimate while it forms: one every `everySteps` steps and after the last. */
  preview: { everySteps: number; maxSide: number } | null
}

export interface SegmentStep {
  step: number
  steps: number
  expert: string | null
}

/** One frame of the segment's denoised estimate at `step`, as the engine encoded it. */
export interface SegmentPreview {
  step: number
  steps: number
  width: number
  height: number
  mime: 'image/jpeg'
  /** base64 */
  data: string
}

export type GenerateSegment = (
  request: SegmentRequest,
  signal: AbortSignal,
  onStep: (step: SegmentStep) => void,
  onPreview: (preview: SegmentPreview) => void
) => Promise<{ secondsPerStep: number | null }>

/** Previews per segment: about ten in a 40-step render, one every step in a 4-step one. */
const PREVIEWS_PER_SEGMENT = 10
/** Longest side of a preview: enough to judge a shot, small enough to send every step. */
export const PREVIEW_MAX_SIDE = 256

export function previewRequest(steps: number): SegmentRequest['preview'] {
  return { everySteps: Math.max(1, Math.round(steps / PREVIEWS_PER_SEGMENT)), maxSide: PREVIEW_MAX_SIDE }
}

/** After running out of memory: the same render with a smaller placement and how it changed, or null. */
export type PlacementStepDown = (render: ResolvedShot, error: OutOfMemoryError) => { render: ResolvedShot; from: string; to: string } | null

export interface ShotJobOptions {
  render: ResolvedShot
  renderKey: string
  rendersDir: string
  ffmpeg: string
  generate: GenerateSegment
  /** The previous shot's last segment file, for a shot joined with `continue`. */
  previousShotTail: string | null
  placementStepDown?: PlacementStepDown
  /** Told of every out-of-memory step-down as it is made. */
  onStepDown?: (stepDown: StepDown) => void
  /** Told of every segment rendered (not reused), with its wall time and the engine's step time. */
  onSegmentRendered?: (segment: { seconds: number; secondsPerStep: number | null }) => void
  signal: AbortSignal
  onProgress: (progress: Omit<JobProgress, 'jobId'>) => void
  /** Told of every preview of the segment being rendered (`segment` 1-based, as in progress). */
  onPreview?: (preview: SegmentPreview & { segment: number }) => void
  onLog: (message: string) => void
}

/** The job's result, less the telemetry its executor adds. */
export type ShotJobResult = Omit<RenderShotResult, 'telemetry'>

export async function runShotJob(options: ShotJobOptions): Promise<ShotJobResult> {
  const jobDir = join(options.rendersDir, options.renderKey)
  await mkdir(jobDir, { recursive: true })
  const unlock = await lockJob(jobDir)
  try {
    return await renderLockedShot(options, jobDir)
  } finally {
    await unlock()
  }
}

async function renderLockedShot(options: ShotJobOptions, jobDir: string): Promise<ShotJobResult> {
  const { renderKey, signal, onLog } = options
  if (options.render.continueFrom && !options.previousShotTail) throw new Error('this shot continues the previous one, which has no rendered frames')
  await removePartials(jobDir)
  const manifestPath = join(jobDir, 'job.json')
  const loaded = await loadManifest(manifestPath, renderKey)
  // A damaged manifest is rebuilt: its segment files are adopted below when they verify.
  if (loaded.problem) onLog(`render ${renderKey}: job.json can't be used (${loaded.problem}); rebuilding it from the segments that verify`)
  const manifest = loaded.manifest ?? freshManifest(renderKey, options.render)
  await saveManifest(manifestPath, manifest)

  let current = options.render
  const started = performance.now()
  const elapsed = (): number => (performance.now() - started) / 1000
  const stepSeconds: number[] = []
  let reused = 0
  let rendered = 0

  const report = (fields: Pick<JobProgress, 'phase' | 'segment' | 'step' | 'steps' | 'expert' | 'fraction' | 'etaSeconds' | 'message'>): void =>
    options.onProgress({ segments: manifest.segments.length, elapsedSeconds: elapsed(), reusedSegments: reused, ...fields })
  report({ phase: 'starting', segment: 0, step: 0, steps: current.steps, expert: null, fraction: 0, etaSeconds: null, message: 'Starting' })

  for (let position = 0; position < manifest.segments.length; position++) {
    const plan = manifest.segments[position]!
    const file = join(jobDir, segmentFileName(plan.index))
    const recorded = manifest.done[String(plan.index)] !== undefined
    if (await isReusable(options, manifest, plan, file)) {
      reused++
      // Only an adopted segment changed the manifest; a recorded one needs no write.
      if (!recorded) await saveManifest(manifestPath, manifest)
      continue
    }
    signal.throwIfAborted()
    const segmentStarted = performance.now()
    const request = segmentRequest(current, options.renderKey, plan, file, position === 0 ? options.previousShotTail : join(jobDir, segmentFileName(plan.index - 1)))
    const onStep = ({ step, steps, expert }: SegmentStep): void => {
      const secondsPerStep = (performance.now() - segmentStarted) / 1000 / Math.max(step, 1)
      const known = median([...stepSeconds, secondsPerStep])
      const segmentsLeft = manifest.segments.slice(position + 1).filter((later) => !manifest.done[String(later.index)]).length
      const finished = manifest.segments.filter((other) => other !== plan && manifest.done[String(other.index)]).length
      report({
        phase: 'rendering',
        segment: position + 1,
        step,
        steps,
        expert,
        fraction: Math.min(1, (finished + step / steps) / manifest.segments.length),
        etaSeconds: known * (steps - step + segmentsLeft * steps),
        message: `Segment ${position + 1} of ${manifest.segments.length}, step ${step} of ${steps}${expert ? ` (${expert} expert)` : ''}`
      })
    }
    let secondsPerStep: number | null
    try {
      const onPreview = (preview: SegmentPreview): void => options.onPreview?.({ ...preview, segment: position + 1 })
      secondsPerStep = (await options.generate(request, signal, onStep, onPreview)).secondsPerStep
    } catch (error) {
      if (!(error instanceof OutOfMemoryError) || signal.aborted) throw error
      const stepDown = chooseStepDown(options, current, manifest, position, error)
      if (!stepDown) throw error
      manifest.stepDowns.push(stepDown.record)
      options.onStepDown?.(stepDown.record)
      current = stepDown.render
      onLog(`segment ${position + 1}: ${error.message}; ${stepDown.record.kind === 'placement' ? 'retrying with' : 'continuing with'} ${stepDown.record.to}`)
      await saveManifest(manifestPath, manifest)
      position--
      continue
    }
    await verifySegmentFile({ ffmpeg: options.ffmpeg, path: file, frames: plan.frames, width: current.width, height: current.height, signal })
    const seconds = (performance.now() - segmentStarted) / 1000
    stepSeconds.push(seconds / current.steps)
    manifest.done[String(plan.index)] = { ...(await describeFile(file, plan)), seconds, secondsPerStep }
    await saveManifest(manifestPath, manifest)
    options.onSegmentRendered?.({ seconds, secondsPerStep })
    rendered++
  }

  report({ phase: 'done', segment: manifest.segments.length, step: 0, steps: 0, expert: null, fraction: 1, etaSeconds: 0, message: 'Rendered' })
  return {
    kind: 'render-shot',
    render: shotRenderOf(manifest, jobDir, current),
    renderedSegments: rendered,
    reusedSegments: reused,
    stepDowns: manifest.stepDowns,
    seconds: elapsed()
  }
}

function segmentRequest(render: ResolvedShot, renderKey: string, plan: SegmentPlan, output: string, previous: string | null): SegmentRequest {
  return {
    engine: render.engine,
    shot: stampShotNumber(renderKey),
    segment: plan.index,
    prompt: render.prompt,
    negativePrompt: render.negativePrompt,
    seed: render.seed,
    frames: plan.frames,
    width: render.width,
    height: render.height,
    fps: render.fps ?? CLIP_FPS,
    steps: render.steps,
    output,
    startFrame: plan.startFrame,
    continueFrom: previous && plan.overlap > 0 ? { path: previous, frames: plan.overlap } : null,
    options: render.engineOptions,
    preview: previewRequest(render.steps)
  }
}

/**
 * After an out-of-memory error: first the plan's smaller placements (they keep the frames), then
 * shorter segments for everything not yet finished.
 */
function chooseStepDown(
  options: ShotJobOptions,
  current: ResolvedShot,
  manifest: Manifest,
  position: number,
  error: OutOfMemoryError
): { render: ResolvedShot; record: StepDown } | null {
  const segment = manifest.segments[position]!
  const placement = options.placementStepDown?.(current, error)
  if (placement) {
    return { render: placement.render, record: { segment: segment.index, phase: error.phase, kind: 'placement', from: placement.from, to: placement.to } }
  }
  const shorter = shorterSegmentFrames(segment.frames)
  if (shorter === null) return null
  const finished = manifest.segments.slice(0, position)
  manifest.segments = [
    ...finished,
    ...planRemainingSegments({
      totalFrames: current.frames,
      keptSoFar: finished.reduce((sum, plan) => sum + plan.take, 0),
      firstIndex: segment.index,
      maxFrames: shorter,
      overlap: current.overlap,
      continuesPrevious: position > 0 || current.continueFrom !== null
    })
  ]
  return {
    render: current,
    record: { segment: segment.index, phase: error.phase, kind: 'segment-length', from: `${segment.frames}-frame segments`, to: `${shorter}-frame segments` }
  }
}

/**
 * A recorded checkpoint whose bytes are unchanged; a damaged one is forgotten and rendered again.
 * A complete file without a record (a crash between the sidecar's rename and the manifest write)
 * is adopted once it decodes to exactly the planned frames.
 */
async function isReusable(options: ShotJobOptions, manifest: Manifest, plan: SegmentPlan, file: string): Promise<boolean> {
  const record = manifest.done[String(plan.index)]
  if (!record) return existsSync(file) && adoptSegment(options, manifest, plan, file)
  const problem = record.frames === plan.frames ? await checkpointProblem(file, record) : `it has ${record.frames} frames, the plan ${plan.frames}`
  if (!problem) return true
  options.onLog(`render ${options.renderKey}: segment ${plan.index + 1} can't be reused (${problem}); rendering it again`)
  delete manifest.done[String(plan.index)]
  await rm(file, { force: true })
  return false
}

/** Records an unrecorded segment file that verifies; removes one that doesn't. */
async function adoptSegment(options: ShotJobOptions, manifest: Manifest, plan: SegmentPlan, file: string): Promise<boolean> {
  try {
    await verifySegmentFile({ ffmpeg: options.ffmpeg, path: file, frames: plan.frames, width: options.render.width, height: options.render.height })
  } catch (error) {
    if (!(error instanceof SegmentVerificationError)) throw error
    options.onLog(`render ${options.renderKey}: ${error.message}; rendering it again`)
    await rm(file, { force: true })
    return false
  }
  manifest.done[String(plan.index)] = { ...(await describeFile(file, plan)), seconds: 0, secondsPerStep: null }
  return true
}

async function describeFile(file: string, plan: SegmentPlan): Promise<CheckpointRecord> {
  return { file: segmentFileName(plan.index), frames: plan.frames, bytes: (await stat(file)).size, sha256: await sha256File(file) }
}

/** Half-written files of a run that crashed; never mistaken for checkpoints. */
async function removePartials(jobDir: string): Promise<void> {
  for (const name of await readdir(jobDir)) {
    if (name.endsWith('.partial')) await rm(join(jobDir, name), { force: true })
  }
}

function shotRenderOf(manifest: Manifest, jobDir: string, render: ResolvedShot): ShotRender {
  const plan = render.engineOptions.plan as { model: string; precision: string; placement: { experts: string } } | undefined
  return {
    renderKey: manifest.renderKey,
    engine: render.engine,
    seed: render.seed,
    frames: manifest.segments.reduce((sum, segment) => sum + segment.take, 0),
    width: render.width,
    height: render.height,
    fps: render.fps ?? CLIP_FPS,
    model: plan ? plan.model : 'synthetic',
    plan: plan ? `${plan.precision}, experts ${plan.placement.experts}` : 'synthetic engine (no model)',
    ...(render.typedPrompt !== undefined ? { modelPrompt: render.prompt } : {}),
    segments: manifest.segments.map((segment) => ({
      index: segment.index,
      path: join(jobDir, segmentFileName(segment.index)),
      frames: segment.frames,
      skipHeadFrames: segment.overlap,
      takeFrames: segment.take
    })),
    renderedAt: new Date().toISOString()
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? 0
}
