// batches.json in the data folder: the output folders of the batches the app started, so a restart
// finds them again (each folder's batch.json holds the rows; this file only says where to look).
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { setAsideDamaged, writeJsonAtomic } from '../project/atomicFile'

export const BATCH_REGISTRY = 'batches.json'

const registrySchema = z.object({
  version: z.literal(1),
  batches: z.array(z.object({ outDir: z.string().min(1), startedAt: z.string() }))
})
type Registry = z.infer<typeof registrySchema>

export class BatchRegistry {
  private readonly path: string
  private writing: Promise<void> = Promise.resolve()
  private entries: Registry['batches'] = []

  private constructor(dataDir: string) {
    this.path = join(dataDir, BATCH_REGISTRY)
  }

  /**
   * The registry in `dataDir`; none is an empty one. A damaged file is set aside (its name and the
   * reason in the warning) rather than half-read or overwritten.
   */
  static async open(dataDir: string): Promise<{ registry: BatchRegistry; warning: string | null }> {
    const registry = new BatchRegistry(dataDir)
    let text: string
    try {
      text = await readFile(registry.path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { registry, warning: null }
      throw error
    }
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch (error) {
      return registry.setAside(`not JSON: ${(error as Error).message}`)
    }
    const parsed = registrySchema.safeParse(json)
    if (!parsed.success) return registry.setAside(parsed.error.issues[0]?.message ?? 'not a batch registry')
    registry.entries = parsed.data.batches
    return { registry, warning: null }
  }

  private async setAside(reason: string): Promise<{ registry: BatchRegistry; warning: string }> {
    const aside = await setAsideDamaged(this.path)
    return { registry: this, warning: `${this.path} is damaged (${reason}); set aside as ${aside}, so the batches started before it are not re-attached` }
  }

  outDirs(): string[] {
    return this.entries.map((entry) => entry.outDir)
  }

  add(outDir: string): Promise<void> {
    if (!this.entries.some((entry) => entry.outDir === outDir)) this.entries.push({ outDir, startedAt: new Date().toISOString() })
    return this.save()
  }

  remove(outDir: string): Promise<void> {
    this.entries = this.entries.filter((entry) => entry.outDir !== outDir)
    return this.save()
  }

  /** One write at a time, each atomic, so two changes never interleave. */
  private save(): Promise<void> {
    const file: Registry = { version: 1, batches: [...this.entries] }
    const next = this.writing.then(() => writeJsonAtomic(this.path, file))
    this.writing = next.catch(() => undefined)
    return next
  }
}
