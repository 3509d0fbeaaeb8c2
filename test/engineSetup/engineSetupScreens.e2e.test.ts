// The set-up screens in Chromium against the real core: the first-run screen of a studio with no
// engine environment builds one through the real uv (the synthetic set, so it takes seconds) and
// opens the studio; the System tab's Repair is then cancelled by the user while uv "downloads",
// leaving that environment in place. For the cancel, WAN_STUDIO_UV names a stand-in that passes
// everything to the real uv except `pip install` while a flag file exists: that one says it
// resolved and then waits until it is killed, so the Cancel click always lands mid-install.
import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, readlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openBrowserStudio, resultsDir, type BrowserStudio } from '../e2e/browserStudio'
import { repoRoot, sourcePaths, testEnv } from '../helpers/studio'

const scratch = mkdtempSync(join(tmpdir(), 'wan-setup-ui-'))
const engineDir = join(scratch, 'engine')
const blockFlag = join(scratch, 'block-pip-install')
const standInUv = join(scratch, 'uv')

describe('engine set-up screens (Chromium + real core + real uv)', () => {
  let app: BrowserStudio

  beforeAll(async () => {
    const realUv = sourcePaths(testEnv()).uvBinary
    if (!existsSync(realUv)) expect(spawnSync(process.execPath, [join(repoRoot, 'scripts', 'fetch-uv.mjs')], { stdio: 'inherit' }).status).toBe(0)
    writeFileSync(
      standInUv,
      `#!/bin/sh\nif [ "$1" = pip ] && [ "$2" = install ] && [ -e "${blockFlag}" ]; then\n  echo "Resolved 3 packages in 1ms" >&2\n  exec sleep 600\nfi\nexec "${realUv}" "$@"\n`
    )
    chmodSync(standInUv, 0o755)
    app = await openBrowserStudio(testEnv({ WAN_STUDIO_ENGINE_DIR: engineDir, WAN_STUDIO_UV: standInUv }), { viewport: { width: 1280, height: 900 } })
  })

  afterAll(() => app?.close())

  it('first run: no engine environment, so the set-up screen; the synthetic set-up builds one and opens the studio', async () => {
    const { page } = app
    await expect.poll(() => page.getByTestId('first-run').isVisible(), { timeout: 30_000 }).toBe(true)
    await expect.poll(() => page.getByTestId('setup-disk').getAttribute('data-enough'), { timeout: 30_000 }).toBe('true')
    expect(await page.getByTestId('first-run').textContent()).toContain(engineDir)
    await page.screenshot({ path: join(resultsDir, 'engine-first-run.png') })

    await page.getByTestId('first-run-synthetic').click()
    await expect.poll(() => page.getByTestId('setup-outcome').getAttribute('data-status'), { timeout: 120_000 }).toBe('done')
    for (const phase of ['disk', 'uv', 'python', 'venv', 'packages', 'verify', 'switch']) {
      expect(await page.getByTestId(`setup-step-${phase}`).getAttribute('data-state')).toBe('done')
    }
    // The live log is uv's own output, then the sidecar's handshake from the new environment.
    await page.locator('.setup-log summary').click()
    const live = await page.getByTestId('setup-log-text').textContent()
    expect(live).toMatch(/Resolved \d+ packages/)
    expect(live).toContain('the sidecar reported ready')
    await page.getByTestId('setup-log-full').click()
    await expect.poll(() => page.getByTestId('setup-log-text').textContent()).toMatch(/^engine set-up started/)
    await page.screenshot({ path: join(resultsDir, 'engine-first-run-done.png') })

    expect(existsSync(join(engineDir, 'venv', 'bin', 'python'))).toBe(true)
    await page.getByTestId('first-run-open').click()
    await expect.poll(() => page.getByTestId('first-run').count()).toBe(0)
    await expect.poll(() => page.getByTestId('system-tab').isVisible()).toBe(true)
  })

  it('Repair, cancelled mid-install from the System tab, keeps the environment the first run built', async () => {
    const { page, pageErrors } = app
    const before = readlinkSync(join(engineDir, 'venv'))
    await page.getByTestId('system-tab').click()
    await expect.poll(() => page.getByTestId('repair-engine').getAttribute('data-kind'), { timeout: 60_000 }).toBe('synthetic')

    writeFileSync(blockFlag, '')
    await page.getByTestId('repair-engine-button').click()
    await expect.poll(() => page.getByTestId('setup-packages').textContent(), { timeout: 60_000 }).toContain('3 packages resolved')
    expect(await page.getByTestId('setup-step-packages').getAttribute('data-state')).toBe('current')
    await page.screenshot({ path: join(resultsDir, 'engine-repair-running.png') })
    await page.getByTestId('setup-cancel').click()

    await expect.poll(() => page.getByTestId('setup-outcome').getAttribute('data-status'), { timeout: 30_000 }).toBe('cancelled')
    expect(await page.getByTestId('setup-outcome').textContent()).toMatch(/previous engine environment is unchanged/)
    expect(readlinkSync(join(engineDir, 'venv'))).toBe(before)
    const python = join(engineDir, 'venv', 'bin', 'python')
    expect(spawnSync(python, ['-c', 'import numpy, jsonschema']).status).toBe(0)
    await page.screenshot({ path: join(resultsDir, 'engine-repair-cancelled.png') })
    expect(pageErrors).toEqual([])
  })
})
