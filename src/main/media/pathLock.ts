// Locks shared by processes on one machine: the job folders' and the export destinations'.
import { lock } from 'proper-lockfile'

/** The lock is held by a live process (its lock is being refreshed). */
export class LockBusyError extends Error {}

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

function isBusy(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ELOCKED'
}

/** Takes a lock held for as long as this process lives and refreshes it. Returns the release. */
export async function lockPath(options: PathLockOptions): Promise<() => Promise<void>> {
  const deadline = Date.now() + (options.waitMs ?? LOCK_STALE_MS + 2 * LOCK_REFRESH_MS)
  for (;;) {
    try {
      return await lock(options.lockPath, {
        lockfilePath: options.lockPath,
        realpath: false,
        stale: LOCK_STALE_MS,
        update: LOCK_REFRESH_MS,
        // Only possible when this process stalled past the stale limit and another took over:
        // say so instead of the library's default, which throws from a timer and kills the process.
        onCompromised: (error) => process.emitWarning(`lock ${options.lockPath} was lost: ${error.message}`)
      })
    } catch (error) {
      // The library's own retries would also retry a missing or read-only folder; only a busy lock is worth the wait.
      if (!isBusy(error)) throw error
      if (Date.now() >= deadline) throw new LockBusyError(options.busyMessage)
      await new Promise((resolve) => setTimeout(resolve, RETRY_INTERVAL_MS))
    }
  }
}

