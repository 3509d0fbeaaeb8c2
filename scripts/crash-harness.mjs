#!/usr/bin/env node
// Crash harness: kill -9 the CLI at chosen points (start-up, mid-segment, right after a segment's
// rename, mid-export), rerun the same command at once with the same seed and work folder, and check
// that nothing broken is ever called done.
//
//   node scripts/crash-harness.mjs [--kills 32] [--quick] [--seed 1] [--json]
//
// --quick runs one cycle of 4 kills (the vitest test uses it). Needs a built CLI (npm run build),
// the engine venv and ffmpeg. The built app is copied to a temporary folder first, so rebuilds in
// the checkout during a run don't change what is being tested.
//
// Prints: kills, clips verified identical (ffmpeg -f framemd5) to an uninterrupted render, corrupt
// clips reported as done (must be 0), finished segments rendered again (must be 0), leftover
// temporary files (must be 0). Exits 1 when any of the last three is not 0.
import { execFileSync, spawn } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const repo = join(dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
const flag = (name) => args.includes(name)
const option = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback)
const quick = flag('--quick')
const wantedKills = option('--kills', quick ? 4 : 32)
// The studio wants an absolute FFMPEG_BIN: take the one on PATH when none is given.
const ffmpeg = process.env.FFMPEG_BIN || execFileSync('sh', ['-c', 'command -v ffmpeg'], { encoding: 'utf8' }).trim()
const KINDS = ['startup', 'mid-segment', 'after-rename', 'mid-export']

// A small seeded generator, so a run's kill points can be replayed with --seed.
let state = option('--seed', 1) >>> 0 || 1
const random = () => {
  state ^= state << 13
  state ^= state >>> 17
  state ^= state << 5
  return (state >>> 0) / 2 ** 32
}
const between = (low, high) => low + random() * (high - low)

function log(message) {
  process.stderr.write(`${message}\n`)
}

/** A copy of the built app (bin, out, the sidecar) beside links to node_modules: immune to rebuilds. */
function snapshotApp(root) {
  const app = join(root, 'app')
  for (const part of ['bin', 'out', 'package.json']) cpSync(join(repo, part), join(app, part), { recursive: true })
  cpSync(join(repo, 'resources', 'sidecar'), join(app, 'resources', 'sidecar'), {
    recursive: true,
    filter: (source) => !source.includes('__pycache__') && !source.includes(`${join('sidecar', 'tests')}`)
  })
  symlinkSync(join(repo, 'node_modules'), join(app, 'node_modules'))
  return join(app, 'bin', 'wan-studio.cjs')
}

const root = mkdtempSync(join(tmpdir(), 'wan-crash-'))
const bin = snapshotApp(root)
const env = {
  ...process.env,
  WAN_STUDIO_HOME: join(root, 'home'),
  WAN_STUDIO_ENGINE_DIR: process.env.WAN_STUDIO_ENGINE_DIR || join(repo, '.engine'),
  // Slow enough that a segment is on disk for a while, fast enough for ~30 kills in minutes.
  WAN_STUDIO_SYNTHETIC_SECONDS_PER_STEP: '0.03',
  FFMPEG_BIN: ffmpeg
}

function renderArgs(dir) {
  return [
    'render',
    '--prompt', 'a lighthouse in a storm',
    '--prompt', 'the keeper climbs the stairs',
    '--prompt', 'the lamp turns on',
    '--seconds', '2',
    '--segment-frames', '17',
    '--overlap', '3',
    '--engine', 'synthetic',
    '--seed', '7',
    '--out', join(dir, 'out', 'film.mp4'),
    '--work-dir', join(dir, 'work'),
    '--overwrite',
    '--json'
  ]
}

function jobDirs(dir) {
  const renders = join(dir, 'work', 'renders')
  return existsSync(renders) ? readdirSync(renders).map((name) => join(renders, name)) : []
}

function filesIn(folder) {
  try {
    return readdirSync(folder)
  } catch {
    return []
  }
}

const segmentFiles = (dir) => jobDirs(dir).flatMap((job) => filesIn(job).filter((name) => /^segment-\d+\.mp4$/.test(name)).map((name) => join(job, name)))

/** Segments recorded in the manifests, with the identity of their file (a re-render replaces it). */
function recordedSegments(dir) {
  const recorded = new Map()
  for (const job of jobDirs(dir)) {
    let manifest
    try {
      manifest = JSON.parse(readFileSync(join(job, 'job.json'), 'utf8'))
    } catch {
      continue
    }
    for (const done of Object.values(manifest.done ?? {})) {
      const path = join(job, done.file)
      try {
        const stat = statSync(path)
        if (stat.size === done.bytes) recorded.set(path, `${stat.ino}:${stat.mtimeMs}`)
      } catch {
        // Recorded but gone: the next run renders it, which is not a re-render of a finished file.
      }
    }
  }
  return recorded
}

/** Temporary files and locks a finished run must not leave behind. */
function leftovers(dir) {
  const out = filesIn(join(dir, 'out')).filter((name) => name.startsWith('.') || name.includes('.partial') || name.endsWith('.tmp'))
  const work = jobDirs(dir).flatMap((job) => filesIn(job).filter((name) => name.endsWith('.partial') || name.endsWith('.tmp') || name.includes('.lock')))
  return [...out.map((name) => join(dir, 'out', name)), ...work]
}

function framemd5(path) {
  try {
    const text = execFileSync(ffmpeg, ['-v', 'error', '-i', path, '-map', '0:v:0', '-f', 'framemd5', '-'], { encoding: 'utf8', maxBuffer: 64 << 20 })
    return text
      .split('\n')
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => line.split(',').at(-1).trim())
      .join('\n')
  } catch {
    return null
  }
}

/** Runs the CLI; `trigger` (polled every 5 ms) says when to kill it. */
function runCli(dir, trigger) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...renderArgs(dir)], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    const started = Date.now()
    let killed = false
    let recordedAtKill = null
    const poll = setInterval(() => {
      if (!trigger || killed || !trigger(Date.now() - started)) return
      recordedAtKill = recordedSegments(dir)
      killed = true
      child.kill('SIGKILL')
    }, 5)
    child.on('exit', (code) => {
      clearInterval(poll)
      resolve({ code, killed, recordedAtKill, stdout, stderr })
    })
  })
}

/** Fires `kind`'s kill point; a run that finishes first simply completes. */
function triggerFor(kind, dir) {
  const segmentsAtStart = segmentFiles(dir).length
  // Mid-segment and after-rename kills wait for 0-3 (at least 1 for after-rename) more finished
  // segments first, so later kills fall on runs with finished segments to lose.
  const segmentsBefore = segmentsAtStart + Math.floor(between(kind === 'after-rename' ? 1 : 0, 4))
  const enoughSegments = () => segmentFiles(dir).length >= segmentsBefore
  const delay = kind === 'startup' ? between(100, 2500) : kind === 'mid-export' ? between(0, 400) : between(0, 150)
  let seenAt = null
  const seen = (condition, elapsed) => {
    if (seenAt === null && condition()) seenAt = elapsed
    return seenAt !== null && elapsed - seenAt >= delay
  }
  const partialSegment = () => jobDirs(dir).some((job) => filesIn(job).some((name) => name.endsWith('.mp4.partial')))
  const exportPartial = () => filesIn(join(dir, 'out')).some((name) => name.includes('.partial'))
  return (elapsed) => {
    if (kind === 'startup') return elapsed >= delay
    if (kind === 'mid-segment') return seen(() => enoughSegments() && partialSegment(), elapsed)
    if (kind === 'after-rename') return enoughSegments()
    return seen(exportPartial, elapsed)
  }
}

const totals = { kills: 0, killsByKind: Object.fromEntries(KINDS.map((kind) => [kind, 0])), identical: 0, clipsChecked: 0, corruptReportedDone: 0, renderedAgain: 0, leftovers: 0 }
const problems = []

function checkClip(dir, reference, label) {
  const output = join(dir, 'out', 'film.mp4')
  if (!existsSync(output)) return
  totals.clipsChecked++
  if (framemd5(output) === reference) totals.identical++
  else {
    totals.corruptReportedDone++
    problems.push(`${label}: ${output} differs from the uninterrupted render`)
  }
}

log(`crash harness: app copied to ${root}; uninterrupted reference render...`)
const referenceDir = join(root, 'reference')
mkdirSync(join(referenceDir, 'out'), { recursive: true })
const referenceRun = await runCli(referenceDir, null)
if (referenceRun.code !== 0) {
  log(referenceRun.stderr)
  throw new Error('the uninterrupted reference render failed')
}
const reference = framemd5(join(referenceDir, 'out', 'film.mp4'))

for (let cycle = 0; totals.kills < wantedKills; cycle++) {
  const dir = join(root, `cycle-${cycle}`)
  mkdirSync(join(dir, 'out'), { recursive: true })
  // Recorded segments with the file identity they had when first seen at a kill.
  const finished = new Map()
  for (const kind of KINDS) {
    if (totals.kills >= wantedKills) break
    const run = await runCli(dir, triggerFor(kind, dir))
    if (!run.killed) {
      log(`cycle ${cycle}: ${kind} never came (exit ${run.code}); the run finished`)
      if (run.code === 0) checkClip(dir, reference, `cycle ${cycle} ${kind}`)
      break
    }
    totals.kills++
    totals.killsByKind[kind]++
    for (const [path, identity] of run.recordedAtKill) if (!finished.has(path)) finished.set(path, identity)
    // A killed run may have renamed its verified export into place: it must be whole too.
    checkClip(dir, reference, `cycle ${cycle} after a ${kind} kill`)
    log(`cycle ${cycle}: killed at ${kind} (${run.recordedAtKill.size} segments recorded)`)
  }
  const beforeFinal = recordedSegments(dir)
  const final = await runCli(dir, null)
  if (final.code !== 0) {
    problems.push(`cycle ${cycle}: the rerun failed (exit ${final.code}): ${final.stderr.split('\n').slice(-4).join(' | ')}`)
    continue
  }
  if (!existsSync(join(dir, 'out', 'film.mp4'))) {
    totals.corruptReportedDone++
    problems.push(`cycle ${cycle}: exit 0 without a clip`)
  }
  checkClip(dir, reference, `cycle ${cycle} final`)
  const summary = JSON.parse(final.stdout)
  const recordedNow = recordedSegments(dir)
  // Two counts: files recorded at any kill that were replaced later, and the final run's own
  // figures (every segment recorded before it must come back as reused).
  const replaced = [...finished].filter(([path, identity]) => recordedNow.get(path) !== identity)
  const renderedAgain = Math.max(replaced.length, beforeFinal.size - summary.segmentsReused)
  totals.renderedAgain += renderedAgain
  if (renderedAgain > 0) problems.push(`cycle ${cycle}: finished segments rendered again: ${replaced.map(([path]) => path).join(', ') || renderedAgain}`)
  const left = leftovers(dir)
  totals.leftovers += left.length
  if (left.length > 0) problems.push(`cycle ${cycle}: leftovers: ${left.join(', ')}`)
  log(`cycle ${cycle}: rerun ok (${summary.segmentsRendered} rendered, ${summary.segmentsReused} reused); ${totals.kills} kills so far`)
}

const report = {
  kills: totals.kills,
  killsByKind: totals.killsByKind,
  clipsVerifiedIdentical: totals.identical,
  clipsChecked: totals.clipsChecked,
  corruptClipsReportedDone: totals.corruptReportedDone,
  finishedSegmentsRenderedAgain: totals.renderedAgain,
  leftoverTemporaryFiles: totals.leftovers,
  problems
}
if (flag('--json')) process.stdout.write(`${JSON.stringify(report)}\n`)
else {
  log(`kills: ${report.kills} (${KINDS.map((kind) => `${kind} ${report.killsByKind[kind]}`).join(', ')})`)
  log(`clips verified identical (framemd5): ${report.clipsVerifiedIdentical} of ${report.clipsChecked}`)
  log(`corrupt clips reported as done: ${report.corruptClipsReportedDone}`)
  log(`finished segments rendered again: ${report.finishedSegmentsRenderedAgain}`)
  log(`leftover temporary files: ${report.leftoverTemporaryFiles}`)
  for (const problem of problems) log(`  ${problem}`)
}
if (!flag('--keep')) rmSync(root, { recursive: true, force: true })
process.exitCode = report.corruptClipsReportedDone + report.finishedSegmentsRenderedAgain + report.leftoverTemporaryFiles > 0 ? 1 : 0
