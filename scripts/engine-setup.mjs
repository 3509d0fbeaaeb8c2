// npm run engine:setup [-- --synthetic-only] [--python PATH] [--torch-index URL]
//
// Creates the engine environment with uv, the same code the app's set-up screen runs
// (src/main/engineSetup/setupEngine.ts): <repo>/.engine/venv (WAN_STUDIO_ENGINE_DIR moves the
// .engine folder), with the pinned requirements of resources/sidecar/requirements: engine.txt
// (torch, diffusers, ... plus base.txt) and test.txt, or base.txt and test.txt with --synthetic-only.
// uv itself (pinned in scripts/fetch-uv.mjs) is fetched from PyPI into build/uv/<os>-<arch> when missing.
// The new environment is built beside the current one and replaces it only once it works; the log
// of the run is .engine/setup.log. The app and `npm run test:sidecar` then use .engine/venv.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { fetchUv } from './fetch-uv.mjs'
import { loadSource, repoRoot } from './loadSource.mjs'

function fail(message) {
  console.error(`\nengine:setup failed: ${message}`)
  process.exit(1)
}

let args
try {
  args = parseArgs({
    options: {
      'synthetic-only': { type: 'boolean', default: false },
      python: { type: 'string' },
      'torch-index': { type: 'string' },
      help: { type: 'boolean', default: false }
    }
  }).values
} catch (error) {
  fail(error.message)
}
const { setupEngine, formatGiB, appPathsForThisMachine, defaultDataDir } = await loadSource('engine-setup', [
  "export { setupEngine } from './src/main/engineSetup/setupEngine'",
  "export { formatGiB } from './src/main/engineSetup/diskSpace'",
  "export { appPathsForThisMachine } from './src/main/appPaths/appPaths'",
  "export { defaultDataDir } from './src/main/project/dataDir'"
])
let paths
try {
  paths = appPathsForThisMachine({ layout: 'source', appRoot: repoRoot, resourcesPath: null, dataDir: defaultDataDir(process.env), env: process.env })
} catch (error) {
  fail(error.message)
}
const engineDir = paths.engineDir
if (args.help) {
  console.log(`npm run engine:setup -- [options]

  --synthetic-only     install only what the synthetic engine needs (no torch)
  --python PATH        the Python (>= 3.10) to build the environment from
  --torch-index URL    the package index for torch, e.g. https://download.pytorch.org/whl/cpu
                       (default: chosen by the driver's CUDA version; see src/main/engineSetup/torchSource.ts)

The environment goes to ${join(engineDir, 'venv')} (WAN_STUDIO_ENGINE_DIR moves ${engineDir}).`)
  process.exit(0)
}

// WAN_STUDIO_UV names a uv of one's own; otherwise the pinned one, fetched once.
if (!existsSync(paths.uvBinary)) {
  if (process.env.WAN_STUDIO_UV) fail(`WAN_STUDIO_UV is ${process.env.WAN_STUDIO_UV}, but no such file exists`)
  try {
    await fetchUv({ platform: process.platform, arch: process.arch })
  } catch (error) {
    fail(`getting uv: ${error.message}`)
  }
}

const controller = new AbortController()
process.once('SIGINT', () => {
  console.log('\ncancelling: the current environment stays as it was')
  controller.abort()
})

// uv's own lines come through the log; the progress line adds bytes and time left, at most every 2 s.
let lastProgressAt = 0
let lastBytesDone = -1
function showProgress(progress) {
  if (progress.phase !== 'packages' || progress.bytes.total === 0 || progress.bytes.done === lastBytesDone) return
  const now = Date.now()
  const finished = progress.bytes.done === progress.bytes.total
  if (now - lastProgressAt < 2000 && !finished) return
  lastProgressAt = now
  lastBytesDone = progress.bytes.done
  const left = progress.secondsLeft === null ? '' : `, about ${progress.secondsLeft} s left`
  console.log(
    `[progress] ${progress.packages.finishedDownloads}/${progress.packages.announcedDownloads} large files, ` +
      `${formatGiB(progress.bytes.done)} of ${formatGiB(progress.bytes.total)}${left}`
  )
}

const outcome = await setupEngine({
  engineDir,
  requirementsDir: paths.requirementsDir,
  sidecarDir: paths.sidecarDir,
  uv: paths.uvBinary,
  syntheticOnly: args['synthetic-only'],
  withTestTools: true,
  python: args.python ?? null,
  torchIndex: args['torch-index'] ?? null,
  signal: controller.signal,
  onLog: (line) => console.log(line),
  onProgress: showProgress
})

if (outcome.status === 'cancelled') {
  console.error(`\nengine:setup cancelled; log: ${outcome.logFile}`)
  process.exit(130)
}
if (outcome.status === 'failed') fail(`${outcome.error}\nlog: ${outcome.logFile}`)
console.log(`\nengine environment ready in ${outcome.elapsedSeconds.toFixed(0)} s: ${outcome.python}`)
console.log(
  args['synthetic-only']
    ? 'the synthetic engine works; run npm run engine:setup again without --synthetic-only for the real engine'
    : 'the app and npm run test:sidecar use it from now on'
)
