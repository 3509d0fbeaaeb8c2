// The one render queue: persisted jobs keyed by id, dispatched in order, one at a time per slot
// (a GPU for renders, the CPU for exports). What runs a job is behind JobExecutor, so the same queue
// can later hand jobs to cluster workers.
import { randomUUID } from 'node:crypto'
import { EventEmitter } from 'node:events'
import type { ErrorInfo, JobPayload, JobPreview, JobProgress, JobResult, QueueJob, QueueSnapshot, StepDown } from '../../shared/queue'
import { QUEUE_FORMAT_VERSION } from '../../shared/queue'
import { loadQueueFile, QueueWriter } from './queueStore'

export interface JobContext {
  signal: AbortSignal
  onProgress: (progress: Omit<JobProgress, 'jobId'>) => void
  /** A look at a shot while it renders; passed on as it comes, never stored. */
  onPreview: (preview: Omit<JobPreview, 'jobId'>) => void
  onStepDown: (stepDown: StepDown) => void
  /** Another job of the queue (a dependency's result, say). */
  job(id: string): QueueJob | undefined
}

export interface JobExecutor {
  /** The resource a job occupies; one job runs per slot at a time. */
  slotFor(payload: JobPayload): string
  run(job: QueueJob, context: JobContext): Promise<JobResult>
  /** Turns a failure into data for the queue file and the front ends. */
  describeError(error: unknown): ErrorInfo
}

export interface QueueEvents {
  job: [QueueJob]
  removed: [string]
  progress: [JobProgress]
  preview: [JobPreview]
  paused: [boolean]
  warning: [string]
}

export class QueueError extends Error {
  constructor(
    readonly code: 'job-not-found' | 'job-state',
    message: string
  ) {
    super(message)
    this.name = 'QueueError'
  }
}

type StopReason = 'cancel' | 'pause' | 'shutdown'

interface RunningJob {
  controller: AbortController
  slot: string
  done: Promise<void>
}

export class RenderQueue extends EventEmitter<QueueEvents> {
  private jobs: QueueJob[] = []
  private paused = false
  private readonly running = new Map<string, RunningJob>()
  private readonly progress = new Map<string, JobProgress>()
  private readonly writer: QueueWriter
  private started = false
  private closed = false

  private constructor(
    private readonly executor: JobExecutor,
    path: string
  ) {
    super()
    // Front ends and whenSettled() each listen for their jobs: a batch waits on hundreds at once.
    this.setMaxListeners(0)
    this.writer = new QueueWriter(path, (error) => this.emit('warning', `could not save the render queue: ${error.message}`))
  }

  /** Loads the queue file; jobs that were running when the process stopped are queued again. */
  static async open(path: string, executor: JobExecutor): Promise<{ queue: RenderQueue; warning: string | null }> {
    const queue = new RenderQueue(executor, path)
    const loaded = await loadQueueFile(path)
    queue.paused = loaded.file.paused
    queue.jobs = loaded.file.jobs.map((job) =>
      job.state === 'running' ? { ...job, state: 'queued', note: 'interrupted; resumes from its finished segments', updatedAt: now() } : job
    )
    await queue.persist()
    return { queue, warning: loaded.warning }
  }

  snapshot(): QueueSnapshot {
    return { paused: this.paused, jobs: this.jobs.map((job) => ({ ...job })) }
  }

  job(id: string): QueueJob | undefined {
    return this.jobs.find((job) => job.id === id)
  }

  /** The last progress of each running job, for a front end that connects mid-render. */
  runningProgress(): JobProgress[] {
    return [...this.progress.values()]
  }

  add(entry: { title: string; payload: JobPayload; dependsOn?: string[] }): QueueJob {
    const job: QueueJob = {
      id: randomUUID(),
      title: entry.title,
      state: 'queued',
      createdAt: now(),
      updatedAt: now(),
      dependsOn: entry.dependsOn ?? [],
      attempts: 0,
      note: null,
      payload: entry.payload,
      result: null,
      error: null,
      stepDowns: []
    }
    this.jobs.push(job)
    this.changed(job)
    return job
  }

  /** A job that is not finished, found by a predicate (to reuse one instead of adding a duplicate). */
  findActive(predicate: (job: QueueJob) => boolean): QueueJob | undefined {
    return this.jobs.find((job) => (job.state === 'queued' || job.state === 'running' || job.state === 'paused') && predicate(job))
  }

  cancel(id: string): void {
    const job = this.require(id)
    if (job.state === 'done' || job.state === 'cancelled') return
    if (this.running.has(id)) return this.stop(id, 'cancel')
    this.update(job, { state: 'cancelled', note: null })
  }

  /** Stops a running job at once (its finished segments are kept) or holds a queued one. */
  pause(id: string): void {
    const job = this.require(id)
    if (this.running.has(id)) return this.stop(id, 'pause')
    if (job.state !== 'queued') throw new QueueError('job-state', `job "${job.title}" is ${job.state}, so it can't be paused`)
    this.update(job, { state: 'paused', note: null })
  }

  resume(id: string): void {
    const job = this.require(id)
    if (job.state !== 'paused') throw new QueueError('job-state', `job "${job.title}" is ${job.state}, not paused`)
    this.update(job, { state: 'queued', note: null })
  }

  /** Queues a failed or cancelled job again; its finished segments are reused. */
  retry(id: string): void {
    const job = this.require(id)
    if (job.state !== 'failed' && job.state !== 'cancelled') throw new QueueError('job-state', `job "${job.title}" is ${job.state}; only failed or cancelled jobs are retried`)
    this.update(job, { state: 'queued', error: null, note: null })
  }

  retryFailed(): number {
    const failed = this.jobs.filter((job) => job.state === 'failed')
    failed.forEach((job) => this.retry(job.id))
    return failed.length
  }

  /** Moves a job to `toIndex` in queue order; dispatch follows this order. */
  move(id: string, toIndex: number): void {
    const from = this.jobs.findIndex((job) => job.id === id)
    if (from < 0) throw new QueueError('job-not-found', `no job ${id} in the queue`)
    const [job] = this.jobs.splice(from, 1)
    this.jobs.splice(Math.max(0, Math.min(toIndex, this.jobs.length)), 0, job!)
    this.changed(job!)
  }

  /** Removes finished, failed and cancelled jobs that no unfinished job depends on. */
  clearFinished(): number {
    const needed = new Set(this.jobs.filter((job) => !isFinished(job)).flatMap((job) => job.dependsOn))
    const removed = this.jobs.filter((job) => isFinished(job) && !needed.has(job.id))
    this.jobs = this.jobs.filter((job) => !removed.includes(job))
    removed.forEach((job) => this.emit('removed', job.id))
    void this.persist()
    return removed.length
  }

  /** Holds dispatching: jobs already running go on; no new job starts until resumed. */
  setPaused(paused: boolean): void {
    this.paused = paused
    this.emit('paused', paused)
    void this.persist()
    this.dispatch()
  }

  /** Starts dispatching (the queue is created idle so the caller can subscribe first). */
  start(): void {
    this.started = true
    this.dispatch()
  }

  /** Resolves when the job is done, failed or cancelled, with that job. */
  whenSettled(id: string): Promise<QueueJob> {
    return new Promise((resolve, reject) => {
      const check = (job: QueueJob): void => {
        if (job.id !== id || !isFinished(job)) return
        this.off('job', check)
        resolve(job)
      }
      const current = this.job(id)
      if (!current) return reject(new QueueError('job-not-found', `no job ${id} in the queue`))
      if (isFinished(current)) return resolve(current)
      this.on('job', check)
    })
  }

  /** Stops running jobs without marking them failed (they resume next time) and saves the queue. */
  async close(): Promise<void> {
    this.closed = true
    const running = [...this.running.entries()]
    for (const [id] of running) this.stop(id, 'shutdown')
    await Promise.all(running.map(([, job]) => job.done))
    await this.writer.flush()
  }

  flush(): Promise<void> {
    return this.writer.flush()
  }

  private stop(id: string, reason: StopReason): void {
    this.running.get(id)?.controller.abort(reason)
  }

  private require(id: string): QueueJob {
    const job = this.job(id)
    if (!job) throw new QueueError('job-not-found', `no job ${id} in the queue`)
    return job
  }

  private update(job: QueueJob, fields: Partial<QueueJob>): QueueJob {
    const next = { ...job, ...fields, updatedAt: now() }
    this.jobs = this.jobs.map((candidate) => (candidate.id === job.id ? next : candidate))
    this.changed(next)
    return next
  }

  private changed(job: QueueJob): void {
    this.emit('job', job)
    void this.persist()
    this.dispatch()
  }

  private persist(): Promise<void> {
    return this.writer.save({ formatVersion: QUEUE_FORMAT_VERSION, paused: this.paused, jobs: this.jobs })
  }

  /** Starts the first runnable job for every free slot. */
  private dispatch(): void {
    if (!this.started || this.paused || this.closed) return
    // Starting a job notifies listeners, and a change they make dispatches again (nested): so each
    // candidate and the busy slots are read fresh, never from this pass's stale copies.
    for (const { id } of this.jobs) {
      const job = this.job(id)
      if (!job || job.state !== 'queued' || this.running.has(id)) continue
      const slot = this.executor.slotFor(job.payload)
      if ([...this.running.values()].some((running) => running.slot === slot)) continue
      const blocked = this.blockedBy(job)
      if (blocked === 'missing') {
        this.update(job, { state: 'failed', error: { code: 'dependency-missing', message: 'a job it depends on is no longer in the queue', details: job.dependsOn } })
        return
      }
      if (blocked) {
        const note = `waiting for "${blocked.title}" (${blocked.state})`
        if (job.note !== note) this.update(job, { note })
        continue
      }
      this.run(job, slot)
    }
  }

  /** The first unfinished dependency, 'missing' when one is gone, or null when all are done. */
  private blockedBy(job: QueueJob): QueueJob | 'missing' | null {
    for (const id of job.dependsOn) {
      const dependency = this.job(id)
      if (!dependency) return 'missing'
      if (dependency.state !== 'done') return dependency
    }
    return null
  }

  private run(queued: QueueJob, slot: string): void {
    const controller = new AbortController()
    // The slot is taken before anyone hears the job is running, so no nested dispatch can fill it.
    const running: RunningJob = { controller, slot, done: Promise.resolve() }
    this.running.set(queued.id, running)
    const job = this.update(queued, { state: 'running', attempts: queued.attempts + 1, note: null, error: null })
    const context: JobContext = {
      signal: controller.signal,
      onProgress: (progress) => {
        const withId = { ...progress, jobId: job.id }
        this.progress.set(job.id, withId)
        this.emit('progress', withId)
      },
      onPreview: (preview) => this.emit('preview', { ...preview, jobId: job.id }),
      onStepDown: (stepDown) => {
        const current = this.require(job.id)
        this.update(current, { stepDowns: [...current.stepDowns, stepDown] })
      },
      job: (id) => this.job(id)
    }
    running.done = this.executor
      .run(job, context)
      .then(
        (result) => this.settle(job.id, { state: 'done', result, error: null }),
        (error: unknown) => {
          const reason = controller.signal.aborted ? (controller.signal.reason as StopReason) : null
          if (reason === 'shutdown') return this.settle(job.id, { state: 'queued', note: 'interrupted; resumes from its finished segments' })
          if (reason === 'pause') return this.settle(job.id, { state: 'paused', note: 'paused; resumes from its finished segments' })
          if (reason === 'cancel') return this.settle(job.id, { state: 'cancelled', note: null })
          this.settle(job.id, { state: 'failed', error: this.executor.describeError(error) })
        }
      )
      .finally(() => {
        this.running.delete(job.id)
        this.progress.delete(job.id)
        this.dispatch()
      })
  }

  private settle(id: string, fields: Partial<QueueJob>): void {
    const job = this.job(id)
    if (!job) return
    // The slot is free before listeners hear of the outcome, so they see a consistent queue.
    this.running.delete(id)
    this.update(job, fields)
  }
}

function isFinished(job: QueueJob): boolean {
  return job.state === 'done' || job.state === 'failed' || job.state === 'cancelled'
}

function now(): string {
  return new Date().toISOString()
}
