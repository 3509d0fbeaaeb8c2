// Runs the Python sidecar's pytest suite with the same interpreter the app would use.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const engineDir = process.env.WAN_STUDIO_ENGINE_DIR || join(root, '.engine')
const venvPython = join(engineDir, 'venv', process.platform === 'win32' ? 'Scripts/python.exe' : 'bin/python')
const python = process.env.WAN_STUDIO_PYTHON || (existsSync(venvPython) ? venvPython : 'python3')

console.log(`sidecar tests with ${python}`)
const cwd = join(root, 'resources', 'sidecar')
const args = process.argv.slice(2)
// The whole suite unless test files or folders are named (`... tests/test_synthetic.py -k portrait`).
const namesTests = args.some((arg) => !arg.startsWith('-') && existsSync(join(cwd, arg.split('::')[0])))
const run = spawnSync(python, ['-m', 'pytest', '-q', '-rs', ...(namesTests ? [] : ['tests']), ...args], {
  cwd,
  stdio: 'inherit'
})
if (run.error) {
  console.error(`could not run ${python}: ${run.error.message}`)
  process.exit(1)
}
// pytest exits 5 when it collected nothing: that is a failure here, not a pass.
process.exit(run.status === 0 ? 0 : run.status || 1)
