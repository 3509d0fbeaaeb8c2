// A child process in its own process group, so the whole tree (the sidecar and the ffmpeg it
// spawns) can be killed and confirmed gone. Keeps the tail of stderr to explain failures.
import { spawn, execFile, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { createInterface } from 'node:readline'

const STDERR_TAIL_LINES = 40

export interface ExitInfo {
  code: number | null
  signal: NodeJS.Signals | null
}

export class GroupProcess {
  readonly child: ChildProcessWithoutNullStreams
  readonly exited: Promise<ExitInfo>
  private readonly tail: string[] = []
  private exitInfo: ExitInfo | null = null

  constructor(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; onStderrLine?: (line: string) => void }) {
    this.child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      // POSIX: leader of a new process group; killTree signals the group.
      detached: process.platform !== 'win32',
      windowsHide: true
    })
    this.exited = new Promise((resolve) => {
      this.child.once('error', (error) => {
        this.tail.push(`failed to start ${command}: ${error.message}`)
        this.exitInfo ??= { code: null, signal: null }
        resolve(this.exitInfo)
      })
      this.child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal }
        resolve(this.exitInfo)
      })
    })
    // Writing to a child that just died raises EPIPE on stdin; without a listener that would take
    // the whole app down. The exit handler reports the death itself.
    this.child.stdin.on('error', (error) => this.tail.push(`stdin: ${error.message}`))
    createInterface({ input: this.child.stderr }).on('line', (line) => {
      this.tail.push(line)
      if (this.tail.length > STDERR_TAIL_LINES) this.tail.shift()
      options.onStderrLine?.(line)
    })
  }

  get pid(): number | undefined {
    return this.child.pid
  }

  get hasExited(): boolean {
    return this.exitInfo !== null
  }

  stderrTail(): string[] {
    return [...this.tail]
  }

  /** Terminates the process and everything it started; resolves once all of it is gone. */
  async killTree(graceMs = 3000): Promise<void> {
    const pid = this.child.pid
    if (pid === undefined) return
    if (process.platform === 'win32') {
      await new Promise<void>((resolve) => execFile('taskkill', ['/pid', String(pid), '/T', '/F'], () => resolve()))
      await this.exited
      return
    }
    signalGroup(pid, 'SIGTERM')
    if (!(await waitForGroupGone(pid, graceMs))) {
      signalGroup(pid, 'SIGKILL')
      if (!(await waitForGroupGone(pid, 2000))) {
        throw new Error(`process group ${pid} survived SIGKILL`)
      }
    }
    await this.exited
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal)
  } catch {
    // ESRCH: already gone.
  }
}

export function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

async function waitForGroupGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (!groupAlive(pid)) return true
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  return !groupAlive(pid)
}
