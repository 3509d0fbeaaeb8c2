import { existsSync } from 'node:fs'
import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { studioSettingsSchema, type SettingsChange, type StudioSettings } from '../../shared/settings'
import { setAsideDamaged, writeJsonAtomic } from './atomicFile'

const SETTINGS_FILE = 'settings.json'

/** Settings the studio remembers between runs (the models folder, ...), in the data folder. */
export class SettingsStore {
  private readonly path: string
  // Saves run one after another, so two changes made together both land.
  private queue: Promise<unknown> = Promise.resolve()

  /** `onWarning` hears of a damaged settings file that was set aside. */
  constructor(
    private readonly dataDir: string,
    private readonly onWarning: (message: string) => void = () => undefined
  ) {
    this.path = join(dataDir, SETTINGS_FILE)
  }

  /**
   * The saved settings. A damaged file never blocks the studio (not even a synthetic render): it is
   * moved aside with a warning that says what was wrong and where it went, and defaults are used.
   */
  async load(): Promise<StudioSettings> {
    if (!existsSync(this.path)) return studioSettingsSchema.parse({})
    let problem: string
    try {
      const parsed = studioSettingsSchema.safeParse(JSON.parse(await readFile(this.path, 'utf8')))
      if (parsed.success) return parsed.data
      problem = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')
    } catch (error) {
      problem = `not valid JSON (${(error as Error).message})`
    }
    const aside = await setAsideDamaged(this.path).catch(() => null)
    this.onWarning(`${this.path}: ${problem}; ${aside ? `it was moved to ${aside}` : 'it could not be moved aside'} and the default settings are used`)
    return studioSettingsSchema.parse({})
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
