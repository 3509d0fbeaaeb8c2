// A new batch: names chosen (unique in the folder), seeds drawn once, batch.json written before
// anything is queued, so a crash at any point after leaves a batch `--resume` can continue.
import { createHash } from 'node:crypto'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { BatchDefaults } from '../../shared/batch'
import { EXPORT_EXTENSIONS } from '../../shared/project'
import { metadataFilePath } from '../media/exportMetadata'
import type { ImportedList } from './importList'
import { newManifestFields, pendingRowOutcome, type BatchManifest } from './manifest'
import { uniqueStems } from './names'

export interface CreateBatchOptions {
  outDir: string
  rendersDir: string
  list: ImportedList
  /** The list's text, hashed so a resume can tell the file changed. */
  text: string
  defaults: BatchDefaults
  drawSeed: () => number
}

export async function createManifest(options: CreateBatchOptions): Promise<BatchManifest> {
  const { outDir, list, defaults } = options
  const extension = EXPORT_EXTENSIONS[defaults.format]
  // A stem is taken if any file in the folder starts with it (its MP4, MOV or JSON).
  const existing = (await readdir(outDir).catch(() => [] as string[])).map((name) => name.replace(/(\.wan-studio\.json|\.[^.]*)$/, ''))
  const stems = uniqueStems(list.jobs, existing)
  return {
    ...newManifestFields(),
    source: { file: list.file, sha256: sha256(options.text) },
    outDir,
    rendersDir: options.rendersDir,
    engine: defaults.engine,
    mode: defaults.mode,
    translate: defaults.translate,
    extend: defaults.extend,
    format: defaults.format,
    fps: defaults.fps,
    rows: list.jobs.map((spec, index) => {
      const output = join(outDir, `${stems[index]!}${extension}`)
      return {
        spec: { ...spec, seed: spec.seed ?? options.drawSeed() },
        stem: stems[index]!,
        output,
        metadataFile: metadataFilePath(output, extension),
        renderJobId: null,
        ...pendingRowOutcome(),
        finishedAt: null
      }
    }),
    rejected: list.rejected,
    warnings: list.warnings
  }
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}
