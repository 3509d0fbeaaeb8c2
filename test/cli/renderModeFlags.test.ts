// `wan-studio render --mode` and the draft values of `--size`: the project they make, their usage
// errors, and a whole synthetic render in fast mode at the draft size through the built CLI.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { exportSpecFromFlags, projectFromFlags, sizeFromFlag, UsageError, type RenderFlags } from '../../src/main/cli/renderArgs'
import { probeVideo } from '../../src/main/media/probe'
import type { Project } from '../../src/shared/project'
import { ffmpegFor, testEnv } from '../helpers/studio'
import { runCli, type CliRun } from '../helpers/cli'


const cli = (args: string[], env: NodeJS.ProcessEnv): Promise<CliRun> => runCli(args, { env })

function flags(fields: Partial<RenderFlags>): RenderFlags {
  return { prompt: ['a heron'], seconds: ['1'], engine: 'synthetic', mode: 'quality', exportFps: '16', format: 'h264', size: '1280x720', out: 'x.mp4', metricsHost: '127.0.0.1', ...fields }
}

describe('render flags --mode and --size', () => {
  it('make every shot fast and a draft of the landscape or vertical project', () => {
    expect(sizeFromFlag('1280x720')).toEqual({ size: '1280x720', draft: false })
    expect(sizeFromFlag('720x1280')).toEqual({ size: '720x1280', draft: false })
    expect(sizeFromFlag('832x480')).toEqual({ size: '1280x720', draft: true })
    expect(sizeFromFlag('480x832')).toEqual({ size: '720x1280', draft: true })
    const project = projectFromFlags(flags({ prompt: ['a heron', 'it flies'], mode: 'fast', size: '480x832' }))
    expect(project.settings.size).toBe('720x1280')
    expect(project.shots.map((shot) => [shot.mode, shot.draft])).toEqual([
      ['fast', true],
      ['fast', true]
    ])
    expect(projectFromFlags(flags({})).shots[0]).toMatchObject({ mode: 'quality', draft: false })
  })

  it('upscale the drafts in the export when --size asked for them', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'wan-cli-spec-')), 'x.mp4')
    expect(exportSpecFromFlags(flags({ out, size: '832x480' })).drafts).toBe('upscale')
    expect(exportSpecFromFlags(flags({ out, size: '1280x720' })).drafts).toBe('refuse')
    expect(exportSpecFromFlags(flags({ out, size: '1280x720', upscaleDrafts: true })).drafts).toBe('upscale')
  })

  it('name the flag when a value is wrong', () => {
    expect(() => projectFromFlags(flags({ mode: 'turbo' }))).toThrow(new UsageError('--mode: "turbo" is not one of quality, fast'))
    expect(() => projectFromFlags(flags({ size: '640x360' }))).toThrow(new UsageError('--size: "640x360" is not one of 1280x720, 720x1280, 832x480, 480x832'))
  })

  it.each([
    [['--mode', 'turbo'], /option '--mode <mode>' argument 'turbo' is invalid\. Allowed choices are quality, fast/],
    [['--size', '640x360'], /option '--size <size>' argument '640x360' is invalid\. Allowed choices are 1280x720, 720x1280, 832x480, 480x832/]
  ])('the built CLI exits 2 naming the flag for %j', async (extra, message) => {
    const env = testEnv()
    const cwd = mkdtempSync(join(tmpdir(), 'wan-cli-mode-bad-'))
    const run = await cli(['render', '--prompt', 'fox', '--seconds', '1', '--out', join(cwd, 'x.mp4'), ...extra], env)
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(message)
    expect(readdirSync(cwd)).toEqual([])
  })

  it('renders a synthetic draft in fast mode: 4 steps, 832x480 segments, the project saved with both', async () => {
    const env = testEnv()
    const dir = mkdtempSync(join(tmpdir(), 'wan-cli-draft-'))
    const workDir = join(dir, 'work')
    const out = join(dir, 'heron.mp4')
    const args = ['render', '--prompt', 'a heron lands on a post', '--seconds', '1', '--seed', '5', '--engine', 'synthetic', '--mode', 'fast', '--size', '832x480', '--steps', '30']
    const run = await cli([...args, '--out', out, '--work-dir', workDir, '--json'], env)
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toMatch(/step 4 of 4/)
    expect(run.stderr).not.toMatch(/step \d+ of (8|30)\b/)

    const saved = JSON.parse(readFileSync(join(workDir, 'project.wanproj'), 'utf8')) as Project
    expect(saved).toMatchObject({ formatVersion: 2, settings: { size: '1280x720' } })
    expect(saved.shots[0]).toMatchObject({ mode: 'fast', draft: true, render: { width: 832, height: 480, fps: 16, frames: 16 } })
    const segment = saved.shots[0]!.render!.segments[0]!.path
    expect(await probeVideo({ ffmpeg: ffmpegFor(env), path: segment })).toMatchObject({ width: 832, height: 480, frames: 17 })
    // The export scales the drafts up to the project's size: a draft --size asked for them.
    expect(JSON.parse(run.stdout)).toMatchObject({ output: out, frames: 16, fps: 16 })
    expect(await probeVideo({ ffmpeg: ffmpegFor(env), path: out })).toMatchObject({ width: 1280, height: 720, frames: 16 })
  })
})
