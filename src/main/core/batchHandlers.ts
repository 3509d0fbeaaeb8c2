// The app's batch calls: preview a prompt list, start it into the studio's queue (renders in the
// data folder, outputs in the chosen folder), and follow, hold, cancel, retry or dismiss the batches
// the studio follows (src/main/batch/batches.ts; re-attached after a restart).
import { randomInt } from 'node:crypto'
import { existsSync, mkdirSync, statSync } from 'node:fs'
import { isAbsolute, join } from 'node:path'
import { batchDefaultsSchema, type BatchDefaults, type BatchPreview, type BatchSource, type BatchStatus } from '../../shared/batch'
import { createManifest } from '../batch/createBatch'
import { BatchFileError, importList, readPromptList, type ImportedList } from '../batch/importList'
import { BatchError } from '../batch/batches'
import { BATCH_MANIFEST } from '../batch/manifest'
import { previewOf } from '../batch/preview'
import { RenderRequestError } from '../render/resolveShot'
import type { Studio } from './studio'

export function createBatchHandlers(studio: Studio) {
  const load = async (source: BatchSource, defaults: BatchDefaults): Promise<{ text: string; list: ImportedList }> => {
    try {
      const named = 'path' in source ? { name: source.path, text: await readPromptList(source.path) } : source
      return { text: named.text, list: importList(named.name, named.text, defaults) }
    } catch (error) {
      throw error instanceof BatchFileError ? new RenderRequestError(error.message) : error
    }
  }
  /** A batch call refused (no such batch, rows still running) answers as a request error. */
  const refused = <T>(call: () => Promise<T>): Promise<T> =>
    call().catch((error: unknown) => {
      throw error instanceof BatchError ? new RenderRequestError(error.message) : error
    })
  const { batches } = studio

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
      return batches.start(manifest)
    },
    status: ({ outDir }: { outDir: string }) => refused(() => batches.status(outDir)),
    /** The batches this session follows: those started, and those re-attached at start-up. */
    list: () => batches.list(),
    pause: ({ outDir }: { outDir: string }) => refused(() => batches.pause(outDir)),
    resume: ({ outDir }: { outDir: string }) => refused(() => batches.resume(outDir)),
    cancel: ({ outDir }: { outDir: string }) => refused(() => batches.cancel(outDir)),
    retryFailed: ({ outDir }: { outDir: string }) => refused(() => batches.retryFailed(outDir)),
    dismiss: ({ outDir }: { outDir: string }) => refused(() => batches.dismiss(outDir))
  }
}
