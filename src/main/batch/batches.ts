// The app's batches: started into the studio's queue, kept in step with it (batch.json, the summary,
// each row's export added once its render is done), and re-attached after a restart: the data
// folder's batches.json says where they are, each folder's batch.json what their rows are.
import type { BatchRowView, BatchStatus } from '../../shared/batch'
import type { QueueJob } from '../../shared/queue'
import type { RenderQueue } from '../queue/renderQueue'
import { BatchRegistry } from './batchRegistry'
import { batchStatus, loadManifest, ManifestStore, type BatchManifest, type BatchRow } from './manifest'
import { queueBatch, queueRow, trackBatch, type BatchStudio } from './queueBatch'

/** A batch call that can't be done as asked (no such batch, rows still running); the message says why. */
export class BatchError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'BatchError'
  }
}

type Log = (level: 'info' | 'warning', message: string) => void

interface Attached {
  store: ManifestStore
  tracker: ReturnType<typeof trackBatch>
}

export class Batches {
  /** Batches followed in this session, by output folder, in the order they were started or found. */
  private readonly attached = new Map<string, Attached>()
  private readonly registry: Promise<BatchRegistry>
  /** The start-up's re-attach: calls that read the batches wait for it, so none is missing. */
  private readonly reattaching: Promise<void>

  constructor(
    private readonly studio: BatchStudio,
    dataDir: string,
    private readonly log: Log
  ) {
    this.registry = BatchRegistry.open(dataDir).then(({ registry, warning }) => {
      if (warning) log('warning', warning)
      return registry
    })
    this.registry.catch(() => undefined)
    this.reattaching = this.reattach().catch((error: unknown) => log('warning', `could not re-attach the batches: ${(error as Error).message}`))
  }

  /** Writes the new batch's files, remembers its folder, queues its rows and follows them. */
  async start(manifest: BatchManifest): Promise<BatchStatus> {
    const store = new ManifestStore(manifest)
    await store.save()
    const registry = await this.registry
    // Remembered before anything is queued: a crash after this finds the batch again.
    await registry.add(manifest.outDir)
    try {
      await queueBatch(this.studio, store)
    } catch (error) {
      await registry.remove(manifest.outDir)
      throw error
    }
    const queue = await this.studio.queue()
    this.follow(store, queue, false)
    return statusOf(manifest, queue)
  }

  /**
   * Follows again every remembered batch with a row not done: rows whose jobs left the queue are
   * queued again (finished segments are found by render key), an export that was queued before
   * batch.json heard of it is adopted, and the summary is rewritten as the rest finish. A batch
   * whose folder or batch.json is gone is forgotten with a warning.
   */
  private async reattach(): Promise<void> {
    const registry = await this.registry
    const queue = await this.studio.queue()
    for (const outDir of registry.outDirs()) {
      if (this.attached.has(outDir)) continue
      try {
        const manifest = await loadManifest(outDir)
        if (!manifest) {
          this.log('warning', `the batch in ${outDir} is gone (no batch.json there); it is no longer followed`)
          await registry.remove(outDir)
          continue
        }
        if (manifest.rows.every((row) => row.status === 'done')) {
          await registry.remove(outDir)
          continue
        }
        const store = new ManifestStore(manifest)
        await this.reconcile(store, queue)
        this.follow(store, queue, true)
        const status = statusOf(manifest, queue)
        this.log('info', `batch in ${outDir} re-attached: ${status.done} of ${status.jobs} done, ${status.failed} failed, ${status.pending} to go`)
      } catch (error) {
        this.log('warning', `could not re-attach the batch in ${outDir}: ${(error as Error).message}`)
      }
    }
  }

  /** The batches followed in this session (started, or re-attached at start-up). */
  async list(): Promise<BatchStatus[]> {
    await this.reattaching
    const queue = await this.studio.queue()
    return [...this.attached.values()].map(({ store }) => statusOf(store.manifest, queue))
  }

  /** A followed batch as the tracker has it now (its file is written just after); else its batch.json. */
  async status(outDir: string): Promise<BatchStatus> {
    await this.reattaching
    const attached = this.attached.get(outDir)
    if (attached) return statusOf(attached.store.manifest, await this.studio.queue())
    const manifest = await loadManifest(outDir)
    if (!manifest) throw new BatchError(`no batch in ${outDir}`)
    return statusOf(manifest, null)
  }

  /** Holds every unfinished row (a running one stops at once; its finished segments are kept). */
  pause(outDir: string): Promise<BatchStatus> {
    return this.control(outDir, (queue, job) => {
      if (job.state === 'queued' || job.state === 'running') queue.pause(job.id)
    })
  }

  resume(outDir: string): Promise<BatchStatus> {
    return this.control(outDir, (queue, job) => {
      if (job.state === 'paused') queue.resume(job.id)
    })
  }

  /** Cancels every unfinished row; they read as failed ("cancelled") and can be retried. */
  cancel(outDir: string): Promise<BatchStatus> {
    return this.control(outDir, (queue, job) => {
      if (job.state !== 'done' && job.state !== 'failed' && job.state !== 'cancelled') queue.cancel(job.id)
    })
  }

  /** Queues every failed or cancelled row again; one whose job left the queue is queued anew. */
  async retryFailed(outDir: string): Promise<BatchStatus> {
    await this.reattaching
    const { store } = this.require(outDir)
    const queue = await this.studio.queue()
    // Picked first: each retry's job event has the tracker mark its row pending at once.
    for (const row of store.manifest.rows.filter((candidate) => candidate.status === 'failed')) {
      const job = currentJob(row, queue)
      if (job?.state === 'failed' || job?.state === 'cancelled') queue.retry(job.id)
      else if (!job) await queueRow(this.studio, row, store.manifest)
    }
    await store.save()
    return statusOf(store.manifest, queue)
  }

  /** Stops following a batch that has no row left to run; its folder and files stay. */
  async dismiss(outDir: string): Promise<void> {
    await this.reattaching
    const { store, tracker } = this.require(outDir)
    if (store.manifest.rows.some((row) => row.status === 'pending')) throw new BatchError(`the batch in ${outDir} still has rows to run: cancel it first`)
    tracker.stop()
    await tracker.flush()
    this.attached.delete(outDir)
    await (await this.registry).remove(outDir)
  }

  /** Stops following (the queue keeps the jobs) once the last writes are done: the app is closing. */
  async close(): Promise<void> {
    await this.reattaching
    for (const { tracker } of this.attached.values()) tracker.stop()
    await Promise.all([...this.attached.values()].map(({ tracker }) => tracker.flush()))
  }

  private follow(store: ManifestStore, queue: RenderQueue, resumed: boolean): void {
    const { outDir } = store.manifest
    // A name was reserved for its row when the batch was made: an export after a restart replaces
    // what an interrupted one may have left there, as the CLI's --resume does.
    const tracker = trackBatch(queue, store, {
      overwrite: resumed,
      onRowFinished: () => {
        if (store.manifest.rows.every((row) => row.status === 'done')) void this.registry.then((registry) => registry.remove(outDir)).catch(() => undefined)
      }
    })
    this.attached.set(outDir, { store, tracker })
  }

  /** Matches a remembered batch's rows with the jobs the queue restored. */
  private async reconcile(store: ManifestStore, queue: RenderQueue): Promise<void> {
    const { manifest } = store
    const exportsByOutput = new Map<string, QueueJob>()
    for (const job of queue.snapshot().jobs) {
      if (job.payload.kind === 'export' && job.state !== 'failed' && job.state !== 'cancelled') exportsByOutput.set(job.payload.spec.output, job)
    }
    for (const row of manifest.rows) {
      if (row.status === 'done') continue
      const render = row.renderJobId ? queue.job(row.renderJobId) : undefined
      if (!render) {
        if (row.status === 'pending') await queueRow(this.studio, row, manifest)
        continue
      }
      if (row.exportJobId && !queue.job(row.exportJobId)) row.exportJobId = null
      if (!row.exportJobId && render.state === 'done') row.exportJobId = exportsByOutput.get(row.output)?.id ?? null
    }
    await store.save()
  }

  private require(outDir: string): Attached {
    const attached = this.attached.get(outDir)
    if (!attached) throw new BatchError(`no batch followed in ${outDir}`)
    return attached
  }

  private async control(outDir: string, act: (queue: RenderQueue, job: QueueJob) => void): Promise<BatchStatus> {
    await this.reattaching
    const { store } = this.require(outDir)
    const queue = await this.studio.queue()
    for (const row of store.manifest.rows) {
      const job = row.status === 'pending' ? currentJob(row, queue) : undefined
      if (job) act(queue, job)
    }
    return statusOf(store.manifest, queue)
  }
}

/** The row's export once it is queued, else its render. */
function currentJob(row: BatchRow, queue: RenderQueue): QueueJob | undefined {
  return (row.exportJobId ? queue.job(row.exportJobId) : undefined) ?? (row.renderJobId ? queue.job(row.renderJobId) : undefined)
}

function statusOf(manifest: BatchManifest, queue: RenderQueue | null): BatchStatus {
  const rows = manifest.rows.map((row): BatchRowView => {
    const job = queue ? currentJob(row, queue) : undefined
    return { line: row.spec.line, name: row.stem, status: row.status, jobId: job?.id ?? null, jobState: job?.state ?? null, error: row.error }
  })
  return { ...batchStatus(manifest), rows }
}
