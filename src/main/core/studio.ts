// The studio core: everything the app, the CLI and the tests do goes through here. Plain Node.
import { randomInt } from 'node:crypto'
import { EventEmitter } from 'node:events'
import { existsSync, statSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import type { DoctorReport } from '../../shared/doctor'
import type { EffectivePlanInfo, LogLine, SystemSnapshot } from '../../shared/ipc'
import type { Project } from '../../shared/project'
import type { JobPreview, JobProgress, QueueJob, StepDown } from '../../shared/queue'
import type { GpuSample, TelemetryStatus } from '../../shared/telemetry'
import type { SettingsChange, StudioSettings } from '../../shared/settings'
import type { AppPaths } from '../appPaths/appPaths'
import { Batches } from '../batch/batches'
import { doctor } from '../doctor/doctor'
import { EngineSetupService } from '../engineSetup/engineSetupService'
import { resolveFfmpeg } from '../media/ffmpegPath'
import { createCalibrationStore, type CalibrationStore } from '../planner/calibration'
import { promptHelperDevice } from '../planner/promptHelperPlan'
import { ModelDownloads } from '../models/downloads'
import { sidecarWeights } from '../models/sidecarWeights'
import { rendersDir } from '../project/dataDir'
import { SettingsStore } from '../project/settings'
import { RenderQueue } from '../queue/renderQueue'
import { drawMissingSeeds, type RealEngineReadiness } from '../render/resolveShot'
import type { GenerateSegment } from '../render/shotJob'
import { gpuSelection } from '../sidecar/gpuSelection'
import { findPython } from '../sidecar/python'
import { describeSidecarError, SidecarSupervisor } from '../sidecar/supervisor'
import type { StudioMetrics } from '../telemetry/metrics'
import { GpuWatch } from './gpuWatch'
import { helperModelFacts } from './helperModelFacts'
import { LocalExecutor } from './localExecutor'
import { MetricsEndpoint } from './metricsEndpoint'
import { promptCacheDir, PromptService } from './promptService'
import { queueProject, type QueueProjectOptions, type QueuedProject } from './queueProject'
import { prepareShotPrompts } from './shotPrompts'
import { sidecarGenerate } from './sidecarGenerate'
import { computeSystemState } from './systemState'

export interface StudioOptions {
  version: string
  dataDir: string
  /** Where the sidecar, the engine environment, uv and ffmpeg-static are (src/main/appPaths). */
  paths: AppPaths
  env?: NodeJS.ProcessEnv
  /** The queue file; the app's is in the data folder, the CLI keeps one per work folder. */
  queueFile?: string
  /** How the front end reaches a media file: wan-media:// in the app, http:// in tests. */
  mediaUrl: (path: string) => string
  /** False holds the queue idle until startQueue(), so the CLI can tidy a work folder's old jobs first. */
  startQueue?: boolean
}

export interface StudioEvents {
  job: [QueueJob]
  gpuSample: [GpuSample]
  telemetry: [TelemetryStatus]
  segmentRendered: [{ engine: string; seconds: number; secondsPerStep: number | null }]
  stepDown: [StepDown]
  jobRemoved: [string]
  progress: [JobProgress]
  preview: [JobPreview]
  queuePaused: [boolean]
  system: [SystemSnapshot]
  log: [LogLine]
}

const LOG_LINES_KEPT = 500

interface SystemState {
  snapshot: SystemSnapshot
  readiness: RealEngineReadiness
}

export class Studio extends EventEmitter<StudioEvents> {
  private readonly sidecar: SidecarSupervisor
  private readonly logLines: LogLine[] = []
  private readonly env: NodeJS.ProcessEnv
  private readonly settingsStore: SettingsStore
  readonly calibration: CalibrationStore
  private readonly queueReady: Promise<RenderQueue>
  private system: Promise<SystemState> | null = null
  /** Renders running on the sidecar; settings reach it only while none does. */
  private rendering = 0
  /** The sidecar (by pid) that has held a Wan2.2 pipeline: it stays cached in VRAM there, so the helper model keeps off the GPU. */
  private videoModelSidecar: number | undefined
  /** Whether the helper model fits on the GPU, from the last system snapshot's plan (until one exists: yes). */
  private helperFitsGpu = true
  private readonly gpuWatch: GpuWatch
  private readonly metrics: MetricsEndpoint
  /** Builds the engine environment with uv (the first-run screen, the System tab's Repair). */
  readonly engineSetup: EngineSetupService
  /** The app's batches, re-attached to the queue's jobs at start (the data folder's batches.json). */
  readonly batches: Batches
  /** The helper model: translation and extension of prompts (docs/prompting.md). */
  readonly prompts: PromptService
  /** Weights downloads from the Hugging Face Hub into the models folder (System tab). */
  readonly downloads: ModelDownloads

  constructor(private readonly options: StudioOptions) {
    super()
    this.env = options.env ?? process.env
    this.settingsStore = new SettingsStore(options.dataDir, (message) => this.log('warning', 'studio', message))
    this.calibration = createCalibrationStore(options.dataDir)
    const telemetryChanged = (): void => void this.emit('telemetry', this.telemetryStatus())
    this.gpuWatch = new GpuWatch({ env: this.env, onSample: (sample) => this.emit('gpuSample', sample), onChange: telemetryChanged, log: (level, message) => this.log(level, 'studio', message) })
    this.metrics = new MetricsEndpoint({ feed: (metrics) => this.feedMetrics(metrics), onChange: telemetryChanged, log: (level, message) => this.log(level, 'studio', message) })
    this.sidecar = new SidecarSupervisor({
      enginePython: options.paths.engineVenvPython,
      sidecarDir: options.paths.sidecarDir,
      env: this.env,
      initializeParams: async () => ({
        ffmpegPath: resolveFfmpeg(this.env, options.paths.ffmpegStaticBinary).path,
        modelsDir: await this.modelsDir(),
        ...sidecarWeights({ env: this.env, modelsDir: await this.modelsDir(), comfyUiFolders: (await this.settingsStore.load()).comfyUiFolders }),
        // The sidecar writes and reads segments only here: the data folder's renders and exports,
        // and the renders folder of every queued shot (a CLI work folder).
        allowedRoots: [
          ...new Set([
            this.rendersDir,
            this.exportsDir,
            promptCacheDir(options.dataDir),
            ...(await this.queue()).snapshot().jobs.flatMap((job) => (job.payload.kind === 'render-shot' ? [job.payload.rendersDir] : []))
          ])
        ].map((folder) => resolve(folder))
      }),
      log: (level, source, message) => this.log(level, source, message)
    })
    this.prompts = new PromptService({
      sidecar: this.sidecar,
      dataDir: options.dataDir,
      modelsDir: () => this.modelsDir(),
      // The GPU only while no render needs it (the sidecar refuses it during a generate anyway), no
      // video pipeline is cached there and the plan says it fits (planner/promptHelperPlan.ts); else the CPU.
      device: () => {
        const cuda = this.sidecar.initialized?.engines.some((engine) => engine.details?.cudaAvailable === true) === true
        const videoModelCached = this.videoModelSidecar !== undefined && this.videoModelSidecar === this.sidecar.pid
        return promptHelperDevice({ cudaAvailable: cuda, rendering: this.rendering > 0, videoModelCached, fitsGpu: this.helperFitsGpu })
      },
      log: (level, message) => this.log(level, 'studio', message)
    })
    const { paths } = options
    this.downloads = new ModelDownloads({
      python: () => this.downloadPython(),
      sidecarDir: paths.sidecarDir,
      modelsDir: () => this.modelsDir(),
      env: this.env
    })
    this.downloads.on('log', (message) => this.log('warning', 'studio', message))
    this.downloads.on('status', (status) => {
      // A finished download changes which models load: the System tab's checklist asks again.
      if (status.state === 'complete') void this.refreshSystem().catch(() => undefined)
    })
    this.engineSetup = new EngineSetupService({
      engineDir: paths.engineDir,
      requirementsDir: paths.requirementsDir,
      sidecarDir: paths.sidecarDir,
      uv: paths.uvBinary,
      venvPython: paths.engineVenvPython,
      withTestTools: paths.layout === 'source',
      env: this.env,
      // The previous environment is deleted after the switch: nothing may be rendering from it.
      busyReason: () => (this.rendering > 0 ? 'a render is running on the current engine environment; set it up again once the render ends' : null),
      onSwitched: async () => {
        await this.sidecar.stop()
        void this.refreshSystem().catch(() => undefined)
      }
    })
    const executor = new LocalExecutor({
      ffmpeg: () => resolveFfmpeg(this.env, options.paths.ffmpegStaticBinary).path,
      appVersion: options.version,
      generatorFor: (render) => this.generatorFor(render.gpuName, render.engineOptions),
      telemetryFor: () => this.gpuWatch.forJob(),
      onSegmentRendered: (segment) => this.emit('segmentRendered', segment),
      onStepDown: (stepDown) => this.emit('stepDown', stepDown),
      log: (level, message) => this.log(level, 'studio', message)
    })
    this.queueReady = RenderQueue.open(options.queueFile ?? join(options.dataDir, 'queue.json'), executor).then(({ queue, warning }) => {
      if (warning) this.log('warning', 'studio', warning)
      queue.on('job', (job) => this.emit('job', job))
      queue.on('removed', (id) => this.emit('jobRemoved', id))
      queue.on('progress', (progress) => this.emit('progress', progress))
      queue.on('preview', (preview) => this.emit('preview', preview))
      queue.on('paused', (paused) => this.emit('queuePaused', paused))
      queue.on('warning', (message) => this.log('warning', 'studio', message))
      if (options.startQueue !== false) queue.start()
      return queue
    })
    // A failure here surfaces at the first queue call; don't let it be an unhandled rejection.
    this.queueReady.catch(() => undefined)
    // Re-attaches the batches the app started before (the data folder's batches.json) as the queue opens.
    this.batches = new Batches(this, options.dataDir, (level, message) => this.log(level, 'studio', message))
  }

  get rendersDir(): string {
    return rendersDir(this.options.dataDir)
  }

  get dataDir(): string {
    return this.options.dataDir
  }

  /** Where the quick path (one prompt) writes its H.264 clips. */
  get exportsDir(): string {
    return join(this.options.dataDir, 'exports')
  }

  queue(): Promise<RenderQueue> {
    return this.queueReady
  }

  async startQueue(): Promise<void> {
    ;(await this.queueReady).start()
  }

  mediaUrl(path: string): string {
    return this.options.mediaUrl(path)
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
    if (change.comfyUiFolders) {
      const folders = [...new Set(change.comfyUiFolders.map(absoluteFolder))]
      const notFolder = folders.find((dir) => !existsSync(dir) || !statSync(dir).isDirectory())
      if (notFolder) throw new Error(`ComfyUI folder ${notFolder} does not exist or is not a folder`)
      change = { ...change, comfyUiFolders: folders }
    }
    const next = await this.settingsStore.update(change)
    // The metrics endpoint follows its setting at once; a port in use shows in telemetryStatus().
    if (change.metrics) await this.metrics.apply(next.metrics)
    if (this.rendering === 0) await this.sidecar.refreshModelsDir()
    void this.refreshSystem().catch(() => undefined)
    return next
  }

  /** WAN_STUDIO_MODELS_DIR wins over the remembered folder, so scripts can point anywhere. */
  /** The engine environment's Python (or WAN_STUDIO_PYTHON), which has huggingface_hub; null before the set-up. */
  private downloadPython(): string | null {
    try {
      const choice = findPython(this.options.paths.engineVenvPython, this.env)
      return choice.source === 'PATH' ? null : choice.path
    } catch {
      return null
    }
  }

  private async modelsDir(): Promise<string | null> {
    const dir = this.env.WAN_STUDIO_MODELS_DIR || (await this.settingsStore.load()).modelsDir
    return dir ? absoluteFolder(dir) : null
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

  /**
   * The system state (studio info, engines, GPU report, plan, settings) as one snapshot, computed
   * once and served from the cache after that: asking often spawns nothing.
   */
  async systemSnapshot(): Promise<SystemSnapshot> {
    return (await this.systemState()).snapshot
  }

  /** Probes again (nvidia-smi, the sidecar's engine report) and tells listeners. */
  async refreshSystem(): Promise<SystemSnapshot> {
    this.system = null
    return this.systemSnapshot()
  }

  private systemState(): Promise<SystemState> {
    if (!this.system) {
      const computing = computeSystemState({
        version: this.options.version,
        dataDir: this.options.dataDir,
        paths: this.options.paths,
        env: this.env,
        sidecar: this.sidecar,
        settings: () => this.settingsStore.load(),
        calibration: () => this.calibration.load(),
        modelsDir: () => this.modelsDir(),
        refreshModelsDir: this.rendering === 0,
        helperModels: async () => helperModelFacts(await this.prompts.models())
      })
      this.system = computing
      computing.then(
        (state) => {
          this.helperFitsGpu = state.snapshot.doctor.promptHelper?.fitsGpu ?? true
          this.emit('system', state.snapshot)
        },
        () => {
          if (this.system === computing) this.system = null
        }
      )
    }
    return this.system
  }

  /** A fresh GPU report (the CLI's doctor; the app reads the cached one in the snapshot). */
  doctorReport(): Promise<DoctorReport> {
    return this.calibration.load().then((calibration) => doctor({ env: this.env, calibration }))
  }

  /** The plan the real engine would use: the planner's, with the user's pinned choices on top. */
  async effectivePlan(): Promise<EffectivePlanInfo> {
    return (await this.systemSnapshot()).effectivePlan
  }

  /** Whether the real engine can render, from the cached system state. */
  async realEngineReadiness(): Promise<RealEngineReadiness> {
    return (await this.systemState()).readiness
  }

  /**
   * Queues a project: a render job per shot (reusing a matching unfinished one) and, with a spec,
   * the export that waits for them. Returns the project with every seed drawn, to be saved.
   */
  async queueProject(
    input: Project,
    options: Omit<QueueProjectOptions, 'realEngine' | 'rendersDir' | 'drawSeed' | 'syntheticOptions' | 'modelPrompts'> & { rendersDir?: string; extend?: boolean }
  ): Promise<QueuedProject> {
    const { extend = false, ...queueOptions } = options
    const drawSeed = (): number => randomInt(0, 2 ** 32 - 1)
    // Seeds first: an extension is seeded with its shot's seed.
    const project: Project = { ...input, shots: drawMissingSeeds(input.shots, drawSeed) }
    const needsRealEngine = project.shots.some((shot) => shot.engine !== 'synthetic')
    const realEngine: RealEngineReadiness = needsRealEngine ? await this.realEngineReadiness() : { ready: false, reason: 'not asked' }
    // Translation runs before resolving (resolveShot is pure): the render key hashes what the model receives.
    const prompts = await prepareShotPrompts(project, { extend, helper: () => this.prompts.availability() })
    const queued = queueProject(await this.queue(), project, {
      ...queueOptions,
      rendersDir: options.rendersDir ?? this.rendersDir,
      realEngine,
      drawSeed,
      syntheticOptions: syntheticOptions(this.env),
      modelPrompts: prompts.modelPrompts
    })
    prompts.warnings.forEach((warning) => this.log('warning', 'studio', warning))
    const notes = [...prompts.notes, ...queued.notes]
    notes.forEach((note) => this.log('info', 'studio', note))
    return { ...queued, notes: [...prompts.warnings, ...notes] }
  }

  /**
   * How a render's segments run on the local sidecar: on the first segment the sidecar is started
   * (or restarted to see the plan's GPU), not while the job is resolved or queued.
   */
  private generatorFor(gpuName: string | null, engineOptions: Record<string, unknown>): GenerateSegment {
    let prepared: Promise<GenerateSegment> | null = null
    const prepare = async (): Promise<GenerateSegment> => {
      const plan = engineOptions.plan as Parameters<typeof gpuSelection>[0] | undefined
      if (plan) {
        await this.sidecar.useCudaDevices(gpuSelection(plan).cudaVisibleDevices)
        // The video model needs the memory the helper model holds (a restart above already freed it).
        await this.prompts.unload()
        this.videoModelSidecar = (await this.sidecar.ensure()).pid
      }
      return sidecarGenerate({ sidecar: this.sidecar, calibration: this.calibration, gpuName, log: (level, message) => this.log(level, 'studio', message) })
    }
    return async (request, signal, onStep, onPreview) => {
      prepared ??= prepare()
      const generate = await prepared
      this.rendering++
      try {
        return await generate(request, signal, onStep, onPreview)
      } finally {
        this.rendering--
        if (this.rendering === 0) {
          // A models folder changed during the render reaches the sidecar now.
          void this.sidecar.refreshModelsDir().catch((error: unknown) => this.log('warning', 'studio', `could not show the sidecar the new models folder: ${describeSidecarError(error)}`))
        }
      }
    }
  }

  /** Where telemetry stands: on-demand sampling, the sampler's state, the metrics endpoint. */
  telemetryStatus(): TelemetryStatus {
    return { watching: this.gpuWatch.watching, sampler: this.gpuWatch.status, metrics: this.metrics.state }
  }

  /** Starts or stops sampling the GPU outside a job (the System tab's Watch GPU). */
  async watchGpu(watch: boolean): Promise<TelemetryStatus> {
    await this.gpuWatch.watch(watch)
    return this.telemetryStatus()
  }

  /**
   * Starts the opt-in Prometheus endpoint (127.0.0.1 unless another address is given), replacing
   * one already served, and feeds it from this studio's events. Resolves with its URL.
   */
  serveMetrics(host: string, port: number): Promise<string> {
    return this.metrics.serve(host, port)
  }

  /** The app's start: serves metrics when the saved setting says so (the CLI uses --metrics-port instead). */
  async serveMetricsFromSettings(): Promise<void> {
    await this.metrics.apply((await this.settingsStore.load()).metrics)
  }

  /** Feeds a Prometheus registry from this studio's events; returns the unsubscribe. */
  private feedMetrics(metrics: StudioMetrics): () => void {
    const countStates = (): void => {
      void this.queueReady.then((queue) => metrics.queueStates(queue.snapshot().jobs.map((job) => job.state))).catch(() => undefined)
    }
    const onSample = (sample: GpuSample): void => metrics.gpuSample(sample)
    const onSegment = (segment: StudioEvents['segmentRendered'][0]): void => metrics.segmentRendered(segment)
    const onStepDown = (stepDown: StepDown): void => metrics.stepDown(stepDown)
    countStates()
    this.on('job', countStates).on('jobRemoved', countStates).on('gpuSample', onSample).on('segmentRendered', onSegment).on('stepDown', onStepDown)
    return () => {
      this.off('job', countStates).off('jobRemoved', countStates).off('gpuSample', onSample).off('segmentRendered', onSegment).off('stepDown', onStepDown)
    }
  }

  /** Stops running jobs (they resume next time), saves the queue and stops the sidecar tree. */
  async close(): Promise<void> {
    // The batches' last summary writes first; their jobs stay in the queue for next time.
    await this.batches.close()
    const queue = await this.queueReady.catch(() => null)
    await queue?.close()
    await this.engineSetup.stop()
    await this.downloads.close()
    await this.sidecar.stop()
    await this.gpuWatch.stop()
    await this.metrics.stop()
  }
}

/** Absolute, with ~ expanded: the sidecar runs in another folder and does not share our cwd. */
function absoluteFolder(dir: string): string {
  return resolve(dir.startsWith('~') ? join(homedir(), dir.slice(1)) : dir)
}

/** Test and demo hook: slow the synthetic engine down so progress and Cancel can be watched. */
function syntheticOptions(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const seconds = Number(env.WAN_STUDIO_SYNTHETIC_SECONDS_PER_STEP ?? '0')
  return Number.isFinite(seconds) && seconds > 0 ? { secondsPerStep: seconds } : {}
}
