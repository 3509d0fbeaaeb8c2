// The tiny random-weight Qwen2 helper model the sidecar's tests build
// (resources/sidecar/tests/tiny_helper_model.py), for tests that translate and extend prompts for
// real without downloading anything.
import { spawnSync } from 'node:child_process'
import { delimiter, join } from 'node:path'
import { findPython } from '../../src/main/sidecar/python'
import { sidecarDir, sourcePaths, testEnv } from './studio'

const BUILD = 'import sys; from pathlib import Path; from tiny_helper_model import build_tiny_qwen; build_tiny_qwen(Path(sys.argv[1]))'

const probeEnv = testEnv()
/** The engine environment's Python, the one the sidecar runs under in the tests. */
export const enginePython = findPython(sourcePaths(probeEnv).engineVenvPython, probeEnv).path
/** Whether that Python can build and run the tiny helper model. */
export const hasTransformers = spawnSync(enginePython, ['-c', 'import torch, transformers, tokenizers']).status === 0

/** Writes the tiny model into `folder` (a helper model's folder, e.g. <models>/Qwen2.5-1.5B-Instruct). */
export function writeTinyHelperModel(folder: string, env: NodeJS.ProcessEnv = process.env): void {
  const built = spawnSync(enginePython, ['-c', BUILD, folder], { env: { ...env, PYTHONPATH: [join(sidecarDir, 'tests'), sidecarDir].join(delimiter) }, encoding: 'utf8' })
  if (built.status !== 0) throw new Error(`building the tiny helper model failed:\n${built.stderr}`)
}
