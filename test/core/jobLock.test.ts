// The job lock across processes: one holder among 12 racing processes, a killed holder's lock taken
// over, and a pid reused by another live process blocking nothing (staleness is by mtime, not pid).
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildSync } from 'esbuild'
import { beforeAll, describe, expect, it } from 'vitest'
import { LOCK_STALE_MS, lockJob } from '../../src/main/render/jobLock'

const scratch = mkdtempSync(join(tmpdir(), 'wan-lock-'))
const holderScript = join(scratch, 'lockHolder.cjs')

beforeAll(() => {
  buildSync({ entryPoints: [join(__dirname, '../fixtures/lockHolder.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: holderScript, logLevel: 'error' })
})

function startHolder(jobDir: string, hold: string): ChildProcess {
  return spawn(process.execPath, [holderScript, jobDir, hold], { stdio: ['ignore', 'pipe', 'inherit'] })
}

function exitCode(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)))
}

function locked(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('locked') && resolve())
    child.once('exit', (code) => reject(new Error(`holder exited ${code} before locking`)))
  })
}

describe('job lock', () => {
  it('gives the lock to exactly one of 12 processes racing for it, 30 times over', async () => {
    const outcomes: number[][] = []
    for (let trial = 0; trial < 30; trial++) {
      const jobDir = join(scratch, `race-${trial}`)
      mkdirSync(jobDir)
      const children = Array.from({ length: 12 }, () => startHolder(jobDir, '400'))
      outcomes.push((await Promise.all(children.map(exitCode))).map((code) => code ?? -1).sort())
    }
    for (const codes of outcomes) {
      // 3 would be a second holder seen; 1 a crash. Busy (2) and held (0) are the only answers.
      expect(codes.every((code) => code === 0 || code === 2)).toBe(true)
      expect(codes.filter((code) => code === 0).length).toBeGreaterThanOrEqual(1)
    }
  }, 300_000)

  it('takes over the lock of a holder killed with SIGKILL', async () => {
    const jobDir = join(scratch, 'killed')
    mkdirSync(jobDir)
    const holder = startHolder(jobDir, 'forever')
    await locked(holder)
    await expect(lockJob(jobDir, { waitMs: 0 })).rejects.toThrow(/already running/)
    holder.kill('SIGKILL')
    await exitCode(holder)
    const started = Date.now()
    const release = await lockJob(jobDir)
    expect(Date.now() - started).toBeLessThan(LOCK_STALE_MS + 3000)
    await release()
  }, 30_000)

  it('is not blocked by a lock whose recorded pid now belongs to another live process', async () => {
    const jobDir = join(scratch, 'reused-pid')
    const lockDir = join(jobDir, 'job.lock.d')
    mkdirSync(lockDir, { recursive: true })
    // A live process standing in for the pid's new owner, named in the pid file the old lock
    // wrote: it no longer counts, only the lock's refresh time does.
    const stranger = spawn('sleep', ['30'])
    writeFileSync(join(jobDir, 'job.lock'), String(stranger.pid))
    const longAgo = new Date(Date.now() - 60_000)
    utimesSync(lockDir, longAgo, longAgo)
    try {
      const release = await lockJob(jobDir, { waitMs: 0 })
      await release()
    } finally {
      stranger.kill('SIGKILL')
    }
  })
})
