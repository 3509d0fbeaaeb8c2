// The built CLI (`npm run build`), run as a user would run it.
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { probeVideo } from '../../src/main/media/probe'
import { decodeStamps, verifyStampSequence } from '../../src/main/media/stamps'
import { planSegments } from '../../src/shared/segments'
import { expectedStampSegments, ffmpegFor, repoRoot, testEnv } from '../helpers/studio'

const bin = join(repoRoot, 'bin', 'wan-studio.cjs')

function cli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { env, timeout: 240_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr })
    })
  })
}

describe('wan-studio CLI', () => {
  it('is built', () => {
    expect(existsSync(join(repoRoot, 'out', 'main', 'cli.js'))).toBe(true)
  })

  it('renders the fox: a 1280x720 H.264 MP4 of 160 frames at 16 fps whose stamps run in order', async () => {
    const env = testEnv()
    const out = join(mkdtempSync(join(tmpdir(), 'wan-cli-')), 'fox.mp4')
    const run = await cli(['render', '--prompt', 'a red fox running through snow', '--seconds', '10', '--out', out, '--seed', '7', '--engine', 'synthetic', '--json'], env)
    expect(run.stderr).toMatch(/Segment 1 of 3/)
    expect(run.code).toBe(0)
    const summary = JSON.parse(run.stdout) as Record<string, unknown>
    expect(summary).toMatchObject({ output: out, frames: 160, segments: 3, seed: 7, engine: 'synthetic', fps: 16, width: 1280, height: 720 })
    expect(summary.timings).toMatchObject({ segmentSeconds: expect.any(Array) })

    const ffmpeg = ffmpegFor(env)
    const probe = await probeVideo({ ffmpeg, path: out })
    expect(probe).toMatchObject({ width: 1280, height: 720, fps: 16, frames: 160, codec: 'h264', pixFmt: 'yuv420p', colorSpace: 'bt709', colorPrimaries: 'bt709', colorTransfer: 'bt709' })
    const check = verifyStampSequence(await decodeStamps({ ffmpeg, path: out }), { shot: 0, segments: expectedStampSegments(planSegments(160)) })
    expect(check).toEqual({ ok: true })

    // The same command again resumes every segment from its checkpoint: nothing is rendered twice.
    const again = await cli(['render', '--prompt', 'a red fox running through snow', '--seconds', '10', '--out', out, '--seed', '7', '--engine', 'synthetic', '--json'], env)
    expect(again.code).toBe(0)
    expect(JSON.parse(again.stdout)).toMatchObject({ resumedSegments: 3, frames: 160 })
  })

  it('Ctrl+C while the sidecar starts cancels the render and keeps nothing', async () => {
    const env = testEnv()
    const out = join(mkdtempSync(join(tmpdir(), 'wan-cli-int-')), 'x.mp4')
    const child = execFile(process.execPath, [bin, 'render', '--prompt', 'interrupted', '--seconds', '10', '--out', out, '--engine', 'synthetic'], { env })
    let stderr = ''
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    setTimeout(() => child.kill('SIGINT'), 300)
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
    expect(code).toBe(1)
    expect(stderr).toMatch(/cancelling/)
    expect(existsSync(out)).toBe(false)
  })

  it.each([
    [['render', '--prompt', '   ', '--seconds', '5', '--out', 'x.mp4'], /prompt is empty/],
    [['render', '--prompt', 'fox', '--seconds', '0', '--out', 'x.mp4'], /seconds must be greater than 0/],
    [['render', '--prompt', 'fox', '--seconds', '-3', '--out', 'x.mp4'], /seconds must be greater than 0/],
    [['render', '--prompt', 'fox', '--seconds', '99999', '--out', 'x.mp4'], /seconds must be at most 300/],
    [['render', '--prompt', 'fox', '--seconds', 'ten', '--out', 'x.mp4'], /"ten" is not a number/],
    [['render', '--prompt', 'fox', '--seconds', '5', '--out', 'x.mp4', '--engine', 'magic'], /Allowed choices are auto, synthetic, diffusers/],
    [['render', '--prompt', 'fox', '--seconds', '5', '--out', 'x.avi'], /must end in \.mp4/],
    [['render', '--prompt', 'fox', '--seconds', '5', '--out', '/no/such/dir/x.mp4'], /does not exist/],
    [['render', '--prompt', 'fox', '--seconds', '5', '--out', 'x.mp4', '--seed', '-1'], /seed must be at least 0/],
    [['render', '--seconds', '5', '--out', 'x.mp4'], /required option '--prompt <text>'/],
    [['explode'], /unknown command/]
  ])('exits 2 with a clear error and writes nothing for %j', async (args, message) => {
    const env = testEnv()
    const cwd = mkdtempSync(join(tmpdir(), 'wan-cli-bad-'))
    const run = await cli(args.map((arg) => (arg === 'x.mp4' || arg === 'x.avi' ? join(cwd, arg) : arg)), env)
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(message)
    expect(readdirSync(cwd)).toEqual([])
    expect(existsSync(join(env.WAN_STUDIO_HOME!, 'renders')) ? readdirSync(join(env.WAN_STUDIO_HOME!, 'renders')) : []).toEqual([])
  })
})
