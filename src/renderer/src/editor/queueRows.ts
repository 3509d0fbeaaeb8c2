// The queue panel's rows: every job in queue order with what it is and what can be done to it.
import type { JobProgress, QueueJob } from '../../../shared/queue'

export type QueueRow = {
  job: QueueJob
  title: string
  fraction: number
  /** Seconds left from the latest progress event, when the job is running. */
  etaSeconds: number | null
  canPause: boolean
  canResume: boolean
  canCancel: boolean
  canRetry: boolean
}

function titleOf(job: QueueJob): string {
  if (job.payload.kind === 'export') return `Export ${job.payload.project.name} (${job.payload.spec.format}, ${job.payload.spec.fps} fps)`
  const prompt = job.payload.render.prompt.trim()
  return `Shot: ${prompt.length > 60 ? `${prompt.slice(0, 60)}…` : prompt || 'no prompt'}`
}

/** Unfinished jobs first in the order they run, then finished ones newest first. */
export function queueRows(jobs: Record<string, QueueJob>, order: readonly string[], progress: Record<string, JobProgress>): QueueRow[] {
  const position = new Map(order.map((id, index) => [id, index]))
  const finished = (job: QueueJob): boolean => job.state === 'done' || job.state === 'failed' || job.state === 'cancelled'
  const sorted = Object.values(jobs).sort((a, b) => {
    if (finished(a) !== finished(b)) return finished(a) ? 1 : -1
    if (finished(a)) return b.updatedAt.localeCompare(a.updatedAt)
    return (position.get(a.id) ?? Infinity) - (position.get(b.id) ?? Infinity) || a.createdAt.localeCompare(b.createdAt)
  })
  return sorted.map((job) => {
    const latest = progress[job.id]
    return {
      job,
      title: titleOf(job),
      fraction: job.state === 'done' ? 1 : (latest?.fraction ?? 0),
      etaSeconds: job.state === 'running' ? (latest?.etaSeconds ?? null) : null,
      canPause: job.state === 'queued',
      canResume: job.state === 'paused',
      canCancel: !finished(job),
      canRetry: job.state === 'failed' || job.state === 'cancelled'
    }
  })
}
