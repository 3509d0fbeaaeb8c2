// Lints and format-checks the Python sidecar with the ruff pinned in requirements/test.txt, installed
// in the engine venv by `npm run engine:setup` (config: resources/sidecar/ruff.toml). `--fix` applies
// the safe fixes and formats instead of only checking.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const engineDir = process.env.WAN_STUDIO_ENGINE_DIR || join(root, '.engine')
const venvRuff = join(engineDir, 'venv', process.platform === 'win32' ? 'Scripts/ruff.exe' : 'bin/ruff')
const ruff = existsSync(venvRuff) ? venvRuff : 'ruff'
const fix = process.argv.includes('--fix')

const runs = fix
  ? [['check', '--fix', '.'], ['format', '.']]
  : [['check', '.'], ['format', '--check', '.']]
let failed = false
for (const args of runs) {
  console.log(`$ ruff ${args.join(' ')}`)
  const run = spawnSync(ruff, args, { cwd: join(root, 'resources', 'sidecar'), stdio: 'inherit' })
  if (run.error) {
    console.error(`could not run ${ruff}: ${run.error.message} (run npm run engine:setup)`)
    process.exit(1)
  }
  failed ||= run.status !== 0
}
process.exit(failed ? 1 : 0)
