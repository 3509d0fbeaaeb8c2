// What every rendering command shares: a Studio whose queue lives in a work folder, and Ctrl+C.
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { appPathsForThisMachine } from '../appPaths/appPaths'
import { findAppRoot, STUDIO_VERSION } from '../core/appInfo'
import { Studio } from '../core/studio'
import { defaultDataDir } from '../project/dataDir'

/** A second Ctrl+C gives the clean stop this long, then leaves at once. */
const FORCE_EXIT_MS = 2000

/** The studio for one command: its queue in `workDir`, held idle until the command starts it. */
export function createWorkStudio(workDir: string): Studio {
  const dataDir = defaultDataDir()
  return new Studio({
    version: STUDIO_VERSION,
    dataDir,
    // The CLI runs from a source checkout (bin/wan-studio.cjs).
    paths: appPathsForThisMachine({ layout: 'source', appRoot: findAppRoot(__dirname), resourcesPath: null, dataDir, env: process.env }),
    queueFile: join(workDir, 'queue.json'),
    mediaUrl: (path) => pathToFileURL(path).href,
    startQueue: false
  })
}

function killProcessGroup(pid: number | undefined): void {
  if (pid === undefined || process.platform === 'win32') return
  try {
    process.kill(-pid, 'SIGKILL')
  } catch {
    // Already gone.
  }
}

/**
 * Ctrl+C (or SIGTERM) cancels the queue's jobs (finished segments are kept: `resumeHint` says how
 * to continue); a second one stops everything within two seconds, even a sidecar stuck in a step.
 */
export function handleInterrupts(studio: Studio, resumeHint: string): { interrupted: boolean; dispose: () => void } {
  const state = { interrupted: false, dispose: () => undefined as void }
  const onSignal = (): void => {
    if (state.interrupted) {
      process.stderr.write('\nstopping now\n')
      // A sidecar stuck in a step answers nothing: its whole group goes at once, not after a grace.
      killProcessGroup(studio.sidecarPid)
      setTimeout(() => process.exit(130), FORCE_EXIT_MS).unref()
      void studio.close().finally(() => process.exit(130))
      return
    }
    state.interrupted = true
    process.stderr.write(`\ncancelling... (finished segments are kept; ${resumeHint}; Ctrl+C again to stop at once)\n`)
    void studio.queue().then((queue) => {
      for (const job of queue.snapshot().jobs) if (job.state === 'running' || job.state === 'queued') queue.cancel(job.id)
    })
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  state.dispose = () => {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
  return state
}
