import { spawn } from 'node:child_process'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { guardChild } from './childGuard'

export type FfmpegProgress = {
  outTimeSeconds: number
  frame: number
  fps: number
  /** Encoding speed relative to real time; null while ffmpeg reports N/A. */
  speed: number | null
  /** 0–100 when durationSeconds was given, else null. */
  percent: number | null
  /** True for the final block (`progress=end`). */
  done: boolean
}

export type RunFfmpegOptions = {
  ffmpeg: string
  /** Everything after the global options this runner adds itself. */
  args: string[]
  signal?: AbortSignal
  /** Expected output duration, used to compute `percent`. */
  durationSeconds?: number
  onProgress?: (progress: FfmpegProgress) => void
  /** Fed to ffmpeg's stdin (an input of `-i -` or `-i pipe:0`). */
  stdin?: Readable | Buffer
  /**
   * Receives ffmpeg's stdout when the args write media to `pipe:1`. Progress then cannot share
   * stdout, so it is not requested and onProgress is never called.
   */
  onStdout?: (chunk: Buffer) => void
  /** Every stderr line, for callers that parse ffmpeg's log (stderrTail keeps only the end). */
  onStderrLine?: (line: string) => void
  onStart?: (info: { pid: number; commandLine: string }) => void
  /** How long ffmpeg may take to exit after SIGTERM on abort before it gets SIGKILL. */
  killGraceMs?: number
}

export type FfmpegResult = {
  stderrTail: string[]
  /** The last progress block (the `progress=end` one on success); null when none was read. */
  finalProgress: FfmpegProgress | null
}

const STDERR_TAIL_LINES = 20
const DEFAULT_KILL_GRACE_MS = 3000

export class FfmpegError extends Error {
  constructor(
    message: string,
    readonly exitCode: number | null,
    readonly exitSignal: NodeJS.Signals | null,
    readonly commandLine: string,
    readonly stderrTail: string[]
  ) {
    super(message)
    this.name = 'FfmpegError'
  }
}

/** Shaped like the DOM's AbortError so generic `err.name === 'AbortError'` checks work. */
export class FfmpegCancelledError extends Error {
  readonly code = 'ABORT_ERR'
  constructor(readonly commandLine: string, options?: { cause?: unknown }) {
    super('ffmpeg was cancelled', options)
    this.name = 'AbortError'
  }
}

export function isFfmpegCancelled(error: unknown): error is FfmpegCancelledError {
  return error instanceof FfmpegCancelledError
}

/** A shell-like rendering of the command, for error messages and logs only. */
export function formatCommandLine(command: string, args: string[]): string {
  return [command, ...args]
    .map((part) => (/^[\w@%+=:,./-]+$/.test(part) ? part : `'${part.replace(/'/g, `'\\''`)}'`))
    .join(' ')
}

function parseNumber(value: string | undefined): number | null {
  if (value === undefined) return null
  const parsed = Number.parseFloat(value)
  return Number.isFinite(parsed) ? parsed : null
}

/** Splits a byte stream into lines; `\r` counts as a line end because ffmpeg uses it for updates. */
function lineSplitter(onLine: (line: string) => void): { push(chunk: Buffer): void; flush(): void } {
  let pending = ''
  return {
    push(chunk) {
      pending += chunk.toString('utf8')
      const lines = pending.split(/\r\n|\r|\n/)
      pending = lines.pop() ?? ''
      for (const line of lines) onLine(line)
    },
    flush() {
      if (pending) onLine(pending)
      pending = ''
    }
  }
}

function progressParser(
  durationSeconds: number | undefined,
  onBlock: (progress: FfmpegProgress) => void
): (line: string) => void {
  let fields = new Map<string, string>()
  return (line) => {
    const equals = line.indexOf('=')
    if (equals < 0) return
    const key = line.slice(0, equals).trim()
    const value = line.slice(equals + 1).trim()
    if (key !== 'progress') {
      fields.set(key, value)
      return
    }
    const done = value === 'end'
    // out_time_ms is in microseconds too, despite its name.
    const outTimeMicros = parseNumber(fields.get('out_time_us')) ?? parseNumber(fields.get('out_time_ms')) ?? 0
    const outTimeSeconds = Math.max(0, outTimeMicros / 1e6)
    let percent: number | null = null
    if (durationSeconds !== undefined && durationSeconds > 0) {
      percent = done ? 100 : Math.min(100, (outTimeSeconds / durationSeconds) * 100)
    }
    onBlock({
      outTimeSeconds,
      frame: parseNumber(fields.get('frame')) ?? 0,
      fps: parseNumber(fields.get('fps')) ?? 0,
      speed: parseNumber(fields.get('speed')?.replace(/x$/, '')),
      percent,
      done
    })
    fields = new Map()
  }
}

/**
 * Runs ffmpeg to completion. Resolves on exit code 0; rejects with FfmpegError on any failure and
 * with FfmpegCancelledError on abort. Either way the process has exited before the promise settles.
 */
export function runFfmpeg(options: RunFfmpegOptions): Promise<FfmpegResult> {
  const { ffmpeg, signal, stdin, onStdout } = options
  const globalArgs = ['-hide_banner']
  if (stdin === undefined) globalArgs.push('-nostdin')
  if (onStdout === undefined) globalArgs.push('-progress', 'pipe:1')
  globalArgs.push('-nostats')
  const args = [...globalArgs, ...options.args]
  const commandLine = formatCommandLine(ffmpeg, args)

  if (signal?.aborted) {
    return Promise.reject(new FfmpegCancelledError(commandLine, { cause: signal.reason }))
  }

  return new Promise<FfmpegResult>((resolve, reject) => {
    const stderrTail: string[] = []
    let finalProgress: FfmpegProgress | null = null
    let spawnError: Error | null = null
    let callbackError: Error | null = null
    let cancelled = false
    let killTimer: NodeJS.Timeout | undefined

    const child = spawn(ffmpeg, args, { windowsHide: true })
    const releaseGuard = guardChild(child)

    const stopProcess = (): void => {
      const alreadyStopping = killTimer !== undefined
      // A failed spawn has no pid, and kill() would then signal our whole process group (pid 0).
      if (alreadyStopping || child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM')
      killTimer = setTimeout(() => child.kill('SIGKILL'), options.killGraceMs ?? DEFAULT_KILL_GRACE_MS)
    }

    // A throwing callback must not leave ffmpeg running: stop it and report the callback's error.
    const guarded = <T>(callback: ((value: T) => void) | undefined) =>
      (value: T): void => {
        if (!callback || callbackError !== null) return
        try {
          callback(value)
        } catch (error) {
          callbackError = error instanceof Error ? error : new Error(String(error))
          stopProcess()
        }
      }
    const reportProgress = guarded(options.onProgress)
    const reportStdout = guarded(onStdout)
    const reportStderrLine = guarded(options.onStderrLine)

    const onAbort = (): void => {
      // An abort that arrives after ffmpeg has finished changes nothing.
      if (child.exitCode !== null || child.signalCode !== null) return
      cancelled = true
      stopProcess()
    }
    signal?.addEventListener('abort', onAbort, { once: true })

    const stderrLines = lineSplitter((line) => {
      if (!line.trim()) return
      stderrTail.push(line)
      if (stderrTail.length > STDERR_TAIL_LINES) stderrTail.shift()
      reportStderrLine(line)
    })
    child.stderr.on('data', (chunk: Buffer) => stderrLines.push(chunk))

    const stdoutLines = lineSplitter(
      progressParser(options.durationSeconds, (progress) => {
        finalProgress = progress
        reportProgress(progress)
      })
    )
    child.stdout.on('data', (chunk: Buffer) => {
      if (onStdout) reportStdout(chunk)
      else stdoutLines.push(chunk)
    })

    // ffmpeg may exit before reading all of stdin (an error, or an abort): the resulting EPIPE
    // says nothing the exit status does not, so it is ignored.
    child.stdin.on('error', () => {})
    if (stdin === undefined) child.stdin.end()
    else pipeline(Buffer.isBuffer(stdin) ? Readable.from([stdin]) : stdin, child.stdin).catch(() => {})

    child.once('error', (error) => {
      spawnError = error
    })

    child.once('close', (exitCode, exitSignal) => {
      releaseGuard()
      clearTimeout(killTimer)
      signal?.removeEventListener('abort', onAbort)
      stderrLines.flush()
      stdoutLines.flush()

      if (cancelled) {
        reject(new FfmpegCancelledError(commandLine, { cause: signal?.reason }))
      } else if (callbackError !== null) {
        reject(callbackError)
      } else if (spawnError) {
        reject(
          new FfmpegError(
            `could not start ffmpeg (${ffmpeg}): ${spawnError.message}`,
            null,
            null,
            commandLine,
            stderrTail
          )
        )
      } else if (exitCode !== 0) {
        const status = exitSignal ? `was killed by ${exitSignal}` : `exited with code ${exitCode}`
        const lastLine = stderrTail.at(-1)
        reject(
          new FfmpegError(
            `ffmpeg ${status}${lastLine ? `: ${lastLine}` : ''}\ncommand: ${commandLine}\n${stderrTail.join('\n')}`,
            exitCode,
            exitSignal,
            commandLine,
            stderrTail
          )
        )
      } else {
        resolve({ stderrTail, finalProgress })
      }
    })

    if (child.pid !== undefined) options.onStart?.({ pid: child.pid, commandLine })
  })
}
