// Studio state: one zustand store fed by the IPC events (see useStudioEvents) and the panels' actions.
import { create } from 'zustand'
import type { InvokeResult, LogLine, StudioInfo } from '../../shared/ipc'
import type { RenderFailure, RenderProgress, RenderRequestInput, RenderResult } from '../../shared/render'
import { errorMessage, studioApi } from './api'
import { randomSeed, validateShot, type ShotField, type ShotForm } from './validation'

export type DoctorReport = InvokeResult<'runDoctor'>

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

export type RenderError = { title: string; message: string; details: string[] }
export type Notice = { kind: 'cancelled'; message: string }

export type SystemState = {
  status: 'idle' | 'loading' | 'ready' | 'error'
  report: DoctorReport | null
  error: string | null
  checkedAt: number | null
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
  logOpen: boolean
  tab: CenterTab
  system: SystemState
  /** Jobs that already ended here; late events for them are ignored. */
  ended: Set<string>
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
  runDoctor: () => Promise<void>
}

export type Studio = StudioState & StudioActions

const initialForm: ShotForm = { prompt: '', negativePrompt: '', seconds: '5', seed: '', steps: '', engine: 'auto' }

function logKey(line: LogLine): string {
  return `${line.time}|${line.level}|${line.source}|${line.message}`
}

function capLog(lines: LogLine[]): LogLine[] {
  return lines.length > LOG_LIMIT ? lines.slice(lines.length - LOG_LIMIT) : lines
}

/** Whether an event about `jobId` belongs to the job this window follows. */
function isCurrent(job: Job | null, jobId: string): job is Job {
  return job !== null && (job.jobId === null || job.jobId === jobId)
}

/** Log lines that arrive while the initial getSidecarLog is in flight. */
let pendingLog: LogLine[] | null = null

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
  logOpen: true,
  tab: 'viewer',
  system: { status: 'idle', report: null, error: null, checkedAt: null },
  ended: new Set<string>(),

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
        return { history: [...fresh, ...listed], historyError: null }
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
      set({ logs: capLog([...lines, ...arrived]) })
    } catch (error) {
      const line: LogLine = {
        time: new Date().toISOString(),
        level: 'error',
        source: 'studio',
        message: `Could not read the sidecar log: ${errorMessage(error)}`
      }
      set((s) => ({ logs: capLog([...s.logs, ...(pendingLog ?? []), line]) }))
    } finally {
      pendingLog = null
    }
  },

  generate: async () => {
    const api = studioApi()
    const state = get()
    if (!api || state.job) return
    const checked = validateShot(state.form)
    if (!checked.ok) {
      set({ showAllErrors: true })
      return
    }
    set({
      job: { jobId: null, status: 'submitting', request: checked.request, startedAt: Date.now(), cancelRequested: false },
      progress: null,
      current: null,
      error: null,
      notice: null,
      tab: 'viewer'
    })
    try {
      const { jobId } = await api.startRender(checked.request)
      const job = get().job
      // The job may already have ended through its events.
      if (!job || (job.jobId !== null && job.jobId !== jobId) || get().ended.has(jobId)) return
      set({ job: { ...job, jobId, status: job.status === 'submitting' ? 'running' : job.status } })
      if (job.cancelRequested) await get().cancel()
    } catch (error) {
      set({ job: null, progress: null, error: { title: 'Could not start the render', message: errorMessage(error), details: [] } })
    }
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
      if (!cancelled && now && now.jobId === jobId && !get().ended.has(jobId)) {
        // Nothing to cancel (it was finishing); its done or failed event follows.
        set({ job: { ...now, status: 'running', cancelRequested: false } })
      }
    } catch (error) {
      const now = get().job
      set({
        job: now && now.jobId === jobId ? { ...now, status: 'running', cancelRequested: false } : now,
        error: { title: 'Could not cancel the render', message: errorMessage(error), details: [] }
      })
    }
  },

  onProgress: (progress) => {
    const s = get()
    if (s.ended.has(progress.jobId)) return
    let job = s.job
    if (!job) {
      if (progress.phase === 'done') return
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
    if (s.ended.has(result.jobId)) return
    if (isCurrent(s.job, result.jobId) || s.job === null) {
      const ended = new Set(s.ended).add(result.jobId)
      set({ job: null, progress: null, current: result, lastSeed: result.seed, ended, notice: null, error: null, tab: 'viewer' })
    }
    void get().refreshInfo()
  },

  onFailed: (failure) => {
    const s = get()
    if (s.ended.has(failure.jobId)) return
    if (!isCurrent(s.job, failure.jobId) && s.job !== null) return
    const ended = new Set(s.ended).add(failure.jobId)
    if (failure.kind === 'cancelled') {
      set({ job: null, progress: null, ended, notice: { kind: 'cancelled', message: failure.message } })
    } else {
      set({
        job: null,
        progress: null,
        ended,
        notice: null,
        error: { title: 'Render failed', message: failure.message, details: failure.details }
      })
    }
    void get().refreshInfo()
  },

  onLog: (line) => {
    if (pendingLog) pendingLog.push(line)
    else set((s) => ({ logs: capLog([...s.logs, line]) }))
  },

  select: (result) => set({ current: result, tab: 'viewer' }),
  dismissError: () => set({ error: null }),
  dismissNotice: () => set({ notice: null }),
  setLogOpen: (logOpen) => set({ logOpen }),
  setTab: (tab) => {
    set({ tab })
    if (tab === 'system' && get().system.status === 'idle') void get().runDoctor()
  },

  runDoctor: async () => {
    const api = studioApi()
    if (!api) return
    set((s) => ({ system: { ...s.system, status: 'loading', error: null } }))
    try {
      const report = await api.runDoctor()
      set({ system: { status: 'ready', report, error: null, checkedAt: Date.now() } })
    } catch (error) {
      set((s) => ({ system: { ...s.system, status: 'error', error: errorMessage(error), checkedAt: Date.now() } }))
    }
  }
}))
