// batch.json in the output folder: every row of the list with its drawn seed, its file names and
// its queue jobs, so a batch comes back after a crash and `--resume` knows what is finished.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { batchJobSpecSchema, batchProblemSchema, type BatchStatus } from '../../shared/batch'
import { exportFormatSchema, exportFpsSchema, translateModeSchema } from '../../shared/project'
import { renderModeSchema } from '../../shared/plan'
import { engineChoiceSchema } from '../../shared/render'
import { writeJsonAtomic } from '../project/atomicFile'

export const BATCH_MANIFEST = 'batch.json'
export const BATCH_SUMMARY = 'batch-summary.json'
const MANIFEST_VERSION = 1

export const batchRowStatusSchema = z.enum(['pending', 'done', 'failed'])

export const batchRowSchema = z.object({
  /** The row as validated, its seed drawn once (the same seed renders the same frames on resume). */
  spec: batchJobSpecSchema.extend({ seed: z.number().int() }),
  stem: z.string(),
  output: z.string(),
  metadataFile: z.string(),
  renderJobId: z.string().nullable(),
  exportJobId: z.string().nullable(),
  status: batchRowStatusSchema,
  error: z.string().nullable(),
  /** Of the run that finished it: segments rendered then and reused from earlier runs. */
  segmentsRendered: z.number().int().min(0).nullable(),
  segmentsReused: z.number().int().min(0).nullable(),
  renderSeconds: z.number().nullable(),
  exportSeconds: z.number().nullable(),
  finishedAt: z.string().nullable()
})
export type BatchRow = z.infer<typeof batchRowSchema>

export const batchManifestSchema = z.object({
  version: z.literal(MANIFEST_VERSION),
  createdAt: z.string(),
  source: z.object({ file: z.string(), sha256: z.string() }),
  outDir: z.string(),
  /** Where the rows' segments are kept (found again by render key on resume). */
  rendersDir: z.string(),
  engine: engineChoiceSchema,
  /** Absent in a batch.json from before render modes: quality. */
  mode: renderModeSchema.default('quality'),
  /** Absent in a batch.json from before translation: never, as those batches rendered. */
  translate: translateModeSchema.default('never'),
  /** Extend each prompt with the helper model first (seeded with the row's seed); absent: no. */
  extend: z.boolean().default(false),
  format: exportFormatSchema,
  fps: exportFpsSchema,
  rows: z.array(batchRowSchema),
  rejected: z.array(batchProblemSchema),
  warnings: z.array(batchProblemSchema)
})
export type BatchManifest = z.infer<typeof batchManifestSchema>

/** A row waiting for its run: no export job yet, and no outcome or timings (of a run not made yet). */
export function pendingRowOutcome(): Pick<BatchRow, 'exportJobId' | 'status' | 'error' | 'segmentsRendered' | 'segmentsReused' | 'renderSeconds' | 'exportSeconds'> {
  return { exportJobId: null, status: 'pending', error: null, segmentsRendered: null, segmentsReused: null, renderSeconds: null, exportSeconds: null }
}

export function newManifestFields(): Pick<BatchManifest, 'version' | 'createdAt'> {
  return { version: MANIFEST_VERSION, createdAt: new Date().toISOString() }
}

/** The manifest in `outDir`, or null when there is none; a damaged one is an error naming it. */
export async function loadManifest(outDir: string): Promise<BatchManifest | null> {
  const path = join(outDir, BATCH_MANIFEST)
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
  const parsed = batchManifestSchema.safeParse(JSON.parse(text))
  if (!parsed.success) throw new Error(`${path} is damaged: ${parsed.error.issues[0]?.message ?? 'not a batch manifest'}`)
  return parsed.data
}

/** The batch-summary.json shape the issue names, plus counts. */
export function batchSummary(manifest: BatchManifest) {
  const finished = manifest.rows.filter((row) => row.status !== 'pending')
  return {
    jobs: finished.map((row) => ({
      line: row.spec.line,
      name: row.stem,
      prompt: row.spec.prompt,
      status: row.status as 'done' | 'failed',
      output: row.status === 'done' ? row.output : null,
      error: row.error
    })),
    errors: manifest.rejected.map((problem) => ({ line: problem.line, message: problem.message })),
    pending: manifest.rows.length - finished.length
  }
}

/** A batch's counts and files, as the app shows them (its rows' queue states are added by the caller). */
export function batchStatus(manifest: BatchManifest): Omit<BatchStatus, 'rows'> {
  const count = (status: BatchRow['status']): number => manifest.rows.filter((row) => row.status === status).length
  return {
    outDir: manifest.outDir,
    summaryFile: join(manifest.outDir, BATCH_SUMMARY),
    jobs: manifest.rows.length,
    done: count('done'),
    failed: count('failed'),
    pending: count('pending'),
    rejected: manifest.rejected.length
  }
}

/**
 * Writes batch.json and batch-summary.json one change at a time (atomically each), so concurrent
 * job events never interleave two versions of the file.
 */
export class ManifestStore {
  private writing: Promise<void> = Promise.resolve()

  constructor(public manifest: BatchManifest) {}

  save(): Promise<void> {
    const snapshot = structuredClone(this.manifest)
    const next = this.writing.then(async () => {
      await writeJsonAtomic(join(snapshot.outDir, BATCH_MANIFEST), snapshot)
      await writeJsonAtomic(join(snapshot.outDir, BATCH_SUMMARY), batchSummary(snapshot))
    })
    this.writing = next.catch(() => undefined)
    return next
  }
}
