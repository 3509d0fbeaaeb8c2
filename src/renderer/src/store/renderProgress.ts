// Pure rules of the render this window follows: which queue jobs it consists of, how far it is,
// and what its jobs' states mean for it. The render slice applies them; tests run them without a DOM.
import type { JobProgress, QueueJob } from '../../../shared/queue'
import type { RenderRequestInput } from '../../../shared/render'
import { clipOf, type Clip } from '../clips'

/** The queue jobs one render consists of: the shot renders, then the export that makes the clip. */
export type RenderJobIds = { shots: string[]; export: string | null }

/** A render's jobs and request, to run again: failed or cancelled jobs resume from their finished segments. */
export type RenderTarget = { ids: RenderJobIds; request: RenderRequestInput | null }

export type RenderError = { title: string; code: string | null; message: string; details: string[]; target: RenderTarget | null }

/** How much of a shot render an export counts for in the whole render's progress. */
const EXPORT_WEIGHT = 0.1

export function trackedIds(ids: RenderJobIds): string[] {
  return ids.export ? [...ids.shots, ids.export] : ids.shots
}

export function isFinished(job: QueueJob): boolean {
  return job.state === 'done' || job.state === 'failed' || job.state === 'cancelled'
}

/** The whole render's fraction: each shot counts 1, the export EXPORT_WEIGHT; a done job counts whole. */
export function wholeFraction(ids: RenderJobIds, fractions: Record<string, number>, jobs: Record<string, QueueJob>): number {
  const of = (id: string): number => fractions[id] ?? (jobs[id]?.state === 'done' ? 1 : 0)
  const shots = ids.shots.reduce((sum, id) => sum + of(id), 0)
  const exported = ids.export ? EXPORT_WEIGHT * of(ids.export) : 0
  return Math.min(1, (shots + exported) / (ids.shots.length + (ids.export ? EXPORT_WEIGHT : 0)))
}

/** The render a job belongs to: an export and the shots it waits for, or a shot and the export waiting for it. */
export function renderOf(jobId: string, jobs: Record<string, QueueJob>): RenderJobIds | null {
  const job = jobs[jobId]
  if (!job) return null
  if (job.payload.kind === 'export') return { shots: Object.values(job.payload.shotJobs), export: job.id }
  const exporting = Object.values(jobs).find((candidate) => candidate.payload.kind === 'export' && !isFinished(candidate) && candidate.dependsOn.includes(jobId))
  return exporting?.payload.kind === 'export' ? { shots: Object.values(exporting.payload.shotJobs), export: exporting.id } : { shots: [jobId], export: null }
}

/** What the followed render's jobs say about it now. */
export type RenderOutcome =
  | { kind: 'running' }
  /** A job failed or was cancelled: the render's other unfinished jobs are cancelled before it ends. */
  | { kind: 'cancel-rest'; jobIds: string[] }
  | { kind: 'failed'; error: RenderError }
  | { kind: 'cancelled' }
  | { kind: 'exported'; clip: Clip | null }
  /** Shots rendered without an export (a project render that exports later). */
  | { kind: 'rendered' }

export function renderOutcome(target: RenderTarget, jobs: Record<string, QueueJob>): RenderOutcome {
  const { ids } = target
  const tracked = trackedIds(ids).flatMap((id) => (jobs[id] ? [jobs[id]] : []))
  const failed = tracked.find((candidate) => candidate.state === 'failed')
  const cancelled = tracked.find((candidate) => candidate.state === 'cancelled')
  if (failed || cancelled) {
    const unfinished = tracked.filter((candidate) => !isFinished(candidate))
    if (unfinished.length > 0) return { kind: 'cancel-rest', jobIds: unfinished.map((candidate) => candidate.id) }
  }
  if (failed) {
    const error = failed.error ?? { code: 'failed', message: 'the job failed without saying why', details: [] }
    const title = failed.payload.kind === 'export' ? 'Export failed' : 'Render failed'
    return { kind: 'failed', error: { title, code: error.code, message: error.message, details: error.details, target } }
  }
  if (cancelled) return { kind: 'cancelled' }
  const exported = ids.export ? jobs[ids.export] : undefined
  if (exported?.state === 'done') return { kind: 'exported', clip: clipOf(exported, jobs) }
  if (!ids.export && tracked.length === ids.shots.length && tracked.every((candidate) => candidate.state === 'done')) return { kind: 'rendered' }
  return { kind: 'running' }
}

/** The progress of one job folded into the render's. */
export function mergeProgress(jobs: Record<string, QueueJob>, ids: RenderJobIds, fractions: Record<string, number> | undefined, progress: JobProgress): { fractions: Record<string, number>; fraction: number } {
  const merged = { ...fractions, [progress.jobId]: progress.fraction }
  return { fractions: merged, fraction: wholeFraction(ids, merged, jobs) }
}
