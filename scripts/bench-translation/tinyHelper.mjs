// --tiny-helper: the tiny random-weight Qwen2 helper model the tests build
// (resources/sidecar/tests/tiny_helper_model.py; nothing is downloaded), in a models folder of the
// benchmark's own that also shows every entry of the user's models folder (Wan2.2 weights) through
// a link, except the real helper models: the tiny one must be the one used.
import { spawnSync } from 'node:child_process'
import { existsSync, lstatSync, mkdirSync, readdirSync, renameSync, rmSync, symlinkSync } from 'node:fs'
import { delimiter, join } from 'node:path'

export const TINY_HELPER_LABEL = 'plumbing only: random-weight helper, output meaningless'
// Written where the studio looks for Qwen2.5-1.5B-Instruct: the only helper model in this folder.
const TINY_FOLDER = 'Qwen2.5-1.5B-Instruct'
const REAL_HELPER_FOLDER = /^Qwen2\.5-.*-Instruct$/

const BUILD = 'import sys; from pathlib import Path; from tiny_helper_model import build_tiny_qwen; build_tiny_qwen(Path(sys.argv[1]))'

/** Builds the tiny model once into `<workDir>/tiny-models` and returns that folder, to use as the models folder. */
export function tinyHelperModels({ workDir, userModels, python, sidecarDir, env }) {
  const folder = join(workDir, 'tiny-models')
  mkdirSync(folder, { recursive: true })
  const model = join(folder, TINY_FOLDER)
  if (!existsSync(join(model, 'model.safetensors'))) {
    // Built aside and renamed into place, so an interrupted build is never taken for a model.
    const building = join(folder, `.${TINY_FOLDER}.building`)
    rmSync(building, { recursive: true, force: true })
    const built = spawnSync(python, ['-c', BUILD, building], {
      env: { ...env, PYTHONPATH: [join(sidecarDir, 'tests'), sidecarDir].join(delimiter) },
      encoding: 'utf8'
    })
    if (built.status !== 0) throw new Error(`building the tiny helper model with ${python} failed:\n${built.stderr.trim().split('\n').slice(-5).join('\n')}`)
    rmSync(model, { recursive: true, force: true })
    renameSync(building, model)
  }
  // Links from an earlier run may point at another models folder.
  for (const name of readdirSync(folder)) {
    if (lstatSync(join(folder, name)).isSymbolicLink()) rmSync(join(folder, name))
  }
  if (userModels) {
    for (const name of readdirSync(userModels)) {
      if (REAL_HELPER_FOLDER.test(name) || name === TINY_FOLDER || name.startsWith('.')) continue
      symlinkSync(join(userModels, name), join(folder, name))
    }
  }
  return folder
}
