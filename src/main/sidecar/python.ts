import { existsSync } from 'node:fs'
import { join } from 'node:path'

export type PythonSource = 'WAN_STUDIO_PYTHON' | 'engine environment' | 'PATH'
export interface PythonChoice {
  path: string
  source: PythonSource
}

export class PythonNotFoundError extends Error {}

function onPath(command: string, env: NodeJS.ProcessEnv): string | null {
  const suffixes = process.platform === 'win32' ? ['.exe', '.cmd', ''] : ['']
  for (const dir of (env.PATH ?? '').split(process.platform === 'win32' ? ';' : ':')) {
    if (!dir) continue
    for (const suffix of suffixes) {
      const candidate = join(dir, command + suffix)
      if (existsSync(candidate)) return candidate
    }
  }
  return null
}

/**
 * The interpreter that runs the sidecar: WAN_STUDIO_PYTHON, else the engine environment's
 * (`engineVenvPython` from src/main/appPaths: <repo>/.engine in the checkout, the data folder's
 * engine/ when packaged), else python3 on PATH.
 */
export function findPython(engineVenvPython: string, env: NodeJS.ProcessEnv = process.env): PythonChoice {
  const explicit = env.WAN_STUDIO_PYTHON
  if (explicit) {
    if (!existsSync(explicit)) {
      throw new PythonNotFoundError(`WAN_STUDIO_PYTHON is set to ${explicit}, but no such file exists`)
    }
    return { path: explicit, source: 'WAN_STUDIO_PYTHON' }
  }
  if (existsSync(engineVenvPython)) return { path: engineVenvPython, source: 'engine environment' }
  const system = onPath(process.platform === 'win32' ? 'python' : 'python3', env)
  if (system) return { path: system, source: 'PATH' }
  throw new PythonNotFoundError(
    'No Python found: set up the engine (the app\'s engine set-up, or `npm run engine:setup` in a source checkout), set WAN_STUDIO_PYTHON, or install python3'
  )
}
