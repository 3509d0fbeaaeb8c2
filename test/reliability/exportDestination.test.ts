// One destination, one writer: concurrent exports to the same file never leave a file without a
// stream, and a temporary file left by an export that died is removed by the next one.
import { mkdirSync, readdirSync, utimesSync, writeFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { exportProject } from '../../src/main/media/export'
import { probeVideo } from '../../src/main/media/probe'
import { newProject, newShot, type Project } from '../../src/shared/project'
import { ffmpeg, useTempDir, writeStampedVideo } from '../media/helpers'

const dir = useTempDir('export-destination')
const APP_VERSION = '0.1.0-test'

function oneShotProject(stamp: number, frames: number): Project {
  const render = {
    renderKey: `key-${stamp}`,
    engine: 'synthetic' as const,
    seed: stamp,
    frames,
    width: 1280,
    height: 96,
    fps: 16,
    model: 'synthetic',
    plan: 'cpu',
    segments: [{ index: 0, path: join(dir, `segment-${stamp}.mp4`), frames, skipHeadFrames: 0, takeFrames: frames }],
    renderedAt: '2026-01-01T00:00:00Z'
  }
  return { ...newProject(`film ${stamp}`), shots: [newShot(`shot-${stamp}`, { prompt: `prompt ${stamp}`, seconds: frames / 16, render })] }
}

const exportTo = (project: Project, output: string, overwrite: boolean): Promise<unknown> =>
  exportProject({ ffmpeg, project, spec: { format: 'h264', fps: 16, output, overwrite, drafts: 'refuse' }, appVersion: APP_VERSION })

const leftovers = (folder: string): string[] => readdirSync(folder).filter((name) => name.includes('.partial') || name.includes('lock'))

beforeAll(async () => {
  await writeStampedVideo({ path: join(dir, 'segment-1.mp4'), width: 1280, height: 96, fps: 16, shot: 1, segment: 0, frames: 24 })
  await writeStampedVideo({ path: join(dir, 'segment-2.mp4'), width: 1280, height: 96, fps: 16, shot: 2, segment: 0, frames: 40 })
})

describe('export destination', () => {
  it('writes one export at a time: two different films with overwrite both finish, the file holds one of them whole', async () => {
    const folder = join(dir, 'both-overwrite')
    mkdirSync(folder)
    const output = join(folder, 'film.mp4')
    await Promise.all([exportTo(oneShotProject(1, 24), output, true), exportTo(oneShotProject(2, 40), output, true)])
    const probe = await probeVideo({ ffmpeg, path: output })
    expect([24, 40]).toContain(probe.frames)
    expect(leftovers(folder)).toEqual([])
  })

  it('without overwrite the second export to the same file is refused, and the first is whole', async () => {
    const folder = join(dir, 'no-overwrite')
    mkdirSync(folder)
    const output = join(folder, 'film.mp4')
    const outcomes = await Promise.allSettled([exportTo(oneShotProject(1, 24), output, false), exportTo(oneShotProject(2, 40), output, false)])
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1)
    const refused = outcomes.find((outcome) => outcome.status === 'rejected')
    expect(String(refused?.reason)).toContain(`${output} already exists`)
    expect([24, 40]).toContain((await probeVideo({ ffmpeg, path: output })).frames)
    expect(leftovers(folder)).toEqual([])
  })

  it("removes a dead export's temporary file and lock for the same destination, and nobody else's", async () => {
    const folder = join(dir, 'dead-export')
    mkdirSync(folder)
    const output = join(folder, 'film.mp4')
    const deadPartial = join(folder, '.film.0123456789ab.partial.mp4')
    const otherPartial = join(folder, '.other.0123456789ab.partial.mp4')
    const deadLock = join(folder, '.film.mp4.export-lock')
    writeFileSync(deadPartial, 'half a film')
    writeFileSync(otherPartial, 'another destination')
    mkdirSync(deadLock)
    const longAgo = new Date(Date.now() - 60_000)
    utimesSync(deadLock, longAgo, longAgo)
    await exportTo(oneShotProject(1, 24), output, false)
    expect(existsSync(deadPartial)).toBe(false)
    expect(existsSync(deadLock)).toBe(false)
    expect(existsSync(otherPartial)).toBe(true)
    expect((await probeVideo({ ffmpeg, path: output })).frames).toBe(24)
  })
})
