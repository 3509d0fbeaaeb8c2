// npm run engine:setup [-- --synthetic-only] [--python PATH] [--torch-index URL]
//
// Creates the engine environment, a Python venv at <repo>/.engine/venv (WAN_STUDIO_ENGINE_DIR
// moves the .engine folder), and installs the pinned requirements of resources/sidecar/requirements:
// engine.txt (torch, diffusers, ... plus base.txt) and test.txt, or only base.txt and test.txt with
// --synthetic-only. The app and `npm run test:sidecar` then use that interpreter.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const MIN_PYTHON = [3, 10]
const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const requirements = join(root, 'resources', 'sidecar', 'requirements')
const engineDir = process.env.WAN_STUDIO_ENGINE_DIR || join(root, '.engine')
const venv = join(engineDir, 'venv')
const venvPython = join(venv, process.platform === 'win32' ? 'Scripts/python.exe' : 'bin/python')

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
if (args.help) {
  console.log(`npm run engine:setup -- [options]

  --synthetic-only     install only what the synthetic engine needs (no torch)
  --python PATH        the Python (>= ${MIN_PYTHON.join('.')}) to build the venv from
  --torch-index URL    an extra package index for torch, e.g. https://download.pytorch.org/whl/cpu

The venv goes to ${venv} (WAN_STUDIO_ENGINE_DIR moves ${engineDir}).`)
  process.exit(0)
}

/** Runs a command with its output on this terminal; fails the setup if it fails. */
function run(command, commandArgs, what) {
  console.log(`$ ${[command, ...commandArgs].join(' ')}`)
  const result = spawnSync(command, commandArgs, { stdio: 'inherit' })
  if (result.error) fail(`${what}: could not run ${command}: ${result.error.message}`)
  if (result.status !== 0) fail(`${what}: ${command} exited with code ${result.status ?? result.signal}`)
}

/** The version of a Python interpreter, or null when it cannot be run. */
function pythonVersion(python) {
  const probe = spawnSync(python, ['-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3])'], { encoding: 'utf8' })
  return probe.status === 0 ? probe.stdout.trim() : null
}

function hasNvidiaGpu() {
  const probe = spawnSync('nvidia-smi', ['-L'], { encoding: 'utf8' })
  return probe.status === 0 && /GPU \d+:/.test(probe.stdout) ? probe.stdout.trim() : null
}

const steps = 4
const step = (index, text) => console.log(`\n[${index}/${steps}] ${text}`)

// 1. The base interpreter.
step(1, 'Python')
const candidates = args.python ? [args.python] : process.platform === 'win32' ? ['python', 'py'] : ['python3', 'python']
let basePython = null
for (const candidate of candidates) {
  const version = pythonVersion(candidate)
  if (!version) continue
  const [major, minor] = version.split('.').map(Number)
  if (major < MIN_PYTHON[0] || (major === MIN_PYTHON[0] && minor < MIN_PYTHON[1])) {
    fail(`${candidate} is Python ${version}; the sidecar needs ${MIN_PYTHON.join('.')} or newer (choose one with --python PATH)`)
  }
  basePython = candidate
  console.log(`using ${candidate} (Python ${version})`)
  break
}
if (!basePython) {
  fail(args.python ? `${args.python} cannot be run` : `no Python found as ${candidates.join(' or ')}: install Python ${MIN_PYTHON.join('.')}+ or pass --python PATH`)
}

// 2. The venv (kept if it already works, so a rerun only installs what changed).
step(2, `virtual environment in ${venv}`)
if (existsSync(venvPython) && pythonVersion(venvPython)) {
  console.log('already there; reusing it')
} else {
  mkdirSync(engineDir, { recursive: true })
  run(basePython, ['-m', 'venv', venv], 'creating the venv')
}
run(venvPython, ['-m', 'pip', 'install', '--upgrade', 'pip'], 'upgrading pip')

// 3. What to install, and where torch comes from.
step(3, 'choosing packages')
const files = args['synthetic-only'] ? ['base.txt', 'test.txt'] : ['engine.txt', 'test.txt']
const pipArgs = ['-m', 'pip', 'install', ...files.flatMap((file) => ['-r', join(requirements, file)])]
if (args['synthetic-only']) {
  console.log('synthetic engine only: numpy, jsonschema and pytest, no torch')
} else {
  const gpus = hasNvidiaGpu()
  if (gpus) {
    console.log(`NVIDIA GPU found:\n${gpus}`)
    if (process.platform === 'linux') {
      console.log('installing torch from PyPI, which on Linux is the CUDA build')
    } else if (!args['torch-index']) {
      console.log(
        `warning: PyPI's torch for ${process.platform} is CPU-only; for CUDA rerun with ` +
          '--torch-index https://download.pytorch.org/whl/<cuda tag> (see pytorch.org for the tag that matches torch 2.15.0)'
      )
    }
  } else {
    console.log(
      'no NVIDIA GPU found (nvidia-smi is missing or lists none): installing the same PyPI torch. On Linux that is the ' +
        'CUDA build, about 5 GB, whose CUDA libraries stay unused here; the CPU-only build lives on ' +
        'https://download.pytorch.org/whl/cpu, which this script does not use by default because it may not be ' +
        'reachable; pass --torch-index https://download.pytorch.org/whl/cpu to use it. The diffusers engine will ' +
        'report itself as CPU-only, far too slow for the real models.'
    )
  }
  if (args['torch-index']) {
    console.log(`extra index for torch: ${args['torch-index']}`)
    pipArgs.push('--extra-index-url', args['torch-index'])
  }
}

// 4. Install.
step(4, `installing ${files.join(' + ')} (this can take several minutes)`)
run(venvPython, pipArgs, 'installing the requirements')
console.log(`\nengine environment ready: ${venvPython}`)
console.log(
  args['synthetic-only']
    ? 'the synthetic engine works; run npm run engine:setup again without --synthetic-only for the real engine'
    : 'the app and npm run test:sidecar use it from now on'
)
