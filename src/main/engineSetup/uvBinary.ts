// The uv that builds the engine environment, pinned. The packaged app ships it in its resources; a
// source checkout installs the same version from PyPI (the `uv` package is the binary in a wheel)
// into <engineDir>/uv with the system Python's pip, once.
import { existsSync } from 'node:fs'
import { rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { describeFailure, runCommand } from './runCommand'

export const UV_VERSION = '0.13.9'

export class UvUnavailableError extends Error {}

/** pip --target puts the wheel's scripts in bin/ (Scripts/ on Windows). */
export function installedUvPath(installDir: string, platform: NodeJS.Platform = process.platform): string {
  return platform === 'win32' ? join(installDir, 'Scripts', 'uv.exe') : join(installDir, 'bin', 'uv')
}

/** "uv 0.13.9 (x86_64-unknown-linux-gnu)" -> "0.13.9"; null when it doesn't run. */
export async function uvVersion(uv: string, signal?: AbortSignal): Promise<string | null> {
  const result = await runCommand(uv, ['--version'], { signal })
  if (result.exitCode !== 0) return null
  return /^uv (\S+)/.exec(result.stdout.trim())?.[1] ?? null
}

export type EnsureUvOptions = {
  /** The uv shipped with the packaged app; used as it is. */
  bundled: string | null
  /** Where a source checkout keeps its own uv. */
  installDir: string
  /** The Python whose pip installs uv from PyPI when there is none yet. */
  python: string
  signal?: AbortSignal
  onLine?: (line: string) => void
}

/** The path of a uv at UV_VERSION, installing it from PyPI into installDir when needed. */
export async function ensureUv(options: EnsureUvOptions): Promise<string> {
  const { bundled, installDir, signal } = options
  if (bundled) {
    const version = await uvVersion(bundled, signal)
    if (version === null) throw new UvUnavailableError(`the uv shipped with the app (${bundled}) does not run`)
    if (version !== UV_VERSION) options.onLine?.(`note: the bundled uv is ${version}; the studio is tested with ${UV_VERSION}`)
    return bundled
  }
  const installed = installedUvPath(installDir)
  if (existsSync(installed) && (await uvVersion(installed, signal)) === UV_VERSION) return installed

  // Into a fresh folder, moved into place only once complete: a cancelled pip leaves no half uv.
  const staging = `${installDir}.partial`
  await rm(staging, { recursive: true, force: true })
  const args = ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--no-deps', '--target', staging, `uv==${UV_VERSION}`]
  options.onLine?.(`$ ${options.python} ${args.join(' ')}`)
  const result = await runCommand(options.python, args, { signal, onLine: (line) => options.onLine?.(line) })
  if (result.cancelled) {
    await rm(staging, { recursive: true, force: true })
    throw new UvUnavailableError('cancelled while installing uv')
  }
  if (result.exitCode !== 0) {
    await rm(staging, { recursive: true, force: true })
    throw new UvUnavailableError(
      `installing uv ${UV_VERSION} from PyPI failed: ${describeFailure(`${options.python} -m pip`, result)}. ` +
        `The set-up needs pip for ${options.python} (e.g. the python3-pip package) and PyPI reachable.`
    )
  }
  await rm(installDir, { recursive: true, force: true })
  await rename(staging, installDir)
  if ((await uvVersion(installed, signal)) !== UV_VERSION) throw new UvUnavailableError(`uv ${UV_VERSION} was installed into ${installDir} but ${installed} does not run`)
  return installed
}
