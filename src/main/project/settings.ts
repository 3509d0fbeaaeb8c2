import { existsSync } from 'node:fs'
import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { studioSettingsSchema, type SettingsChange, type StudioSettings } from '../../shared/settings'
import { writeJsonAtomic } from './atomicFile'

const SETTINGS_FILE = 'settings.json'

export class SettingsError extends Error {}

/** Settings the studio remembers between runs (the models folder, ...), in the data folder. */
export class SettingsStore {
  private readonly path: string
  // Saves run one after another, so two changes made together both land.
  private queue: Promise<unknown> = Promise.resolve()

  constructor(private readonly dataDir: string) {
    this.path = join(dataDir, SETTINGS_FILE)
  }

  async load(): Promise<StudioSettings> {
    if (!existsSync(this.path)) return studioSettingsSchema.parse({})
    let raw: unknown
    try {
      raw = JSON.parse(await readFile(this.path, 'utf8'))
    } catch (error) {
      throw new SettingsError(`${this.path} is not valid JSON (${(error as Error).message}); fix or delete it`)
    }
    const parsed = studioSettingsSchema.safeParse(raw)
    if (!parsed.success) {
      throw new SettingsError(`${this.path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`)
    }
    return parsed.data
  }

  update(change: SettingsChange): Promise<StudioSettings> {
    const defined = Object.fromEntries(Object.entries(change).filter(([, value]) => value !== undefined))
    const saved = this.queue.then(async () => {
      const next = studioSettingsSchema.parse({ ...(await this.load()), ...defined })
      await mkdir(this.dataDir, { recursive: true })
      await writeJsonAtomic(this.path, next)
      return next
    })
    this.queue = saved.catch(() => undefined)
    return saved
  }
}
