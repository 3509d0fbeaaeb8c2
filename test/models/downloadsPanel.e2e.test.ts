// The System tab's weights downloads in the built renderer (Chromium, bridged to the real core), against
// the stand-in hub: the three downloads listed, one fetched from the panel to its checked end, no
// serious accessibility violation in the panel.
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openBrowserStudio, resultsDir, seriousViolations, type BrowserStudio } from '../e2e/browserStudio'
import { sourcePaths, testEnv } from '../helpers/studio'
import { StandInHub } from './standInHub'

describe.skipIf(!existsSync(sourcePaths(process.env).engineVenvPython))('weights download panel (Chromium + real core)', () => {
  let app: BrowserStudio
  let hub: StandInHub
  const home = mkdtempSync(join(tmpdir(), 'wan-downloads-panel-'))

  beforeAll(async () => {
    hub = new StandInHub()
    await hub.start()
    const env = testEnv({ WAN_STUDIO_MODELS_DIR: join(home, 'models'), HF_ENDPOINT: hub.endpoint, HF_HOME: join(home, 'hf-home') })
    app = await openBrowserStudio(env, { viewport: { width: 1440, height: 900 }, consoleErrors: true })
  })

  afterAll(async () => {
    await app?.close()
    await hub?.close()
    rmSync(home, { recursive: true, force: true })
  })

  it('lists the downloads, fetches one from the panel to its checked end, and passes axe', async () => {
    const { page, pageErrors } = app
    await page.getByTestId('system-tab').click()
    const row = page.getByTestId('weight-download-ti2v-5b')
    await expect.poll(() => row.getAttribute('data-state'), { timeout: 60_000 }).toBe('idle')
    expect(await page.getByTestId('weight-download-t2v-a14b').textContent()).toMatch(/Wan-AI\/Wan2\.2-T2V-A14B-Diffusers/)
    expect(await page.getByTestId('weight-download-lightning-lora').textContent()).toMatch(/lightx2v\/Wan2\.2-Lightning/)

    await page.getByTestId('weight-download-ti2v-5b-start').click()
    await expect.poll(() => row.getAttribute('data-state'), { timeout: 60_000 }).toBe('complete')
    expect(await row.textContent()).toMatch(/Downloaded and checked/)
    expect(await row.textContent()).toMatch(/in all · .* free/)
    await page.getByTestId('weight-downloads').scrollIntoViewIfNeeded()
    await page.screenshot({ path: join(resultsDir, 'weight-downloads.png') })
    expect(await seriousViolations(page, { include: '[data-testid="weight-downloads"]' })).toEqual([])
    expect(pageErrors).toEqual([])
  })
})
