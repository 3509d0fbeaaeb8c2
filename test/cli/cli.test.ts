// The built CLI (`npm run build`), run as a user would run it.
import { execFile, execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { probeVideo } from '../../src/main/media/probe'
import { decodeStamps, type Stamp } from '../../src/main/media/stamps'
import { stampShotNumber } from '../../src/main/render/renderKey'
import { ffmpegFor, repoRoot, testEnv } from '../helpers/studio'
import { runCli, type CliRun } from '../helpers/cli'

const bin = join(repoRoot, 'bin', 'wan-studio.cjs')

const cli = (args: string[], env: NodeJS.ProcessEnv): Promise<CliRun> => runCli(args, { env })

interface Summary {
  output: string
  format: string
  fps: number
  frames: number
  durationSeconds: number
  segmentsRendered: number
  segmentsReused: number
  stepDowns: { shot: string; kind: string; from: string; to: string }[]
  shots: { id: string; seed: number; renderKey: string; frames: number; segments: number; segmentsRendered: number; segmentsReused: number }[]
  metadataFile: string
}

const FOUR_SHOTS = [
  '--prompt', 'a red fox running through snow',
  '--prompt', 'the fox stops and looks back',
  '--prompt', 'snow falls on the empty field',
  '--prompt', 'a cabin window glows at dusk',
  '--seconds', '2',
  // Shot 2 crossfades in over 8 frames, shot 3 continues shot 2, shot 4 is a cut.
  '--transition', 'crossfade', '--transition', 'continue', '--transition', 'cut', '--transition-frames', '8',
  '--seed', '11', '--engine', 'synthetic'
]

/** ffprobe's chapters and container tags of a file. */
function probeChapters(path: string): Promise<{ chapters: { tags?: { title?: string } }[]; format: { tags?: Record<string, string> } }> {
  return new Promise((resolve, reject) => {
    execFile('ffprobe', ['-v', 'error', '-show_chapters', '-show_format', '-of', 'json', path], (error, stdout) => {
      if (error) reject(new Error(`ffprobe failed on ${path}: ${error.message}`))
      else resolve(JSON.parse(stdout) as never)
    })
  })
}

/** Top-level MP4 box names in file order. */
function topLevelBoxes(path: string): string[] {
  const bytes = readFileSync(path)
  const boxes: string[] = []
  for (let offset = 0; offset + 8 <= bytes.length; ) {
    let size = bytes.readUInt32BE(offset)
    if (size === 1) size = Number(bytes.readBigUInt64BE(offset + 8))
    boxes.push(bytes.toString('latin1', offset + 4, offset + 8))
    if (size < 8) break
    offset += size
  }
  return boxes
}

describe('wan-studio CLI', () => {
  it('is built', () => {
    expect(existsSync(join(repoRoot, 'out', 'main', 'cli.js'))).toBe(true)
  })

  it('renders the fox as before: one prompt, a 1280x720 H.264 MP4 of 160 frames, resumed entirely by the same command', async () => {
    const env = testEnv()
    const out = join(mkdtempSync(join(tmpdir(), 'wan-cli-')), 'fox.mp4')
    const args = ['render', '--prompt', 'a red fox running through snow', '--seconds', '10', '--out', out, '--seed', '7', '--engine', 'synthetic', '--json']
    const run = await cli(args, env)
    expect(run.stderr).toMatch(/Segment 1 of 3/)
    expect(run.code).toBe(0)
    expect(JSON.parse(run.stdout)).toMatchObject({ output: out, frames: 160, fps: 16, width: 1280, height: 720, segmentsRendered: 3, segmentsReused: 0, shots: [{ seed: 7 }] })
    const probe = await probeVideo({ ffmpeg: ffmpegFor(env), path: out })
    expect(probe).toMatchObject({ width: 1280, height: 720, fps: 16, frames: 160, codec: 'h264', pixFmt: 'yuv420p', colorSpace: 'bt709', colorPrimaries: 'bt709', colorTransfer: 'bt709' })

    // The same command again (the clip replaced only when asked) renders nothing.
    const refused = await cli(args, env)
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(/already exists; pass --overwrite/)
    const again = await cli([...args, '--overwrite'], env)
    expect(again.code).toBe(0)
    expect(JSON.parse(again.stdout)).toMatchObject({ segmentsRendered: 0, segmentsReused: 3, frames: 160 })
  })

  it('joins four shots by a crossfade, a continuation and a cut with exact frame accounting, into H.264, ProRes and DNxHR at 16, 24 and 30 fps', async () => {
    const env = testEnv()
    const ffmpeg = ffmpegFor(env)
    const dir = mkdtempSync(join(tmpdir(), 'wan-cli-joins-'))
    const workDir = join(dir, 'work')
    const first = await cli(['render', ...FOUR_SHOTS, '--out', join(dir, 'film.mp4'), '--work-dir', workDir, '--json'], env)
    expect(first.code, first.stderr).toBe(0)
    const summary = JSON.parse(first.stdout) as Summary
    // 4 x 32 frames, less 8 blended by the crossfade; the continued shot's repeated head is dropped once.
    expect(summary).toMatchObject({ frames: 120, fps: 16, segmentsRendered: 4, segmentsReused: 0, stepDowns: [] })

    const stamps = await decodeStamps({ ffmpeg, path: summary.output })
    const [a, b, c, d] = summary.shots.map((shot) => stampShotNumber(shot.renderKey))
    const run = (shot: number, from: number, to: number): Stamp[] => Array.from({ length: to - from }, (_, index) => ({ shot, segment: 0, frame: from + index }))
    expect(stamps.slice(0, 24)).toEqual(run(a!, 0, 24))
    // Frames 24..31 are the 8 blended ones (their weights are checked in test/media/export.test.ts).
    expect(stamps).toHaveLength(120)
    expect(stamps.slice(32, 56)).toEqual(run(b!, 8, 32))
    expect(stamps.slice(56, 88)).toEqual(run(c!, 5, 37))
    expect(stamps.slice(88, 120)).toEqual(run(d!, 0, 32))

    for (const format of ['h264', 'prores', 'dnxhr'] as const) {
      for (const fps of [16, 24, 30] as const) {
        const out = join(dir, `film-${format}-${fps}${format === 'h264' ? '.mp4' : '.mov'}`)
        const exported = await cli(['render', ...FOUR_SHOTS, '--out', out, '--work-dir', workDir, '--format', format, '--export-fps', String(fps), '--json'], env)
        expect(exported.code, exported.stderr).toBe(0)
        const result = JSON.parse(exported.stdout) as Summary
        // Each shot converted on its own: 32 frames -> 48 at 24 fps, 60 at 30; the crossfade likewise.
        const perShot = (32 * fps) / 16
        const expectedFrames = 4 * perShot - (8 * fps) / 16
        expect(result).toMatchObject({ format, fps, frames: expectedFrames, segmentsRendered: 0, segmentsReused: 4 })
        const probe = await probeVideo({ ffmpeg, path: out })
        expect(probe).toMatchObject({
          frames: expectedFrames,
          fps,
          width: 1280,
          height: 720,
          codec: { h264: 'h264', prores: 'prores', dnxhr: 'dnxhd' }[format],
          pixFmt: { h264: 'yuv420p', prores: 'yuv422p10le', dnxhr: 'yuv422p' }[format],
          colorSpace: 'bt709',
          colorPrimaries: 'bt709',
          colorTransfer: 'bt709'
        })
        expect(probe.durationSeconds).toBeCloseTo(expectedFrames / fps, 1)
        const { chapters, format: container } = await probeChapters(out)
        expect(chapters.map((chapter) => chapter.tags?.title)).toEqual(['a red fox running through snow', 'the fox stops and looks back', 'snow falls on the empty field', 'a cabin window glows at dusk'])
        const embedded = JSON.parse(container.tags?.wan_studio ?? '{}') as { shots?: { prompt: string; seed: number }[] }
        expect(embedded.shots?.map((shot) => shot.seed)).toEqual([11, 11, 11, 11])
        if (format === 'h264') expect(topLevelBoxes(out).indexOf('moov')).toBeLessThan(topLevelBoxes(out).indexOf('mdat'))
        expect(JSON.parse(readFileSync(result.metadataFile, 'utf8'))).toMatchObject({ shots: [{ prompt: 'a red fox running through snow' }, {}, {}, {}] })
      }
    }
  }, 600_000)

  it('a render killed with -9 mid-way finishes on the next run without rendering any finished segment again', async () => {
    const env = testEnv({ WAN_STUDIO_SYNTHETIC_SECONDS_PER_STEP: '0.15' })
    const dir = mkdtempSync(join(tmpdir(), 'wan-cli-kill-'))
    const args = ['render', '--prompt', 'a long train crossing a bridge', '--prompt', 'the train enters a tunnel', '--seconds', '8', '--engine', 'synthetic', '--seed', '5', '--out', join(dir, 'train.mp4'), '--work-dir', join(dir, 'work'), '--json']
    const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    // Kill the whole CLI as soon as the second shot's first segment is under way.
    await new Promise<void>((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString()
        if (/"title":"Shot 2: .*"message":"Segment 1 of 2, step [2-9]/.test(stderr)) resolve()
      })
    })
    child.kill('SIGKILL')
    await new Promise((resolve) => child.once('exit', resolve))
    const finishedBefore = readdirSync(join(dir, 'work', 'renders'), { recursive: true }).map(String).filter((name) => /segment-\d+\.mp4$/.test(name))
    expect(finishedBefore.length).toBeGreaterThanOrEqual(2)

    const again = await cli(args, { ...env, WAN_STUDIO_SYNTHETIC_SECONDS_PER_STEP: '0' })
    expect(again.code, again.stderr).toBe(0)
    const summary = JSON.parse(again.stdout) as Summary
    // Shot 1's two segments are reused; only what was unfinished renders.
    expect(summary.shots[0]).toMatchObject({ segmentsRendered: 0, segmentsReused: 2 })
    expect(summary.segmentsReused + summary.segmentsRendered).toBe(4)
    expect(summary.segmentsReused).toBeGreaterThanOrEqual(2)
    expect(summary.frames).toBe(256)
  })

  it('takes the segment length and overlap from --segment-frames and --overlap', async () => {
    const env = testEnv()
    const out = join(mkdtempSync(join(tmpdir(), 'wan-cli-segments-')), 'short.mp4')
    const run = await cli(['render', '--prompt', 'a metronome', '--seconds', '3', '--segment-frames', '17', '--overlap', '3', '--engine', 'synthetic', '--out', out, '--json'], env)
    expect(run.code, run.stderr).toBe(0)
    // 48 frames in 17-frame segments repeating 3 frames: 17 + 14 + 14 + 3 kept.
    expect(JSON.parse(run.stdout)).toMatchObject({ frames: 48, shots: [{ segments: 4 }] })
    const stamps = await decodeStamps({ ffmpeg: ffmpegFor(env), path: out })
    expect([0, 1, 2, 3].map((segment) => stamps.filter((stamp) => stamp.segment === segment)[0]?.frame)).toEqual([0, 3, 3, 3])
  })

  it('the sidecar killed with -9 mid-segment fails the run with a resume hint; the same command renders only what was unfinished', async () => {
    const env = testEnv({ WAN_STUDIO_SYNTHETIC_SECONDS_PER_STEP: '0.15' })
    const dir = mkdtempSync(join(tmpdir(), 'wan-cli-sidecar-kill-'))
    const args = ['render', '--prompt', 'a paper boat on a rainy street', '--seconds', '8', '--engine', 'synthetic', '--seed', '9', '--out', join(dir, 'boat.mp4'), '--work-dir', join(dir, 'work'), '--json']
    const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    await new Promise<void>((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString()
        if (/Segment 2 of 2, step [2-9]/.test(stderr)) resolve()
      })
    })
    const sidecar = execFileSync('pgrep', ['-P', String(child.pid), '-f', 'wan_sidecar'], { encoding: 'utf8' }).trim().split('\n')[0]!
    process.kill(Number(sidecar), 'SIGKILL')
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
    expect(code).toBe(1)
    expect(stderr).toMatch(/render failed: .*sidecar exited during generate[\s\S]*run the same command to resume/)

    const again = await cli(args, { ...env, WAN_STUDIO_SYNTHETIC_SECONDS_PER_STEP: '0' })
    expect(again.code, again.stderr).toBe(0)
    expect(JSON.parse(again.stdout)).toMatchObject({ segmentsRendered: 1, segmentsReused: 1, frames: 128 })
  })

  it('out of memory on long segments: the rest renders in shorter ones, and --json reports every step-down', async () => {
    const env = testEnv({ WAN_STUDIO_SYNTHETIC_OOM_ABOVE: '33' })
    const out = join(mkdtempSync(join(tmpdir(), 'wan-cli-oom-')), 'oom.mp4')
    const run = await cli(['render', '--prompt', 'a crowded market', '--seconds', '6', '--seed', '3', '--engine', 'synthetic', '--out', out, '--json'], env)
    expect(run.code, run.stderr).toBe(0)
    const summary = JSON.parse(run.stdout) as Summary
    expect(summary.stepDowns).toEqual([{ shot: 'shot-1', segment: 0, phase: 'denoise', kind: 'segment-length', from: '53-frame segments', to: '29-frame segments' }])
    expect(summary.frames).toBe(96)
    // Every frame once and in order: each 29-frame segment after the first drops its 5 repeated frames.
    const stamps = await decodeStamps({ ffmpeg: ffmpegFor(env), path: out })
    const segments = [...new Set(stamps.map((stamp) => stamp.segment))]
    expect(segments).toEqual([0, 1, 2, 3])
    expect(segments.map((segment) => stamps.filter((stamp) => stamp.segment === segment).map((stamp) => stamp.frame))).toEqual([
      Array.from({ length: 29 }, (_, frame) => frame),
      Array.from({ length: 24 }, (_, frame) => frame + 5),
      Array.from({ length: 24 }, (_, frame) => frame + 5),
      Array.from({ length: 19 }, (_, frame) => frame + 5)
    ])
  })

  it('Ctrl+C while the sidecar starts cancels the render and keeps nothing', async () => {
    const env = testEnv()
    const out = join(mkdtempSync(join(tmpdir(), 'wan-cli-int-')), 'x.mp4')
    const child = execFile(process.execPath, [bin, 'render', '--prompt', 'interrupted', '--seconds', '10', '--out', out, '--engine', 'synthetic'], { env })
    let stderr = ''
    // Interrupted once the seed line shows the handlers are in place and the queue is about to
    // start the sidecar: a fixed delay would race the CLI's own start-up on a loaded machine.
    let interrupted = false
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
      if (!interrupted && /seed \d+/.test(stderr)) {
        interrupted = true
        child.kill('SIGINT')
      }
    })
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
    expect(code).toBe(1)
    expect(stderr).toMatch(/cancelling/)
    expect(existsSync(out)).toBe(false)
  })

  it('reads a saved project and writes its drawn seeds and renders back', async () => {
    const env = testEnv()
    const dir = mkdtempSync(join(tmpdir(), 'wan-cli-project-'))
    const projectFile = join(dir, 'film.wanproj')
    const shot = (id: string, prompt: string) => ({ id, prompt, negativePrompt: null, seed: null, seconds: 1, steps: null, engine: 'synthetic', trim: { in: 0, out: null }, join: { kind: 'cut' }, render: null })
    writeFileSync(projectFile, JSON.stringify({ formatVersion: 1, name: 'Film', settings: { size: '720x1280' }, shots: [shot('a', 'a lantern'), shot('b', 'a moth')] }))
    const run = await cli(['render', '--project', projectFile, '--out', join(dir, 'film.mp4'), '--json'], env)
    expect(run.code, run.stderr).toBe(0)
    expect(JSON.parse(run.stdout)).toMatchObject({ frames: 32, width: 720, height: 1280 })
    const saved = JSON.parse(readFileSync(projectFile, 'utf8')) as { shots: { seed: number | null; render: { renderKey: string } | null }[] }
    expect(saved.shots.every((savedShot) => typeof savedShot.seed === 'number' && savedShot.render !== null)).toBe(true)
  })

  it.each([
    [['render', '--prompt', '   ', '--seconds', '5', '--out', 'x.mp4'], /prompt is empty/],
    [['render', '--prompt', 'fox', '--seconds', '0', '--out', 'x.mp4'], /seconds must be greater than 0/],
    [['render', '--prompt', 'fox', '--seconds', '-3', '--out', 'x.mp4'], /seconds must be greater than 0/],
    [['render', '--prompt', 'fox', '--seconds', '99999', '--out', 'x.mp4'], /seconds must be at most 300/],
    [['render', '--prompt', 'fox', '--seconds', 'ten', '--out', 'x.mp4'], /"ten" is not a number/],
    [['render', '--prompt', 'fox', '--seconds', '0x1', '--out', 'x.mp4'], /"0x1" is not a number/],
    [['render', '--prompt', 'fox', '--seconds', '5', '--out', 'x.mp4', '--seed', '0x10'], /"0x10" is not a whole decimal number/],
    [['render', '--prompt', 'fox', '--seconds', '5', '--out', 'x.mp4', '--engine', 'magic'], /Allowed choices are auto, synthetic, diffusers/],
    [['render', '--prompt', 'fox', '--seconds', '5', '--out', 'x.avi'], /must end in \.mp4 for --format h264/],
    [['render', '--prompt', 'fox', '--seconds', '5', '--out', 'x.mp4', '--format', 'prores'], /must end in \.mov for --format prores/],
    [['render', '--prompt', 'fox', '--seconds', '5', '--out', '/no/such/dir/x.mp4'], /does not exist/],
    [['render', '--prompt', 'fox', '--seconds', '5', '--out', '/proc/x.mp4'], /can't write in \/proc/],
    [['render', '--prompt', 'fox', '--seconds', '5', '--out', 'x.mp4', '--seed', '-1'], /"-1" is not a whole decimal number/],
    [['render', '--prompt', 'fox', '--seconds', '5', '--out', 'x.mp4', '--segment-frames', '50'], /must be 4n\+1/],
    [['render', '--prompt', 'fox', '--prompt', 'cat', '--seconds', '5', '--out', 'x.mp4', '--transition', 'cut', '--transition', 'cut'], /--transition is given 2 times for 1 join: give it once, or once per join/],
    [['render', '--prompt', 'fox', '--seconds', '5', '--out', 'x.mp4', '--transition', 'continue'], /needs at least two --prompt shots/],
    [['render', '--prompt', 'fox', '--prompt', 'cat', '--seconds', '1', '--out', 'x.mp4', '--transition', 'crossfade', '--transition-frames', '40'], /shot 2: a crossfade of 40 frames is longer than a shot it joins/],
    [['render', '--project', '/no/such.wanproj', '--out', 'x.mp4'], /--project: .*no\/such\.wanproj/],
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
