// Times exportProject against bare ffmpeg encoding the same segment files with the same encoder
// settings, for each format and frame rate, and prints the ratio (aim: within 1.2x), in wall time and
// in the CPU time of the ffmpeg processes (the figure that holds on a shared machine).
//
//   node scripts/bench-export.mjs                      # 60 s project: 12 shots of 5 s at 1280x720
//   node scripts/bench-export.mjs --seconds 6          # smoke run
//   node scripts/bench-export.mjs --formats h264 --fps 16,30
//
// The export's TypeScript is bundled with esbuild (vite's own dependency) into node_modules/.cache,
// so the script runs the source as it is, without an app build. Segments are synthetic
// (ffmpeg's testsrc2, near-lossless H.264 like the sidecar's); frame accounting is the tests' job.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { loadSource } from './loadSource.mjs'

const SHOTS = 12
const FPS = 16
const { values: flags } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    formats: { type: 'string', default: 'h264,prores,dnxhr' },
    fps: { type: 'string', default: '16,24,30' }
  }
})
const totalSeconds = Number(flags.seconds)
if (!(totalSeconds > 0)) throw new Error(`--seconds must be a positive number, got ${flags.seconds}`)

function loadExport() {
  return loadSource('export', [
        "export { exportProject } from './src/main/media/export'",
        "export { encoderArgs, EXPORT_ENCODINGS } from './src/main/media/exportArgs'",
        "export { resolveFfmpeg } from './src/main/media/ffmpegPath'"
      ])
}

function ffmpegRun(ffmpeg, args) {
  const run = spawnSync(ffmpeg, ['-hide_banner', '-v', 'error', '-nostdin', '-y', ...args], { encoding: 'utf8' })
  if (run.status !== 0) throw new Error(`ffmpeg failed: ${run.stderr}`)
}

/** Smallest 4n+1 at least `frames`: the engine's segment lengths. */
const atLeast4nPlus1 = (frames) => Math.ceil((frames - 1) / 4) * 4 + 1

/**
 * Twelve shots of one segment each, joined by a repeating cut / crossfade / continue pattern; a
 * continued shot's segment starts with 5 frames that repeat the previous shot and are skipped.
 */
function buildProject(ffmpeg, folder) {
  const shotFrames = Math.max(4, Math.round((totalSeconds * FPS) / SHOTS))
  const crossfade = Math.min(8, Math.floor(shotFrames / 3))
  const shots = Array.from({ length: SHOTS }, (_, index) => {
    const shotJoin = index === 0 ? { kind: 'cut' } : [{ kind: 'cut' }, { kind: 'crossfade', frames: crossfade }, { kind: 'continue' }][index % 3]
    const skip = shotJoin.kind === 'continue' ? 5 : 0
    const frames = atLeast4nPlus1(shotFrames + skip)
    const path = join(folder, `shot-${index}.mp4`)
    ffmpegRun(ffmpeg, [
      '-f', 'lavfi', '-i', `testsrc2=size=1280x720:rate=${FPS},hue=h=${index * 30}`,
      '-frames:v', String(frames), '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '10', '-pix_fmt', 'yuv420p', path
    ])
    return {
      id: `shot-${index}`, prompt: `shot ${index}`, negativePrompt: null, seed: index, seconds: shotFrames / FPS, steps: null,
      engine: 'synthetic', trim: { in: 0, out: null }, join: shotJoin,
      render: {
        renderKey: `bench-${index}`, engine: 'synthetic', seed: index, frames: shotFrames, width: 1280, height: 720, fps: FPS,
        model: 'synthetic', plan: 'bench', renderedAt: new Date().toISOString(),
        segments: [{ index: 0, path, frames, skipHeadFrames: skip, takeFrames: shotFrames }]
      }
    }
  })
  return { formatVersion: 1, name: 'export benchmark', settings: { size: '1280x720' }, shots }
}

/**
 * CPU seconds of this process's finished children (ffmpeg, ffprobe): fields cutime and cstime of
 * /proc/self/stat, in clock ticks (USER_HZ, 100 on Linux). Unlike wall time it hardly moves when
 * other jobs share the cores, so the CPU ratio can be judged on a busy machine. null off Linux.
 */
function childCpuSeconds() {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // fields[0] is field 3 (state); cutime and cstime are fields 16 and 17.
    return (Number(fields[13]) + Number(fields[14])) / 100
  } catch {
    return null
  }
}

async function measured(work) {
  const cpuBefore = childCpuSeconds()
  const started = performance.now()
  await work()
  const cpuAfter = childCpuSeconds()
  return { wall: (performance.now() - started) / 1000, cpu: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore }
}

/**
 * Bare ffmpeg: the same files through the concat demuxer, the same encoder arguments, no filters;
 * with `colour`, only the conversion to the BT.709 matrix every export shot gets (exportArgs.ts), to
 * show how much of the difference is that conversion rather than the export's own work.
 */
function timeBare(ffmpeg, { encoderArgs, EXPORT_ENCODINGS }, project, folder, format, fps, colour) {
  const list = join(folder, 'concat.txt')
  writeFileSync(list, project.shots.map((shot) => `file '${shot.render.segments[0].path}'\n`).join(''))
  const filter = colour ? ['-vf', `scale=out_color_matrix=bt709:out_range=tv,format=${EXPORT_ENCODINGS[format].pixFmt}`] : []
  return measured(() => ffmpegRun(ffmpeg, ['-f', 'concat', '-safe', '0', '-i', list, '-map', '0:v', ...filter, ...encoderArgs(format, fps), join(folder, `bare-${format}-${fps}${format === 'h264' ? '.mp4' : '.mov'}`)]))
}

const ratio = (a, b) => (a === null || b === null || b === 0 ? 'n/a' : (a / b).toFixed(2))
const seconds = (value) => (value === null ? 'n/a' : value.toFixed(1))

const { exportProject, encoderArgs, EXPORT_ENCODINGS, resolveFfmpeg } = await loadExport()
const ffmpeg = resolveFfmpeg().path
const folder = mkdtempSync(join(tmpdir(), 'wan-bench-export-'))
try {
  mkdirSync(folder, { recursive: true })
  const project = buildProject(ffmpeg, folder)
  const rows = []
  for (const format of flags.formats.split(',')) {
    for (const fps of flags.fps.split(',').map(Number)) {
      const output = join(folder, `export-${format}-${fps}${format === 'h264' ? '.mp4' : '.mov'}`)
      let result
      const exported = await measured(async () => {
        result = await exportProject({ ffmpeg, project, spec: { format, fps, output, overwrite: true }, appVersion: 'bench' })
      })
      const bare = await timeBare(ffmpeg, { encoderArgs, EXPORT_ENCODINGS }, project, folder, format, fps, false)
      const bareColour = await timeBare(ffmpeg, { encoderArgs, EXPORT_ENCODINGS }, project, folder, format, fps, true)
      rows.push({
        format,
        fps,
        frames: result.frames,
        'export s': seconds(exported.wall),
        'bare s': seconds(bare.wall),
        ratio: ratio(exported.wall, bare.wall),
        'export CPU s': seconds(exported.cpu),
        'bare CPU s': seconds(bare.cpu),
        'CPU ratio': ratio(exported.cpu, bare.cpu),
        'bare+BT.709 CPU s': seconds(bareColour.cpu),
        'CPU ratio to it': ratio(exported.cpu, bareColour.cpu)
      })
      rmSync(output)
    }
  }
  console.log(`${project.shots.length} shots, ${totalSeconds} s at 1280x720; ffmpeg ${ffmpeg}`)
  console.table(rows)
} finally {
  rmSync(folder, { recursive: true, force: true })
}
