// JSON-RPC 2.0 client for the Python sidecar over stdio, one message per line.
import { EventEmitter } from 'node:events'
import { createInterface } from 'node:readline'
import { z } from 'zod'
import { GroupProcess, type ExitInfo } from './process'
import {
  notificationSchema,
  readyParamsSchema,
  responseSchema,
  type RpcErrorObject,
  type SidecarPreview,
  type SidecarProgress
} from './protocol'

export class SidecarError extends Error {
  constructor(
    message: string,
    readonly code: number,
    readonly data: unknown,
    readonly stderrTail: string[] = []
  ) {
    super(message)
  }
}

/** The sidecar went away (crashed, killed, failed to start) before answering. */
export class SidecarExitedError extends Error {
  constructor(
    message: string,
    readonly exit: ExitInfo | null,
    readonly stderrTail: string[]
  ) {
    super(message)
  }
}

export interface SidecarEvents {
  progress: [SidecarProgress]
  preview: [SidecarPreview]
  log: [{ level: 'debug' | 'info' | 'warning' | 'error'; message: string }]
  stderr: [string]
  exit: [ExitInfo]
}

export interface StartOptions {
  python: string
  sidecarDir: string
  env?: NodeJS.ProcessEnv
  readyTimeoutMs?: number
  signal?: AbortSignal
}

interface Pending {
  method: string
  resolve: (value: unknown) => void
  reject: (error: Error) => void
}

export class SidecarClient extends EventEmitter<SidecarEvents> {
  private nextId = 1
  private readonly pending = new Map<number, Pending>()
  private exitInfo: ExitInfo | null = null

  private constructor(private readonly proc: GroupProcess) {
    super()
  }

  /** Spawns `python -m wan_sidecar` and resolves once it sends its `ready` notification. */
  static async start(options: StartOptions): Promise<SidecarClient> {
    const env = { ...(options.env ?? process.env) }
    env.PYTHONPATH = [options.sidecarDir, env.PYTHONPATH].filter(Boolean).join(process.platform === 'win32' ? ';' : ':')
    env.PYTHONUNBUFFERED = '1'
    env.PYTHONIOENCODING = 'utf-8'
    let client: SidecarClient | undefined
    const proc = new GroupProcess(options.python, ['-m', 'wan_sidecar'], {
      cwd: options.sidecarDir,
      env,
      onStderrLine: (line) => client?.emit('stderr', line)
    })
    client = new SidecarClient(proc)
    await client.waitReady(options.readyTimeoutMs ?? 30_000, options.signal)
    return client
  }

  get pid(): number | undefined {
    return this.proc.pid
  }

  get alive(): boolean {
    return this.exitInfo === null && !this.proc.hasExited
  }

  stderrTail(): string[] {
    return this.proc.stderrTail()
  }

  private waitReady(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    const lines = createInterface({ input: this.proc.child.stdout })
    return new Promise<void>((resolve, reject) => {
      let ready = false
      let failed = false
      const fail = (message: string): void => {
        failed = true
        cleanup()
        void this.proc.killTree().finally(() =>
          reject(new SidecarExitedError(message, this.exitInfo, this.proc.stderrTail()))
        )
      }
      const timer = setTimeout(() => fail(`the sidecar did not report ready within ${timeoutMs / 1000} s`), timeoutMs)
      const onAbort = (): void => fail('starting the sidecar was cancelled')
      signal?.addEventListener('abort', onAbort, { once: true })
      const cleanup = (): void => {
        clearTimeout(timer)
        signal?.removeEventListener('abort', onAbort)
      }
      lines.on('line', (line) => {
        if (!ready) {
          const parsed = safeJson(line)
          const message = notificationSchema.safeParse(parsed)
          if (message.success && message.data.method === 'ready' && readyParamsSchema.safeParse(message.data.params).success) {
            ready = true
            cleanup()
            resolve()
          } else {
            this.emit('log', { level: 'warning', message: `sidecar wrote before ready: ${line.slice(0, 200)}` })
          }
          return
        }
        this.handleLine(line)
      })
      void this.proc.exited.then((info) => {
        this.exitInfo = info
        // Whatever the sidecar left running in its group (an ffmpeg mid-encode) goes with it.
        void this.proc.killTree(500).catch(() => undefined)
        if (!ready && !failed) {
          cleanup()
          reject(new SidecarExitedError(describeExit('the sidecar exited before it was ready', info), info, this.proc.stderrTail()))
        }
        this.failPending(info)
        this.emit('exit', info)
      })
    })
  }

  private handleLine(line: string): void {
    const parsed = safeJson(line)
    if (parsed === undefined) {
      this.emit('log', { level: 'error', message: `sidecar sent a line that is not JSON: ${line.slice(0, 200)}` })
      return
    }
    const response = responseSchema.safeParse(parsed)
    if (response.success) {
      const { id } = response.data
      const pending = typeof id === 'number' ? this.pending.get(id) : undefined
      if (!pending) {
        this.emit('log', { level: 'error', message: `sidecar answered an unknown request id ${JSON.stringify(id)}` })
        return
      }
      this.pending.delete(id as number)
      if ('error' in response.data) pending.reject(this.toError(response.data.error))
      else pending.resolve(response.data.result)
      return
    }
    const notification = notificationSchema.safeParse(parsed)
    if (notification.success) {
      const message = notification.data
      if (message.method === 'progress') this.emit('progress', message.params)
      else if (message.method === 'preview') this.emit('preview', message.params)
      else if (message.method === 'log') this.emit('log', message.params)
      return
    }
    if (isMethod(parsed, 'preview')) {
      // A picture is a nicety: a bad one is dropped, and the render goes on.
      const issue = notification.error.issues.find((candidate) => candidate.path[0] === 'params') ?? notification.error.issues[0]
      const where = issue ? issue.path.map(String).join('.') : 'params'
      this.emit('log', { level: 'warning', message: `sidecar sent a preview outside the protocol (${where}: ${issue?.message ?? 'invalid'}); ignored` })
      return
    }
    this.emit('log', { level: 'error', message: `sidecar sent a message outside the protocol: ${line.slice(0, 200)}` })
  }

  private toError(error: RpcErrorObject): SidecarError {
    return new SidecarError(error.message, error.code, error.data, this.proc.stderrTail())
  }

  private failPending(info: ExitInfo): void {
    for (const [id, pending] of this.pending) {
      this.pending.delete(id)
      pending.reject(
        new SidecarExitedError(
          describeExit(`the sidecar exited during ${pending.method}`, info),
          info,
          this.proc.stderrTail()
        )
      )
    }
  }

  /**
   * Sends a request; the result is validated against `schema`. With `timeoutMs`, a sidecar that
   * has not answered by then is taken for hung: the request fails and the process tree is killed.
   */
  request<S extends z.ZodType>(method: string, params: unknown, schema: S, options: { timeoutMs?: number } = {}): Promise<z.output<S>> {
    if (!this.alive) {
      return Promise.reject(
        new SidecarExitedError(describeExit('the sidecar is not running', this.exitInfo), this.exitInfo, this.proc.stderrTail())
      )
    }
    const id = this.nextId++
    let timer: NodeJS.Timeout | undefined
    return new Promise<unknown>((resolve, reject) => {
      this.pending.set(id, { method, resolve, reject })
      if (options.timeoutMs !== undefined) {
        const timeoutMs = options.timeoutMs
        timer = setTimeout(() => {
          if (!this.pending.delete(id)) return
          reject(new SidecarExitedError(`the sidecar did not answer ${method} within ${timeoutMs / 1000} s and was stopped`, null, this.proc.stderrTail()))
          void this.proc.killTree().catch(() => undefined)
        }, timeoutMs)
      }
      this.proc.child.stdin.write(JSON.stringify({ jsonrpc: '2.0', id, method, params }) + '\n', (error) => {
        if (error && this.pending.delete(id)) reject(error)
      })
    })
      .finally(() => clearTimeout(timer))
      .then((result) => {
        const checked = schema.safeParse(result)
        if (!checked.success) {
          throw new SidecarError(`the sidecar's ${method} result does not match the protocol: ${checked.error.message}`, -32603, result)
        }
        return checked.data
      })
  }

  /** Asks the sidecar to stop; kills the whole process group if it does not within the grace time. */
  async shutdown(graceMs = 5000): Promise<void> {
    if (this.alive) {
      const asked = this.request('shutdown', {}, z.unknown()).catch(() => undefined)
      this.proc.child.stdin.end()
      let graceTimer: NodeJS.Timeout | undefined
      const exited = await Promise.race([
        asked.then(() => this.proc.exited).then(() => true),
        new Promise<boolean>((resolve) => (graceTimer = setTimeout(() => resolve(false), graceMs)))
      ])
      // A pending grace timer would keep the CLI alive for graceMs after it is done.
      clearTimeout(graceTimer)
      if (exited) {
        // The sidecar is gone; anything it started must be too.
        await this.proc.killTree(500)
        return
      }
    }
    await this.proc.killTree()
  }

  /** Kills the whole process tree at once (used when the sidecar is stuck or the app quits). */
  kill(): Promise<void> {
    return this.proc.killTree(1000)
  }
}

function isMethod(message: unknown, method: string): boolean {
  return typeof message === 'object' && message !== null && (message as { method?: unknown }).method === method
}

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line)
  } catch {
    return undefined
  }
}

function describeExit(prefix: string, info: ExitInfo | null): string {
  if (!info) return prefix
  if (info.signal) return `${prefix} (killed by ${info.signal})`
  return `${prefix} (exit code ${info.code})`
}
