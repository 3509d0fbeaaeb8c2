// Times what the render queue adds around the engine, and what a system-state query costs:
//   - the system snapshot: the first query (probes nvidia-smi and starts the sidecar), then many
//     repeated queries, counting every child process spawned meanwhile (aim: none);
//   - orchestration per segment: a project of synthetic shots rendered through the queue; for each
//     segment, the job's wall time less the time the engine itself reported (secondsPerStep x
//     steps): verification (ffprobe), hashing, the manifest write, JSON-RPC and queue dispatch.
//
//   node scripts/bench-queue.mjs                 # 60 s project: 12 shots of 5 s at 1280x720
//   node scripts/bench-queue.mjs --seconds 10    # smoke run
//
// The core's TypeScript is bundled with esbuild (vite's own dependency), as bench-export.mjs does.
import childProcess from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { syncBuiltinESMExports } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs, promisify } from 'node:util'
import { loadSource, repoRoot } from './loadSource.mjs'

const root = repoRoot
const { values: flags } = parseArgs({ options: { seconds: { type: 'string', default: '60' }, queries: { type: 'string', default: '1000' } } })
const totalSeconds = Number(flags.seconds)
const queries = Number(flags.queries)
if (!(totalSeconds >= 5)) throw new Error(`--seconds must be at least 5, got ${flags.seconds}`)

// Count every child process the core starts, whichever child_process function it uses.
let spawned = 0
for (const name of ['spawn', 'execFile', 'exec', 'fork', 'spawnSync', 'execFileSync', 'execSync']) {
  const original = childProcess[name]
  const counted = (...args) => {
    spawned++
    return original(...args)
  }
  // execFile and exec have their own promisified forms (util.promisify uses them): count those too.
  const promisified = original[promisify.custom]
  if (promisified) {
    counted[promisify.custom] = (...args) => {
      spawned++
      return promisified(...args)
    }
  }
  childProcess[name] = counted
}
syncBuiltinESMExports()

function loadCore() {
  return loadSource('queue', ["export { Studio } from './src/main/core/studio'", "export { appPathsForThisMachine } from './src/main/appPaths/appPaths'", "export { newProject, newShot } from './src/shared/project'"])
}

const { Studio, appPathsForThisMachine, newProject, newShot } = await loadCore()
const dataDir = mkdtempSync(join(tmpdir(), 'wan-bench-queue-'))
const env = { ...process.env, WAN_STUDIO_HOME: dataDir }
const studio = new Studio({ version: 'bench', dataDir, paths: appPathsForThisMachine({ layout: 'source', appRoot: root, resourcesPath: null, dataDir, env }), env, mediaUrl: (path) => path })

const seconds = (start) => (performance.now() - start) / 1000

// 1. System state.
let started = performance.now()
const first = await studio.systemSnapshot()
const firstSeconds = seconds(started)
const spawnedByFirst = spawned
started = performance.now()
for (let query = 0; query < queries; query++) await studio.systemSnapshot()
const repeatedSeconds = seconds(started)
const spawnedByRepeats = spawned - spawnedByFirst
console.log(`system snapshot: first query ${firstSeconds.toFixed(2)} s (${spawnedByFirst} processes: nvidia-smi, the sidecar${first.info.problem ? `; problem: ${first.info.problem}` : ''})`)
console.log(`system snapshot: ${queries} repeated queries in ${(repeatedSeconds * 1000).toFixed(1)} ms (${((repeatedSeconds / queries) * 1e6).toFixed(1)} us each), ${spawnedByRepeats} processes spawned`)

// 2. Orchestration around the engine.
const shotSeconds = 5
const shots = Math.round(totalSeconds / shotSeconds)
const joins = [{ kind: 'cut' }, { kind: 'crossfade', frames: 8 }, { kind: 'continue' }]
const project = {
  ...newProject('bench'),
  shots: Array.from({ length: shots }, (_, index) =>
    newShot(`shot-${index + 1}`, { prompt: `benchmark shot ${index + 1}`, seconds: shotSeconds, seed: index, engine: 'synthetic', join: index === 0 ? joins[0] : joins[index % 3] })
  )
}
started = performance.now()
const queued = await studio.queueProject(project, { exportSpec: null })
const queue = await studio.queue()
const jobs = await Promise.all(Object.values(queued.shotJobs).map((id) => queue.whenSettled(id)))
const renderSeconds = seconds(started)
let segments = 0
let engineSeconds = 0
let jobSeconds = 0
for (const job of jobs) {
  if (job.state !== 'done') throw new Error(`${job.title} ${job.state}: ${job.error?.message}`)
  const manifest = JSON.parse(readFileSync(join(job.payload.rendersDir, job.payload.renderKey, 'job.json'), 'utf8'))
  for (const done of Object.values(manifest.done)) engineSeconds += (done.secondsPerStep ?? 0) * job.payload.render.steps
  segments += job.result.renderedSegments
  jobSeconds += job.result.seconds
}
await studio.close()
const overhead = jobSeconds - engineSeconds
console.log(`render: ${shots} shots, ${segments} segments of synthetic 1280x720 frames in ${renderSeconds.toFixed(1)} s wall`)
console.log(`render: engine ${engineSeconds.toFixed(1)} s, jobs ${jobSeconds.toFixed(1)} s: orchestration ${(overhead / segments).toFixed(3)} s per segment (${((overhead / jobSeconds) * 100).toFixed(1)}% of job time)`)
