// Studio state: one zustand store fed by the IPC events (see useStudioEvents) and the panels' actions.
import { create } from 'zustand'
import type { DoctorReport } from '../../shared/doctor'
import type { EffectivePlanInfo, EngineStatus, LogLine, StudioInfo, WanStudioApi } from '../../shared/ipc'
import type { RenderFailure, RenderProgress, RenderRequestInput, RenderResult } from '../../shared/render'
import type { PlanOverride, StudioSettings } from '../../shared/settings'
import { errorMessage, studioApi } from './api'
import { engineProblem, randomSeed, validateShot, type ShotField, type ShotForm } from './validation'


/** The render this window started (or picked up from events after a reload). */
export type Job = {
  /** null until startRender answers (events may arrive first). */
  jobId: string | null
  status: 'submitting' | 'running' | 'cancelling'
  request: RenderRequestInput | null
  /** Date.now() when Generate was pressed or the job was first seen. */
  startedAt: number
  cancelRequested: boolean
}

/** `request` is what to send again to retry (finished segments resume from their checkpoints). */
export type RenderError = { title: string; message: string; details: string[]; request: RenderRequestInput | null; jobId: string | null }
export type Notice = { kind: 'cancelled'; message: string; request: RenderRequestInput | null; jobId: string }

export type SystemState = {
  status: 'idle' | 'loading' | 'ready' | 'error'
  report: DoctorReport | null
  error: string | null
  checkedAt: number | null
  /** The plan the real engine will use: the planner's, with the user's pinned choices on top. */
  effectivePlan: EffectivePlanInfo | null
  effectivePlanError: string | null
}

export type EngineCheck = {
  status: 'idle' | 'loading' | 'ready' | 'error'
  report: EngineStatus | null
  error: string | null
  checkedAt: number | null
}

export type SettingsState = {
  values: StudioSettings | null
  loadError: string | null
  /** The setting being saved, so its form can say so. */
  saving: 'modelsDir' | 'planOverride' | null
  modelsDirError: string | null
  planOverrideError: string | null
}

export type CenterTab = 'viewer' | 'system'

/** Lines kept in the log panel; older ones drop off the top. */
export const LOG_LIMIT = 2000

type StudioState = {
  info: StudioInfo | null
  infoError: string | null
  form: ShotForm
  /** Fields the user has edited; their errors show inline. */
  touched: Partial<Record<ShotField, boolean>>
  /** Set when Generate was tried with an invalid form: every error shows. */
  showAllErrors: boolean
  job: Job | null
  progress: RenderProgress | null
  /** Date.now() when `progress` arrived, so elapsed and time left can tick between events. */
  progressAt: number
  /** The clip in the monitor: the last finished render or one picked from the history. */
  current: RenderResult | null
  lastSeed: number | null
  error: RenderError | null
  notice: Notice | null
  history: RenderResult[]
  historyError: string | null
  logs: LogLine[]
  /** Lines dropped off the top so far: logDropped + index is a line's stable number. */
  logDropped: number
  logOpen: boolean
  tab: CenterTab
  system: SystemState
  engine: EngineCheck
  settings: SettingsState
}

type StudioActions = {
  setField: <K extends keyof ShotForm>(field: K, value: ShotForm[K]) => void
  touch: (field: ShotField) => void
  rollSeed: () => void
  reuseLastSeed: () => void
  refreshInfo: () => Promise<void>
  loadHistory: () => Promise<void>
  loadLog: () => Promise<void>
  generate: () => Promise<void>
  /** Sends a request again (after a cancel or a failure): same shot, same seed, so it resumes. */
  retry: (request: RenderRequestInput) => Promise<void>
  cancel: () => Promise<void>
  onProgress: (progress: RenderProgress) => void
  onDone: (result: RenderResult) => void
  onFailed: (failure: RenderFailure) => void
  onLog: (line: LogLine) => void
  select: (result: RenderResult) => void
  dismissError: () => void
  dismissNotice: () => void
  setLogOpen: (open: boolean) => void
  setTab: (tab: CenterTab) => void
  /** Everything the System tab shows: the doctor report, the engine checklist, settings and the plan in effect. */
  checkSystem: () => Promise<void>
  runDoctor: () => Promise<void>
  loadEffectivePlan: () => Promise<void>
  loadEngineStatus: () => Promise<void>
  loadSettings: () => Promise<void>
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

/** Whether an event about `jobId` belongs to the job this window follows. */
function isCurrent(job: Job | null, jobId: string): job is Job {
  return job !== null && (job.jobId === null || job.jobId === jobId)
}

async function startJob(request: RenderRequestInput): Promise<void> {
  const api = studioApi()
  if (!api || useStudio.getState().job) return
  useStudio.setState({
    job: { jobId: null, status: 'submitting', request, startedAt: Date.now(), cancelRequested: false },
    progress: null,
    current: null,
    error: null,
    notice: null,
    tab: 'viewer'
  })
  try {
    const { jobId } = await api.startRender(request)
    const job = useStudio.getState().job
    // The job may already have ended through its events.
    if (!job || (job.jobId !== null && job.jobId !== jobId)) return
    useStudio.setState({ job: { ...job, jobId, status: job.status === 'submitting' ? 'running' : job.status } })
    if (job.cancelRequested) await useStudio.getState().cancel()
  } catch (error) {
    useStudio.setState({
      job: null,
      progress: null,
      error: { title: 'Could not start the render', message: errorMessage(error), details: [], request: null, jobId: null }
    })
  }
}

/** Log lines that arrive while the initial getSidecarLog is in flight. */
let pendingLog: LogLine[] | null = null

/** Numbers the engine-status and effective-plan requests, so a slow older answer can't overwrite a newer one. */
const latestRequest = { engineStatus: 0, effectivePlan: 0 }

export const useStudio = create<Studio>()((set, get) => ({
  info: null,
  infoError: null,
  form: initialForm,
  touched: {},
  showAllErrors: false,
  job: null,
  progress: null,
  progressAt: 0,
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
  system: { status: 'idle', report: null, error: null, checkedAt: null, effectivePlan: null, effectivePlanError: null },
  engine: { status: 'idle', report: null, error: null, checkedAt: null },
  settings: { values: null, loadError: null, saving: null, modelsDirError: null, planOverrideError: null },

  setField: (field, value) => set((s) => ({ form: { ...s.form, [field]: value } })),
  touch: (field) => set((s) => (s.touched[field] ? s : { touched: { ...s.touched, [field]: true } })),
  rollSeed: () => set((s) => ({ form: { ...s.form, seed: String(randomSeed()) }, touched: { ...s.touched, seed: true } })),
  reuseLastSeed: () =>
    set((s) => (s.lastSeed === null ? s : { form: { ...s.form, seed: String(s.lastSeed) }, touched: { ...s.touched, seed: true } })),

  refreshInfo: async () => {
    const api = studioApi()
    if (!api) return
    try {
      const info = await api.getStudioInfo()
      set({ info, infoError: null })
    } catch (error) {
      set({ infoError: errorMessage(error) })
    }
  },

  loadHistory: async () => {
    const api = studioApi()
    if (!api) return
    try {
      const listed = await api.listRenders()
      set((s) => {
        // Renders finished while the list was loading come first, once.
        const known = new Set(listed.map((r) => r.jobId))
        const fresh = s.history.filter((r) => !known.has(r.jobId))
        const history = [...fresh, ...listed]
        return { history, historyError: null, lastSeed: s.lastSeed ?? history[0]?.seed ?? null }
      })
    } catch (error) {
      set({ historyError: errorMessage(error) })
    }
  },

  loadLog: async () => {
    const api = studioApi()
    if (!api) return
    pendingLog = []
    try {
      const lines = await api.getSidecarLog()
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
    if (state.info?.problem || engineProblem(state.form.engine, state.info?.engines ?? [])) return
    // A blank seed is rolled here rather than in main, so a cancelled render can be resumed.
    const request: RenderRequestInput = { ...checked.request, seed: checked.request.seed ?? randomSeed() }
    await startJob(request)
  },

  retry: async (request) => {
    if (get().job) return
    await startJob(request)
  },

  cancel: async () => {
    const api = studioApi()
    const job = get().job
    if (!api || !job) return
    if (job.jobId === null) {
      // startRender hasn't answered yet: cancel as soon as the job has an id.
      set({ job: { ...job, status: 'cancelling', cancelRequested: true } })
      return
    }
    const jobId = job.jobId
    set({ job: { ...job, status: 'cancelling', cancelRequested: true } })
    try {
      const { cancelled } = await api.cancelRender({ jobId })
      const now = get().job
      if (!cancelled && now && now.jobId === jobId) {
        // Nothing to cancel (it was finishing); its done or failed event follows.
        set({ job: { ...now, status: 'running', cancelRequested: false } })
      }
    } catch (error) {
      const now = get().job
      set({
        job: now && now.jobId === jobId ? { ...now, status: 'running', cancelRequested: false } : now,
        error: { title: 'Could not cancel the render', message: errorMessage(error), details: [], request: null, jobId: null }
      })
    }
  },

  onProgress: (progress) => {
    const s = get()
    let job = s.job
    if (!job) {
      // Late events of a job that just ended here are not a new render.
      if (progress.phase === 'done' || s.notice?.jobId === progress.jobId || s.error?.jobId === progress.jobId) return
      // A render already running when this window loaded: follow it.
      job = { jobId: progress.jobId, status: 'running', request: null, startedAt: Date.now() - progress.elapsedSeconds * 1000, cancelRequested: false }
    } else if (!isCurrent(job, progress.jobId)) {
      return
    } else if (job.jobId === null) {
      job = { ...job, jobId: progress.jobId, status: job.status === 'submitting' ? 'running' : job.status }
    }
    set({ job, progress, progressAt: Date.now() })
  },

  onDone: (result) => {
    set((s) => ({ history: [result, ...s.history.filter((r) => r.jobId !== result.jobId)] }))
    const s = get()
    if (isCurrent(s.job, result.jobId) || s.job === null) {
      set({ job: null, progress: null, current: result, lastSeed: result.seed, notice: null, error: null })
    }
    void get().refreshInfo()
  },

  onFailed: (failure) => {
    const s = get()
    if (!isCurrent(s.job, failure.jobId) && s.job !== null) return
    if (failure.kind === 'cancelled') {
      // The progress panel keeps the last progress, marked cancelled, until the next render.
      set({ job: null, notice: { kind: 'cancelled', message: failure.message, request: s.job?.request ?? null, jobId: failure.jobId } })
    } else {
      set({
        job: null,
        progress: null,
        notice: null,
        error: { title: 'Render failed', message: failure.message, details: failure.details, request: s.job?.request ?? null, jobId: failure.jobId }
      })
    }
    void get().refreshInfo()
  },

  onLog: (line) => {
    if (pendingLog) pendingLog.push(line)
    else set((s) => capLog([...s.logs, line], s.logDropped))
  },

  select: (result) => set({ current: result, tab: 'viewer' }),
  dismissError: () => set({ error: null }),
  dismissNotice: () => set((s) => (s.job ? { notice: null } : { notice: null, progress: null })),
  setLogOpen: (logOpen) => set({ logOpen }),
  setTab: (tab) => {
    set({ tab })
    if (tab === 'system' && get().system.status === 'idle') void get().checkSystem()
  },

  checkSystem: async () => {
    const s = get()
    await Promise.all([s.runDoctor(), s.loadEffectivePlan(), s.loadEngineStatus(), s.loadSettings()])
  },

  runDoctor: async () => {
    const api = studioApi()
    if (!api) return
    set((s) => ({ system: { ...s.system, status: 'loading', error: null } }))
    try {
      const report = await api.runDoctor()
      set((s) => ({ system: { ...s.system, status: 'ready', report, error: null, checkedAt: Date.now() } }))
    } catch (error) {
      set((s) => ({ system: { ...s.system, status: 'error', error: errorMessage(error), checkedAt: Date.now() } }))
    }
  },

  loadEffectivePlan: async () => {
    const api = studioApi()
    if (!api) return
    const request = ++latestRequest.effectivePlan
    try {
      const effectivePlan = await api.getEffectivePlan()
      if (request === latestRequest.effectivePlan) set((s) => ({ system: { ...s.system, effectivePlan, effectivePlanError: null } }))
    } catch (error) {
      if (request === latestRequest.effectivePlan) set((s) => ({ system: { ...s.system, effectivePlanError: errorMessage(error) } }))
    }
  },

  loadEngineStatus: async () => {
    const api = studioApi()
    if (!api) return
    const request = ++latestRequest.engineStatus
    set((s) => ({ engine: { ...s.engine, status: 'loading', error: null } }))
    try {
      const report = await api.getEngineStatus()
      if (request === latestRequest.engineStatus) set({ engine: { status: 'ready', report, error: null, checkedAt: Date.now() } })
    } catch (error) {
      if (request === latestRequest.engineStatus) {
        set((s) => ({ engine: { ...s.engine, status: 'error', error: errorMessage(error), checkedAt: Date.now() } }))
      }
    }
  },

  loadSettings: async () => {
    const api = studioApi()
    if (!api) return
    try {
      const values = await api.getSettings()
      set((s) => ({ settings: { ...s.settings, values, loadError: null } }))
    } catch (error) {
      set((s) => ({ settings: { ...s.settings, loadError: errorMessage(error) } }))
    }
  },

  saveModelsDir: (modelsDir) => saveSettings('modelsDir', (api) => api.updateSettings({ modelsDir })),

  browseModelsDir: () =>
    saveSettings('modelsDir', async (api) => {
      const { path } = await api.chooseModelsDir()
      // Main saved the folder chosen; a cancelled dialog changes nothing.
      return path === null ? null : api.getSettings()
    }),

  savePlanOverride: (planOverride) => saveSettings('planOverride', (api) => api.updateSettings({ planOverride }))
}))

/**
 * Saves a setting through `save` (null when nothing changed), then refreshes what depends on it: a
 * new models folder or plan changes what the real engine can do, so the header's engines, the
 * engine check and the plan in effect follow. A rejection shows next to the setting's form.
 */
async function saveSettings(target: 'modelsDir' | 'planOverride', save: (api: WanStudioApi) => Promise<StudioSettings | null>): Promise<void> {
  const api = studioApi()
  const errorField = target === 'modelsDir' ? 'modelsDirError' : 'planOverrideError'
  if (!api || useStudio.getState().settings.saving) return
  useStudio.setState((s) => ({ settings: { ...s.settings, saving: target, [errorField]: null } }))
  try {
    const values = await save(api)
    if (values) {
      useStudio.setState((s) => ({ settings: { ...s.settings, values } }))
      const s = useStudio.getState()
      await Promise.all([s.refreshInfo(), s.loadEngineStatus(), s.loadEffectivePlan()])
    }
    useStudio.setState((s) => ({ settings: { ...s.settings, saving: null } }))
  } catch (error) {
    useStudio.setState((s) => ({ settings: { ...s.settings, saving: null, [errorField]: errorMessage(error) } }))
  }
}
