import { execFile } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import { exportProject, type ExportProgress } from '../../src/main/media/export'
import type { ExportDescription } from '../../src/main/media/exportMetadata'
import { FfmpegCancelledError } from '../../src/main/media/ffmpeg'
import { findFfprobe } from '../../src/main/media/ffmpegPath'
import { decodeStamps, type Stamp } from '../../src/main/media/stamps'
import { EXPORT_EXTENSIONS, newProject, newShot, type ExportFormat, type ExportFps, type Join, type Project, type Trim } from '../../src/shared/project'
import { exportFrameCount, timelineFrameAt } from '../../src/shared/timeline'
import { decodeStampLevels, ffmpeg, topLevelAtoms, useTempDir, writeStampedVideo } from './helpers'

const execFileAsync = promisify(execFile)
const ffprobe = findFfprobe(ffmpeg)
const dir = useTempDir('export')
const APP_VERSION = '0.1.0-test'

type SegmentSetup = { frames: number; skip: number; take: number }
type ShotSetup = { stamp: number; prompt: string; segments: SegmentSetup[]; trim: Trim; join: Join }

// Four shots so every join kind sits between two shots: A crossfades into B, C continues B (its
// first segment repeats B's last 5 frames), D is cut in. A is trimmed at both ends, B at its head.
const LONG_PROMPT = 'a very long prompt about a lighthouse keeper who watches the storm roll in over the grey sea at dusk, then sleeps'
const SHOTS: ShotSetup[] = [
  { stamp: 1, prompt: 'a fox; = # \\ in\nsnow', segments: [{ frames: 13, skip: 0, take: 13 }, { frames: 13, skip: 4, take: 9 }], trim: { in: 2, out: 20 }, join: { kind: 'cut' } },
  { stamp: 2, prompt: LONG_PROMPT, segments: [{ frames: 16, skip: 0, take: 16 }], trim: { in: 1, out: null }, join: { kind: 'crossfade', frames: 4 } },
  { stamp: 3, prompt: 'the storm breaks', segments: [{ frames: 14, skip: 5, take: 9 }], trim: { in: 0, out: null }, join: { kind: 'continue' } },
  { stamp: 4, prompt: '', segments: [{ frames: 9, skip: 0, take: 9 }], trim: { in: 0, out: null }, join: { kind: 'cut' } }
]
const segmentPath = (shot: number, segment: number, width = 1280): string => join(dir, `seg-${width}-${shot}-${segment}.mp4`)

function buildProject(setups: ShotSetup[], size: Project['settings']['size'] = '1280x720'): Project {
  const width = size === '1280x720' ? 1280 : 720
  const project = { ...newProject('Storm; at = sea'), settings: { size } }
  project.shots = setups.map((setup) => {
    const frames = setup.segments.reduce((sum, segment) => sum + segment.take, 0)
    return newShot(`shot-${setup.stamp}`, {
      prompt: setup.prompt,
      negativePrompt: setup.stamp === 1 ? 'blur' : null,
      seconds: frames / 16,
      trim: setup.trim,
      join: setup.join,
      render: {
        renderKey: `key-${setup.stamp}`,
        engine: 'synthetic',
        seed: 100 + setup.stamp,
        frames,
        width,
        height: 96,
        fps: 16,
        model: 'synthetic',
        plan: 'cpu',
        segments: setup.segments.map((segment, index) => ({
          index,
          path: segmentPath(setup.stamp, index, width),
          frames: segment.frames,
          skipHeadFrames: segment.skip,
          takeFrames: segment.take
        })),
        renderedAt: '2026-01-01T00:00:00Z'
      }
    })
  })
  return project
}

type ExpectedFrame = { stamp: Stamp } | { from: Stamp; to: Stamp; weight: number }

/** The film frame by frame, worked out from the setup rather than from the timeline module. */
function expectedFrames(setups: ShotSetup[], fps: ExportFps): ExpectedFrame[] {
  const film: ExpectedFrame[] = []
  for (const setup of setups) {
    const kept = setup.segments
      .flatMap((segment, index) => Array.from({ length: segment.take }, (_, offset) => ({ shot: setup.stamp, segment: index, frame: segment.skip + offset })))
      .slice(setup.trim.in, setup.trim.out ?? undefined)
    const shown = Array.from({ length: exportFrameCount(kept.length, fps) }, (_, n) => kept[timelineFrameAt(n, fps)] as Stamp)
    const blended = setup.join.kind === 'crossfade' ? exportFrameCount(setup.join.frames, fps) : 0
    const outgoing = film.splice(film.length - blended, blended)
    outgoing.forEach((frame, index) => {
      if (!('stamp' in frame)) throw new Error('crossfade over a crossfade')
      film.push({ from: frame.stamp, to: shown[index] as Stamp, weight: (index + 1) / (blended + 1) })
    })
    film.push(...shown.slice(blended).map((stamp) => ({ stamp })))
  }
  return film
}

const bitsOf = (stamp: Stamp): number[] =>
  [stamp.shot, stamp.segment, stamp.frame].flatMap((value) => Array.from({ length: 16 }, (_, bit) => (value >> (15 - bit)) & 1))

/** Exact frames must decode to their stamp; blended ones must sit at their weight between two. */
async function frameProblems(path: string, expected: ExpectedFrame[]): Promise<string[]> {
  const [stamps, levels] = await Promise.all([decodeStamps({ ffmpeg, path }), decodeStampLevels(path)])
  if (stamps.length !== expected.length) return [`${stamps.length} frames, expected ${expected.length}`]
  // The gray levels white and black come out at, measured on the exact frames.
  const sums = { white: [0, 0], black: [0, 0] }
  expected.forEach((frame, index) => {
    if ('stamp' in frame) bitsOf(frame.stamp).forEach((bit, block) => {
      const sum = bit ? sums.white : sums.black
      sum[0] = (sum[0] ?? 0) + (levels[index]?.[block] ?? 0)
      sum[1] = (sum[1] ?? 0) + 1
    })
  })
  const white = (sums.white[0] ?? 0) / (sums.white[1] ?? 1)
  const black = (sums.black[0] ?? 0) / (sums.black[1] ?? 1)
  const problems: string[] = []
  expected.forEach((frame, index) => {
    const got = stamps[index]
    if ('stamp' in frame) {
      if (JSON.stringify(got) !== JSON.stringify(frame.stamp)) problems.push(`frame ${index}: got ${JSON.stringify(got)}, expected ${JSON.stringify(frame.stamp)}`)
      return
    }
    const from = bitsOf(frame.from)
    const to = bitsOf(frame.to)
    const weights = from.flatMap((bit, block) => {
      if (bit === to[block]) return []
      const level = ((levels[index]?.[block] ?? 0) - black) / (white - black)
      return [bit ? 1 - level : level]
    })
    const weight = weights.reduce((sum, value) => sum + value, 0) / weights.length
    if (!(Math.abs(weight - frame.weight) < 0.08)) problems.push(`frame ${index}: blend weight ${weight.toFixed(3)}, expected ${frame.weight.toFixed(3)}`)
  })
  return problems
}

type Probe = {
  streams: Array<Record<string, string | number | undefined>>
  format: { duration: string; tags: Record<string, string> }
  chapters: Array<{ start_time: string; end_time: string; tags: { title: string } }>
}

async function ffprobeJson(path: string): Promise<Probe> {
  if (!ffprobe) throw new Error('these checks need ffprobe')
  const args = ['-v', 'error', '-of', 'json', '-count_packets', '-select_streams', 'v:0', '-show_streams', '-show_format', '-show_chapters', path]
  return JSON.parse((await execFileAsync(ffprobe, args)).stdout) as Probe
}

function partialFiles(folder: string): string[] {
  return readdirSync(folder).filter((name) => name.includes('.partial'))
}

beforeAll(async () => {
  for (const setup of SHOTS) {
    for (const [index, segment] of setup.segments.entries()) {
      await writeStampedVideo({ path: segmentPath(setup.stamp, index), width: 1280, height: 96, fps: 16, shot: setup.stamp, segment: index, frames: segment.frames })
    }
  }
  await writeStampedVideo({ path: segmentPath(4, 0, 720), width: 720, height: 96, fps: 16, shot: 4, segment: 0, frames: 9 })
})

const PROFILES: Record<ExportFormat, string> = { h264: 'High', prores: 'HQ', dnxhr: 'DNXHR HQ' }
const PIXEL_FORMATS: Record<ExportFormat, string> = { h264: 'yuv420p', prores: 'yuv422p10le', dnxhr: 'yuv422p' }
const CASES = (['h264', 'prores', 'dnxhr'] as const).flatMap((format) => ([16, 24, 30] as const).map((fps) => ({ format, fps })))

describe('exportProject', () => {
  it.each(CASES)('$format at $fps fps: every frame in place, blends exact, tags and chapters', async ({ format, fps }) => {
    const output = join(dir, `film-${format}-${fps}${EXPORT_EXTENSIONS[format]}`)
    const project = buildProject(SHOTS)
    const progress: ExportProgress[] = []
    const result = await exportProject({
      ffmpeg,
      project,
      spec: { format, fps, output, overwrite: false, drafts: 'refuse' as const },
      appVersion: APP_VERSION,
      onProgress: (event) => progress.push(event)
    })
    const expected = expectedFrames(SHOTS, fps)
    expect(result).toMatchObject({ output, frames: expected.length, fps, format, metadataFile: output.replace(/\.\w+$/, '.wan-studio.json') })
    expect(progress.at(-1)).toMatchObject({ fraction: 1, totalFrames: expected.length })
    expect(expected.filter((frame) => !('stamp' in frame))).toHaveLength(exportFrameCount(4, fps))
    expect(await frameProblems(output, expected)).toEqual([])

    const probe = await ffprobeJson(output)
    expect(probe.streams[0]).toMatchObject({
      codec_name: format === 'dnxhr' ? 'dnxhd' : format,
      profile: PROFILES[format],
      pix_fmt: PIXEL_FORMATS[format],
      width: 1280,
      height: 720,
      color_space: 'bt709',
      color_primaries: 'bt709',
      color_transfer: 'bt709',
      color_range: 'tv',
      avg_frame_rate: `${fps}/1`,
      nb_read_packets: String(expected.length)
    })
    expect(Number(probe.format.duration)).toBeCloseTo(expected.length / fps, 2)
    expect(probe.format.tags.title).toBe('Storm; at = sea')
    expect(probe.format.tags.comment).toMatch(/Wan Studio 0\.1\.0-test from 4 shots/)
    const description = JSON.parse(probe.format.tags.wan_studio ?? '{}') as ExportDescription
    expect(description).toEqual(JSON.parse(readFileSync(result.metadataFile, 'utf8')))
    expect(description).toMatchObject({ appVersion: APP_VERSION, export: { format, fps, frames: expected.length } })
    expect(description.shots.map((shot) => [shot.prompt, shot.seed, shot.negativePrompt])).toEqual(
      SHOTS.map((setup) => [setup.prompt, 100 + setup.stamp, setup.stamp === 1 ? 'blur' : null])
    )
    expect(description.shots[0]).toMatchObject({ model: 'synthetic', plan: 'cpu', engine: 'synthetic' })

    expect(probe.chapters.map((chapter) => chapter.tags.title)).toEqual([
      'a fox; = # \\ in snow',
      'a very long prompt about a lighthouse keeper who watches the storm roll in…',
      'the storm breaks',
      'Shot 4'
    ])
    expect(probe.chapters.map((chapter) => Number(chapter.start_time))).toEqual(result.chapters.map((chapter) => Number(chapter.startSeconds.toFixed(3))))
    if (format === 'h264') {
      const atoms = await topLevelAtoms(output)
      expect(atoms.indexOf('moov')).toBeLessThan(atoms.indexOf('mdat'))
    }
    expect(partialFiles(dir)).toEqual([])
  })

  it('exports a portrait project at 720x1280', async () => {
    const output = join(dir, 'portrait.mp4')
    const shot = SHOTS[3] as ShotSetup
    const result = await exportProject({ ffmpeg, project: buildProject([shot], '720x1280'), spec: { format: 'h264', fps: 16, output, overwrite: false, drafts: 'refuse' as const }, appVersion: APP_VERSION })
    const probe = await ffprobeJson(output)
    expect(probe.streams[0]).toMatchObject({ width: 720, height: 1280, nb_read_packets: '9' })
    expect(await frameProblems(output, expectedFrames([shot], 16))).toEqual([])
    expect(result.frames).toBe(9)
  })

  it('refuses an existing destination unless asked to overwrite, and never follows a symlink there', async () => {
    const output = join(dir, 'existing.mov')
    writeFileSync(output, 'an earlier cut')
    const spec = { format: 'prores' as const, fps: 16 as const, output, overwrite: false, drafts: 'refuse' as const }
    const project = buildProject([SHOTS[3] as ShotSetup])
    await expect(exportProject({ ffmpeg, project, spec, appVersion: APP_VERSION })).rejects.toThrow(`${output} already exists`)
    expect(readFileSync(output, 'utf8')).toBe('an earlier cut')

    const target = join(dir, 'symlink-target.txt')
    writeFileSync(target, 'not to be touched')
    const linked = join(dir, 'linked.mov')
    symlinkSync(target, linked)
    await exportProject({ ffmpeg, project, spec: { ...spec, output: linked, overwrite: true }, appVersion: APP_VERSION })
    expect(readFileSync(target, 'utf8')).toBe('not to be touched')
    expect((await ffprobeJson(linked)).streams[0]).toMatchObject({ codec_name: 'prores' })
  })

  it('refuses an extension that does not match the format', async () => {
    const spec = { format: 'h264' as const, fps: 16 as const, output: join(dir, 'wrong.mov'), overwrite: false, drafts: 'refuse' as const }
    await expect(exportProject({ ffmpeg, project: buildProject(SHOTS), spec, appVersion: APP_VERSION })).rejects.toThrow(
      `h264 exports are .mp4 files; ${spec.output} has the wrong extension`
    )
  })

  it('names the real cause when the folder cannot take the file', async () => {
    const project = buildProject([SHOTS[3] as ShotSetup])
    const attempt = (output: string): Promise<unknown> =>
      exportProject({ ffmpeg, project, spec: { format: 'h264', fps: 16, output, overwrite: false, drafts: 'refuse' as const }, appVersion: APP_VERSION })
    const file = join(dir, 'a-file.txt')
    writeFileSync(file, '')
    await expect(attempt(join(file, 'film.mp4'))).rejects.toThrow(`can't export into ${file}: the folder is not a folder (ENOTDIR)`)
    await expect(attempt(join(dir, 'missing', 'film.mp4'))).rejects.toThrow(/the folder does not exist \(ENOENT\)/)
    // Root may write anywhere a mode allows; /sys and /proc refuse even root.
    await expect(attempt('/sys/film.mp4')).rejects.toThrow(/can't export into \/sys: the folder (is not writable|is on a read-only)/)
    await expect(attempt('/proc/film.mp4')).rejects.toThrow(`can't export into /proc: the folder does not accept new files (ENOENT)`)
  })

  it('cancels: nothing at the destination and no temporary file left', async () => {
    const output = join(dir, 'cancelled.mp4')
    const controller = new AbortController()
    const started = exportProject({
      ffmpeg,
      project: buildProject(SHOTS),
      spec: { format: 'h264', fps: 30, output, overwrite: false, drafts: 'refuse' as const },
      appVersion: APP_VERSION,
      signal: controller.signal,
      onProgress: () => controller.abort()
    })
    await expect(started).rejects.toBeInstanceOf(FfmpegCancelledError)
    expect(existsSync(output)).toBe(false)
    expect(existsSync(output.replace('.mp4', '.wan-studio.json'))).toBe(false)
    expect(partialFiles(dir)).toEqual([])
  })

  it('names the shot that has no render before touching the disk', async () => {
    const project = buildProject(SHOTS)
    project.shots = project.shots.map((shot, index) => (index === 2 ? { ...shot, render: null } : shot))
    const output = join(dir, 'unrendered.mp4')
    await expect(
      exportProject({ ffmpeg, project, spec: { format: 'h264', fps: 16, output, overwrite: false, drafts: 'refuse' as const }, appVersion: APP_VERSION })
    ).rejects.toThrow('shot 3 (id "shot-3") has not been rendered yet')
    expect(partialFiles(dir)).toEqual([])
  })
})
