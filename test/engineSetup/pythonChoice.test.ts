// Which Python the environment is built from, with a stand-in uv that records what it was asked:
// one found on the machine, else a managed CPython installed by uv (GitHub, unreachable here, so
// the real download is not exercised), else a clear refusal.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { choosePython, MANAGED_PYTHON } from '../../src/main/engineSetup/pythonChoice'

let dir: string
let calls: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wan-python-choice-'))
  calls = join(dir, 'calls.txt')
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

/** A uv whose `python find` finds nothing until `python install` ran (when `installWorks`). */
function standInUv(options: { systemPython: string | null; installWorks: boolean }): string {
  const uv = join(dir, 'uv')
  const installed = join(dir, 'installed')
  writeFileSync(
    uv,
    [
      '#!/bin/sh',
      `echo "$*" >> "${calls}"`,
      'if [ "$1 $2" = "python find" ]; then',
      options.systemPython ? `  echo "${options.systemPython}"; exit 0` : `  if [ -e "${installed}" ]; then echo "${dir}/python/cpython-${MANAGED_PYTHON}/bin/python3"; exit 0; fi`,
      '  echo "error: No interpreter found" >&2; exit 2',
      'fi',
      'if [ "$1 $2" = "python install" ]; then',
      options.installWorks ? `  touch "${installed}"; echo "Installed Python ${MANAGED_PYTHON}" >&2; exit 0` : '  echo "error: Failed to download https://github.com/..." >&2; exit 1',
      'fi',
      'exit 3',
      ''
    ].join('\n')
  )
  chmodSync(uv, 0o755)
  return uv
}

const run = (uv: string, requested: string | null = null) => choosePython({ uv, requested, env: process.env, onLine: () => undefined })

describe('choosing the Python', () => {
  it('uses a Python 3.10+ found on the machine, and installs nothing', async () => {
    await expect(run(standInUv({ systemPython: '/usr/bin/python3.11', installWorks: true }))).resolves.toEqual({ python: '/usr/bin/python3.11', managed: false })
    expect(readFileSync(calls, 'utf8')).toBe('python find --system >=3.10\n')
  })

  it('without one, installs the managed CPython and builds from it', async () => {
    const chosen = await run(standInUv({ systemPython: null, installWorks: true }))
    expect(chosen).toEqual({ python: `${dir}/python/cpython-${MANAGED_PYTHON}/bin/python3`, managed: true })
    expect(readFileSync(calls, 'utf8').split('\n')).toContain(`python install ${MANAGED_PYTHON}`)
  })

  it('says what to do when there is none and the download fails', async () => {
    await expect(run(standInUv({ systemPython: null, installWorks: false }))).rejects.toThrow(
      /no Python 3\.10\+ was found and installing one failed \(uv python install exited with code 1\); install Python 3\.10 or newer/
    )
  })

  it('checks a --python it was given', async () => {
    await expect(run(standInUv({ systemPython: null, installWorks: false }), '/opt/nowhere/python')).rejects.toThrow(/the Python given with --python \(\/opt\/nowhere\/python\) cannot be used/)
  })
})
