// A batch's rows into the render queue (one one-shot project each, exported to its own file), and
// the rows' statuses kept in step with their jobs as they finish.
import { readFile } from 'node:fs/promises'
import { newShot, PROJECT_FORMAT_VERSION, type ExportSpecInput, type Project } from '../../shared/project'
import type { QueueJob } from '../../shared/queue'
import { writeJsonAtomic } from '../project/atomicFile'
import type { RenderQueue } from '../queue/renderQueue'
import type { BatchRow, ManifestStore } from './manifest'

/** The part of the Studio a batch uses (the batch layer sits below core, so not the class itself). */
export interface BatchStudio {
  queue(): Promise<RenderQueue>
  queueProject(project: Project, options: { exportSpec: ExportSpecInput; rendersDir: string }): Promise<{ shotJobs: Record<string, string>; exportJobId: string | null }>
}

export function rowProject(row: BatchRow, engine: Project['shots'][number]['engine']): Project {
  const { spec } = row
  return {
    formatVersion: PROJECT_FORMAT_VERSION,
    name: row.stem,
    settings: { size: spec.size },
    shots: [newShot('shot-1', { prompt: spec.prompt, negativePrompt: spec.negativePrompt, seed: spec.seed, seconds: spec.seconds, steps: spec.steps, engine })]
  }
}

/**
 * Queues every row not done yet. A row whose file exists from an interrupted run is exported
 * again over it: its name was reserved for this row when the batch was made.
 */
export async function queueBatch(studio: BatchStudio, store: ManifestStore, options: { resuming: boolean }): Promise<void> {
  const { manifest } = store
  for (const row of manifest.rows) {
    if (row.status === 'done') continue
    const queued = await studio.queueProject(rowProject(row, manifest.engine), {
      exportSpec: { format: manifest.format, fps: manifest.fps, output: row.output, overwrite: options.resuming },
      rendersDir: manifest.rendersDir
    })
    Object.assign(row, { renderJobId: queued.shotJobs['shot-1'] ?? null, exportJobId: queued.exportJobId, status: 'pending', error: null })
  }
  await store.save()
}

/** Whether a row's jobs are finished, and how. */
export function rowOutcome(row: BatchRow, job: (id: string) => QueueJob | undefined): { status: 'done' | 'failed'; error: string | null } | null {
  const render = row.renderJobId ? job(row.renderJobId) : undefined
  const exported = row.exportJobId ? job(row.exportJobId) : undefined
  if (!render || !exported) return null
  if (exported.state === 'done') return { status: 'done', error: null }
  const failed = [render, exported].find((candidate) => candidate.state === 'failed' || candidate.state === 'cancelled')
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
  onRowFinished: (row: BatchRow) => void = () => undefined
): { settled: Promise<void>; stop: () => void; flush: () => Promise<void> } {
  const rows = store.manifest.rows
  let writes = Promise.resolve()
  let resolveSettled: () => void = () => undefined
  const settled = new Promise<void>((resolve) => (resolveSettled = resolve))
  const check = (): void => {
    let changed = false
    for (const row of rows) {
      const outcome = rowOutcome(row, (id) => queue.job(id))
      // A failed row that is retried in the queue is pending again until it finishes.
      const status = outcome?.status ?? (row.status === 'done' ? 'done' : 'pending')
      if (status === row.status && (outcome?.error ?? null) === row.error) continue
      changed = true
      Object.assign(row, { status, error: outcome?.error ?? null, finishedAt: outcome ? new Date().toISOString() : null })
      if (outcome?.status === 'done') recordTimings(row, queue)
      if (outcome) onRowFinished(row)
    }
    if (changed) writes = writes.then(() => store.save()).then(() => addTimingsToDescriptions(rows, queue)).catch(() => undefined)
    if (rows.every((row) => row.status !== 'pending')) resolveSettled()
  }
  queue.on('job', check)
  check()
  return { settled, stop: () => queue.off('job', check), flush: () => writes }
}

function recordTimings(row: BatchRow, queue: RenderQueue): void {
  const render = row.renderJobId ? queue.job(row.renderJobId)?.result : null
  const exported = row.exportJobId ? queue.job(row.exportJobId)?.result : null
  if (render?.kind === 'render-shot') Object.assign(row, { segmentsRendered: render.renderedSegments, segmentsReused: render.reusedSegments, renderSeconds: render.seconds })
  if (exported?.kind === 'export') row.exportSeconds = exported.seconds
}

const described = new WeakSet<BatchRow>()

/** The export's `<name>.wan-studio.json` gets the row's timings (render and export wall time). */
async function addTimingsToDescriptions(rows: BatchRow[], queue: RenderQueue): Promise<void> {
  for (const row of rows) {
    if (row.status !== 'done' || described.has(row) || row.renderSeconds === null) continue
    described.add(row)
    const exported = row.exportJobId ? queue.job(row.exportJobId)?.result : null
    const metadataFile = exported?.kind === 'export' ? exported.metadataFile : row.metadataFile
    const description = JSON.parse(await readFile(metadataFile, 'utf8')) as Record<string, unknown>
    description.timings = { renderSeconds: row.renderSeconds, exportSeconds: row.exportSeconds, segmentsRendered: row.segmentsRendered, segmentsReused: row.segmentsReused }
    await writeJsonAtomic(metadataFile, description)
  }
}
