// Runs one set-up command (uv, pip, python) in its own process group, line by line, cancellable:
// cancelling kills the whole group (uv's own children with it) and resolves once it is gone. A guard
// kills the group's leader if this process dies first (media/childGuard.ts).
import { createInterface } from 'node:readline'
import { guardChild } from '../media/childGuard'
import { GroupProcess } from '../sidecar/process'

export type CommandResult = { exitCode: number | null; signal: NodeJS.Signals | null; cancelled: boolean; stdout: string; spawnError: string | null }

export type RunCommandOptions = {
  env?: NodeJS.ProcessEnv
  cwd?: string
  signal?: AbortSignal
  /** Every line the command writes, stdout and stderr alike, as it comes. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void
}

export async function runCommand(command: string, args: readonly string[], options: RunCommandOptions = {}): Promise<CommandResult> {
  if (options.signal?.aborted) return { exitCode: null, signal: null, cancelled: true, stdout: '', spawnError: null }
  const proc = new GroupProcess(command, [...args], { cwd: options.cwd, env: options.env, onStderrLine: (line) => options.onLine?.(line, 'stderr') })
  // Nothing to send it; an open stdin would keep a prompt waiting forever.
  proc.child.stdin.end()
  const release = guardChild(proc.child)
  let stdout = ''
  const lines = createInterface({ input: proc.child.stdout }).on('line', (line) => {
    stdout += `${line}\n`
    options.onLine?.(line, 'stdout')
  })
  // 'exit' can come before the last of stdout is read: the result waits for both.
  const stdoutRead = new Promise<void>((resolve) => lines.once('close', resolve))
  let spawnError: string | null = null
  proc.child.once('error', (error) => (spawnError = error.message))
  let cancelled = false
  let killed: Promise<void> = Promise.resolve()
  const onAbort = (): void => {
    cancelled = true
    // killTree signals nothing when the spawn failed (no pid): never pid 0, our own group.
    killed = proc.killTree(2000).catch(() => undefined)
  }
  options.signal?.addEventListener('abort', onAbort, { once: true })
  try {
    const exit = await proc.exited
    await stdoutRead
    // The leader may exit first; the rest of its group is gone only once killTree says so.
    await killed
    return { exitCode: exit.code, signal: exit.signal, cancelled, stdout, spawnError }
  } finally {
    options.signal?.removeEventListener('abort', onAbort)
    release()
  }
}

/** "uv exited with code 2" / "was killed by SIGKILL" / "could not be started: ENOENT". */
export function describeFailure(what: string, result: CommandResult): string {
  if (result.spawnError) return `${what} could not be started: ${result.spawnError}`
  if (result.exitCode !== null) return `${what} exited with code ${result.exitCode}`
  return `${what} was stopped by ${result.signal ?? 'a signal'}`
}
