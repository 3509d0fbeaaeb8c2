// The one IPC contract: every invoke channel's params and result, every event's payload.
// Main validates params against these schemas; the preload exposes exactly these methods.
import { z } from 'zod'
import { batchPreviewParamsSchema, batchPreviewSchema, batchStartParamsSchema, batchStatusSchema } from './batch'
import { doctorReportSchema } from './doctor'
import { engineSetupProgressSchema, engineSetupRequestSchema, engineSetupStatusSchema } from './engineSetup'
import { downloadParamsSchema, downloadStatusSchema } from './modelDownloads'
import { planSchema } from './plan'
import { extendParamsSchema, helperModelsViewSchema, promptSuggestionSchema, translateParamsSchema } from './promptHelper'
import { presetNameSchema, promptLibraryViewSchema, savePresetParamsSchema } from './promptLibrary'
import { settingsChangeSchema, studioSettingsSchema } from './settings'
import type { ErrorInfo } from './queue'
import { exportSpecSchema, projectSchema } from './project'
import { jobPreviewSchema, jobProgressSchema, queueJobSchema, queueSnapshotSchema } from './queue'
import { engineIdSchema, renderRequestSchema } from './render'
import { gpuSampleSchema, telemetryStatusSchema } from './telemetry'
import { weightsFoundSchema } from './weights'

export const engineInfoSchema = z.object({
  id: engineIdSchema,
  label: z.string(),
  available: z.boolean(),
  reason: z.string().nullable()
})
export type EngineInfo = z.infer<typeof engineInfoSchema>

export const sidecarStateSchema = z.enum(['stopped', 'starting', 'ready', 'crashed'])
export type SidecarState = z.infer<typeof sidecarStateSchema>

export const studioInfoSchema = z.object({
  version: z.string(),
  dataDir: z.string(),
  ffmpeg: z.object({ path: z.string(), source: z.string() }).nullable(),
  python: z.object({ path: z.string(), source: z.string() }).nullable(),
  sidecar: z.object({ state: sidecarStateSchema, lastError: z.string().nullable() }),
  engines: z.array(engineInfoSchema),
  /** Why the studio can't render at all (no ffmpeg, no Python), or null. */
  problem: z.string().nullable()
})
export type StudioInfo = z.infer<typeof studioInfoSchema>

export const logLineSchema = z.object({
  time: z.string(),
  level: z.enum(['debug', 'info', 'warning', 'error']),
  source: z.enum(['sidecar', 'studio']),
  message: z.string()
})
export type LogLine = z.infer<typeof logLineSchema>

/** The engines as the sidecar reports them, with what the real engine still needs. */
export const engineStatusSchema = z.object({
  python: z.object({ path: z.string(), source: z.string() }).nullable(),
  sidecar: z.object({ state: sidecarStateSchema, lastError: z.string().nullable() }),
  engines: z.array(
    engineInfoSchema.extend({ details: z.record(z.string(), z.unknown()) })
  ),
  /** Whether Wan2.2 can render right now, else what is missing and how to fix it. */
  realEngine: z.object({ ready: z.boolean(), reason: z.string().nullable() })
})
export type EngineStatus = z.infer<typeof engineStatusSchema>

export const effectivePlanSchema = z.object({
  plan: planSchema.nullable(),
  refusal: z.string().nullable(),
  warnings: z.array(z.string()),
  overridden: z.boolean()
})
export type EffectivePlanInfo = z.infer<typeof effectivePlanSchema>

/** The system state as one cached snapshot: asking for it spawns nothing (refresh probes again). */
export const systemSnapshotSchema = z.object({
  takenAt: z.string(),
  info: studioInfoSchema,
  engineStatus: engineStatusSchema,
  doctor: doctorReportSchema,
  effectivePlan: effectivePlanSchema,
  settings: studioSettingsSchema,
  /** Where each model's weights were found (models folder, Hugging Face cache, ComfyUI folders). */
  weights: weightsFoundSchema
})
export type SystemSnapshot = z.infer<typeof systemSnapshotSchema>

const none = z.undefined()
/** An action that answers nothing but success. */
const done = z.void()
const jobId = z.object({ jobId: z.string().min(1) })
const queued = z.object({ project: projectSchema, shotJobs: z.record(z.string(), z.string()), exportJobId: z.string().nullable() })

/**
 * Every invoke, grouped by domain as the preload exposes them (`wanStudio.queue.cancel(...)`).
 * Main validates params against these schemas before a handler runs.
 */
export const invokeContract = {
  project: {
    load: { params: z.object({ path: z.string().min(1) }), result: projectSchema },
    save: { params: z.object({ path: z.string().min(1), project: projectSchema }), result: z.object({ path: z.string() }) },
    /** The native file dialog for a project to open or a place to save one; null when cancelled. */
    chooseFile: { params: z.object({ purpose: z.enum(['open', 'save']) }), result: z.object({ path: z.string().nullable() }) },
    /** Projects opened or saved last, newest first (recent-projects.json in the data folder). */
    recent: { params: none, result: z.array(z.string()) },
    /** The project the last window left unsaved (unsaved-project.json in the data folder), or null; a damaged one is set aside, said in problem. */
    unsaved: { params: none, result: z.object({ unsaved: z.object({ path: z.string().nullable(), keptAt: z.string(), project: projectSchema }).nullable(), problem: z.string().nullable() }) },
    keepUnsaved: { params: z.object({ project: projectSchema, path: z.string().min(1).nullable() }), result: done },
    dropUnsaved: { params: none, result: done }
  },
  queue: {
    snapshot: { params: none, result: queueSnapshotSchema },
    progress: { params: none, result: z.array(jobProgressSchema) },
    /** One prompt, rendered and exported to an H.264 clip in the data folder: the quick path. */
    renderPrompt: { params: renderRequestSchema.extend({ size: projectSchema.shape.settings.shape.size.optional() }), result: queued },
    renderProject: { params: z.object({ project: projectSchema }), result: queued },
    cancel: { params: jobId, result: done },
    pause: { params: jobId, result: done },
    resume: { params: jobId, result: done },
    retry: { params: jobId, result: done },
    retryFailed: { params: none, result: z.object({ retried: z.number().int() }) },
    move: { params: jobId.extend({ toIndex: z.number().int().min(0) }), result: done },
    setPaused: { params: z.object({ paused: z.boolean() }), result: done },
    clearFinished: { params: none, result: z.object({ removed: z.number().int() }) }
  },
  export: {
    /** Renders what is missing, then exports; the export job id comes back at once. */
    start: { params: z.object({ project: projectSchema, spec: exportSpecSchema }), result: queued }
  },
  system: {
    snapshot: { params: none, result: systemSnapshotSchema },
    refresh: { params: none, result: systemSnapshotSchema },
    log: { params: none, result: z.array(logLineSchema) },
    updateSettings: { params: settingsChangeSchema, result: studioSettingsSchema },
    chooseModelsDir: { params: none, result: z.object({ path: z.string().nullable() }) },
    /** Telemetry's state: on-demand sampling, the sampler, the metrics endpoint. */
    telemetry: { params: none, result: telemetryStatusSchema },
    /** Starts or stops sampling the GPU outside a job (the System tab's Watch GPU). */
    watchGpu: { params: z.object({ watch: z.boolean() }), result: telemetryStatusSchema }
  },
  batch: {
    /** Reads and checks a prompt list: the jobs, the refused rows with their lines, length and predicted time. */
    preview: { params: batchPreviewParamsSchema, result: batchPreviewSchema },
    /** Queues every good row (one render each; its export follows) into outDir. */
    start: { params: batchStartParamsSchema, result: batchStatusSchema },
    status: { params: z.object({ outDir: z.string().min(1) }), result: batchStatusSchema },
    /** The batches the studio follows: started in this session, or re-attached after a restart. */
    list: { params: none, result: z.array(batchStatusSchema) },
    /** Holds, resumes or cancels every unfinished row of a batch; retries its failed and cancelled rows. */
    pause: { params: z.object({ outDir: z.string().min(1) }), result: batchStatusSchema },
    resume: { params: z.object({ outDir: z.string().min(1) }), result: batchStatusSchema },
    cancel: { params: z.object({ outDir: z.string().min(1) }), result: batchStatusSchema },
    retryFailed: { params: z.object({ outDir: z.string().min(1) }), result: batchStatusSchema },
    /** Stops following a batch with no row left to run (its folder stays). */
    dismiss: { params: z.object({ outDir: z.string().min(1) }), result: done },
    /** Shows a file or folder in the system's file manager. */
    reveal: { params: z.object({ path: z.string().min(1) }), result: done }
  },
  media: {
    /** The first frame of a rendered segment (a file in the renders folder) as a small cached JPEG's URL. */
    thumbnail: { params: z.object({ segment: z.string().min(1) }), result: z.object({ url: z.string() }) }
  },
  prompts: {
    /** Presets and the history of queued prompts (prompt-library.json in the data folder). */
    library: { params: none, result: promptLibraryViewSchema },
    /** Saves a preset under its name, replacing one of the same name. */
    savePreset: { params: savePresetParamsSchema, result: promptLibraryViewSchema },
    deletePreset: { params: z.object({ name: presetNameSchema }), result: promptLibraryViewSchema }
  },
  prompt: {
    /** The helper models (translation, extension), complete or not, with their download commands. */
    models: { params: none, result: helperModelsViewSchema },
    /** The prompt in Simplified Chinese, by the local helper model (cached per prompt and model). */
    translate: { params: translateParamsSchema, result: promptSuggestionSchema },
    /** Wan2.2's extension of the prompt into a detailed one, reproducible from the seed. */
    extend: { params: extendParamsSchema, result: promptSuggestionSchema }
  },
  engine: {
    /** Whether an engine environment exists, the set-up running or the last one, free disk space. */
    setupStatus: { params: none, result: engineSetupStatusSchema },
    /** Starts building the engine environment with uv (src/main/engineSetup); progress and the end come as events. */
    setupStart: { params: engineSetupRequestSchema, result: engineSetupStatusSchema },
    setupCancel: { params: none, result: done },
    /** The latest set-up's log file (its end when long). */
    setupLog: { params: none, result: z.object({ path: z.string(), text: z.string(), truncated: z.boolean() }) }
  },
  models: {
    /** Each weights download the app offers (src/main/models/downloads.ts): its state, sizes and check result. */
    downloads: { params: none, result: z.array(downloadStatusSchema) },
    /** Starts (or resumes: part files are kept) a download into the models folder; progress comes as events. */
    downloadStart: { params: downloadParamsSchema, result: downloadStatusSchema },
    downloadPause: { params: downloadParamsSchema, result: downloadStatusSchema },
    downloadResume: { params: downloadParamsSchema, result: downloadStatusSchema },
    /** Stops and removes the part files; files already checked stay. */
    downloadCancel: { params: downloadParamsSchema, result: downloadStatusSchema }
  }
} as const satisfies { [D in Domain]: Record<string, { params: z.ZodType; result: z.ZodType }> }

export const eventContract = {
  queue: {
    job: queueJobSchema,
    removed: z.object({ jobId: z.string() }),
    progress: jobProgressSchema,
    /** The running shot's picture so far; only the latest per job matters. */
    preview: jobPreviewSchema,
    paused: z.object({ paused: z.boolean() })
  },
  system: { snapshot: systemSnapshotSchema, log: logLineSchema, gpuSample: gpuSampleSchema, telemetry: telemetryStatusSchema },
  engine: { setupProgress: engineSetupProgressSchema, setupLog: z.object({ line: z.string() }), setupStatus: engineSetupStatusSchema },
  models: { download: downloadStatusSchema }
} as const satisfies { [D in Domain]?: Record<string, z.ZodType> }

export type Domain = 'project' | 'queue' | 'export' | 'system' | 'batch' | 'engine' | 'prompt' | 'prompts' | 'models' | 'media'
type Invokes = typeof invokeContract
type Events = typeof eventContract
export type InvokeName<D extends Domain> = keyof Invokes[D] & string
export type EventDomain = keyof Events
export type EventName<D extends EventDomain> = keyof Events[D] & string

type Entry<D extends Domain, M extends InvokeName<D>> = Invokes[D][M] extends { params: infer P extends z.ZodType; result: infer R extends z.ZodType } ? { params: P; result: R } : never
export type InvokeParams<D extends Domain, M extends InvokeName<D>> = z.input<Entry<D, M>['params']>
export type InvokeResult<D extends Domain, M extends InvokeName<D>> = z.output<Entry<D, M>['result']>
export type EventPayload<D extends EventDomain, E extends EventName<D>> = Events[D][E] extends z.ZodType ? z.output<Events[D][E]> : never

/** What crosses IPC for every invoke: the value, or the error as data. */
export type IpcOutcome<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo }

/** What main registers: one handler per contract entry, given validated params. */
export type IpcHandlers = {
  [D in Domain]: { [M in InvokeName<D>]: (params: z.output<Entry<D, M>['params']>) => Promise<InvokeResult<D, M>> }
}

/** What the preload exposes on `window.wanStudio`: invokes answer with an IpcOutcome, events return an unsubscribe. */
export type WanStudioApi = {
  [D in Domain]: {
    [M in InvokeName<D>]: InvokeParams<D, M> extends undefined
      ? () => Promise<IpcOutcome<InvokeResult<D, M>>>
      : (params: InvokeParams<D, M>) => Promise<IpcOutcome<InvokeResult<D, M>>>
  }
} & {
  events: { [D in EventDomain]: { [E in EventName<D>]: (listener: (payload: EventPayload<D, E>) => void) => () => void } }
}
