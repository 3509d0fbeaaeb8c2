import { chmodSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FfmpegCancelledError, FfmpegError, runFfmpeg, type FfmpegProgress } from '../../src/main/media/ffmpeg'
import { ffmpeg, isProcessAlive, useTempDir } from './helpers'

const dir = useTempDir('runner')

describe('runFfmpeg', () => {
  it('reports progress blocks ending with a done one', async () => {
    const events: FfmpegProgress[] = []
    const result = await runFfmpeg({
      ffmpeg,
      args: ['-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=25', '-t', '2', '-f', 'null', '-'],
      durationSeconds: 2,
      onProgress: (progress) => events.push(progress)
    })
    const last = events.at(-1)
    expect(last).toMatchObject({ done: true, frame: 50, percent: 100 })
    expect(last?.outTimeSeconds).toBeCloseTo(2, 1)
    expect(events.slice(0, -1).every((event) => !event.done)).toBe(true)
    for (const event of events) {
      expect(event.percent).toBeGreaterThanOrEqual(0)
      expect(event.percent).toBeLessThanOrEqual(100)
    }
    expect(result.finalProgress).toEqual(last)
  })

  it('leaves percent null without a duration', async () => {
    const { finalProgress } = await runFfmpeg({
      ffmpeg,
      args: ['-f', 'lavfi', '-i', 'testsrc=size=64x64:rate=10', '-frames:v', '3', '-f', 'null', '-']
    })
    expect(finalProgress).toMatchObject({ done: true, frame: 3, percent: null })
  })

  it('rejects bad arguments with FfmpegError carrying the command and the stderr tail', async () => {
    const missing = join(dir, 'does-not-exist.mp4')
    const error = await runFfmpeg({ ffmpeg, args: ['-i', missing, '-f', 'null', '-'] }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(FfmpegError)
    const ffmpegError = error as FfmpegError
    expect(ffmpegError.exitCode).not.toBe(0)
    expect(ffmpegError.commandLine).toContain(missing)
    expect(ffmpegError.commandLine).toContain('-progress pipe:1')
    expect(ffmpegError.stderrTail.join('\n')).toMatch(/No such file or directory/)
    expect(ffmpegError.stderrTail.length).toBeLessThanOrEqual(20)
    expect(ffmpegError.message).toMatch(/exited with code/)
  })

  it('rejects with FfmpegError when the binary cannot start', async () => {
    const error = await runFfmpeg({ ffmpeg: join(dir, 'no-ffmpeg'), args: ['-version'] }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(FfmpegError)
    expect((error as FfmpegError).message).toMatch(/could not start ffmpeg.*ENOENT/)
  })

  it('feeds stdin from a Buffer', async () => {
    const frames = Buffer.alloc(16 * 16 * 3 * 4, 128)
    const { finalProgress } = await runFfmpeg({
      ffmpeg,
      stdin: frames,
      args: ['-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', '16x16', '-r', '4', '-i', '-', '-f', 'null', '-']
    })
    expect(finalProgress?.frame).toBe(4)
  })

  it('kills ffmpeg on abort and leaves no process behind', async () => {
    const controller = new AbortController()
    let pid = 0
    const running = runFfmpeg({
      ffmpeg,
      // -re keeps this running far longer than the test.
      args: ['-re', '-f', 'lavfi', '-i', 'testsrc=size=64x64:rate=10', '-t', '600', '-f', 'null', '-'],
      signal: controller.signal,
      onStart: (info) => (pid = info.pid),
      onProgress: () => controller.abort()
    })
    const error = await running.catch((e: unknown) => e)
    expect(error).toBeInstanceOf(FfmpegCancelledError)
    expect((error as Error).name).toBe('AbortError')
    expect(pid).toBeGreaterThan(0)
    expect(isProcessAlive(pid)).toBe(false)
  })

  it('escalates to SIGKILL when ffmpeg ignores SIGTERM', async () => {
    // A stand-in that ignores SIGTERM, says "progress" once it is ready, then waits forever.
    const stubborn = join(dir, 'stubborn-ffmpeg')
    writeFileSync(
      stubborn,
      `#!/bin/sh\nexec "${process.execPath}" -e "process.on('SIGTERM', () => {}); console.log('progress=continue'); setInterval(() => {}, 1000)"\n`
    )
    chmodSync(stubborn, 0o755)
    const controller = new AbortController()
    let pid = 0
    const started = Date.now()
    const error = await runFfmpeg({
      ffmpeg: stubborn,
      args: [],
      signal: controller.signal,
      killGraceMs: 300,
      onStart: (info) => (pid = info.pid),
      onProgress: () => controller.abort()
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(FfmpegCancelledError)
    expect(Date.now() - started).toBeGreaterThanOrEqual(300)
    expect(isProcessAlive(pid)).toBe(false)
  })

  it('rejects at once, without spawning, when already aborted', async () => {
    let started = false
    const error = await runFfmpeg({
      ffmpeg,
      args: ['-version'],
      signal: AbortSignal.abort(),
      onStart: () => (started = true)
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(FfmpegCancelledError)
    expect(started).toBe(false)
  })

  it('stops ffmpeg and rethrows when a callback throws', async () => {
    let pid = 0
    const error = await runFfmpeg({
      ffmpeg,
      args: ['-re', '-f', 'lavfi', '-i', 'testsrc=size=64x64:rate=10', '-t', '600', '-f', 'null', '-'],
      onStart: (info) => (pid = info.pid),
      onProgress: () => {
        throw new Error('listener failed')
      }
    }).catch((e: unknown) => e)
    expect((error as Error).message).toBe('listener failed')
    expect(isProcessAlive(pid)).toBe(false)
  })
})
