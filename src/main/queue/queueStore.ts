// The queue file: every job and its state, rewritten atomically on every change, so a crash or
// restart loses at most the segment in flight. A damaged file is set aside, never half-loaded.
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { queueFileSchema, QUEUE_FORMAT_VERSION, type QueueFile } from '../../shared/queue'
import { setAsideDamaged, writeJsonAtomic } from '../project/atomicFile'

export interface LoadedQueue {
  file: QueueFile
  /** Set when the file on disk could not be used: what was wrong and where it was moved. */
  warning: string | null
}

export async function loadQueueFile(path: string): Promise<LoadedQueue> {
  const empty: QueueFile = { formatVersion: QUEUE_FORMAT_VERSION, paused: false, jobs: [] }
  if (!existsSync(path)) return { file: empty, warning: null }
  let problem: string
  try {
    const parsed = queueFileSchema.safeParse(JSON.parse(await readFile(path, 'utf8')))
    if (parsed.success) return { file: parsed.data, warning: null }
    const issue = parsed.error.issues[0]
    problem = `${issue?.path.join('.') || 'file'}: ${issue?.message ?? 'invalid'}`
  } catch (error) {
    problem = (error as Error).message
  }
  const aside = await setAsideDamaged(path)
  return { file: empty, warning: `the render queue in ${path} could not be read (${problem}); it was moved to ${aside} and the queue starts empty` }
}

/** Serialises writes so an older snapshot can never land after a newer one. */
export class QueueWriter {
  private pending: Promise<void> = Promise.resolve()
  private latest: QueueFile | null = null

  constructor(
    private readonly path: string,
    private readonly onError: (error: Error) => void
  ) {}

  save(file: QueueFile): Promise<void> {
    this.latest = file
    this.pending = this.pending.then(async () => {
      const snapshot = this.latest
      if (!snapshot) return
      this.latest = null
      await writeJsonAtomic(this.path, snapshot).catch((error: unknown) => this.onError(error as Error))
    })
    return this.pending
  }

  flush(): Promise<void> {
    return this.pending
  }
}
