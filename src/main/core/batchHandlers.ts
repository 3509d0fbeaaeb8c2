// The app's batch calls: preview a prompt list, start it into the studio's queue (renders in the
// data folder, outputs in the chosen folder), and read a batch's progress from its manifest.
import { randomInt } from 'node:crypto'
import { existsSync, mkdirSync, statSync } from 'node:fs'
import { isAbsolute, join } from 'node:path'
import { batchDefaultsSchema, type BatchDefaults, type BatchPreview, type BatchSource, type BatchStatus } from '../../shared/batch'
import { createManifest } from '../batch/createBatch'
import { BatchFileError, importList, readPromptList, type ImportedList } from '../batch/importList'
import { BATCH_MANIFEST, BATCH_SUMMARY, loadManifest, ManifestStore, type BatchManifest } from '../batch/manifest'
import { previewOf } from '../batch/preview'
import { queueBatch, trackBatch } from '../batch/queueBatch'
import { RenderRequestError } from '../render/resolveShot'
import type { Studio } from './studio'

export function createBatchHandlers(studio: Studio) {
  /** Batches started in this session, kept in step with the queue while the app runs. */
  const running = new Map<string, ManifestStore>()

  const load = async (source: BatchSource, defaults: BatchDefaults): Promise<{ text: string; list: ImportedList }> => {
    try {
      const named = 'path' in source ? { name: source.path, text: await readPromptList(source.path) } : source
      return { text: named.text, list: importList(named.name, named.text, defaults) }
    } catch (error) {
      throw error instanceof BatchFileError ? new RenderRequestError(error.message) : error
    }
  }

  return {
    preview: async ({ defaults, ...source }: BatchSource & { defaults?: BatchDefaults }): Promise<BatchPreview> => {
      const settled = defaults ?? batchDefaultsSchema.parse({})
      const { list } = await load(source, settled)
      const plan = settled.engine === 'synthetic' ? null : (await studio.systemSnapshot()).effectivePlan
      return previewOf(list, settled.engine, plan)
    },
    start: async ({ defaults, outDir, ...source }: BatchSource & { defaults?: BatchDefaults; outDir: string }): Promise<BatchStatus> => {
      if (!isAbsolute(outDir)) throw new RenderRequestError(`the batch folder must be a full path, not ${outDir}`)
      if (existsSync(outDir) && !statSync(outDir).isDirectory()) throw new RenderRequestError(`${outDir} is not a folder`)
      if (existsSync(join(outDir, BATCH_MANIFEST))) throw new RenderRequestError(`${outDir} already holds a batch: choose another folder`)
      const settled = defaults ?? batchDefaultsSchema.parse({})
      const { text, list } = await load(source, settled)
      if (list.jobs.length === 0) throw new RenderRequestError('the list has no row that can run')
      mkdirSync(outDir, { recursive: true })
      const manifest = await createManifest({ outDir, rendersDir: studio.rendersDir, list, text, defaults: settled, drawSeed: () => randomInt(0, 2 ** 32 - 1) })
      const store = new ManifestStore(manifest)
      await store.save()
      await queueBatch(studio, store)
      trackBatch(await studio.queue(), store, { overwrite: false })
      running.set(outDir, store)
      return statusOf(manifest)
    },
    /** A running batch's rows as the tracker has them now (its file is written just after); else the file. */
    status: async ({ outDir }: { outDir: string }): Promise<BatchStatus> => {
      const manifest = running.get(outDir)?.manifest ?? (await loadManifest(outDir))
      if (!manifest) throw new RenderRequestError(`no batch in ${outDir}`)
      return statusOf(manifest)
    }
  }
}

function statusOf(manifest: BatchManifest): BatchStatus {
  const { outDir } = manifest
  const count = (status: string): number => manifest.rows.filter((row) => row.status === status).length
  return {
    outDir,
    summaryFile: join(outDir, BATCH_SUMMARY),
    jobs: manifest.rows.length,
    done: count('done'),
    failed: count('failed'),
    pending: count('pending'),
    rejected: manifest.rejected.length
  }
}
