// End to end: live GPU telemetry in the built renderer (Chromium, its preload bridged to the real
// core) during a synthetic render with the fake nvidia-smi throttling for heat and power. Charts,
// summaries and the held warning while rendering; the summary in the render's details and the
// Renders list afterwards; Watch GPU and the metrics setting in the System tab; axe-core finds no
// serious or critical problem in any of them.
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openBrowserStudio, resultsDir, RTX_4090_MACHINE, seriousViolations, waitForSyntheticEngine, type BrowserStudio } from './browserStudio'
import { testEnv } from '../helpers/studio'
import { freePort } from '../helpers/net'

describe('GPU telemetry end to end (Chromium + real core)', () => {
  let app: BrowserStudio
  // The fake card throttles for heat and power; the render is slow enough that several samples arrive meanwhile.
  const env = testEnv({ ...RTX_4090_MACHINE, FAKE_NVIDIA_SMI_STREAM: 'throttle', WAN_STUDIO_SYNTHETIC_SECONDS_PER_STEP: '0.15' })

  beforeAll(async () => {
    app = await openBrowserStudio(env, { viewport: { width: 1440, height: 1000 }, mediaOverHttp: true, consoleErrors: true })
  })

  afterAll(() => app?.close())

  it('charts the GPU while rendering, warns of the throttling, and keeps the summary with the render', async () => {
    const { page, pageErrors } = app
    await waitForSyntheticEngine(page)
    await page.getByTestId('prompt-input').fill('a glacier calving into a grey sea')
    await page.getByTestId('seconds-input').fill('10')
    await page.getByTestId('generate-button').click()

    const live = page.getByTestId('render-telemetry')
    await expect.poll(() => live.locator('canvas').count(), { timeout: 60_000 }).toBeGreaterThanOrEqual(4)
    for (const chart of ['memory', 'load', 'temperature', 'power']) {
      await expect.poll(() => live.getByTestId(`telemetry-chart-${chart}`).locator('[role="img"]').getAttribute('aria-label')).toMatch(/^GPU 0 .+ now, peak/)
    }
    // The fake card warms by a degree a sample: the summary follows it.
    const temperature = live.getByTestId('telemetry-summary-temperature')
    const first = await temperature.textContent()
    expect(first).toMatch(/^\d+ °C now, peak \d+ °C$/)
    await expect.poll(() => temperature.textContent(), { timeout: 30_000 }).not.toBe(first)
    await expect.poll(() => live.getByTestId('telemetry-summary-power').textContent()).toMatch(/W now, peak \d+ W of a 450 W limit/)
    await expect.poll(() => live.getByTestId('telemetry-summary-memory').textContent()).toMatch(/GiB used now, peak .+ GiB; the plan predicts .+ GiB; margin from 21\.6 GiB of 24\.0 GiB/)

    // 0x44: power cap and hardware thermal slowdown, both in words.
    const warnings = live.getByTestId('telemetry-warnings')
    await expect.poll(() => warnings.textContent(), { timeout: 30_000 }).toMatch(/GPU 0 is too hot at \d+ °C and is slowing itself down/)
    expect(await warnings.textContent()).toMatch(/GPU 0 has reached its power limit \(\d+ of 450 W\)/)
    await live.scrollIntoViewIfNeeded()
    await page.screenshot({ path: join(resultsDir, 'telemetry-rendering.png') })
    expect(await seriousViolations(page, { include: '[data-testid="render-telemetry"]' })).toEqual([])

    // Afterwards: the render's details and its line in the Renders list.
    await expect.poll(() => page.getByTestId('result-telemetry').textContent(), { timeout: 150_000 }).toMatch(/GPU while rendering/)
    const details = page.getByTestId('result-telemetry')
    expect(await details.locator('[data-field="peak-memory"]').textContent()).toMatch(/GiB$/)
    expect(await details.locator('[data-field="mean-load"]').textContent()).toMatch(/^\d+ %$/)
    expect(await details.locator('[data-field="throttled"]').textContent()).toMatch(/ s \(heat and power\)$/)
    await expect.poll(() => page.getByTestId('history-telemetry').first().textContent()).toMatch(/^throttled .+ s · peak .+ GiB · \d+% load$/)
    await details.scrollIntoViewIfNeeded()
    await page.screenshot({ path: join(resultsDir, 'telemetry-after-render.png') })
    expect(await seriousViolations(page, { include: '[data-testid="result-info"]' })).toEqual([])
    expect(pageErrors).toEqual([])
  }, 240_000)

  it('watches the GPU on demand from the System tab', async () => {
    const { page, studio, pageErrors } = app
    await page.getByTestId('system-tab').click()
    const watch = page.getByTestId('watch-gpu')
    await expect.poll(() => watch.isEnabled(), { timeout: 30_000 }).toBe(true)
    expect(await watch.getAttribute('aria-pressed')).toBe('false')
    await watch.click()
    await expect.poll(() => watch.getAttribute('aria-pressed')).toBe('true')
    await expect.poll(() => page.getByTestId('sampler-state').textContent(), { timeout: 30_000 }).toBe('Sampling every half second.')
    const card = page.getByTestId('system-telemetry')
    await expect.poll(() => card.locator('canvas').count()).toBeGreaterThanOrEqual(4)
    await expect.poll(() => card.getByTestId('telemetry-warnings').textContent(), { timeout: 30_000 }).toMatch(/too hot/)
    await card.scrollIntoViewIfNeeded()
    await page.screenshot({ path: join(resultsDir, 'telemetry-system.png') })
    expect(await seriousViolations(page, { include: '[data-testid="system-telemetry"]' })).toEqual([])
    await watch.click()
    await expect.poll(() => watch.getAttribute('aria-pressed')).toBe('false')
    expect(studio.telemetryStatus()).toMatchObject({ watching: false, sampler: { state: 'stopped' } })
    expect(pageErrors).toEqual([])
  }, 120_000)

  it('turns the metrics endpoint on and off from the System tab, and remembers it', async () => {
    const { page, studio, pageErrors } = app
    const port = await freePort()
    const form = page.getByTestId('metrics-setting')
    expect(await form.getByTestId('metrics-enabled').isChecked()).toBe(false)
    expect(await form.getByTestId('metrics-host').inputValue()).toBe('127.0.0.1')
    // A port out of range is refused where it is typed.
    await form.getByTestId('metrics-port').fill('70000')
    await expect.poll(() => form.getByTestId('metrics-error').textContent()).toBe('the metrics port is 1 to 65535')
    expect(await form.getByTestId('metrics-save').isDisabled()).toBe(true)

    await form.getByTestId('metrics-enabled').check()
    await form.getByTestId('metrics-port').fill(String(port))
    await form.getByTestId('metrics-save').click()
    const url = `http://127.0.0.1:${port}/metrics`
    await expect.poll(() => form.getByTestId('metrics-state').textContent(), { timeout: 30_000 }).toBe(`Serving ${url}`)
    // The render and its export, counted by the fresh registry.
    expect(await (await fetch(url)).text()).toMatch(/^wan_queue_jobs\{state="done"\} 2$/m)
    expect((await studio.settings()).metrics).toEqual({ enabled: true, host: '127.0.0.1', port })

    // Shown as saved after a reload.
    await page.reload()
    await page.getByTestId('system-tab').click()
    await expect.poll(() => page.getByTestId('metrics-port').inputValue(), { timeout: 30_000 }).toBe(String(port))
    expect(await page.getByTestId('metrics-enabled').isChecked()).toBe(true)

    await page.getByTestId('metrics-enabled').uncheck()
    await page.getByTestId('metrics-save').click()
    await expect.poll(() => page.getByTestId('metrics-state').textContent(), { timeout: 30_000 }).toMatch(/^Off\./)
    await expect(fetch(url)).rejects.toThrow()
    expect((await studio.settings()).metrics.enabled).toBe(false)
    expect(pageErrors).toEqual([])
  }, 120_000)
})
