import { open, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'

export class JobBusyError extends Error {}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Claims a job folder for this process, so the app and the CLI (which share the data folder)
 * never render the same job at once. A lock left by a process that died is taken over.
 * Returns the release function.
 */
export async function lockJob(jobDir: string): Promise<() => Promise<void>> {
  const path = join(jobDir, 'job.lock')
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx')
      await handle.writeFile(String(process.pid))
      await handle.close()
      return () => rm(path, { force: true })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const holder = Number((await readFile(path, 'utf8').catch(() => '')).trim())
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && processAlive(holder)) {
        throw new JobBusyError(`this render is already running in another Wan Studio process (pid ${holder})`)
      }
      await rm(path, { force: true })
    }
  }
  throw new JobBusyError(`could not claim ${path}`)
}
