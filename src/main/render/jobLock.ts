import { lock } from 'proper-lockfile'
import { join } from 'node:path'

export class JobBusyError extends Error {}

/**
 * A holder refreshes its lock's mtime every LOCK_REFRESH_MS; a lock not refreshed for
 * LOCK_STALE_MS belongs to a process that is gone (killed, crashed, or its pid reused by
 * another program, which never touches the lock), and is taken over.
 */
export const LOCK_STALE_MS = 5000
const LOCK_REFRESH_MS = 1000
const RETRY_INTERVAL_MS = 250

export type PathLockOptions = {
  /** The lock folder (created atomically with mkdir, so two contenders can't both win). */
  lockPath: string
  /** What to call the holder in the busy message. */
  busyMessage: string
  /**
   * How long to wait for a busy lock before giving up; the default outlasts the stale limit, so
   * a lock left by a process killed a moment ago is taken over rather than reported busy.
   */
  waitMs?: number
}

/** Takes a lock held for as long as this process lives and refreshes it. Returns the release. */
export async function lockPath(options: PathLockOptions): Promise<() => Promise<void>> {
  const waitMs = options.waitMs ?? LOCK_STALE_MS + 2 * LOCK_REFRESH_MS
  try {
    return await lock(options.lockPath, {
      lockfilePath: options.lockPath,
      realpath: false,
      stale: LOCK_STALE_MS,
      update: LOCK_REFRESH_MS,
      retries: { retries: Math.ceil(waitMs / RETRY_INTERVAL_MS), minTimeout: RETRY_INTERVAL_MS, maxTimeout: RETRY_INTERVAL_MS, factor: 1 },
      // Only possible when this process stalled past the stale limit and another took over:
      // say so instead of the library's default, which throws from a timer and kills the process.
      onCompromised: (error) => process.emitWarning(`lock ${options.lockPath} was lost: ${error.message}`)
    })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOCKED') throw new JobBusyError(options.busyMessage)
    throw error
  }
}

/**
 * Claims a job folder for this process, so the app and the CLI (which share the data folder)
 * never render the same job at once. Returns the release function.
 */
export function lockJob(jobDir: string, options: { waitMs?: number } = {}): Promise<() => Promise<void>> {
  return lockPath({
    lockPath: join(jobDir, 'job.lock.d'),
    busyMessage: 'this render is already running in another Wan Studio process',
    waitMs: options.waitMs
  })
}
