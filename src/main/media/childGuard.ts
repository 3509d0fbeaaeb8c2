// ffmpeg ignores SIGPIPE and never reads a closed stdin, so a kill -9 of the app or the CLI would
// leave it encoding on its own (measured: still writing 2 s later). Each such child gets a guard:
// a shell blocked reading a pipe from this process. When this process dies, however, the kernel
// closes the pipe, the shell's read returns and it kills the child.
import { spawn, type ChildProcess } from 'node:child_process'
import type { Socket } from 'node:net'

const GUARD_SCRIPT = 'read -r _; kill -KILL "$1" 2>/dev/null'

/** Call right after spawning; call the returned function once the child has exited. */
export function guardChild(child: ChildProcess): () => void {
  if (process.platform === 'win32' || child.pid === undefined) return () => undefined
  const guard = spawn('/bin/sh', ['-c', GUARD_SCRIPT, 'wan-studio-child-guard', String(child.pid)], { stdio: ['pipe', 'ignore', 'ignore'] })
  guard.on('error', () => undefined)
  guard.stdin?.on('error', () => undefined)
  // Unref'd: the guard must not keep this process alive, only outlive it.
  guard.unref()
  ;(guard.stdin as Socket | null)?.unref()
  return () => {
    // Killed before its pipe closes, so it never signals a pid the child no longer owns.
    guard.kill('SIGKILL')
    guard.stdin?.destroy()
  }
}
