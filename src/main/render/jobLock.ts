import { join } from 'node:path'
import { lockPath } from '../media/pathLock'

export { LockBusyError as JobBusyError, LOCK_STALE_MS } from '../media/pathLock'

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
