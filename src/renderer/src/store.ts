// Studio state: one zustand store fed by the IPC events (see useStudioEvents) and the panels' actions.
import { create } from 'zustand'
import type { LogLine, SystemSnapshot } from '../../shared/ipc'
import type { JobProgress, QueueJob } from '../../shared/queue'
import type { RenderRequestInput } from '../../shared/render'
import type { PlanOverride, SettingsChange, StudioSettings } from '../../shared/settings'
import { call, errorDetails, errorMessage, StudioError } from './api'
import { clipOf, clipsOf, type Clip } from './clips'
import { engineProblem, randomSeed, validateShot, type ShotField, type ShotForm } from './validation'

/** The queue jobs one render consists of: the shot renders, then the export that makes the clip. */
export type RenderJobIds = { shots: string[]; export: string | null }

/** The render this window started (or picked up from the queue's events after a reload). */
export type Job = {
  /** null until queue.renderPrompt answers (events may arrive first). */
  ids: RenderJobIds | null
  status: 'submitting' | 'running' | 'cancelling'
  request: RenderRequestInput | null
  /** Date.now() when Generate was pressed or the render was first seen. */
  startedAt: number
  cancelRequested: boolean
}

/** Where the render this window follows stands. */
export type RenderProgress = {
  /** The latest event: the shot render's, then the export's. */
  current: JobProgress
  /** The shot render's latest event (segments, reused ones), kept while the export runs. */
  render: JobProgress | null
  /** Each job's own fraction, 0..1. */
  fractions: Record<string, number>
  /** The whole render, the shots and then the export, 0..1. */
  fraction: number
  /** Date.now() when `current` arrived, so elapsed and time left can tick between events. */
  at: number
}

/** A render's jobs and request, to run again: failed or cancelled jobs resume from their finished segments. */
export type RenderTarget = { ids: RenderJobIds; request: RenderRequestInput | null }

export type RenderError = { title: string; code: string | null; message: string; details: string[]; target: RenderTarget | null }
export type Notice = { kind: 'cancelled'; target: RenderTarget; elapsedSeconds: number }

export type SystemState = {
  /** 'loading' while a snapshot or refresh call is in flight. */
  status: 'idle' | 'loading' | 'ready' | 'error'
  /** Studio info, engines, GPU report, the plan in effect and the settings, as main last computed them. */
  snapshot: SystemSnapshot | null
  error: string | null
}

export type SettingsState = {
  /** The setting being saved, so its form can say so. */
  saving: 'modelsDir' | 'planOverride' | null
  modelsDirError: string | null
  planOverrideError: string | null
}

export type CenterTab = 'viewer' | 'system'

/** Lines kept in the log panel; older ones drop off the top. */
export const LOG_LIMIT = 2000

/** How much of a shot render an export counts for in the whole render's progress. */
const EXPORT_WEIGHT = 0.1

type StudioState = {
  form: ShotForm
  /** Fields the user has edited; their errors show inline. */
  touched: Partial<Record<ShotField, boolean>>
  /** Set when Generate was tried with an invalid form: every error shows. */
  showAllErrors: boolean
  job: Job | null
  progress: RenderProgress | null
  /** The queue's jobs by id (queue.snapshot, then its events). */
  jobs: Record<string, QueueJob>
  /** The clip in the monitor: the last finished render or one picked from the history. */
  current: Clip | null
  lastSeed: number | null
  error: RenderError | null
  notice: Notice | null
  /** Done exports of the queue, newest first. */
  history: Clip[]
  historyError: string | null
  logs: LogLine[]
  /** Lines dropped off the top so far: logDropped + index is a line's stable number. */
  logDropped: number
  logOpen: boolean
  tab: CenterTab
  system: SystemState
  settings: SettingsState
}

type StudioActions = {
  setField: <K extends keyof ShotForm>(field: K, value: ShotForm[K]) => void
  touch: (field: ShotField) => void
  rollSeed: () => void
  reuseLastSeed: () => void
  /** The cached system snapshot: asking spawns nothing in main. */
  loadSystem: () => Promise<void>
  /** Probes again (GPUs, the sidecar's engines) and shows the new snapshot. */
  refreshSystem: () => Promise<void>
  loadHistory: () => Promise<void>
  loadLog: () => Promise<void>
  generate: () => Promise<void>
  /** Runs a failed or cancelled render again: same shot, same seed, so finished segments are reused. */
  retry: (target: RenderTarget) => Promise<void>
  cancel: () => Promise<void>
  onProgress: (progress: JobProgress) => void
  onJob: (job: QueueJob) => void
  onJobRemoved: (jobId: string) => void
  onSystemSnapshot: (snapshot: SystemSnapshot) => void
  onLog: (line: LogLine) => void
  select: (clip: Clip) => void
  dismissError: () => void
  dismissNotice: () => void
  setLogOpen: (open: boolean) => void
  setTab: (tab: CenterTab) => void
  /** null forgets the folder. */
  saveModelsDir: (modelsDir: string | null) => Promise<void>
  /** Opens the native folder dialog; main saves the folder chosen. */
  browseModelsDir: () => Promise<void>
  /** null goes back to the planner's automatic plan. */
  savePlanOverride: (planOverride: PlanOverride | null) => Promise<void>
}

export type Studio = StudioState & StudioActions

const initialForm: ShotForm = { prompt: '', negativePrompt: '', seconds: '5', seed: '', steps: '', engine: 'auto' }

function logKey(line: LogLine): string {
  return `${line.time}|${line.level}|${line.source}|${line.message}`
}

function capLog(lines: LogLine[], dropped: number): { logs: LogLine[]; logDropped: number } {
  if (lines.length <= LOG_LIMIT) return { logs: lines, logDropped: dropped }
  const excess = lines.length - LOG_LIMIT
  return { logs: lines.slice(excess), logDropped: dropped + excess }
}

function trackedIds(ids: RenderJobIds): string[] {
  return ids.export ? [...ids.shots, ids.export] : ids.shots
}

function isFinished(job: QueueJob): boolean {
  return job.state === 'done' || job.state === 'failed' || job.state === 'cancelled'
}

/** The whole render's fraction: each shot counts 1, the export EXPORT_WEIGHT; a done job counts whole. */
function wholeFraction(ids: RenderJobIds, fractions: Record<string, number>, jobs: Record<string, QueueJob>): number {
  const of = (id: string): number => fractions[id] ?? (jobs[id]?.state === 'done' ? 1 : 0)
  const shots = ids.shots.reduce((sum, id) => sum + of(id), 0)
  const exported = ids.export ? EXPORT_WEIGHT * of(ids.export) : 0
  return Math.min(1, (shots + exported) / (ids.shots.length + (ids.export ? EXPORT_WEIGHT : 0)))
}

/** The render a job belongs to: an export and the shots it waits for, or a shot and the export waiting for it. */
function renderOf(jobId: string, jobs: Record<string, QueueJob>): RenderJobIds | null {
  const job = jobs[jobId]
  if (!job) return null
  if (job.payload.kind === 'export') return { shots: Object.values(job.payload.shotJobs), export: job.id }
  const exporting = Object.values(jobs).find((candidate) => candidate.payload.kind === 'export' && !isFinished(candidate) && candidate.dependsOn.includes(jobId))
  return exporting?.payload.kind === 'export' ? { shots: Object.values(exporting.payload.shotJobs), export: exporting.id } : { shots: [jobId], export: null }
}

/** Progress events that arrive while renderPrompt or a retry is in flight, before this window follows the job ids. */
let pendingProgress: Map<string, JobProgress> | null = null

/** Log lines that arrive while the initial system.log is in flight. */
let pendingLog: LogLine[] | null = null

/** Numbers the system snapshot requests, so a slow older answer can't overwrite a newer one. */
let latestSystemRequest = 0

/** Queues one prompt: its shot render and the export that makes the clip. */
function startJob(request: RenderRequestInput): Promise<void> {
  return follow(request, null, 'Could not start the render', async () => {
    const queued = await call('queue', 'renderPrompt', request)
    return { shots: Object.values(queued.shotJobs), export: queued.exportJobId }
  })
}

/**
 * Follows the render `submit` queues (or queues again). Until it answers with the job ids, their
 * events only update the jobs (progress waits in pendingProgress), so a render being retried is not
 * settled as cancelled halfway through.
 */
async function follow(request: RenderRequestInput | null, retryTarget: RenderTarget | null, failureTitle: string, submit: () => Promise<RenderJobIds>): Promise<void> {
  if (useStudio.getState().job) return
  useStudio.setState({
    job: { ids: null, status: 'submitting', request, startedAt: Date.now(), cancelRequested: false },
    progress: null,
    current: null,
    error: null,
    notice: null,
    tab: 'viewer'
  })
  pendingProgress = new Map()
  try {
    const ids = await submit()
    const job = useStudio.getState().job
    if (!job || job.ids !== null) return
    useStudio.setState({ job: { ...job, ids, status: job.status === 'submitting' ? 'running' : job.status } })
    for (const progress of pendingProgress.values()) useStudio.getState().onProgress(progress)
    // The jobs may have finished already (every segment reused): their events came before this answer.
    settle()
    if (job.cancelRequested) await useStudio.getState().cancel()
  } catch (error) {
    useStudio.setState({
      job: null,
      progress: null,
      error: { title: failureTitle, code: error instanceof StudioError ? error.code : null, message: errorMessage(error), details: errorDetails(error), target: retryTarget }
    })
  } finally {
    pendingProgress = null
  }
}

/**
 * Ends the followed render once its jobs say so: the export done (play its clip), or a job failed
 * or cancelled (show why once the render's other jobs are cancelled too, so nothing waits on it).
 */
function settle(): void {
  const { job, jobs, progress } = useStudio.getState()
  if (!job?.ids) return
  const ids = job.ids
  const tracked = trackedIds(ids).flatMap((id) => (jobs[id] ? [jobs[id]] : []))
  const target: RenderTarget = { ids, request: job.request }
  const failed = tracked.find((candidate) => candidate.state === 'failed')
  const cancelled = tracked.find((candidate) => candidate.state === 'cancelled')
  const exported = ids.export ? jobs[ids.export] : undefined
  if (failed || cancelled) {
    const unfinished = tracked.filter((candidate) => !isFinished(candidate))
    if (unfinished.length > 0) {
      if (job.status !== 'cancelling') useStudio.setState({ job: { ...job, status: 'cancelling' } })
      for (const candidate of unfinished) void call('queue', 'cancel', { jobId: candidate.id }).catch(() => undefined)
      return
    }
  }
  if (failed) {
    const error = failed.error ?? { code: 'failed', message: 'the job failed without saying why', details: [] }
    useStudio.setState({
      job: null,
      progress: null,
      notice: null,
      error: { title: failed.payload.kind === 'export' ? 'Export failed' : 'Render failed', code: error.code, message: error.message, details: error.details, target }
    })
  } else if (cancelled) {
    // The progress panel keeps the last progress, marked cancelled, until the next render.
    const elapsedSeconds = Math.max(0, ((progress?.at ?? Date.now()) - job.startedAt) / 1000)
    useStudio.setState({ job: null, notice: { kind: 'cancelled', target, elapsedSeconds } })
  } else if (exported?.state === 'done') {
    const clip = clipOf(exported, jobs)
    useStudio.setState((s) => ({ job: null, progress: null, notice: null, error: null, current: clip, lastSeed: clip?.seed ?? s.lastSeed }))
  } else if (!ids.export && tracked.length === ids.shots.length && tracked.every((candidate) => candidate.state === 'done')) {
    useStudio.setState({ job: null, progress: null })
  }
}

export const useStudio = create<Studio>()((set, get) => ({
  form: initialForm,
  touched: {},
  showAllErrors: false,
  job: null,
  progress: null,
  jobs: {},
  current: null,
  lastSeed: null,
  error: null,
  notice: null,
  history: [],
  historyError: null,
  logs: [],
  logDropped: 0,
  logOpen: true,
  tab: 'viewer',
  system: { status: 'idle', snapshot: null, error: null },
  settings: { saving: null, modelsDirError: null, planOverrideError: null },

  setField: (field, value) => set((s) => ({ form: { ...s.form, [field]: value } })),
  touch: (field) => set((s) => (s.touched[field] ? s : { touched: { ...s.touched, [field]: true } })),
  rollSeed: () => set((s) => ({ form: { ...s.form, seed: String(randomSeed()) }, touched: { ...s.touched, seed: true } })),
  reuseLastSeed: () =>
    set((s) => (s.lastSeed === null ? s : { form: { ...s.form, seed: String(s.lastSeed) }, touched: { ...s.touched, seed: true } })),

  loadSystem: () => loadSnapshot('snapshot'),
  refreshSystem: () => loadSnapshot('refresh'),

  loadHistory: async () => {
    try {
      const snapshot = await call('queue', 'snapshot')
      set((s) => {
        // Jobs that changed while the snapshot was on its way keep their newer state.
        const jobs: Record<string, QueueJob> = {}
        for (const job of snapshot.jobs) {
          const known = s.jobs[job.id]
          jobs[job.id] = known && known.updatedAt > job.updatedAt ? known : job
        }
        for (const job of Object.values(s.jobs)) jobs[job.id] ??= job
        const history = clipsOf(jobs)
        return { jobs, history, historyError: null, lastSeed: s.lastSeed ?? history[0]?.seed ?? null }
      })
      settle()
    } catch (error) {
      set({ historyError: errorMessage(error) })
    }
  },

  loadLog: async () => {
    pendingLog = []
    try {
      const lines = await call('system', 'log')
      const tail = new Set(lines.slice(-500).map(logKey))
      const arrived = (pendingLog ?? []).filter((line) => !tail.has(logKey(line)))
      set((s) => capLog([...lines, ...arrived], s.logDropped))
    } catch (error) {
      const line: LogLine = {
        time: new Date().toISOString(),
        level: 'error',
        source: 'studio',
        message: `Could not read the sidecar log: ${errorMessage(error)}`
      }
      set((s) => capLog([...s.logs, ...(pendingLog ?? []), line], s.logDropped))
    } finally {
      pendingLog = null
    }
  },

  generate: async () => {
    const state = get()
    if (state.job) return
    const checked = validateShot(state.form)
    if (!checked.ok) {
      set({ showAllErrors: true })
      return
    }
    // Same conditions that disable the Generate button (the keyboard shortcut lands here too).
    const info = state.system.snapshot?.info
    if (info?.problem || engineProblem(state.form.engine, info?.engines ?? [])) return
    // A blank seed is rolled here rather than in main, so the seed shows while it renders.
    const request: RenderRequestInput = { ...checked.request, seed: checked.request.seed ?? randomSeed() }
    await startJob(request)
  },

  retry: async (target) => {
    if (get().job) return
    const jobs = get().jobs
    const tracked = trackedIds(target.ids).map((id) => jobs[id])
    if (tracked.some((job) => job === undefined)) {
      // Cleared from the queue: send the request again; its finished segments are found by their render key.
      if (target.request) await startJob(target.request)
      return
    }
    await follow(target.request, target, 'Could not retry the render', async () => {
      // Shots first: the export waits for them.
      for (const job of tracked) {
        if (job && (job.state === 'failed' || job.state === 'cancelled')) await call('queue', 'retry', { jobId: job.id })
      }
      return target.ids
    })
  },

  cancel: async () => {
    const job = get().job
    if (!job) return
    set({ job: { ...job, status: 'cancelling', cancelRequested: true } })
    // renderPrompt (or a retry) hasn't answered yet: follow() cancels as soon as the jobs have ids.
    if (!job.ids) return
    const ids = job.ids
    try {
      // The export first, so it never starts on the shots' way out.
      for (const id of [...(ids.export ? [ids.export] : []), ...ids.shots]) await call('queue', 'cancel', { jobId: id })
      // A job that finished meanwhile is not cancelled: its done or failed event settles the render.
      settle()
    } catch (error) {
      const now = get().job
      set({
        job: now && now.ids === ids ? { ...now, status: 'running', cancelRequested: false } : now,
        error: { title: 'Could not cancel the render', code: null, message: errorMessage(error), details: errorDetails(error), target: null }
      })
    }
  },

  onProgress: (progress) => {
    const s = get()
    let job = s.job
    if (job && !job.ids) {
      pendingProgress?.set(progress.jobId, progress)
      return
    }
    if (!job) {
      // Late events of a render that just ended here are not a new render.
      const known = s.jobs[progress.jobId]
      if (progress.phase === 'done' || !known || isFinished(known)) return
      // A render already running when this window loaded: follow it.
      const ids = renderOf(progress.jobId, s.jobs)
      if (!ids) return
      job = { ids, status: 'running', request: null, startedAt: Date.now() - progress.elapsedSeconds * 1000, cancelRequested: false }
    }
    const ids = job.ids!
    const isShot = ids.shots.includes(progress.jobId)
    if (!isShot && ids.export !== progress.jobId) return
    const fractions = { ...s.progress?.fractions, [progress.jobId]: progress.fraction }
    set({
      job,
      progress: {
        current: progress,
        render: isShot ? progress : (s.progress?.render ?? null),
        fractions,
        fraction: wholeFraction(ids, fractions, s.jobs),
        at: Date.now()
      }
    })
  },

  onJob: (job) => {
    set((s) => {
      const jobs = { ...s.jobs, [job.id]: job }
      return job.payload.kind === 'export' ? { jobs, history: clipsOf(jobs) } : { jobs }
    })
    settle()
  },

  onJobRemoved: (jobId) => {
    set((s) => {
      if (!s.jobs[jobId]) return s
      const { [jobId]: _removed, ...jobs } = s.jobs
      return { jobs, history: clipsOf(jobs) }
    })
  },

  onSystemSnapshot: (snapshot) => set((s) => ({ system: { ...s.system, snapshot, error: null, status: s.system.status === 'loading' ? 'loading' : 'ready' } })),

  onLog: (line) => {
    if (pendingLog) pendingLog.push(line)
    else set((s) => capLog([...s.logs, line], s.logDropped))
  },

  select: (clip) => set({ current: clip, tab: 'viewer' }),
  dismissError: () => set({ error: null }),
  dismissNotice: () => set((s) => (s.job ? { notice: null } : { notice: null, progress: null })),
  setLogOpen: (logOpen) => set({ logOpen }),
  setTab: (tab) => set({ tab }),

  saveModelsDir: (modelsDir) => saveSettings('modelsDir', () => call('system', 'updateSettings', { modelsDir })),

  browseModelsDir: () =>
    saveSettings('modelsDir', async () => {
      const { path } = await call('system', 'chooseModelsDir')
      // Main saved the folder chosen; a cancelled dialog changes nothing.
      return path === null ? null : { modelsDir: path }
    }),

  savePlanOverride: (planOverride) => saveSettings('planOverride', () => call('system', 'updateSettings', { planOverride }))
}))

/** Asks main for the system snapshot (cached) or a fresh one (refresh); a newer request wins. */
async function loadSnapshot(method: 'snapshot' | 'refresh'): Promise<void> {
  const request = ++latestSystemRequest
  useStudio.setState((s) => ({ system: { ...s.system, status: 'loading', error: null } }))
  try {
    const snapshot = await call('system', method)
    if (request === latestSystemRequest) useStudio.setState({ system: { status: 'ready', snapshot, error: null } })
  } catch (error) {
    if (request === latestSystemRequest) useStudio.setState((s) => ({ system: { ...s.system, status: 'error', error: errorMessage(error) } }))
  }
}

/**
 * Saves a setting through `save` (null when nothing changed), shows it at once, then reads the
 * system snapshot main recomputes after every change of settings: a new models folder or plan
 * changes what the real engine can do, so the header's engines, the engine checklist and the plan
 * in effect follow. A rejection shows next to the setting's form.
 */
async function saveSettings(target: 'modelsDir' | 'planOverride', save: () => Promise<StudioSettings | SettingsChange | null>): Promise<void> {
  const errorField = target === 'modelsDir' ? 'modelsDirError' : 'planOverrideError'
  if (useStudio.getState().settings.saving) return
  useStudio.setState((s) => ({ settings: { ...s.settings, saving: target, [errorField]: null } }))
  try {
    const saved = await save()
    if (saved) {
      useStudio.setState((s) => {
        const snapshot = s.system.snapshot
        return snapshot ? { system: { ...s.system, snapshot: { ...snapshot, settings: { ...snapshot.settings, ...saved } } } } : s
      })
      await useStudio.getState().loadSystem()
    }
    useStudio.setState((s) => ({ settings: { ...s.settings, saving: null } }))
  } catch (error) {
    useStudio.setState((s) => ({ settings: { ...s.settings, saving: null, [errorField]: errorMessage(error) } }))
  }
}
