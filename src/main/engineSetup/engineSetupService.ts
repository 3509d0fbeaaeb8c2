// The app's side of the engine set-up: at most one run at a time, its progress and log as events,
// the latest state for a window that opens mid-run, and the log file for viewing and copying.
import { EventEmitter } from 'node:events'
import { existsSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { EngineSetupDisk, EngineSetupOutcome, EngineSetupProgress, EngineSetupRequest, EngineSetupStatus } from '../../shared/engineSetup'
import { checkDiskSpace, NEEDED_BYTES } from './diskSpace'
import { currentEnvironmentKind } from './environments'
import { setupEngine, setupLogFile } from './setupEngine'

export type EngineSetupServiceOptions = {
  engineDir: string
  requirementsDir: string
  sidecarDir: string
  uv: string
  /** The current environment's interpreter (AppPaths.engineVenvPython). */
  venvPython: string
  /** A source checkout also installs test.txt, as `npm run engine:setup` does. */
  withTestTools: boolean
  env?: NodeJS.ProcessEnv
  /** Why a set-up can't start now (a render running from the current environment), or null. */
  busyReason: () => string | null
  /** After the switch: stop the sidecar so it starts again from the new environment. */
  onSwitched: () => Promise<void>
  freeSpace?: (folder: string) => Promise<number>
}

export interface EngineSetupServiceEvents {
  progress: [EngineSetupProgress]
  log: [string]
  status: [EngineSetupStatus]
}

export class EngineSetupBusyError extends Error {}

/** The log shown in the app: its last LOG_VIEW_BYTES. */
const LOG_VIEW_BYTES = 512 * 1024

export class EngineSetupService extends EventEmitter<EngineSetupServiceEvents> {
  private controller: AbortController | null = null
  private run: Promise<void> = Promise.resolve()
  private progress: EngineSetupProgress | null = null
  private lastOutcome: EngineSetupOutcome | null = null

  constructor(private readonly options: EngineSetupServiceOptions) {
    super()
  }

  get running(): boolean {
    return this.controller !== null
  }

  async status(): Promise<EngineSetupStatus> {
    return {
      environment: {
        exists: existsSync(this.options.venvPython),
        python: existsSync(this.options.venvPython) ? this.options.venvPython : null,
        dir: this.options.engineDir,
        kind: await currentEnvironmentKind(this.options.engineDir).catch(() => null),
        pythonOverride: (this.options.env ?? process.env).WAN_STUDIO_PYTHON || null
      },
      running: this.running,
      progress: this.progress,
      lastOutcome: this.lastOutcome,
      disk: await this.disk(false).catch(() => null),
      logFile: setupLogFile(this.options.engineDir)
    }
  }

  /** Starts a run in the background; its end comes as a status event. */
  async start(request: EngineSetupRequest): Promise<EngineSetupStatus> {
    if (this.running) throw new EngineSetupBusyError('an engine set-up is already running')
    const busy = this.options.busyReason()
    if (busy) throw new EngineSetupBusyError(busy)
    const controller = new AbortController()
    this.controller = controller
    this.progress = null
    const run = setupEngine({
      engineDir: this.options.engineDir,
      requirementsDir: this.options.requirementsDir,
      sidecarDir: this.options.sidecarDir,
      uv: this.options.uv,
      syntheticOnly: request.syntheticOnly,
      withTestTools: this.options.withTestTools,
      env: this.options.env,
      freeSpace: this.options.freeSpace,
      signal: controller.signal,
      onProgress: (progress) => {
        this.progress = progress
        this.emit('progress', progress)
      },
      onLog: (line) => this.emit('log', line),
      onSwitched: this.options.onSwitched
    })
    this.run = run
      .catch((error: unknown): EngineSetupOutcome => ({
        status: 'failed',
        python: null,
        error: (error as Error).message,
        logFile: setupLogFile(this.options.engineDir),
        disk: null,
        elapsedSeconds: 0
      }))
      .then(async (outcome) => {
        this.lastOutcome = outcome
        this.controller = null
        this.emit('status', await this.status())
      })
    const status = await this.status()
    this.emit('status', status)
    return status
  }

  cancel(): void {
    this.controller?.abort()
  }

  /** Cancels a run and waits until its processes are gone and the old environment is back in place. */
  async stop(): Promise<void> {
    this.cancel()
    await this.run
  }

  /** The latest run's log (its end, when long). */
  async readLog(): Promise<{ path: string; text: string; truncated: boolean }> {
    const path = setupLogFile(this.options.engineDir)
    let file
    try {
      file = await open(path, 'r')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { path, text: '', truncated: false }
      throw error
    }
    try {
      const { size } = await file.stat()
      const length = Math.min(size, LOG_VIEW_BYTES)
      const buffer = Buffer.alloc(length)
      await file.read(buffer, 0, length, size - length)
      return { path, text: buffer.toString('utf8'), truncated: size > length }
    } finally {
      await file.close()
    }
  }

  /** Free space where the engine folder is (or will be) against what the full engine needs. */
  private async disk(syntheticOnly: boolean): Promise<EngineSetupDisk> {
    let folder = this.options.engineDir
    while (!existsSync(folder) && dirname(folder) !== folder) folder = dirname(folder)
    return checkDiskSpace(folder, syntheticOnly ? NEEDED_BYTES.synthetic : NEEDED_BYTES.full, this.options.freeSpace)
  }
}
