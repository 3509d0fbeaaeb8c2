// ffmpeg ignores SIGPIPE, so without a guard it outlives a kill -9 of the process that started it.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildSync } from 'esbuild'
import { describe, expect, it } from 'vitest'
import { ffmpeg, isProcessAlive } from '../media/helpers'

const scratch = mkdtempSync(join(tmpdir(), 'wan-guard-'))
const runnerScript = join(scratch, 'ffmpegRunner.cjs')

async function goneWithin(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    if (!isProcessAlive(pid)) return true
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return !isProcessAlive(pid)
}

describe('child guard', () => {
  it('an ffmpeg started by runFfmpeg dies within 2 s of a kill -9 of its parent', async () => {
    buildSync({ entryPoints: [join(__dirname, '../fixtures/ffmpegRunner.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: runnerScript, logLevel: 'error' })
    const runner = spawn(process.execPath, [runnerScript, ffmpeg, join(scratch, 'long.mp4')], { stdio: ['ignore', 'pipe', 'inherit'] })
    const ffmpegPid = await new Promise<number>((resolve) => runner.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim()))))
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(isProcessAlive(ffmpegPid)).toBe(true)
    runner.kill('SIGKILL')
    const gone = await goneWithin(ffmpegPid, 2000)
    if (!gone) process.kill(ffmpegPid, 'SIGKILL')
    expect(gone).toBe(true)
    expect(existsSync(join(scratch, 'long.mp4'))).toBe(true)
  })
})
