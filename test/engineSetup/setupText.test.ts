// The set-up screens' words: the packages line, the download fraction and each step's state.
import { describe, expect, it } from 'vitest'
import type { EngineSetupProgress } from '../../src/shared/engineSetup'
import { bytesFraction, diskLine, packagesLine, stepState } from '../../src/renderer/src/engineSetup/setupText'

const GIB = 2 ** 30
function progress(change: Partial<EngineSetupProgress>): EngineSetupProgress {
  return {
    phase: 'packages',
    message: '',
    packages: { resolved: null, announcedDownloads: 0, finishedDownloads: 0, installed: null },
    bytes: { done: 0, total: 0 },
    secondsLeft: null,
    elapsedSeconds: 3,
    ...change
  }
}

describe('set-up words', () => {
  it('says how far uv has got: resolved, files and bytes with the time left, then installed', () => {
    expect(packagesLine(progress({}))).toBe('resolving packages…')
    expect(
      packagesLine(progress({ packages: { resolved: 83, announcedDownloads: 31, finishedDownloads: 12, installed: null }, bytes: { done: 1.2 * GIB, total: 2.9 * GIB }, secondsLeft: 90 }))
    ).toBe('83 packages resolved · 12 of 31 large files · 1.2 GiB of 2.9 GiB · about 2 min left')
    expect(packagesLine(progress({ packages: { resolved: 83, announcedDownloads: 31, finishedDownloads: 31, installed: 83 }, bytes: { done: 2.9 * GIB, total: 2.9 * GIB } }))).toBe(
      '83 packages installed · 31 of 31 large files · 2.9 GiB of 2.9 GiB'
    )
  })

  it('gives the downloaded fraction only once uv has announced a download', () => {
    expect(bytesFraction(progress({}))).toBeNull()
    expect(bytesFraction(progress({ bytes: { done: 1, total: 4 } }))).toBe(0.25)
  })

  it('marks the steps before the current one done, and all of them at the end', () => {
    expect(stepState('disk', 'packages')).toBe('done')
    expect(stepState('packages', 'packages')).toBe('current')
    expect(stepState('switch', 'packages')).toBe('waiting')
    expect(stepState('switch', 'done')).toBe('done')
    expect(stepState('disk', null)).toBe('waiting')
  })

  it('words the disk check', () => {
    expect(diskLine({ folder: '/data/engine', freeBytes: 63.3 * GIB, neededBytes: 8 * GIB, enough: true })).toBe('63.3 GiB free in /data/engine; the engine needs about 8.0 GiB')
  })
})
