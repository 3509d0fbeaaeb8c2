// Times exportProject against bare ffmpeg encoding the same segment files with the same encoder
// settings, for each format and frame rate, and prints the ratio (aim: within 1.2x).
//
//   node scripts/bench-export.mjs                      # 60 s project: 12 shots of 5 s at 1280x720
//   node scripts/bench-export.mjs --seconds 6          # smoke run
//   node scripts/bench-export.mjs --formats h264 --fps 16,30
//
// The export's TypeScript is bundled with esbuild (vite's own dependency) into node_modules/.cache,
// so the script runs the source as it is, without an app build. Segments are synthetic
// (ffmpeg's testsrc2, near-lossless H.264 like the sidecar's); frame accounting is the tests' job.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
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
        "export { encoderArgs } from './src/main/media/exportArgs'",
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

/** Bare ffmpeg: the same files through the concat demuxer, the same encoder arguments, no filters. */
function timeBare(ffmpeg, encoderArgs, project, folder, format, fps) {
  const list = join(folder, 'concat.txt')
  writeFileSync(list, project.shots.map((shot) => `file '${shot.render.segments[0].path}'\n`).join(''))
  const started = performance.now()
  ffmpegRun(ffmpeg, ['-f', 'concat', '-safe', '0', '-i', list, '-map', '0:v', ...encoderArgs(format, fps), join(folder, `bare-${format}-${fps}${format === 'h264' ? '.mp4' : '.mov'}`)])
  return (performance.now() - started) / 1000
}

const { exportProject, encoderArgs, resolveFfmpeg } = await loadExport()
const ffmpeg = resolveFfmpeg().path
const folder = mkdtempSync(join(tmpdir(), 'wan-bench-export-'))
try {
  mkdirSync(folder, { recursive: true })
  const project = buildProject(ffmpeg, folder)
  const rows = []
  for (const format of flags.formats.split(',')) {
    for (const fps of flags.fps.split(',').map(Number)) {
      const output = join(folder, `export-${format}-${fps}${format === 'h264' ? '.mp4' : '.mov'}`)
      const result = await exportProject({ ffmpeg, project, spec: { format, fps, output, overwrite: true }, appVersion: 'bench' })
      const bare = timeBare(ffmpeg, encoderArgs, project, folder, format, fps)
      rows.push({ format, fps, frames: result.frames, 'export s': result.seconds.toFixed(1), 'bare ffmpeg s': bare.toFixed(1), ratio: (result.seconds / bare).toFixed(2) })
      rmSync(output)
    }
  }
  console.log(`${project.shots.length} shots, ${totalSeconds} s at 1280x720; ffmpeg ${ffmpeg}`)
  console.table(rows)
} finally {
  rmSync(folder, { recursive: true, force: true })
}
