// `wan-studio batch FILE --out-dir DIR`: every row of a prompt list rendered and exported to its own
// file in DIR. batch.json there keeps the rows' seeds, names and jobs, and the queue and segments
// live in DIR/.wan-studio, so `--resume` continues after a crash and renders no finished segment again.
import { randomInt } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { createManifest, sha256 } from '../batch/createBatch'
import { BatchFileError, importList, readPromptList, type ImportedList } from '../batch/importList'
import { BATCH_SUMMARY, BATCH_MANIFEST, loadManifest, ManifestStore, type BatchManifest, type BatchRow } from '../batch/manifest'
import { queueBatch, trackBatch } from '../batch/queueBatch'
import { detectPromptLanguage, languageLabel } from '../../shared/promptLanguage'
import { RenderRequestError } from '../render/resolveShot'
import { batchDefaultsFromFlags, outputFolder, type BatchFlags } from './batchArgs'
import { cliOutput } from './cliOutput'
import { createWorkStudio, handleInterrupts } from './cliSession'
import { UsageError } from './renderArgs'

const EXIT_OK = 0
const EXIT_FAILED = 1
/** The batch's queue and segments, inside its output folder so the folder alone resumes. */
export const BATCH_WORK_DIR = '.wan-studio'

export async function batchCommand(file: string, flags: BatchFlags): Promise<number> {
  const defaults = batchDefaultsFromFlags(flags)
  const path = resolve(file)
  const output = cliOutput(flags.json === true)
  const { text, list } = await readList(path, defaults)
  const outDir = outputFolder(flags.outDir)
  const workDir = join(outDir, BATCH_WORK_DIR)
  const existing = await loadManifest(outDir).catch((error: unknown) => {
    throw new UsageError(`--out-dir: ${(error as Error).message}`)
  })
  if (existing && !flags.resume) throw new UsageError(`--out-dir: ${outDir} already holds a batch (${BATCH_MANIFEST}): pass --resume to continue it, or choose another folder`)
  if (existing && existing.source.sha256 !== sha256(text)) output.say('warning', `${file} changed since the batch started; resuming the batch as it was made (${BATCH_MANIFEST})`)
  mkdirSync(workDir, { recursive: true })
  const manifest = existing ?? (await createManifest({ outDir, rendersDir: join(workDir, 'renders'), list, text, defaults, drawSeed: () => randomInt(0, 2 ** 32 - 1) }))
  for (const problem of manifest.warnings) output.say('warning', `${problem.file}:${problem.line}: ${problem.message}`)
  for (const problem of manifest.rejected) output.say('error', `rejected: ${problem.file}:${problem.line}: ${problem.message}`)
  for (const row of manifest.rows) for (const warning of row.spec.warnings) output.say('warning', `${manifest.source.file}:${row.spec.line}: ${warning}`)
  const store = new ManifestStore(manifest)
  await store.save()

  const studio = createWorkStudio(workDir)
  studio.on('log', (line) => {
    if (line.level === 'warning' || line.level === 'error') output.say(line.level, line.message)
  })
  const interrupts = handleInterrupts(studio, 'run again with --resume to continue')
  try {
    const queue = await studio.queue()
    // Per-step progress is for programs; a person reads one line per finished job.
    if (flags.json) output.follow(studio, (jobId) => queue.job(jobId)?.title ?? jobId)
    // Jobs left by an interrupted run are superseded; their finished segments are found by render key.
    for (const job of queue.snapshot().jobs) if (job.state === 'queued' || job.state === 'paused') queue.cancel(job.id)
    queue.clearFinished()
    // An engine that can't render (--engine diffusers without weights, say) is a bad argument.
    await queueBatch(studio, store).catch((error: unknown) => {
      throw error instanceof RenderRequestError ? new UsageError(error.message) : error
    })
    const alreadyDone = manifest.rows.filter((row) => row.status === 'done').length
    output.say('info', `batch: ${manifest.rows.length} jobs${alreadyDone ? ` (${alreadyDone} already done)` : ''}, ${manifest.rejected.length} rows rejected; writing to ${outDir}`)
    const finished = (): number => manifest.rows.filter((row) => row.status !== 'pending').length
    const tracker = trackBatch(queue, store, {
      overwrite: existing !== null,
      onRowFinished: (row) => output.say('info', `[${finished()}/${manifest.rows.length}] ${progressLine(row)}`)
    })
    await studio.startQueue()
    await tracker.settled
    tracker.stop()
    await tracker.flush()
    if (flags.json) process.stdout.write(JSON.stringify(jsonSummary(manifest), null, 2) + '\n')
    const failed = manifest.rows.filter((row) => row.status !== 'done').length
    output.say('info', `batch: ${manifest.rows.length - failed} done, ${failed} failed, ${manifest.rejected.length} rejected; summary in ${join(outDir, BATCH_SUMMARY)}`)
    if (interrupts.interrupted) output.say('warning', 'interrupted: finished segments are kept; run again with --resume to continue')
    return failed === 0 && manifest.rejected.length === 0 ? EXIT_OK : EXIT_FAILED
  } finally {
    interrupts.dispose()
    await studio.close()
  }
}

async function readList(path: string, defaults: ReturnType<typeof batchDefaultsFromFlags>): Promise<{ text: string; list: ImportedList }> {
  try {
    const text = await readPromptList(path)
    return { text, list: importList(path, text, defaults) }
  } catch (error) {
    throw error instanceof BatchFileError ? new UsageError(error.message) : error
  }
}

function progressLine(row: BatchRow): string {
  const where = `line ${row.spec.line} (${languageLabel(detectPromptLanguage(row.spec.prompt))})`
  if (row.status !== 'done') return `failed ${where} ${row.stem}: ${row.error ?? 'unknown error'}`
  const seconds = (value: number | null): string => (value === null ? '?' : value.toFixed(1))
  return `done ${where} ${row.output} (render ${seconds(row.renderSeconds)} s, export ${seconds(row.exportSeconds)} s; ${row.segmentsRendered ?? 0} segments rendered, ${row.segmentsReused ?? 0} reused)`
}

function jsonSummary(manifest: BatchManifest) {
  return {
    outDir: manifest.outDir,
    manifest: join(manifest.outDir, BATCH_MANIFEST),
    summary: join(manifest.outDir, BATCH_SUMMARY),
    jobs: manifest.rows.map((row) => ({
      line: row.spec.line,
      name: row.stem,
      prompt: row.spec.prompt,
      promptLanguage: detectPromptLanguage(row.spec.prompt).label,
      seed: row.spec.seed,
      status: row.status,
      output: row.status === 'done' ? row.output : null,
      metadataFile: row.status === 'done' ? row.metadataFile : null,
      error: row.error,
      segmentsRendered: row.segmentsRendered,
      segmentsReused: row.segmentsReused,
      renderSeconds: row.renderSeconds,
      exportSeconds: row.exportSeconds
    })),
    errors: manifest.rejected
  }
}
