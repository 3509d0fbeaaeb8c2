// End to end: the live preview in Chromium (built renderer, preload API bridged to the real core,
// the real sidecar's synthetic engine). The monitor shows the shot's picture while it renders,
// the picture changes as the render moves on, and its Cancel stops the render.
import { existsSync, mkdirSync } from 'node:fs'
import type { Server } from 'node:http'
import { join, relative, sep } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Studio } from '../../src/main/core/studio'
import { bridge, CHROMIUM, CHROMIUM_ARGS, mediaRoots, rendererDir, resultsDir, serve } from './browserStudio'
import { createTestStudio, testEnv } from '../helpers/studio'

type Seen = { src: string; step: string; caption: string; naturalWidth: number }

describe('live preview (Chromium + real core)', () => {
  let browser: Browser
  let studio: Studio
  let origin: string
  let server: Server
  let page: Page
  // Slow enough that the render is still running when the test clicks Cancel.
  const env = testEnv({ WAN_STUDIO_SYNTHETIC_SECONDS_PER_STEP: '0.3' })
  const pageErrors: string[] = []

  beforeAll(async () => {
    if (!existsSync(join(rendererDir, 'index.html'))) throw new Error('out/renderer is missing: run `npm run build` first')
    studio = createTestStudio(env, (path) => {
      const root = mediaRoots(studio).find((candidate) => !relative(candidate, path).startsWith('..'))
      if (!root) throw new Error(`${path} is outside the media roots`)
      return `${origin}/media/${relative(root, path).split(sep).map(encodeURIComponent).join('/')}`
    })
    ;({ server, origin } = await serve(studio))
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    page.on('pageerror', (error) => pageErrors.push(error.message))
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text())
    })
    await bridge(page, studio)
    await page.goto(`${origin}/index.html`)
  })

  afterAll(async () => {
    await browser?.close()
    server?.close()
    await studio?.close()
  })

  it('shows the shot forming in the monitor, segment by segment, and cancels it from there', async () => {
    await expect.poll(() => page.getByTestId('engine-status').textContent(), { timeout: 60_000 }).toMatch(/synthetic/i)
    // Every picture the monitor shows, as the page committed it (not sampled by the test's polling).
    await page.evaluate(() => {
      const seen: Seen[] = []
      Object.assign(window, { __previews: seen })
      const record = (): void => {
        const image = document.querySelector<HTMLImageElement>('[data-testid="live-preview-image"]')
        const caption = document.querySelector('[data-testid="live-preview-caption"]')?.textContent ?? ''
        if (!image || seen.at(-1)?.caption === caption) return
        seen.push({ src: image.getAttribute('src') ?? '', step: image.dataset.step ?? '', caption, naturalWidth: 0 })
        const entry = seen.at(-1)!
        void image.decode().then(() => (entry.naturalWidth = image.naturalWidth), () => undefined)
      }
      new MutationObserver(record).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true })
    })
    await page.getByTestId('prompt-input').fill('a lighthouse beam sweeping over a stormy sea')
    await page.getByTestId('seconds-input').fill('15')
    await page.getByTestId('seed-input').fill('11')
    await page.getByTestId('generate-button').click()

    const seen = (): Promise<Seen[]> => page.evaluate(() => (window as unknown as { __previews: Seen[] }).__previews)
    // The synthetic engine's preview is its segment's middle frame: a new segment, a new picture.
    await expect.poll(async () => new Set((await seen()).map((entry) => entry.src)).size, { timeout: 120_000 }).toBeGreaterThanOrEqual(2)
    const previews = await seen()
    expect(previews.every((entry) => entry.src.startsWith('data:image/jpeg;base64,'))).toBe(true)
    expect(previews[0]!.caption).toMatch(/^Segment 1 of \d+ · step \d of 8$/)
    expect(previews.some((entry) => /^Segment 2 of \d+ · step \d of 8$/.test(entry.caption))).toBe(true)
    // The image decodes: the engine's 256-pixel picture, not a broken icon.
    expect(Math.max(...previews.map((entry) => entry.naturalWidth))).toBe(256)
    mkdirSync(resultsDir, { recursive: true })
    await page.screenshot({ path: join(resultsDir, 'live-preview.png') })

    await page.getByTestId('live-preview-cancel').click()
    await expect.poll(() => page.getByTestId('progress-panel').getAttribute('data-state'), { timeout: 60_000 }).toBe('cancelled')
    await expect.poll(() => page.getByTestId('live-preview').count()).toBe(0)
    const shotJobs = (await studio.queue()).snapshot().jobs.filter((job) => job.payload.kind === 'render-shot')
    expect(shotJobs.map((job) => job.state)).toEqual(['cancelled'])
    expect(pageErrors).toEqual([])
  }, 240_000)
})
