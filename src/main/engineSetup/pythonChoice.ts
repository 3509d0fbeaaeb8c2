// The Python the engine environment is built from: the one asked for, else one uv finds on this
// machine (>= MIN_PYTHON), else a managed CPython that uv downloads (python-build-standalone, from
// GitHub) into <engineDir>/python. Where GitHub is unreachable, install Python 3.10+ instead.
import { describeFailure, runCommand } from './runCommand'

export const MIN_PYTHON = '3.10'
/** The managed CPython installed when the machine has none. */
export const MANAGED_PYTHON = '3.12'

export class PythonChoiceError extends Error {}

export type PythonChoiceOptions = {
  uv: string
  /** --python: used as given (uv checks it runs). */
  requested: string | null
  env: NodeJS.ProcessEnv
  signal?: AbortSignal
  onLine: (line: string) => void
}

/** What to pass to `uv venv --python`; a path when uv found or installed one. */
export async function choosePython(options: PythonChoiceOptions): Promise<{ python: string; managed: boolean }> {
  const { uv, env, signal, onLine } = options
  if (options.requested) {
    const found = await runCommand(uv, ['python', 'find', '--system', options.requested], { env, signal })
    if (found.cancelled) throw new PythonChoiceError('cancelled')
    if (found.exitCode !== 0) throw new PythonChoiceError(`the Python given with --python (${options.requested}) cannot be used: ${found.stdout.trim() || describeFailure('uv python find', found)}`)
    return { python: found.stdout.trim().split('\n').at(-1)!, managed: false }
  }
  const find = async (): Promise<string | null> => {
    const found = await runCommand(uv, ['python', 'find', '--system', `>=${MIN_PYTHON}`], { env, signal })
    if (found.cancelled) throw new PythonChoiceError('cancelled')
    return found.exitCode === 0 ? found.stdout.trim().split('\n').at(-1)! : null
  }
  const existing = await find()
  if (existing) return { python: existing, managed: false }

  onLine(`no Python ${MIN_PYTHON}+ on this machine: installing CPython ${MANAGED_PYTHON} with uv (downloaded from GitHub)`)
  const install = await runCommand(uv, ['python', 'install', MANAGED_PYTHON], { env, signal, onLine })
  if (install.cancelled) throw new PythonChoiceError('cancelled')
  if (install.exitCode !== 0) {
    throw new PythonChoiceError(
      `no Python ${MIN_PYTHON}+ was found and installing one failed (${describeFailure('uv python install', install)}); install Python ${MIN_PYTHON} or newer and try again`
    )
  }
  const managed = await find()
  if (!managed) throw new PythonChoiceError(`uv installed CPython ${MANAGED_PYTHON} but cannot find it afterwards`)
  return { python: managed, managed: true }
}
