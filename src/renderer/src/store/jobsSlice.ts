// The queue's jobs keyed by id: queue.snapshot once, then queue events. Finished exports are the history.
import type { StateCreator } from 'zustand'
import type { QueueJob } from '../../../shared/queue'
import { call, errorMessage } from '../api'
import { clipsOf, type Clip } from '../clips'
import type { Studio } from './index'

export type JobsSlice = {
  jobs: Record<string, QueueJob>
  /** Done exports of the queue, newest first. */
  history: Clip[]
  historyError: string | null
  loadJobs: () => Promise<void>
  onJob: (job: QueueJob) => void
  onJobRemoved: (jobId: string) => void
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
  history: [],
  historyError: null,

  loadJobs: async () => {
    try {
      const snapshot = await call('queue', 'snapshot')
      set((s) => {
        const jobs = mergeJobSnapshot(s.jobs, snapshot.jobs)
        const history = clipsOf(jobs)
        return { jobs, history, historyError: null, lastSeed: s.lastSeed ?? history[0]?.seed ?? null }
      })
      get().settleRender()
    } catch (error) {
      set({ historyError: errorMessage(error) })
    }
  },

  onJob: (job) => {
    set((s) => {
      const jobs = { ...s.jobs, [job.id]: job }
      return job.payload.kind === 'export' ? { jobs, history: clipsOf(jobs) } : { jobs }
    })
    get().settleRender()
  },

  onJobRemoved: (jobId) => {
    set((s) => {
      if (!s.jobs[jobId]) return s
      const { [jobId]: _removed, ...jobs } = s.jobs
      return { jobs, history: clipsOf(jobs) }
    })
  }
})
