// The switch from one environment to the next: venv always names a complete environment, the old
// one goes only after the new one is in place, and an interrupted switch is put back.
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  currentEnvironmentDir,
  environmentsDir,
  makeCurrent,
  recoverInterruptedSwitch,
  removeStaleEnvironments,
  currentEnvironmentKind,
  writeEnvironmentRecord
} from '../../src/main/engineSetup/environments'

let engineDir: string
beforeEach(() => {
  engineDir = mkdtempSync(join(tmpdir(), 'wan-envs-'))
})
afterEach(() => rmSync(engineDir, { recursive: true, force: true }))

/** A stand-in environment: a folder with a marker saying which one it is. */
function fakeEnvironment(id: string): string {
  const dir = join(environmentsDir(engineDir), id)
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'marker'), id)
  return dir
}
const markerThroughVenv = (): string => readFileSync(join(engineDir, 'venv', 'marker'), 'utf8')

describe('engine environments', () => {
  it('links venv to the first environment, then swaps the link and removes the previous one', async () => {
    const first = fakeEnvironment('a')
    expect(await makeCurrent(engineDir, first, 'linux')).toEqual({ previous: null })
    expect(lstatSync(join(engineDir, 'venv')).isSymbolicLink()).toBe(true)
    // Relative, so the engine folder can be moved whole.
    expect(readlinkSync(join(engineDir, 'venv'))).toBe(join('envs', 'a'))
    expect(markerThroughVenv()).toBe('a')

    const second = fakeEnvironment('b')
    expect(await makeCurrent(engineDir, second, 'linux')).toEqual({ previous: first })
    expect(markerThroughVenv()).toBe('b')
    expect(existsSync(first)).toBe(false)
    expect(await currentEnvironmentDir(engineDir)).toBe(second)
  })

  it('on Windows moves venv aside, links the new one in (an absolute junction target) and removes what it moved aside', async () => {
    // Node ignores the junction type off Windows and makes a symlink: the renames are what is tested here.
    const first = fakeEnvironment('a')
    await makeCurrent(engineDir, first, 'win32')
    expect(readlinkSync(join(engineDir, 'venv'))).toBe(first)
    const second = fakeEnvironment('b')
    expect(await makeCurrent(engineDir, second, 'win32')).toEqual({ previous: first })
    expect(markerThroughVenv()).toBe('b')
    expect(existsSync(first)).toBe(false)
    expect(readdirSync(engineDir).filter((name) => name.startsWith('venv.'))).toEqual([])
  })

  it('replaces a plain venv folder left by an older set-up, removing it once the link is in', async () => {
    mkdirSync(join(engineDir, 'venv'))
    writeFileSync(join(engineDir, 'venv', 'marker'), 'legacy')
    const next = fakeEnvironment('b')
    await makeCurrent(engineDir, next, 'linux')
    expect(markerThroughVenv()).toBe('b')
    expect(lstatSync(join(engineDir, 'venv')).isSymbolicLink()).toBe(true)
    expect((await removeStaleEnvironments(engineDir)).length).toBe(0)
  })

  it('leaves the current environment alone when the new link cannot be made', async () => {
    const first = fakeEnvironment('a')
    await makeCurrent(engineDir, first, 'linux')
    const second = fakeEnvironment('b')
    // Something already sits where the new link goes: the switch fails before touching venv.
    writeFileSync(join(engineDir, 'venv.next-b'), 'in the way')
    await expect(makeCurrent(engineDir, second, 'linux')).rejects.toThrow(/EEXIST/)
    expect(markerThroughVenv()).toBe('a')
  })

  it('puts back a venv that a switch moved aside and never replaced', async () => {
    const first = fakeEnvironment('a')
    await makeCurrent(engineDir, first, 'linux')
    // The state a crash between Windows' two renames leaves: venv moved aside, the new link not in yet.
    renameSync(join(engineDir, 'venv'), join(engineDir, 'venv.old-b'))
    expect(await currentEnvironmentDir(engineDir)).toBeNull()
    expect(await recoverInterruptedSwitch(engineDir)).toBe('venv.old-b')
    expect(markerThroughVenv()).toBe('a')
    expect(await recoverInterruptedSwitch(engineDir)).toBeNull()
  })

  it('removes what failed or cancelled set-ups left, never the current environment', async () => {
    const current = fakeEnvironment('a')
    await makeCurrent(engineDir, current, 'linux')
    const partial = fakeEnvironment('b')
    const removed = await removeStaleEnvironments(engineDir)
    expect(removed).toEqual([partial])
    expect(existsSync(current)).toBe(true)
    expect(markerThroughVenv()).toBe('a')
  })

  it('tells the kind of the current environment from its record; unknown for an older one, null without one', async () => {
    expect(await currentEnvironmentKind(engineDir)).toBeNull()
    const legacy = fakeEnvironment('a')
    await makeCurrent(engineDir, legacy, 'linux')
    expect(await currentEnvironmentKind(engineDir)).toBe('unknown')
    const full = fakeEnvironment('b')
    await writeEnvironmentRecord(full, { syntheticOnly: false, withTestTools: true, createdAt: '2026-12-02T10:00:00Z', uvVersion: '0.13.9' })
    await makeCurrent(engineDir, full, 'linux')
    expect(await currentEnvironmentKind(engineDir)).toBe('full')
  })
})
