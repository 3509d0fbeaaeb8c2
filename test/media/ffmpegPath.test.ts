import { chmodSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ffmpegStaticBinaryPath, findFfprobe, resolveFfmpeg, toUnpackedAsarPath } from '../../src/main/media/ffmpegPath'
import { ffmpeg, useTempDir } from './helpers'

const dir = useTempDir('path')

function fakeExecutable(path: string): string {
  mkdirSync(join(path, '..'), { recursive: true })
  writeFileSync(path, '#!/bin/sh\nexit 0\n')
  chmodSync(path, 0o755)
  return path
}

describe('resolveFfmpeg', () => {
  it('prefers FFMPEG_BIN when it names an executable', () => {
    const staticBinary = fakeExecutable(join(dir, 'static', 'ffmpeg'))
    expect(resolveFfmpeg({ FFMPEG_BIN: ffmpeg, PATH: '' }, staticBinary)).toEqual({ path: ffmpeg, source: 'FFMPEG_BIN' })
  })

  it('fails naming FFMPEG_BIN when it points nowhere, without falling back', () => {
    const staticBinary = fakeExecutable(join(dir, 'static', 'ffmpeg'))
    expect(() => resolveFfmpeg({ FFMPEG_BIN: join(dir, 'missing-ffmpeg'), PATH: '/usr/bin' }, staticBinary)).toThrow(
      /FFMPEG_BIN is set to ".*missing-ffmpeg"/
    )
  })

  it("uses ffmpeg-static's binary when it exists", () => {
    const staticBinary = fakeExecutable(join(dir, 'static', 'ffmpeg'))
    expect(resolveFfmpeg({ PATH: '' }, staticBinary)).toEqual({ path: staticBinary, source: 'ffmpeg-static' })
  })

  it('maps app.asar to app.asar.unpacked for packaged apps', () => {
    const unpacked = fakeExecutable(join(dir, 'resources', 'app.asar.unpacked', 'node_modules', 'ffmpeg-static', 'ffmpeg'))
    const insideAsar = join(dir, 'resources', 'app.asar', 'node_modules', 'ffmpeg-static', 'ffmpeg')
    expect(toUnpackedAsarPath(insideAsar)).toBe(unpacked)
    expect(toUnpackedAsarPath(unpacked)).toBe(unpacked)
    expect(resolveFfmpeg({ PATH: '' }, insideAsar)).toEqual({ path: unpacked, source: 'ffmpeg-static' })
  })

  it('falls back to ffmpeg on PATH when ffmpeg-static has no binary', () => {
    const onPath = fakeExecutable(join(dir, 'bin', 'ffmpeg'))
    const result = resolveFfmpeg({ PATH: `${join(dir, 'empty')}:${join(dir, 'bin')}` }, join(dir, 'not-downloaded', 'ffmpeg'))
    expect(result).toEqual({ path: onPath, source: 'PATH' })
  })

  it('explains how to fix a missing ffmpeg', () => {
    expect(() => resolveFfmpeg({ PATH: join(dir, 'empty') }, join(dir, 'not-downloaded', 'ffmpeg'))).toThrow(
      /Set FFMPEG_BIN.*reinstall ffmpeg-static/
    )
  })

  it("locates ffmpeg-static's own binary even while FFMPEG_BIN overrides its export", () => {
    const previous = process.env.FFMPEG_BIN
    process.env.FFMPEG_BIN = ffmpeg
    try {
      expect(ffmpegStaticBinaryPath()).toMatch(/node_modules[/\\]ffmpeg-static[/\\]ffmpeg(\.exe)?$/)
    } finally {
      if (previous === undefined) delete process.env.FFMPEG_BIN
      else process.env.FFMPEG_BIN = previous
    }
  })
})

describe('findFfprobe', () => {
  it('finds ffprobe next to ffmpeg before PATH', () => {
    const sibling = fakeExecutable(join(dir, 'bundle', 'ffprobe'))
    fakeExecutable(join(dir, 'bin', 'ffprobe'))
    expect(findFfprobe(join(dir, 'bundle', 'ffmpeg'), { PATH: join(dir, 'bin') })).toBe(sibling)
    expect(findFfprobe(join(dir, 'static', 'ffmpeg'), { PATH: join(dir, 'bin') })).toBe(join(dir, 'bin', 'ffprobe'))
    expect(findFfprobe(join(dir, 'static', 'ffmpeg'), { PATH: join(dir, 'empty') })).toBeNull()
  })
})
