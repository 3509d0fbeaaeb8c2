// The progress parser against uv 0.13.9's real output (captured by running it on the sidecar's
// requirement sets; see the fixtures' names).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { TESTED_UV_VERSION } from '../../src/main/engineSetup/uvBinary'
import { estimateSecondsLeft, parseUvSize, UvOutputReader, type UvInstallState } from '../../src/main/engineSetup/uvOutput'

const fixture = (name: string): string[] => readFileSync(join(__dirname, 'fixtures', name), 'utf8').split('\n')

function readAll(lines: string[]): { states: UvInstallState[]; final: UvInstallState } {
  const reader = new UvOutputReader()
  const states = lines.map((line) => reader.read(line)).filter((state): state is UvInstallState => state !== null)
  return { states, final: reader.current }
}

describe('uv output', () => {
  it('is read for the uv the checkout fetches and the app ships', () => {
    const fetchScript = readFileSync(join(__dirname, '..', '..', 'scripts', 'fetch-uv.mjs'), 'utf8')
    expect(/export const UV_VERSION = '([^']+)'/.exec(fetchScript)?.[1]).toBe(TESTED_UV_VERSION)
  })

  it('reads sizes as uv writes them', () => {
    expect(parseUvSize('16.1MiB')).toBe(Math.round(16.1 * 2 ** 20))
    expect(parseUvSize('858.1MiB')).toBe(Math.round(858.1 * 2 ** 20))
    expect(parseUvSize('1.2GiB')).toBe(Math.round(1.2 * 2 ** 30))
    expect(parseUvSize('512B')).toBe(512)
    expect(parseUvSize('12 parsecs')).toBeNull()
  })

  it('follows a cold install: resolved, each large download announced then finished with its bytes, installed', () => {
    const { states, final } = readAll(fixture('uv-0.13.9-base-test-cold.txt'))
    expect(final.stage).toBe('installed')
    expect(final.packages).toEqual({ resolved: 15, announcedDownloads: 4, finishedDownloads: 4, installed: 15 })
    const announced = [1.2, 10.2, 1.1, 16.1].reduce((sum, mib) => sum + Math.round(mib * 2 ** 20), 0)
    expect(final.bytes).toEqual({ done: announced, total: announced })
    expect(final.errorLines).toEqual([])
    // Bytes done only ever grow, and never pass the total known at that moment.
    for (let index = 1; index < states.length; index++) expect(states[index]!.bytes.done).toBeGreaterThanOrEqual(states[index - 1]!.bytes.done)
    for (const state of states) expect(state.bytes.done).toBeLessThanOrEqual(state.bytes.total)
    // After the four announcements and the first finished download, part of the bytes is done.
    const firstFinished = states.find((state) => state.packages.finishedDownloads === 1)!
    expect(firstFinished.bytes.done).toBeGreaterThan(0)
    expect(firstFinished.bytes.done).toBeLessThan(announced)
    expect(states.map((state) => state.stage)).toContain('installing')
  })

  it('follows the real engine’s install (torch and its CUDA libraries from PyPI, Linux): 31 large files, 2.9 GiB', () => {
    const lines = fixture('uv-0.13.9-engine-test-cold-linux.txt')
    const { states, final } = readAll(lines)
    expect(final.packages).toEqual({ resolved: 83, announcedDownloads: 31, finishedDownloads: 31, installed: 83 })
    const torch = Math.round(514.2 * 2 ** 20)
    expect(final.bytes.total).toBeGreaterThan(torch)
    expect(final.bytes.done).toBe(final.bytes.total)
    // The moment torch's own download finished, its bytes were added to those done.
    const torchLine = lines.indexOf(' Downloaded torch')
    const reader = new UvOutputReader()
    for (const line of lines.slice(0, torchLine)) reader.read(line)
    const before = reader.current.bytes.done
    expect(reader.read(' Downloaded torch')!.bytes.done - before).toBe(torch)
    expect(states.filter((state) => state.stage === 'installing')).not.toHaveLength(0)
  })

  it('follows a warm install: nothing to download, straight to installed', () => {
    const { final } = readAll(fixture('uv-0.13.9-base-test-warm.txt'))
    expect(final).toMatchObject({ stage: 'installed', packages: { resolved: 15, announcedDownloads: 0, installed: 15 }, bytes: { done: 0, total: 0 } })
  })

  it('keeps uv’s error and its cause when resolution fails', () => {
    const { final } = readAll(fixture('uv-0.13.9-no-solution.txt'))
    expect(final.errorLines[0]).toBe('error: No solution found when resolving dependencies')
    expect(final.errorLines[1]).toMatch(/there is no version of numpy==0\.0\.404/)
    expect(final.packages.installed).toBeNull()
  })

  it('estimates the time left from the rate so far, and only once bytes have come', () => {
    expect(estimateSecondsLeft({ done: 0, total: 100 }, 5)).toBeNull()
    expect(estimateSecondsLeft({ done: 50, total: 100 }, null)).toBeNull()
    expect(estimateSecondsLeft({ done: 25, total: 100 }, 10)).toBe(30)
    expect(estimateSecondsLeft({ done: 100, total: 100 }, 10)).toBe(0)
  })
})
