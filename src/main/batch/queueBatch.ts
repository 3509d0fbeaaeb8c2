// A batch's rows into the render queue (one one-shot project each, exported to its own file), and
// the rows' statuses kept in step with their jobs as they finish.
//
// Every row's render is queued at once (the queue shows, reorders and persists them); a row's export
// is added when its render is done. Queued up front, an export and the next render would become
// runnable in the same dispatch pass, and RenderQueue.dispatch then starts the second of them twice
// (its loop reads job states from before the nested dispatch that already started it).
import { readFile } from 'node:fs/promises'
import { exportSpecSchema, newShot, PROJECT_FORMAT_VERSION, type ExportSpecInput, type Project } from '../../shared/project'
import type { QueueJob } from '../../shared/queue'
import type { ExportDescription } from '../media/exportMetadata'
import { writeJsonAtomic } from '../project/atomicFile'
import type { RenderQueue } from '../queue/renderQueue'
import { pendingRowOutcome, type BatchManifest, type BatchRow, type ManifestStore } from './manifest'

/** The part of the Studio a batch uses (the batch layer sits below core, so not the class itself). */
export interface BatchStudio {
  queue(): Promise<RenderQueue>
  queueProject(project: Project, options: { exportSpec: ExportSpecInput | null; rendersDir: string; extend?: boolean }): Promise<{ shotJobs: Record<string, string>; exportJobId: string | null }>
}

export function rowProject(row: BatchRow, { engine, mode, translate }: Pick<BatchManifest, 'engine' | 'mode' | 'translate'>): Project {
  const { spec } = row
  return {
    formatVersion: PROJECT_FORMAT_VERSION,
    name: row.stem,
    settings: { size: spec.size, translate },
    shots: [newShot('shot-1', { prompt: spec.prompt, negativePrompt: spec.negativePrompt, seed: spec.seed, seconds: spec.seconds, steps: spec.steps, engine, mode })]
  }
}

/** Queues the render of every row not done yet (an interrupted one reuses its finished segments). */
export async function queueBatch(studio: BatchStudio, store: ManifestStore): Promise<void> {
  const { manifest } = store
  for (const row of manifest.rows) if (row.status !== 'done') await queueRow(studio, row, manifest)
  await store.save()
}

/** Queues one row's render (an unfinished job with its render key is reused) and marks it pending. */
export async function queueRow(studio: BatchStudio, row: BatchRow, manifest: BatchManifest): Promise<void> {
  const queued = await studio.queueProject(rowProject(row, manifest), { exportSpec: null, rendersDir: manifest.rendersDir, extend: manifest.extend })
  Object.assign(row, { renderJobId: queued.shotJobs['shot-1'] ?? null, ...pendingRowOutcome() })
}

/**
 * The row's export, once its render is done. A file already at the row's name is replaced only
 * when resuming: the name was reserved for this row when the batch was made.
 */
function addExport(queue: RenderQueue, row: BatchRow, manifest: BatchManifest, overwrite: boolean): void {
  if (!row.renderJobId) return
  const spec = exportSpecSchema.parse({ format: manifest.format, fps: manifest.fps, output: row.output, overwrite })
  const job = queue.add({
    title: `Export "${row.stem}" (${spec.format.toUpperCase()}, ${spec.fps} fps)`,
    payload: { kind: 'export', project: rowProject(row, manifest), shotJobs: { 'shot-1': row.renderJobId }, spec },
    dependsOn: [row.renderJobId]
  })
  row.exportJobId = job.id
}

/** Whether a row's jobs are finished, and how. */
export function rowOutcome(row: BatchRow, job: (id: string) => QueueJob | undefined): { status: 'done' | 'failed'; error: string | null } | null {
  const render = row.renderJobId ? job(row.renderJobId) : undefined
  const exported = row.exportJobId ? job(row.exportJobId) : undefined
  if (!render) return null
  if (exported?.state === 'done') return { status: 'done', error: null }
  const failed = [render, exported].find((candidate) => candidate?.state === 'failed' || candidate?.state === 'cancelled')
  if (!failed) return null
  return { status: 'failed', error: failed.state === 'cancelled' ? `${failed.title}: cancelled` : (failed.error?.message ?? 'failed') }
}

/**
 * Keeps the manifest and summary in step with the queue: a row is recorded as it finishes (its
 * timings added to the export's JSON). Returns a stop function and a promise of every row settled.
 */
export function trackBatch(
  queue: RenderQueue,
  store: ManifestStore,
  options: { overwrite: boolean; onRowFinished?: (row: BatchRow) => void }
): { settled: Promise<void>; stop: () => void; flush: () => Promise<void> } {
  const rows = store.manifest.rows
  let writes = Promise.resolve()
  const undescribed: BatchRow[] = []
  let exportsScheduled = false
  let stopped = false
  // Added after the dispatch pass that heard of the render (never inside it: see the top of this file).
  const addExports = (): void => {
    exportsScheduled = false
    if (stopped) return
    for (const row of rows) if (needsExport(row)) addExport(queue, row, store.manifest, options.overwrite)
    writes = writes.then(() => store.save()).catch(() => undefined)
  }
  const needsExport = (row: BatchRow): boolean => row.status === 'pending' && row.exportJobId === null && row.renderJobId !== null && queue.job(row.renderJobId)?.state === 'done'
  let resolveSettled: () => void = () => undefined
  const settled = new Promise<void>((resolve) => (resolveSettled = resolve))
  const check = (): void => {
    let changed = false
    for (const row of rows) {
      changed = recordRender(row, queue) || changed
      const outcome = rowOutcome(row, (id) => queue.job(id))
      // A row whose render left the queue (cleared from it) stays as it was until it is queued again.
      if (!outcome && !(row.renderJobId && queue.job(row.renderJobId))) continue
      // A failed row that is retried in the queue is pending again until it finishes.
      const status = outcome?.status ?? (row.status === 'done' ? 'done' : 'pending')
      if (status === row.status && (outcome?.error ?? null) === row.error) continue
      changed = true
      Object.assign(row, { status, error: outcome?.error ?? null, finishedAt: outcome ? new Date().toISOString() : null })
      if (outcome?.status === 'done') {
        row.exportSeconds = exportSecondsOf(row, queue)
        undescribed.push(row)
      }
      if (outcome) options.onRowFinished?.(row)
    }
    if (!exportsScheduled && rows.some(needsExport)) {
      exportsScheduled = true
      setImmediate(addExports)
    }
    if (changed) writes = writes.then(() => store.save()).then(() => addTimings(undescribed.splice(0))).catch(() => undefined)
    if (rows.every((row) => row.status !== 'pending')) resolveSettled()
  }
  queue.on('job', check)
  check()
  return {
    settled,
    stop: () => {
      stopped = true
      queue.off('job', check)
    },
    flush: () => writes
  }
}

/** The render's counts and time, taken once, when its job is done. */
function recordRender(row: BatchRow, queue: RenderQueue): boolean {
  const render = row.renderJobId ? queue.job(row.renderJobId) : undefined
  if (row.segmentsRendered !== null || render?.state !== 'done' || render.result?.kind !== 'render-shot') return false
  Object.assign(row, { segmentsRendered: render.result.renderedSegments, segmentsReused: render.result.reusedSegments, renderSeconds: render.result.seconds })
  return true
}

function exportSecondsOf(row: BatchRow, queue: RenderQueue): number | null {
  const exported = row.exportJobId ? queue.job(row.exportJobId)?.result : null
  return exported?.kind === 'export' ? exported.seconds : null
}

/** Each finished row's export JSON (`<name>.wan-studio.json`) gets the row's render and export timings. */
async function addTimings(rows: BatchRow[]): Promise<void> {
  for (const row of rows) {
    const description = JSON.parse(await readFile(row.metadataFile, 'utf8')) as ExportDescription
    description.timings = { renderSeconds: row.renderSeconds, exportSeconds: row.exportSeconds, segmentsRendered: row.segmentsRendered, segmentsReused: row.segmentsReused }
    await writeJsonAtomic(row.metadataFile, description)
  }
}
