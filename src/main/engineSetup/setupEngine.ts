// Builds the engine environment with uv, beside the current one, and makes it current only once it
// works: free space, uv, a Python, `uv venv`, `uv pip install` of the pinned requirements (torch from
// where the driver's CUDA version says), imports and the sidecar's ready message, then the switch.
// A failure or a cancel removes the new folder and leaves the current environment as it was.
// `npm run engine:setup` and the app's set-up screen both run this.
import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { EngineSetupDisk, EngineSetupOutcome, EngineSetupPhase, EngineSetupProgress } from '../../shared/engineSetup'
import { probeGpus } from '../gpu/probe'
import { LockBusyError, lockPath } from '../media/pathLock'
import { checkDiskSpace, describeShortfall, formatGiB, freeBytes, NEEDED_BYTES } from './diskSpace'
import { currentEnvironmentDir, environmentsDir, newEnvironmentId, recoverInterruptedSwitch, removePrevious, removeStaleEnvironments, switchTo, venvPython, writeEnvironmentRecord } from './environments'
import { choosePython } from './pythonChoice'
import { describeFailure, runCommand } from './runCommand'
import { SetupLog } from './setupLog'
import { chooseTorchSource } from './torchSource'
import { checkUv, TESTED_UV_VERSION } from './uvBinary'
import { estimateSecondsLeft, initialUvState, UvOutputReader, type UvInstallState } from './uvOutput'
import { verifyEnvironment } from './verify'

export type EngineSetupOptions = {
  engineDir: string
  requirementsDir: string
  sidecarDir: string
  /** The pinned uv (AppPaths.uvBinary: shipped with the packaged app, fetched by scripts/fetch-uv.mjs in a checkout). */
  uv: string
  /** Only base.txt (the synthetic engine): no torch. */
  syntheticOnly: boolean
  /** Also test.txt (pytest, ruff): a source checkout's tests need them. */
  withTestTools: boolean
  /** --python: the interpreter to build from. */
  python?: string | null
  /** --torch-index: overrides the choice by CUDA version. */
  torchIndex?: string | null
  /** The driver's CUDA version; probed with nvidia-smi when left out. */
  driverCuda?: string | null
  platform?: NodeJS.Platform
  env?: NodeJS.ProcessEnv
  /** The free-space probe (tests pass a fake one). */
  freeSpace?: (folder: string) => Promise<number>
  signal?: AbortSignal
  onProgress?: (progress: EngineSetupProgress) => void
  onLog?: (line: string) => void
  /** After the switch, before the previous environment is deleted: stop whatever runs Python from it (the app's sidecar). */
  onSwitched?: () => Promise<void>
}

/** The log of the latest run; the app shows it, the script prints its path on failure. */
export function setupLogFile(engineDir: string): string {
  return join(engineDir, 'setup.log')
}

class Cancelled extends Error {}

export async function setupEngine(options: EngineSetupOptions): Promise<EngineSetupOutcome> {
  const { engineDir, signal } = options
  const platform = options.platform ?? process.platform
  const started = Date.now()
  const elapsed = (): number => (Date.now() - started) / 1000
  await mkdir(engineDir, { recursive: true })
  // Taken before the log is opened: a second run must not touch the first one's log.
  let releaseLock: () => Promise<void>
  try {
    releaseLock = await lockPath({ lockPath: join(engineDir, 'setup.lock'), busyMessage: `another engine set-up is running in ${engineDir}` })
  } catch (error) {
    const message = error instanceof LockBusyError ? error.message : `cannot lock ${engineDir}: ${(error as Error).message}`
    return { status: 'failed', python: null, error: message, logFile: setupLogFile(engineDir), disk: null, elapsedSeconds: elapsed() }
  }
  const log = await SetupLog.open(setupLogFile(engineDir), options.onLog)
  const env: NodeJS.ProcessEnv = {
    ...(options.env ?? process.env),
    // Inside the engine folder: the cache's unpacked wheels are hard-linked into the environment.
    UV_CACHE_DIR: join(engineDir, 'uv-cache'),
    UV_PYTHON_INSTALL_DIR: join(engineDir, 'python'),
    NO_COLOR: '1'
  }
  let phase: EngineSetupPhase = 'disk'
  let uvState: UvInstallState = initialUvState()
  let firstDownloadAt: number | null = null
  const report = (next: EngineSetupPhase, message: string): void => {
    phase = next
    log.line(`== ${message}`)
    emit(message)
  }
  const emit = (message: string): void => {
    const sinceDownload = firstDownloadAt === null ? null : (Date.now() - firstDownloadAt) / 1000
    options.onProgress?.({
      phase,
      message,
      packages: uvState.packages,
      bytes: uvState.bytes,
      secondsLeft: phase === 'packages' ? estimateSecondsLeft(uvState.bytes, sinceDownload) : null,
      elapsedSeconds: elapsed()
    })
  }
  const throwIfCancelled = (): void => {
    if (signal?.aborted) throw new Cancelled()
  }

  let disk: EngineSetupDisk | null = null
  let newEnvironment: string | null = null
  const finish = async (status: EngineSetupOutcome['status'], error: string | null): Promise<EngineSetupOutcome> => {
    if (newEnvironment !== null) await rm(newEnvironment, { recursive: true, force: true }).catch(() => undefined)
    const current = await currentEnvironmentDir(engineDir).catch(() => null)
    const python = current === null ? null : venvPython(join(engineDir, 'venv'), platform)
    if (status !== 'done') log.line(`== ${status}: ${error ?? ''}`)
    if (status !== 'done') log.line(current === null ? 'no engine environment is set up' : `the current environment is unchanged: ${python}`)
    if (status === 'done') report('done', `The engine environment is ready (${elapsed().toFixed(0)} s)`)
    await log.close()
    await releaseLock().catch(() => undefined)
    return { status, python, error, logFile: log.path, disk, elapsedSeconds: elapsed() }
  }

  try {
    const recovered = await recoverInterruptedSwitch(engineDir)
    if (recovered) log.line(`put back the environment an interrupted switch left as ${recovered}`)
    for (const stale of await removeStaleEnvironments(engineDir)) log.line(`removed ${stale}, left by an earlier set-up`)

    report('disk', 'Checking free disk space')
    const needed = options.syntheticOnly ? NEEDED_BYTES.synthetic : NEEDED_BYTES.full
    disk = await checkDiskSpace(engineDir, needed, options.freeSpace ?? freeBytes)
    log.line(`${formatGiB(disk.freeBytes)} free in ${engineDir}; about ${formatGiB(needed)} needed`)
    if (!disk.enough) return await finish('failed', describeShortfall(disk))

    throwIfCancelled()
    report('uv', 'Checking uv')
    const uv = options.uv
    const uvVersion = await checkUv(uv, signal)
    log.line(`uv ${uvVersion}: ${uv}${uvVersion === TESTED_UV_VERSION ? '' : ` (note: the studio reads the output of uv ${TESTED_UV_VERSION}; progress may be coarser)`}`)

    throwIfCancelled()
    report('python', 'Finding Python')
    const python = await choosePython({ uv, requested: options.python ?? null, env, signal, onLine: log.line })
    log.line(`Python: ${python.python}${python.managed ? ' (installed by uv)' : ''}`)

    throwIfCancelled()
    report('venv', 'Creating the new environment')
    newEnvironment = join(environmentsDir(engineDir), newEnvironmentId())
    await mkdir(environmentsDir(engineDir), { recursive: true })
    await runStep(uv, ['venv', '--no-project', '--python', python.python, newEnvironment], 'uv venv')
    const newPython = venvPython(newEnvironment, platform)

    throwIfCancelled()
    const files = [options.syntheticOnly ? 'base.txt' : 'engine.txt', ...(options.withTestTools ? ['test.txt'] : [])]
    const installArgs = ['pip', 'install', '--python', newPython, ...files.flatMap((file) => ['-r', join(options.requirementsDir, file)])]
    if (!options.syntheticOnly) {
      const driverCuda = options.driverCuda !== undefined ? options.driverCuda : (await probeGpus({ signal, env })).cudaVersion
      const torch = chooseTorchSource(platform, driverCuda, options.torchIndex ?? null)
      log.line(torch.reason)
      // Like pip's --extra-index-url: the best match across both indexes, so torch 2.15.0+cu128 wins over PyPI's 2.15.0.
      if (torch.indexUrl) installArgs.push('--extra-index-url', torch.indexUrl, '--index-strategy', 'unsafe-best-match')
    }
    report('packages', `Installing ${files.join(' + ')}`)
    const reader = new UvOutputReader()
    await runStep(uv, installArgs, 'uv pip install', (line) => {
      const next = reader.read(line)
      if (!next) return
      if (firstDownloadAt === null && next.packages.announcedDownloads > 0) firstDownloadAt = Date.now()
      uvState = next
      emit(installMessage(next))
    })

    throwIfCancelled()
    report('verify', 'Checking the new environment')
    await verifyEnvironment({ python: newPython, sidecarDir: options.sidecarDir, syntheticOnly: options.syntheticOnly, env: options.env ?? process.env, signal, onLine: log.line })

    await writeEnvironmentRecord(newEnvironment, { syntheticOnly: options.syntheticOnly, withTestTools: options.withTestTools, createdAt: new Date().toISOString(), uvVersion })
    // Past this point the switch runs to its end: a cancel now would only leave a stray folder.
    throwIfCancelled()
    report('switch', 'Switching to the new environment')
    const { previous } = await switchTo(engineDir, newEnvironment, platform)
    log.line(`now current: ${newEnvironment}`)
    newEnvironment = null
    await options.onSwitched?.().catch((error: unknown) => log.line(`warning: after the switch: ${(error as Error).message}`))
    if (previous !== null) {
      await removePrevious(previous)
      log.line(`removed the previous environment ${previous}`)
    }
    return await finish('done', null)
  } catch (error) {
    if (error instanceof Cancelled || signal?.aborted) return await finish('cancelled', 'cancelled')
    return await finish('failed', (error as Error).message)
  }

  async function runStep(command: string, args: string[], what: string, onLine?: (line: string) => void): Promise<void> {
    log.line(`$ ${command} ${args.join(' ')}`)
    const tail: string[] = []
    const result = await runCommand(command, args, {
      env,
      signal,
      onLine: (line) => {
        log.line(line)
        tail.push(line)
        if (tail.length > 12) tail.shift()
        onLine?.(line)
      }
    })
    if (result.cancelled) throw new Cancelled()
    if (result.exitCode !== 0) throw new Error(`${describeFailure(what, result)}${uvErrorText(tail)}`)
  }
}

/** uv's own words: from its `error:` line on, else its last lines. */
function uvErrorText(tail: string[]): string {
  const start = tail.findIndex((line) => /^error:/.test(line))
  const lines = start >= 0 ? tail.slice(start) : tail.slice(-3)
  const text = lines.join(' ').replace(/\s+/g, ' ').trim()
  return text ? `: ${text}` : ''
}

function installMessage(state: UvInstallState): string {
  const { packages } = state
  switch (state.stage) {
    case 'resolving':
      return 'Resolving packages'
    case 'downloading':
      return packages.announcedDownloads > 0
        ? `Downloading: ${packages.finishedDownloads} of ${packages.announcedDownloads} large files`
        : `Resolved ${packages.resolved ?? '?'} packages`
    case 'installing':
      return 'Installing packages'
    case 'installed':
      return `Installed ${packages.installed ?? '?'} packages`
  }
}
