// The render this window follows (started here or picked up from the queue's events after a
// reload): its jobs, its progress, and how it ended (a clip, an error, or a cancel notice).
import type { StateCreator } from 'zustand'
import type { JobProgress } from '../../../shared/queue'
import type { RenderRequestInput } from '../../../shared/render'
import { call, errorDetails, errorMessage, StudioError } from '../api'
import type { Clip } from '../clips'
import { engineProblem, randomSeed, validateShot } from '../validation'
import type { Studio } from './index'
import { mergeProgress, renderOf, renderOutcome, isFinished, trackedIds, type RenderError, type RenderJobIds, type RenderTarget } from './renderProgress'

export type { RenderError, RenderJobIds, RenderTarget } from './renderProgress'

export type Job = {
  /** null until the queue answers with the job ids (events may arrive first). */
  ids: RenderJobIds | null
  status: 'submitting' | 'running' | 'cancelling'
  request: RenderRequestInput | null
  /** Date.now() when Generate was pressed or the render was first seen. */
  startedAt: number
  cancelRequested: boolean
}

/** Where the followed render stands. */
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

export type Notice = { kind: 'cancelled'; target: RenderTarget; elapsedSeconds: number }

export type RenderSlice = {
  job: Job | null
  progress: RenderProgress | null
  /** The clip in the monitor: the last finished render or one picked from the history. */
  current: Clip | null
  lastSeed: number | null
  error: RenderError | null
  notice: Notice | null
  /** Queues the quick form's prompt: its shot render and the export that makes the clip. */
  generate: () => Promise<void>
  /** Follows a render that `submit` queues; the ids it answers are the render's jobs. */
  followRender: (request: RenderRequestInput | null, retryTarget: RenderTarget | null, failureTitle: string, submit: () => Promise<RenderJobIds>) => Promise<void>
  /** Runs a failed or cancelled render again: same shots, same seeds, so finished segments are reused. */
  retry: (target: RenderTarget) => Promise<void>
  cancel: () => Promise<void>
  onProgress: (progress: JobProgress) => void
  /** Ends the followed render once its jobs say so. */
  settleRender: () => void
  select: (clip: Clip) => void
  dismissError: () => void
  dismissNotice: () => void
}

export const createRenderSlice: StateCreator<Studio, [], [], RenderSlice> = (set, get) => {
  /** Progress that arrives before the queue answered with the job ids; null when no submit is in flight. */
  let earlyProgress: Map<string, JobProgress> | null = null

  const startPrompt = (request: RenderRequestInput): Promise<void> => {
    set({ tab: 'viewer' })
    return get().followRender(request, null, 'Could not start the render', async () => {
      const queued = await call('queue', 'renderPrompt', request)
      return { shots: Object.values(queued.shotJobs), export: queued.exportJobId }
    })
  }

  return {
    job: null,
    progress: null,
    current: null,
    lastSeed: null,
    error: null,
    notice: null,

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
      await startPrompt({ ...checked.request, seed: checked.request.seed ?? randomSeed() })
    },

    // Until `submit` answers, the jobs' events only update the jobs (progress waits in earlyProgress),
    // so a render being retried is not settled as cancelled halfway through.
    followRender: async (request, retryTarget, failureTitle, submit) => {
      if (get().job) return
      set({ job: { ids: null, status: 'submitting', request, startedAt: Date.now(), cancelRequested: false }, progress: null, current: null, error: null, notice: null })
      earlyProgress = new Map()
      try {
        const ids = await submit()
        const job = get().job
        if (!job || job.ids !== null) return
        set({ job: { ...job, ids, status: job.status === 'submitting' ? 'running' : job.status } })
        for (const progress of earlyProgress.values()) get().onProgress(progress)
        // The jobs may have finished already (every segment reused): their events came before this answer.
        get().settleRender()
        if (job.cancelRequested) await get().cancel()
      } catch (error) {
        set({ job: null, progress: null, error: { title: failureTitle, code: error instanceof StudioError ? error.code : null, message: errorMessage(error), details: errorDetails(error), target: retryTarget } })
      } finally {
        earlyProgress = null
      }
    },

    retry: async (target) => {
      if (get().job) return
      set({ tab: 'viewer' })
      const jobs = get().jobs
      const tracked = trackedIds(target.ids).map((id) => jobs[id])
      if (tracked.some((job) => job === undefined)) {
        // Cleared from the queue: send the request again; its finished segments are found by their render key.
        if (target.request) await startPrompt(target.request)
        return
      }
      await get().followRender(target.request, target, 'Could not retry the render', async () => {
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
      // The queue hasn't answered yet: followRender cancels as soon as the jobs have ids.
      if (!job.ids) return
      const ids = job.ids
      try {
        // The export first, so it never starts on the shots' way out.
        for (const id of [...(ids.export ? [ids.export] : []), ...ids.shots]) await call('queue', 'cancel', { jobId: id })
        // A job that finished meanwhile is not cancelled: its done or failed event settles the render.
        get().settleRender()
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
        earlyProgress?.set(progress.jobId, progress)
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
      const merged = mergeProgress(s.jobs, ids, s.progress?.fractions, progress)
      set({ job, progress: { current: progress, render: isShot ? progress : (s.progress?.render ?? null), ...merged, at: Date.now() } })
    },

    settleRender: () => {
      const { job, jobs, progress } = get()
      if (!job?.ids) return
      const target: RenderTarget = { ids: job.ids, request: job.request }
      const outcome = renderOutcome(target, jobs)
      switch (outcome.kind) {
        case 'running':
          return
        case 'cancel-rest':
          // Show why once the render's other jobs are cancelled too, so nothing waits on it.
          if (job.status !== 'cancelling') set({ job: { ...job, status: 'cancelling' } })
          for (const jobId of outcome.jobIds) void call('queue', 'cancel', { jobId }).catch(() => undefined)
          return
        case 'failed':
          set({ job: null, progress: null, notice: null, error: outcome.error })
          return
        case 'cancelled': {
          // The progress panel keeps the last progress, marked cancelled, until the next render.
          const elapsedSeconds = Math.max(0, ((progress?.at ?? Date.now()) - job.startedAt) / 1000)
          set({ job: null, notice: { kind: 'cancelled', target, elapsedSeconds } })
          return
        }
        case 'exported':
          set((s) => ({ job: null, progress: null, notice: null, error: null, current: outcome.clip, lastSeed: outcome.clip?.seed ?? s.lastSeed }))
          return
        case 'rendered':
          set({ job: null, progress: null })
      }
    },

    select: (clip) => set({ current: clip, tab: 'viewer' }),
    dismissError: () => set({ error: null }),
    dismissNotice: () => set((s) => (s.job ? { notice: null } : { notice: null, progress: null }))
  }
}
