// The CLI leaves as soon as it is done, and a second Ctrl+C stops everything within 2 s even while
// the sidecar is stuck in a step. Also: a kill -9 of the CLI mid-export leaves no ffmpeg behind,
// and the next run to the same destination leaves no temporary file.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoRoot, testEnv } from '../helpers/studio'
import { isProcessAlive } from '../media/helpers'

const bin = join(repoRoot, 'bin', 'wan-studio.cjs')

function startCli(args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string; lastOutputAt: () => number } {
  const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  let lastOutputAt = Date.now()
  const collect = (chunk: Buffer): void => {
    output += chunk.toString()
    lastOutputAt = Date.now()
  }
  child.stdout.on('data', collect)
  child.stderr.on('data', collect)
  return { child, output: () => output, lastOutputAt: () => lastOutputAt }
}

const exited = (child: ChildProcess): Promise<number | null> =>
  new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))))

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

/** Alive and not a zombie: this container's init may not reap orphans, and a zombie does nothing. */
function running(pid: number): boolean {
  if (!isProcessAlive(pid)) return false
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return false
  }
}

function descendants(pid: number): number[] {
  const children = execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number])
    .filter(([, parent]) => parent === pid)
    .map(([child]) => child)
  return children.flatMap((child) => [child, ...descendants(child)])
}

function sidecarOf(pid: number): number | null {
  try {
    return Number(execFileSync('pgrep', ['-P', String(pid), '-f', 'wan_sidecar'], { encoding: 'utf8' }).trim().split('\n')[0])
  } catch {
    return null
  }
}

describe('CLI exit', () => {
  it('exits within 1.5 s of its last output', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wan-exit-'))
    const run = startCli(['render', '--prompt', 'a quick one', '--seconds', '1', '--engine', 'synthetic', '--out', join(dir, 'quick.mp4'), '--json'], testEnv())
    expect(await exited(run.child), run.output()).toBe(0)
    expect(Date.now() - run.lastOutputAt()).toBeLessThan(1500)
  })

  it('a second Ctrl+C stops the CLI and the stuck sidecar within 2 s', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wan-twice-'))
    const env = testEnv({ WAN_STUDIO_SYNTHETIC_SECONDS_PER_STEP: '60' })
    const run = startCli(['render', '--prompt', 'a slow one', '--seconds', '2', '--engine', 'synthetic', '--out', join(dir, 'slow.mp4')], env)
    // A step takes a minute, so no progress line comes: wait for the sidecar, then for its generate.
    await until(() => sidecarOf(run.child.pid!) !== null, 60_000)
    await new Promise((resolve) => setTimeout(resolve, 3000))
    const tree = descendants(run.child.pid!)
    run.child.kill('SIGINT')
    await new Promise((resolve) => setTimeout(resolve, 300))
    const secondAt = Date.now()
    run.child.kill('SIGINT')
    expect(await exited(run.child)).toBe(130)
    await until(() => tree.every((pid) => !running(pid)), Math.max(0, 2000 - (Date.now() - secondAt)))
    expect(Date.now() - secondAt).toBeLessThan(2000)
  }, 120_000)

  it('kill -9 mid-export: no ffmpeg survives 2 s, and the next run leaves no temporary file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wan-kill-export-'))
    const env = testEnv()
    const args = ['render', '--prompt', 'a long export', '--seconds', '20', '--engine', 'synthetic', '--seed', '4', '--format', 'prores', '--out', join(dir, 'film.mov'), '--work-dir', join(dir, 'work')]
    const run = startCli(args, env)
    await until(() => /Export/i.test(run.output()) && readdirSync(dir).some((name) => name.includes('.partial')), 180_000)
    const tree = descendants(run.child.pid!)
    run.child.kill('SIGKILL')
    await exited(run.child)
    const survivors = async (): Promise<string[]> => {
      await until(() => tree.every((pid) => !running(pid)), 2000).catch(() => undefined)
      return tree.filter(running).map((pid) => execFileSync('ps', ['-o', 'cmd=', '-p', String(pid)], { encoding: 'utf8' }).slice(0, 80))
    }
    expect(await survivors()).toEqual([])
    const again = startCli(args, env)
    expect(await exited(again.child), again.output()).toBe(0)
    expect(readdirSync(dir).filter((name) => name.startsWith('.'))).toEqual([])
  }, 240_000)
})
