// The studio core: everything the app, the CLI and the tests do goes through here. Plain Node.
import { randomInt } from 'node:crypto'
import { EventEmitter } from 'node:events'
import { existsSync, statSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import type { DoctorReport } from '../../shared/doctor'
import type { EffectivePlanInfo, EngineInfo, EngineStatus, LogLine, StudioInfo } from '../../shared/ipc'
import {
  CLIP_FPS,
  CLIP_HEIGHT,
  CLIP_WIDTH,
  MAX_SEGMENT_FRAMES,
  renderRequestSchema,
  renderResultSchema,
  type EngineId,
  type RenderFailure,
  type RenderProgress,
  type RenderRequestInput,
  type RenderResult
} from '../../shared/render'
import type { Plan } from '../../shared/plan'
import { WAN_DEFAULT_NEGATIVE_PROMPT, type SettingsChange, type StudioSettings } from '../../shared/settings'
import { doctor } from '../gpu/doctor'
import { resolveFfmpeg } from '../media/ffmpegPath'
import { createCalibrationStore, type CalibrationStore } from '../planner/calibration'
import { applyPlanOverride, outOfMemoryPhase, smallerPlacement } from '../planner/override'
import { rendersDir } from '../project/dataDir'
import { SettingsStore } from '../project/settings'
import { jobIdFor, runRenderJob, type GenerateSegment, type ResolvedRender } from '../render/job'
import { SidecarError, SidecarExitedError } from '../sidecar/client'
import { gpuSelection } from '../sidecar/gpuSelection'
import {
  cancelResultSchema,
  generateResultSchema,
  RpcCode,
  type GenerateParams,
  type GenerateResult,
  type SidecarProgress
} from '../sidecar/protocol'
import { findPython } from '../sidecar/python'
import { describeSidecarError, SidecarSupervisor } from '../sidecar/supervisor'

export interface StudioOptions {
  version: string
  dataDir: string
  /** Folder holding resources/ (the repo root in development, the app's resources when packaged). */
  appRoot: string
  sidecarDir: string
  env?: NodeJS.ProcessEnv
  /** How the front end reaches a media file: wan-media:// in the app, http:// in tests. */
  mediaUrl: (path: string) => string
}

export interface StudioEvents {
  progress: [RenderProgress]
  done: [RenderResult]
  failed: [RenderFailure]
  log: [LogLine]
}

export class RenderRequestError extends Error {}

const DEFAULT_STEPS: Record<EngineId, number> = { synthetic: 8, diffusers: 40 }
const LOG_LINES_KEPT = 500
/** How long a cancelled generate may take to stop before its sidecar is killed. */
const SYNTHETIC_CANCEL_GRACE_MS = 10_000
/** The real engine checks for Cancel between steps; loading two experts alone can take minutes. */
const REAL_ENGINE_MIN_CANCEL_GRACE_MS = 5 * 60_000

type Readiness = { ready: true; plan: Plan; modelsDir: string; gpuName: string } | { ready: false; reason: string }

interface RunningJob {
  jobId: string
  controller: AbortController
  finished: Promise<RenderResult>
}

export class Studio extends EventEmitter<StudioEvents> {
  private readonly sidecar: SidecarSupervisor
  private readonly logLines: LogLine[] = []
  private running: RunningJob | null = null
  private readonly env: NodeJS.ProcessEnv
  private readonly settingsStore: SettingsStore
  readonly calibration: CalibrationStore

  constructor(private readonly options: StudioOptions) {
    super()
    this.env = options.env ?? process.env
    this.settingsStore = new SettingsStore(options.dataDir)
    this.calibration = createCalibrationStore(options.dataDir)
    this.sidecar = new SidecarSupervisor({
      appRoot: options.appRoot,
      sidecarDir: options.sidecarDir,
      env: this.env,
      initializeParams: async () => ({ ffmpegPath: resolveFfmpeg(this.env).path, modelsDir: await this.modelsDir() }),
      log: (level, source, message) => this.log(level, source, message)
    })
  }

  settings(): Promise<StudioSettings> {
    return this.settingsStore.load()
  }

  /** Saves settings; a new models folder is shown to the sidecar at once, or when its render ends. */
  async updateSettings(change: SettingsChange): Promise<StudioSettings> {
    if (change.modelsDir) {
      const dir = absoluteFolder(change.modelsDir)
      if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`models folder ${dir} does not exist or is not a folder`)
      change = { ...change, modelsDir: dir }
    }
    const next = await this.settingsStore.update(change)
    if (!this.running) await this.sidecar.refreshModelsDir()
    return next
  }

  /** WAN_STUDIO_MODELS_DIR wins over the remembered folder, so scripts can point anywhere. */
  private async modelsDir(): Promise<string | null> {
    const dir = this.env.WAN_STUDIO_MODELS_DIR || (await this.settingsStore.load()).modelsDir
    return dir ? absoluteFolder(dir) : null
  }

  get rendersDir(): string {
    return rendersDir(this.options.dataDir)
  }

  private log(level: LogLine['level'], source: LogLine['source'], message: string): void {
    const line: LogLine = { time: new Date().toISOString(), level, source, message }
    this.logLines.push(line)
    if (this.logLines.length > LOG_LINES_KEPT) this.logLines.shift()
    this.emit('log', line)
  }

  /** The running sidecar's process id (its process group), for diagnostics and tests. */
  get sidecarPid(): number | undefined {
    return this.sidecar.pid
  }

  sidecarLog(): LogLine[] {
    return [...this.logLines]
  }

  async info(): Promise<StudioInfo> {
    return (await this.status()).info
  }

  /** The studio's state and, computed once for both, whether the real engine can render. */
  private async status(): Promise<{ info: StudioInfo; readiness: Readiness }> {
    let problem: string | null = null
    let ffmpeg: StudioInfo['ffmpeg'] = null
    let python: StudioInfo['python'] = null
    try {
      ffmpeg = resolveFfmpeg(this.env)
    } catch (error) {
      problem = (error as Error).message
    }
    try {
      python = findPython(this.options.appRoot, this.env)
    } catch (error) {
      problem ??= (error as Error).message
    }
    if (!problem) {
      await this.sidecar.ensure().catch((error: unknown) => {
        problem = `the inference sidecar could not start: ${describeSidecarError(error)}`
      })
    }
    // For the front end "available" means "can render now": the real engine also needs a plan and weights.
    const readiness: Readiness = problem
      ? { ready: false, reason: problem }
      : await this.diffusersReadiness().catch((error: unknown) => ({ ready: false, reason: describeSidecarError(error) }))
    const engines: EngineInfo[] = (this.sidecar.initialized?.engines ?? []).flatMap((engine): EngineInfo[] => {
      if (engine.id === 'synthetic') return [{ id: 'synthetic', label: engine.label, available: engine.available, reason: engine.reason }]
      if (engine.id !== 'diffusers') return []
      return [{ id: 'diffusers', label: engine.label, available: readiness.ready, reason: readiness.ready ? null : readiness.reason }]
    })
    const info: StudioInfo = {
      version: this.options.version,
      dataDir: this.options.dataDir,
      ffmpeg,
      python,
      sidecar: { state: this.sidecar.state, lastError: this.sidecar.lastError },
      engines,
      problem
    }
    return { info, readiness }
  }

  /** Validates and resolves a request without rendering; throws RenderRequestError with what is wrong. */
  async resolveRequest(input: RenderRequestInput): Promise<ResolvedRender> {
    const parsed = renderRequestSchema.safeParse(input)
    if (!parsed.success) {
      throw new RenderRequestError(
        parsed.error.issues.map((issue) => `${issue.path.join('.') || 'request'}: ${issue.message}`).join('; ')
      )
    }
    const request = parsed.data
    const diffusers = await this.diffusersReadiness()
    let engine: EngineId
    if (request.engine === 'auto') {
      engine = diffusers.ready ? 'diffusers' : 'synthetic'
      if (!diffusers.ready) this.log('info', 'studio', `auto engine: rendering with the synthetic engine because ${diffusers.reason}`)
    } else engine = request.engine
    if (engine === 'diffusers' && !diffusers.ready) {
      throw new RenderRequestError(`the Wan2.2 (diffusers) engine can't render: ${diffusers.reason}`)
    }
    const common = {
      prompt: request.prompt.trim(),
      frames: Math.round(request.seconds * CLIP_FPS),
      seed: request.seed ?? randomInt(0, 2 ** 32 - 1),
      steps: request.steps ?? DEFAULT_STEPS[engine]
    }
    if (engine === 'diffusers' && diffusers.ready) {
      const { modelsDir } = diffusers
      const { cudaVisibleDevices, plan } = gpuSelection(diffusers.plan)
      this.throwIfRendering()
      await this.sidecar.useCudaDevices(cudaVisibleDevices)
      return {
        ...common,
        engine,
        gpuName: diffusers.gpuName,
        // Wan2.2 is trained with its default negative prompt; an empty one is the user's explicit choice.
        negativePrompt: request.negativePrompt === undefined ? WAN_DEFAULT_NEGATIVE_PROMPT : request.negativePrompt.trim(),
        width: plan.width,
        height: plan.height,
        maxSegmentFrames: Math.min(plan.segmentFrames, MAX_SEGMENT_FRAMES),
        engineOptions: { plan, modelsDir }
      }
    }
    return {
      ...common,
      engine,
      negativePrompt: request.negativePrompt?.trim() || null,
      width: CLIP_WIDTH,
      height: CLIP_HEIGHT,
      maxSegmentFrames: MAX_SEGMENT_FRAMES,
      gpuName: null,
      engineOptions: syntheticOptions(this.env)
    }
  }

  doctorReport(): Promise<DoctorReport> {
    return this.calibration.load().then((calibration) => doctor({ env: this.env, calibration }))
  }

  /** The plan the real engine would use: the planner's, with the user's pinned choices on top. */
  async effectivePlan(report?: DoctorReport): Promise<EffectivePlanInfo> {
    const [doctorReport, settings, calibration] = await Promise.all([
      report ?? this.doctorReport(),
      this.settingsStore.load(),
      this.calibration.load()
    ])
    return applyPlanOverride(doctorReport, settings.planOverride, calibration)
  }

  async engineStatus(): Promise<EngineStatus> {
    const { info, readiness } = await this.status()
    return {
      python: info.python,
      sidecar: info.sidecar,
      engines: (this.sidecar.initialized?.engines ?? []).flatMap((engine) =>
        engine.id === 'synthetic' || engine.id === 'diffusers'
          ? [{ id: engine.id, label: engine.label, available: engine.available, reason: engine.reason, details: engine.details ?? {} }]
          : []
      ),
      realEngine: readiness.ready ? { ready: true, reason: null } : { ready: false, reason: readiness.reason }
    }
  }

  /**
   * Whether the real engine can render here, and with which plan: the software installed, a
   * models folder chosen, a plan that fits this hardware, and that model's weights complete.
   */
  async diffusersReadiness(): Promise<Readiness> {
    await this.sidecar.ensure()
    if (!this.running) await this.sidecar.refreshModelsDir()
    const engine = this.sidecar.initialized?.engines.find((candidate) => candidate.id === 'diffusers')
    if (!engine) return { ready: false, reason: 'the sidecar does not offer it' }
    if (!engine.available) return { ready: false, reason: engine.reason ?? 'it is unavailable' }
    const modelsDir = await this.modelsDir()
    if (!modelsDir) return { ready: false, reason: 'no models folder is chosen (System panel, or WAN_STUDIO_MODELS_DIR)' }
    const report = await this.doctorReport()
    const effective = await this.effectivePlan(report)
    if (!effective.plan) return { ready: false, reason: effective.refusal ?? report.error ?? 'no plan fits this machine' }
    const plan = effective.plan
    const models = (engine.details?.models ?? {}) as Record<string, { complete?: boolean; path?: string; missing?: string[] }>
    const weights = models[plan.model]
    if (!weights?.complete) {
      const missing = weights?.missing?.slice(0, 3).join(', ') ?? 'the model folder'
      return { ready: false, reason: `the ${plan.model} weights are not complete in ${weights?.path ?? modelsDir} (missing ${missing})` }
    }
    const gpuName = report.gpus.find((gpu) => gpu.index === plan.gpuIndex)?.name ?? `GPU ${plan.gpuIndex}`
    return { ready: true, plan, modelsDir, gpuName }
  }

  /**
   * Starts a render and returns its id at once; progress, done and failed arrive as events.
   * `finished` settles with the result (or the failure) for callers that want to await it.
   */
  async startRender(input: RenderRequestInput, output?: string): Promise<{ jobId: string; finished: Promise<RenderResult> }> {
    this.throwIfRendering()
    return this.startResolvedRender(await this.resolveRequest(input), output)
  }

  /** Starts a render already resolved by resolveRequest (the CLI shows the seed before starting). */
  startResolvedRender(render: ResolvedRender, output?: string): { jobId: string; finished: Promise<RenderResult> } {
    this.throwIfRendering()
    const ffmpeg = resolveFfmpeg(this.env)
    const jobId = jobIdFor(render)
    const controller = new AbortController()
    const finished = runRenderJob({
      render,
      jobsDir: this.rendersDir,
      output,
      ffmpeg: ffmpeg.path,
      mediaUrl: this.options.mediaUrl,
      signal: controller.signal,
      onProgress: (progress) => this.emit('progress', progress),
      onLog: (message) => this.log('warning', 'studio', message),
      onOutOfMemory: stepDownAfterOutOfMemory,
      generate: this.generateOn(render.gpuName)
    })
    const job: RunningJob = { jobId, controller, finished }
    this.running = job
    finished.then(
      (result) => {
        this.log('info', 'studio', `render ${jobId} finished: ${result.output}`)
        this.emit('done', result)
      },
      (error: unknown) => {
        const failure = toFailure(jobId, error, controller.signal.aborted)
        this.log(failure.kind === 'cancelled' ? 'info' : 'error', 'studio', `render ${jobId} ${failure.kind}: ${failure.message}`)
        this.emit('failed', failure)
      }
    ).finally(() => {
      if (this.running === job) this.running = null
      // A models folder changed during the render reaches the sidecar now.
      void this.sidecar
        .refreshModelsDir()
        .catch((error: unknown) => this.log('warning', 'studio', `could not show the sidecar the new models folder: ${describeSidecarError(error)}`))
    })
    return { jobId, finished }
  }

  /** One segment through the sidecar; real segments' measurements are kept for `gpuName`. */
  private readonly generateOn = (gpuName: string | null): GenerateSegment => async (params, signal, onStep) => {
    const client = await this.sidecar.ensure()
    signal.throwIfAborted()
    const onProgress = (progress: SidecarProgress): void => {
      if (progress.segment === params.segment) onStep(progress)
    }
    client.on('progress', onProgress)
    let killTimer: NodeJS.Timeout | undefined
    const onAbort = (): void => {
      // Cancel answers at once, but the engine stops only between steps: a sidecar still busy
      // after a generous multiple of a step is stuck, and is killed.
      void client.request('cancel', {}, cancelResultSchema).catch(() => undefined)
      killTimer = setTimeout(() => {
        this.log('error', 'studio', `the sidecar did not stop within ${Math.round(graceMs / 1000)} s of Cancel; killing it`)
        void client.kill().catch((error: unknown) => this.log('error', 'studio', `could not kill the sidecar: ${describeSidecarError(error)}`))
      }, graceMs)
      killTimer.unref()
    }
    const graceMs = cancelGraceMs(params)
    signal.addEventListener('abort', onAbort, { once: true })
    try {
      const result = await client.request('generate', params, generateResultSchema)
      if (gpuName) await this.recordCalibration(gpuName, params, result)
      return result
    } finally {
      clearTimeout(killTimer)
      client.off('progress', onProgress)
      signal.removeEventListener('abort', onAbort)
    }
  }

  /** Measured figures of a real segment, so the next plan uses them instead of predictions. */
  private async recordCalibration(gpuName: string, params: GenerateParams, result: GenerateResult): Promise<void> {
    const plan = (params.options as { plan?: Plan } | undefined)?.plan
    const peakVramMiB = result.peakVramReservedMiB ?? result.peakVramAllocatedMiB
    if (!plan || peakVramMiB == null || result.secondsPerStep == null) return
    await this.calibration.record({ gpuName, plan, peakVramMiB, secondsPerStep: result.secondsPerStep }).catch((error: unknown) => {
      this.log('warning', 'studio', `could not save the measured figures: ${(error as Error).message}`)
    })
  }

  private throwIfRendering(): void {
    if (this.running) throw new RenderRequestError(`a render is already running (job ${this.running.jobId}); cancel it or wait`)
  }

  runningJobIds(): string[] {
    return this.running ? [this.running.jobId] : []
  }

  cancelRender(jobId: string): { cancelled: boolean } {
    if (!this.running || this.running.jobId !== jobId) return { cancelled: false }
    this.running.controller.abort()
    return { cancelled: true }
  }

  /** Finished renders, newest first, from the job manifests on disk. */
  async listRenders(): Promise<RenderResult[]> {
    if (!existsSync(this.rendersDir)) return []
    const results: { result: RenderResult; mtime: number }[] = []
    for (const entry of await readdir(this.rendersDir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue
      const manifestPath = join(this.rendersDir, entry.name, 'job.json')
      try {
        const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { result?: unknown }
        const parsed = renderResultSchema.safeParse(manifest.result)
        if (parsed.success && existsSync(parsed.data.output)) {
          const result = { ...parsed.data, mediaUrl: this.options.mediaUrl(parsed.data.output) }
          results.push({ result, mtime: Date.parse((manifest as { createdAt?: string }).createdAt ?? '') || 0 })
        }
      } catch {
        // A folder without a readable manifest is not a finished render.
      }
    }
    return results.sort((a, b) => b.mtime - a.mtime).map(({ result }) => result)
  }

  /** Cancels any render and stops the sidecar tree; the app calls this before quitting. */
  async close(): Promise<void> {
    if (this.running) {
      this.running.controller.abort()
      await this.running.finished.catch(() => undefined)
    }
    await this.sidecar.stop()
  }
}

function cancelGraceMs(params: GenerateParams): number {
  if (params.engine === 'synthetic') return SYNTHETIC_CANCEL_GRACE_MS
  const plan = (params.options as { plan?: Plan } | undefined)?.plan
  const secondsPerStep = plan ? plan.predicted.secondsPerSegment / Math.max(params.steps, 1) : 0
  return Math.max(REAL_ENGINE_MIN_CANCEL_GRACE_MS, 3 * secondsPerStep * 1000)
}

/** Absolute, with ~ expanded: the sidecar runs in another folder and does not share our cwd. */
function absoluteFolder(dir: string): string {
  return resolve(dir.startsWith('~') ? join(homedir(), dir.slice(1)) : dir)
}

/**
 * The same render with the next smaller placement of its plan, chosen for the phase the sidecar ran
 * out of memory in (`error.data.phase`), or null when none is left.
 */
export function stepDownAfterOutOfMemory(render: ResolvedRender, error: SidecarError): ResolvedRender | null {
  const plan = (render.engineOptions as { plan?: Plan }).plan
  const smaller = plan ? smallerPlacement(plan, outOfMemoryPhase(error.data)) : null
  return smaller ? { ...render, engineOptions: { ...render.engineOptions, plan: smaller } } : null
}

/** Test and demo hook: slow the synthetic engine down so progress and Cancel can be watched. */
function syntheticOptions(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const seconds = Number(env.WAN_STUDIO_SYNTHETIC_SECONDS_PER_STEP ?? '0')
  return Number.isFinite(seconds) && seconds > 0 ? { secondsPerStep: seconds } : {}
}

function toFailure(jobId: string, error: unknown, aborted: boolean): RenderFailure {
  const cancelled = aborted || (error instanceof SidecarError && error.code === RpcCode.cancelled)
  if (cancelled) return { jobId, kind: 'cancelled', message: 'Render cancelled', details: [] }
  const details =
    error instanceof SidecarExitedError || error instanceof SidecarError
      ? error.stderrTail.slice(-20)
      : error && typeof error === 'object' && 'stderrTail' in error && Array.isArray(error.stderrTail)
        ? (error.stderrTail as string[]).slice(-20)
        : []
  return { jobId, kind: 'failed', message: error instanceof Error ? error.message : String(error), details }
}
