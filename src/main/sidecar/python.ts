import { existsSync } from 'node:fs'
import { join } from 'node:path'

export type PythonSource = 'WAN_STUDIO_PYTHON' | 'engine environment' | 'PATH'
export interface PythonChoice {
  path: string
  source: PythonSource
}

export class PythonNotFoundError extends Error {}

/** The engine environment `npm run engine:setup` creates (WAN_STUDIO_ENGINE_DIR moves it). */
export function engineDir(appRoot: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.WAN_STUDIO_ENGINE_DIR || join(appRoot, '.engine')
}

function venvPython(venv: string): string {
  return process.platform === 'win32' ? join(venv, 'Scripts', 'python.exe') : join(venv, 'bin', 'python')
}

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
 * The interpreter that runs the sidecar: WAN_STUDIO_PYTHON, else the project's engine
 * environment, else python3 on PATH.
 */
export function findPython(appRoot: string, env: NodeJS.ProcessEnv = process.env): PythonChoice {
  const explicit = env.WAN_STUDIO_PYTHON
  if (explicit) {
    if (!existsSync(explicit)) {
      throw new PythonNotFoundError(`WAN_STUDIO_PYTHON is set to ${explicit}, but no such file exists`)
    }
    return { path: explicit, source: 'WAN_STUDIO_PYTHON' }
  }
  const engine = venvPython(join(engineDir(appRoot, env), 'venv'))
  if (existsSync(engine)) return { path: engine, source: 'engine environment' }
  const system = onPath(process.platform === 'win32' ? 'python' : 'python3', env)
  if (system) return { path: system, source: 'PATH' }
  throw new PythonNotFoundError(
    'No Python found: set WAN_STUDIO_PYTHON, run `npm run engine:setup`, or install python3'
  )
}
