import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { resolveAppPaths } from '../../src/main/appPaths/appPaths'
import { findPython, PythonNotFoundError } from '../../src/main/sidecar/python'

function executable(path: string): string {
  mkdirSync(join(path, '..'), { recursive: true })
  writeFileSync(path, '#!/bin/sh\n')
  chmodSync(path, 0o755)
  return path
}

describe.skipIf(process.platform === 'win32')('findPython', () => {
  const root = mkdtempSync(join(tmpdir(), 'wan-python-'))
  // The packaged layout's engine: the data folder's engine/venv.
  const paths = resolveAppPaths({ layout: 'packaged', platform: process.platform, arch: process.arch, appRoot: '/r', resourcesPath: join(root, 'resources'), dataDir: join(root, 'data'), env: {} })
  const pathDir = join(root, 'bin')
  const systemPython = executable(join(pathDir, 'python3'))

  it('prefers the engine environment the paths name over python3 on PATH', () => {
    expect(findPython(paths.engineVenvPython, { PATH: pathDir })).toEqual({ path: systemPython, source: 'PATH' })
    executable(paths.engineVenvPython)
    expect(paths.engineVenvPython).toBe(join(root, 'data', 'engine', 'venv', 'bin', 'python'))
    expect(findPython(paths.engineVenvPython, { PATH: pathDir })).toEqual({ path: paths.engineVenvPython, source: 'engine environment' })
  })

  it('WAN_STUDIO_PYTHON wins, and a wrong one is an error, not a fallback', () => {
    expect(findPython(paths.engineVenvPython, { WAN_STUDIO_PYTHON: systemPython })).toEqual({ path: systemPython, source: 'WAN_STUDIO_PYTHON' })
    expect(() => findPython(paths.engineVenvPython, { WAN_STUDIO_PYTHON: join(root, 'nope') })).toThrow(`WAN_STUDIO_PYTHON is set to ${join(root, 'nope')}, but no such file exists`)
  })

  it('says how to get one when there is none', () => {
    expect(() => findPython(join(root, 'missing', 'python'), { PATH: join(root, 'empty') })).toThrow(PythonNotFoundError)
    expect(() => findPython(join(root, 'missing', 'python'), { PATH: join(root, 'empty') })).toThrow(/set up the engine/)
  })
})
