// Draft shots in an export: refused by default (naming the shots and both ways out) before ffmpeg
// runs, or scaled up to the project's size with lanczos when asked.
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { exportProject } from '../../src/main/media/export'
import { buildExportGraph } from '../../src/main/media/exportArgs'
import { draftRefusal, draftShots } from '../../src/main/media/exportDrafts'
import { probeVideo } from '../../src/main/media/probe'
import { newProject, newShot, type FrameSize, type Project, type Shot } from '../../src/shared/project'
import { buildTimeline } from '../../src/shared/timeline'
import { ffmpeg, useTempDir, writeStampedVideo } from './helpers'

const dir = useTempDir('drafts')
const FRAMES = 9

function shot(id: string, prompt: string, draft: boolean, width: number, height: number): Shot {
  return newShot(id, {
    prompt,
    seconds: FRAMES / 16,
    draft,
    render: {
      renderKey: `key-${id}`,
      engine: 'synthetic',
      seed: 1,
      frames: FRAMES,
      width,
      height,
      fps: 16,
      model: 'synthetic',
      plan: 'cpu',
      segments: [{ index: 0, path: join(dir, `${id}.mp4`), frames: FRAMES, skipHeadFrames: 0, takeFrames: FRAMES }],
      renderedAt: '2026-01-01T00:00:00Z'
    }
  })
}

function project(size: FrameSize, shots: Shot[]): Project {
  return { ...newProject('Drafts'), settings: { size }, shots }
}

const landscape = (): Project =>
  project('1280x720', [shot('full', 'a harbour at dawn', false, 1280, 720), shot('quick', 'gulls over the harbour wall', true, 832, 480)])

beforeAll(async () => {
  await writeStampedVideo({ path: join(dir, 'full.mp4'), width: 1280, height: 720, fps: 16, shot: 1, segment: 0, frames: FRAMES })
  await writeStampedVideo({ path: join(dir, 'quick.mp4'), width: 832, height: 480, fps: 16, shot: 2, segment: 0, frames: FRAMES })
  await writeStampedVideo({ path: join(dir, 'tall.mp4'), width: 480, height: 832, fps: 16, shot: 3, segment: 0, frames: FRAMES })
}, 60_000)

describe('draft shots in an export', () => {
  it('names every draft shot and both ways out, unless asked to upscale', () => {
    const film = landscape()
    expect(draftShots(film).map((draft) => draft.id)).toEqual(['quick'])
    expect(draftRefusal(film, { drafts: 'refuse' })).toBe(
      'shot 2 (“gulls over the harbour wall”) is a draft, rendered at 832x480 for a quick look; turn Draft off and render it again at 1280x720, ' +
        'or export with the drafts upscaled (the export dialog\'s "Upscale drafts", or --upscale-drafts)'
    )
    const two = project('1280x720', [shot('a', 'one', true, 832, 480), shot('b', 'two', false, 1280, 720), shot('c', 'three', true, 832, 480)])
    expect(draftRefusal(two, { drafts: 'refuse' })).toMatch(/^shot 1 \(“one”\) and shot 3 \(“three”\) are drafts, .* render them again/)
    expect(draftRefusal(film, { drafts: 'upscale' })).toBeNull()
    expect(draftRefusal(project('1280x720', [shot('full', 'x', false, 1280, 720)]), { drafts: 'refuse' })).toBeNull()
  })

  it('refuses before ffmpeg runs: no file, no temporary file', async () => {
    const output = join(dir, 'refused.mp4')
    await expect(exportProject({ ffmpeg, project: landscape(), spec: { format: 'h264', fps: 16, output, overwrite: false, drafts: 'refuse' }, appVersion: 'test' })).rejects.toThrow(
      `can't export ${output}: shot 2 (“gulls over the harbour wall”) is a draft`
    )
    expect(existsSync(output)).toBe(false)
    expect(readdirSync(dir).filter((name) => name.includes('refused'))).toEqual([])
  })

  it('scales only the draft shots, with lanczos', () => {
    const film = landscape()
    const { graph } = buildExportGraph(buildTimeline(film.shots, 16), film.settings.size, 'yuv420p', new Set(['quick']))
    const scales = graph.split(';').filter((chain) => chain.includes('scale='))
    expect(scales).toHaveLength(2)
    expect(scales[0]).not.toContain('lanczos')
    expect(scales[1]).toContain('scale=1280:720:flags=lanczos')
  })

  it.each([
    ['a landscape', landscape(), { width: 1280, height: 720, frames: 2 * FRAMES }],
    ['a portrait', project('720x1280', [shot('tall', 'a lighthouse, upright', true, 480, 832)]), { width: 720, height: 1280, frames: FRAMES }]
  ])('upscales the drafts of %s project to its size', async (name, film, expected) => {
    const output = join(dir, `${name.replace(' ', '-')}-upscaled.mp4`)
    const result = await exportProject({ ffmpeg, project: film, spec: { format: 'h264', fps: 16, output, overwrite: false, drafts: 'upscale' }, appVersion: 'test' })
    expect(result.frames).toBe(expected.frames)
    expect(await probeVideo({ ffmpeg, path: output })).toMatchObject(expected)
  }, 60_000)
})
