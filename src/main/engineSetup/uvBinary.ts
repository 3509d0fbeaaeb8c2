// The uv that builds the engine environment. It is pinned in scripts/fetch-uv.mjs, which puts it in
// build/uv/<os>-<arch> for the source checkout and for `npm run package` to ship in the app's
// resources (src/main/appPaths decides which path). The set-up only checks that it runs.
import { describeFailure, runCommand } from './runCommand'

/** The uv whose output uvOutput.ts was written against (the fixtures); scripts/fetch-uv.mjs pins the same. */
export const TESTED_UV_VERSION = '0.13.9'

export class UvUnavailableError extends Error {}

/** "uv 0.13.9 (x86_64-unknown-linux-gnu)" -> "0.13.9"; throws when it doesn't run. */
export async function checkUv(uv: string, signal?: AbortSignal): Promise<string> {
  const result = await runCommand(uv, ['--version'], { signal })
  if (result.cancelled) throw new UvUnavailableError('cancelled')
  const version = /^uv (\S+)/.exec(result.stdout.trim())?.[1]
  if (result.exitCode !== 0 || !version) {
    throw new UvUnavailableError(
      `uv (${uv}) does not run: ${describeFailure('uv --version', result)}. In a source checkout, run node scripts/fetch-uv.mjs (npm run engine:setup does it); WAN_STUDIO_UV names another uv.`
    )
  }
  return version
}
