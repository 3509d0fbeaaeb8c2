// Runs a small diagnostic tool (nvidia-smi) with a deadline that holds even when the tool can't be
// killed: a process stuck inside the GPU driver ignores SIGKILL until the driver lets go, and a
// child it left behind can hold the output pipe open long after.
import { execFile, type ChildProcess } from 'node:child_process'

export type ToolOutcome =
  | { kind: 'exited'; exitCode: number; stdout: string; stderr: string }
  | { kind: 'missing' }
  | { kind: 'timedOut' }
  | { kind: 'aborted' }
  | { kind: 'failed'; message: string }

export type RunToolOptions = {
  timeoutMs: number
  signal?: AbortSignal
  env?: NodeJS.ProcessEnv
}

/** After the kill, how long to wait for the exit before giving up on the process. */
const KILL_GRACE_MS = 500
const MAX_OUTPUT_BYTES = 4 * 1024 * 1024

export function runTool(file: string, args: readonly string[], options: RunToolOptions): Promise<ToolOutcome> {
  const { timeoutMs, signal, env } = options
  if (signal?.aborted) return Promise.resolve({ kind: 'aborted' })
  return new Promise((resolve) => {
    const started = Date.now()
    let settled = false
    let child: ChildProcess | undefined
    const finish = (outcome: ToolOutcome): void => {
      if (settled) return
      settled = true
      clearTimeout(deadline)
      signal?.removeEventListener('abort', onAbort)
      resolve(outcome)
    }
    const giveUp = (outcome: ToolOutcome): void => {
      if (child) abandon(child)
      finish(outcome)
    }
    const onAbort = (): void => giveUp({ kind: 'aborted' })
    const deadline = setTimeout(() => giveUp({ kind: 'timedOut' }), timeoutMs + KILL_GRACE_MS)
    signal?.addEventListener('abort', onAbort, { once: true })

    child = execFile(
      file,
      args,
      { encoding: 'utf8', env, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: MAX_OUTPUT_BYTES, windowsHide: true },
      (error, stdout, stderr) => {
        if (!error) return finish({ kind: 'exited', exitCode: 0, stdout, stderr })
        const code = (error as NodeJS.ErrnoException).code as string | number | undefined
        if (code === 'ENOENT') return finish({ kind: 'missing' })
        // execFile's own timeout kills with SIGKILL; a SIGKILL from elsewhere (the OOM killer) is a failure.
        if (error.killed && error.signal === 'SIGKILL' && Date.now() - started >= timeoutMs) return finish({ kind: 'timedOut' })
        if (typeof code === 'number') return finish({ kind: 'exited', exitCode: code, stdout, stderr })
        finish({ kind: 'failed', message: error.message })
      }
    )
  })
}

/** Stops waiting on a child: kill it, drop its pipes, and let Node exit without it. */
function abandon(child: ChildProcess): void {
  // A child whose spawn failed has no pid, and Node's kill() then signals pid 0: the caller's whole
  // process group (the terminal, the test runner). Only a child that started is ever signalled.
  if (child.pid !== undefined) child.kill('SIGKILL')
  child.stdout?.destroy()
  child.stderr?.destroy()
  child.unref()
}
