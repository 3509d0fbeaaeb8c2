// The whole set-up through the real uv (pinned) into temporary engine folders, with the sidecar's
// base requirements only (numpy, jsonschema), so each run takes seconds: progress in order, the
// sidecar starting from the result, and a refused, cancelled or failed set-up leaving the previous
// environment working. Needs PyPI (uv downloads the wheels into each folder's own cache).
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EngineSetupProgress } from '../../src/shared/engineSetup'
import { currentEnvironmentDir, currentEnvironmentKind } from '../../src/main/engineSetup/environments'
import { setupEngine, type EngineSetupOptions } from '../../src/main/engineSetup/setupEngine'
import { appPathsForThisMachine } from '../../src/main/appPaths/appPaths'

const repoRoot = join(__dirname, '..', '..')
const requirementsDir = join(repoRoot, 'resources', 'sidecar', 'requirements')
const sidecarDir = join(repoRoot, 'resources', 'sidecar')
const scratch = mkdtempSync(join(tmpdir(), 'wan-setup-'))
let uv: string

/** The checkout's pinned uv (build/uv/<os>-<arch>), fetched from PyPI if `npm run engine:setup` hasn't yet. */
beforeAll(() => {
  uv = appPathsForThisMachine({ layout: 'source', appRoot: repoRoot, resourcesPath: null, dataDir: scratch, env: {} }).uvBinary
  if (!existsSync(uv)) expect(spawnSync(process.execPath, [join(repoRoot, 'scripts', 'fetch-uv.mjs')], { stdio: 'inherit' }).status).toBe(0)
}, 120_000)
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

function options(engineDir: string, extra: Partial<EngineSetupOptions> = {}): EngineSetupOptions {
  return { engineDir, requirementsDir, sidecarDir, uv, syntheticOnly: true, withTestTools: false, ...extra }
}

/** Runs the environment's Python: proof that it still works. */
function importsNumpy(engineDir: string): boolean {
  const python = join(engineDir, 'venv', process.platform === 'win32' ? 'Scripts/python.exe' : 'bin/python')
  return spawnSync(python, ['-c', 'import numpy, jsonschema'], { encoding: 'utf8' }).status === 0
}

describe('engine set-up with uv', () => {
  let engineDir: string
  let firstEnvironment: string | null

  it('builds a working environment, reporting each phase and uv’s packages', async () => {
    engineDir = join(scratch, 'engine')
    const events: EngineSetupProgress[] = []
    const outcome = await setupEngine(options(engineDir, { onProgress: (progress) => events.push(progress) }))
    expect(outcome).toMatchObject({ status: 'done', error: null })
    expect(outcome.python).toBe(join(engineDir, 'venv', process.platform === 'win32' ? 'Scripts/python.exe' : 'bin/python'))
    expect(importsNumpy(engineDir)).toBe(true)

    const phases = [...new Set(events.map((event) => event.phase))]
    expect(phases).toEqual(['disk', 'uv', 'python', 'venv', 'packages', 'verify', 'switch', 'done'])
    const packages = events.filter((event) => event.phase === 'packages')
    // base.txt: numpy, jsonschema and their dependencies; numpy at least is a large (announced) download.
    const resolved = packages.find((event) => event.packages.resolved !== null)!.packages.resolved!
    const final = packages.at(-1)!.packages
    expect(resolved).toBeGreaterThanOrEqual(2)
    expect(final).toMatchObject({ resolved, installed: resolved })
    expect(final.announcedDownloads).toBeGreaterThanOrEqual(1)
    expect(final.finishedDownloads).toBe(final.announcedDownloads)
    expect(packages.at(-1)!.bytes.done).toBe(packages.at(-1)!.bytes.total)
    expect(packages.at(-1)!.bytes.total).toBeGreaterThan(10 * 2 ** 20)
    expect(outcome.disk).toMatchObject({ enough: true })

    const log = readFileSync(outcome.logFile, 'utf8')
    expect(log).toContain(`Resolved ${resolved} packages`)
    expect(log).toMatch(/the sidecar reported ready/)
    firstEnvironment = await currentEnvironmentDir(engineDir)
    // Recorded, so Repair builds the same kind again.
    expect(await currentEnvironmentKind(engineDir)).toBe('synthetic')
  })

  it('refuses to start without the free space it needs, before anything is written', async () => {
    const outcome = await setupEngine(options(engineDir, { freeSpace: () => Promise.resolve(50 * 2 ** 20) }))
    expect(outcome.status).toBe('failed')
    expect(outcome.error).toMatch(/not enough free disk space in .*: the engine environment needs about 300 MiB, and 50 MiB is free/)
    expect(outcome.disk).toMatchObject({ freeBytes: 50 * 2 ** 20, enough: false })
    expect(await currentEnvironmentDir(engineDir)).toBe(firstEnvironment)
    expect(importsNumpy(engineDir)).toBe(true)
  })

  it('cancelled while uv downloads, kills uv and keeps the previous environment', async () => {
    // A cold cache, so uv is still downloading when the first line of its output arrives.
    rmSync(join(engineDir, 'uv-cache'), { recursive: true, force: true })
    const controller = new AbortController()
    const events: EngineSetupProgress[] = []
    const outcome = await setupEngine(
      options(engineDir, {
        signal: controller.signal,
        onProgress: (progress) => {
          events.push(progress)
          // The first event read from uv's own output.
          if (progress.phase === 'packages' && progress.packages.resolved !== null) controller.abort()
        }
      })
    )
    expect(outcome).toMatchObject({ status: 'cancelled' })
    expect(events.at(-1)!.packages.installed).toBeNull()
    expect(await currentEnvironmentDir(engineDir)).toBe(firstEnvironment)
    expect(readdirSync(join(engineDir, 'envs'))).toEqual([firstEnvironment!.split(/[\\/]/).at(-1)])
    expect(importsNumpy(engineDir)).toBe(true)
    expect(readFileSync(outcome.logFile, 'utf8')).toMatch(/cancelled[\s\S]*the current environment is unchanged/)
  })

  it('fails midway on a requirement uv cannot resolve, with uv’s reason, and keeps the previous environment', async () => {
    const badRequirements = join(scratch, 'bad-requirements')
    mkdirSync(badRequirements, { recursive: true })
    copyFileSync(join(requirementsDir, 'base.txt'), join(badRequirements, 'base.txt'))
    writeFileSync(join(badRequirements, 'base.txt'), 'numpy==0.0.404\n', { flag: 'a' })
    const outcome = await setupEngine(options(engineDir, { requirementsDir: badRequirements }))
    expect(outcome.status).toBe('failed')
    expect(outcome.error).toMatch(/uv pip install exited with code 1: error: No solution found when resolving dependencies/)
    expect(await currentEnvironmentDir(engineDir)).toBe(firstEnvironment)
    expect(readdirSync(join(engineDir, 'envs'))).toHaveLength(1)
    expect(importsNumpy(engineDir)).toBe(true)
  })

  it('refuses a second set-up of the same folder while one runs, without touching its log', async () => {
    // A uv that holds `pip install` until it is killed, so the first run is surely still going.
    const holdingUv = join(scratch, 'holding-uv')
    writeFileSync(holdingUv, `#!/bin/sh\nif [ "$1 $2" = "pip install" ]; then echo "Resolved 3 packages in 1ms" >&2; exec sleep 600; fi\nexec "${uv}" "$@"\n`, { mode: 0o755 })
    const folder = join(scratch, 'contended')
    const controller = new AbortController()
    let installing!: () => void
    const firstInstalling = new Promise<void>((resolve) => (installing = resolve))
    const first = setupEngine(
      options(folder, { uv: holdingUv, signal: controller.signal, onProgress: (progress) => progress.packages.resolved !== null && installing() })
    )
    await firstInstalling
    const second = await setupEngine(options(folder))
    expect(second).toMatchObject({ status: 'failed', error: `another engine set-up is running in ${folder}` })
    expect(readFileSync(join(folder, 'setup.log'), 'utf8')).toMatch(/Resolved 3 packages/)
    controller.abort()
    expect(await first).toMatchObject({ status: 'cancelled' })
  })
})
