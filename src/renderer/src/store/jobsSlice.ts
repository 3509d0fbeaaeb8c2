// The queue's jobs keyed by id: queue.snapshot once, then queue events. Finished exports are the history.
import type { StateCreator } from 'zustand'
import type { JobProgress, QueueJob } from '../../../shared/queue'
import { call, errorMessage } from '../api'
import { clipsOf, type Clip } from '../clips'
import type { Studio } from './index'
import { withoutPreview } from './previewSlice'
import { withFinishedRender } from './renderResults'

export type JobsSlice = {
  jobs: Record<string, QueueJob>
  /** Job ids in queue order (queue.snapshot's, new jobs appended), for the queue panel and move. */
  jobOrder: string[]
  /** Done exports of the queue, newest first. */
  history: Clip[]
  historyError: string | null
  /** Every job's latest progress event (the queue panel and the timeline show it), dropped when it finishes. */
  jobProgress: Record<string, JobProgress>
  loadJobs: () => Promise<void>
  onJob: (job: QueueJob) => void
  onJobRemoved: (jobId: string) => void
  onJobProgress: (progress: JobProgress) => void
}

/** A snapshot merged into the jobs already known: a job that changed while it was on its way keeps its newer state. */
export function mergeJobSnapshot(known: Record<string, QueueJob>, snapshot: readonly QueueJob[]): Record<string, QueueJob> {
  const jobs: Record<string, QueueJob> = {}
  for (const job of snapshot) {
    const mine = known[job.id]
    jobs[job.id] = mine && mine.updatedAt > job.updatedAt ? mine : job
  }
  for (const job of Object.values(known)) jobs[job.id] ??= job
  return jobs
}

export const createJobsSlice: StateCreator<Studio, [], [], JobsSlice> = (set, get) => ({
  jobs: {},
  jobOrder: [],
  history: [],
  historyError: null,
  jobProgress: {},

  loadJobs: async () => {
    try {
      const snapshot = await call('queue', 'snapshot')
      set((s) => {
        const jobs = mergeJobSnapshot(s.jobs, snapshot.jobs)
        const history = clipsOf(jobs)
        const jobOrder = [...snapshot.jobs.map((job) => job.id), ...s.jobOrder.filter((id) => jobs[id] && !snapshot.jobs.some((job) => job.id === id))]
        return { jobs, jobOrder, history, historyError: null, lastSeed: s.lastSeed ?? history[0]?.seed ?? null }
      })
      get().settleRender()
    } catch (error) {
      set({ historyError: errorMessage(error) })
    }
  },

  onJob: (job) => {
    set((s) => {
      const jobs = { ...s.jobs, [job.id]: job }
      const jobOrder = s.jobOrder.includes(job.id) ? s.jobOrder : [...s.jobOrder, job.id]
      const { [job.id]: _finished, ...running } = s.jobProgress
      const jobProgress = job.state === 'running' ? s.jobProgress : running
      const previews = job.state === 'running' ? s.previews : withoutPreview(s.previews, job.id)
      return job.payload.kind === 'export' ? { jobs, jobOrder, jobProgress, history: clipsOf(jobs) } : { jobs, jobOrder, jobProgress, previews }
    })
    const project = get().projectHistory.present
    const rendered = withFinishedRender(project, job)
    if (rendered !== project) get().adoptProject(rendered)
    get().settleRender()
  },

  onJobRemoved: (jobId) => {
    set((s) => {
      if (!s.jobs[jobId]) return s
      const { [jobId]: _removed, ...jobs } = s.jobs
      return { jobs, jobOrder: s.jobOrder.filter((id) => id !== jobId), history: clipsOf(jobs), previews: withoutPreview(s.previews, jobId) }
    })
  },

  onJobProgress: (progress) => set((s) => ({ jobProgress: { ...s.jobProgress, [progress.jobId]: progress } }))
})
