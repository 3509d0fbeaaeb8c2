// End to end, issue #10 in the app: Chromium with the built renderer, its preload API bridged to the
// real core, the real sidecar's synthetic engine. The monitor shows the shot's picture while it
// renders, changing as the render moves on, and its Cancel stops the render; a shot set to fast
// mode and draft size renders so, and its export is refused until the drafts are upscaled.
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { probeVideo } from '../../src/main/media/probe'
import { openBrowserStudio, recordTexts, resultsDir, seriousViolations, waitForSyntheticEngine, type BrowserStudio } from './browserStudio'
import { ffmpegFor, testEnv } from '../helpers/studio'

type Seen = { src: string; step: string; caption: string; naturalWidth: number }

describe('fast mode, drafts and live previews (Chromium + real core)', () => {
  let app: BrowserStudio
  // Slow enough that the render is still running when the test clicks Cancel.
  const env = testEnv({ WAN_STUDIO_SYNTHETIC_SECONDS_PER_STEP: '0.3' })

  beforeAll(async () => {
    app = await openBrowserStudio(env, { viewport: { width: 1280, height: 800 }, mediaOverHttp: true, consoleErrors: true })
  })

  afterAll(() => app?.close())

  it('shows the shot forming in the monitor, segment by segment, and cancels it from there', async () => {
    const { page, studio, pageErrors } = app
    await waitForSyntheticEngine(page)
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
    // The synthetic engine's preview is its segment's middle frame, clearing step by step: every step a new
    // picture, so the test waits for the second segment's (the render is still running then).
    await expect.poll(async () => (await seen()).some((entry) => /^Segment 2 of \d+ · step \d of 8$/.test(entry.caption)), { timeout: 120_000 }).toBe(true)
    const previews = await seen()
    expect(new Set(previews.map((entry) => entry.src)).size).toBeGreaterThanOrEqual(2)
    expect(previews.every((entry) => entry.src.startsWith('data:image/jpeg;base64,'))).toBe(true)
    expect(previews[0]!.caption).toMatch(/^Segment 1 of \d+ · step \d of 8$/)
    // The image decodes: the engine's 256-pixel picture, not a broken icon.
    expect(Math.max(...previews.map((entry) => entry.naturalWidth))).toBe(256)
    await page.screenshot({ path: join(resultsDir, 'live-preview.png') })
    expect(await seriousViolations(page, { include: '[data-testid="live-preview"]' })).toEqual([])

    await page.getByTestId('live-preview-cancel').click()
    await expect.poll(() => page.getByTestId('progress-panel').getAttribute('data-state'), { timeout: 60_000 }).toBe('cancelled')
    await expect.poll(() => page.getByTestId('live-preview').count()).toBe(0)
    const shotJobs = (await studio.queue()).snapshot().jobs.filter((job) => job.payload.kind === 'render-shot')
    expect(shotJobs.map((job) => job.state)).toEqual(['cancelled'])
    expect(pageErrors).toEqual([])
  }, 240_000)

  it('renders a fast draft shot, refuses to export it until the drafts are upscaled, then exports at full size', async () => {
    const { page, studio, pageErrors } = app
    await page.getByTestId('project-tab').click()
    await page.getByTestId('add-shot').click()
    await page.getByTestId('inspector-prompt').fill('gulls circling a harbour light')
    await page.getByTestId('inspector-prompt').blur()
    await page.getByTestId('inspector-seconds').fill('2')
    await page.getByTestId('inspector-seconds').press('Enter')

    // The synthetic engine mimics fast mode, so it is offered here; the steps field then says why it is fixed.
    await page.getByTestId('mode-fast').check()
    await expect.poll(() => page.getByTestId('inspector-steps').isDisabled()).toBe(true)
    expect(await page.getByTestId('inspector-steps').inputValue()).toBe('4')
    await page.getByTestId('inspector-draft').check()
    await expect.poll(() => page.getByTestId('draft-badge').count()).toBe(1)
    expect(await page.getByTestId('fast-badge').count()).toBe(1)
    await page.screenshot({ path: join(resultsDir, 'fast-draft-shot.png') })
    expect(await seriousViolations(page, { include: '[data-testid="inspector"]' })).toEqual([])

    // The export dialog counts frames of rendered shots: render first (draft size, 4 steps).
    // The editor's preview shows the shot forming while it renders (every caption it showed is kept).
    const editorCaptions = await recordTexts(page, '[data-testid="timeline-preview"] [data-testid="live-preview-caption"]')
    await page.getByTestId('render-project').click()
    await expect.poll(() => page.getByTestId('timeline-shot').getAttribute('data-status'), { timeout: 120_000 }).toBe('done')
    const editorPreviews = await editorCaptions()
    expect(editorPreviews.length).toBeGreaterThan(0)
    expect(editorPreviews.every((caption) => /^step [1-4] of 4$/.test(caption))).toBe(true)
    expect(await page.getByTestId('live-preview').count()).toBe(0)
    const exportJobs = async (): Promise<number> => (await studio.queue()).snapshot().jobs.filter((job) => job.payload.kind === 'export').length
    const exportsBefore = await exportJobs()
    await page.getByTestId('open-export').click()
    expect(await page.getByTestId('export-drafts-hint').textContent()).toMatch(/^Shot 1 is a draft \(832x480\)/)
    await page.getByTestId('export-start').click()
    const refusal = page.getByTestId('export-dialog').getByRole('alert')
    await expect.poll(() => refusal.textContent(), { timeout: 30_000 }).toMatch(/shot 1 \(“gulls circling a harbour light”\) is a draft, .*Upscale drafts/)
    expect(await exportJobs()).toBe(exportsBefore)
    await page.screenshot({ path: join(resultsDir, 'export-drafts-refused.png') })
    expect(await seriousViolations(page, { include: '[data-testid="export-dialog"]' })).toEqual([])

    await page.getByTestId('export-upscale-drafts').check()
    await page.getByTestId('export-start').click()
    await expect.poll(() => page.getByTestId('export-done').textContent().catch(() => ''), { timeout: 120_000 }).toMatch(/\.mp4/)
    const jobs = (await studio.queue()).snapshot().jobs
    const shotJob = jobs.find((job) => job.payload.kind === 'render-shot' && job.payload.render.prompt === 'gulls circling a harbour light')
    expect(shotJob?.payload.kind === 'render-shot' && shotJob.payload.render).toMatchObject({ width: 832, height: 480, steps: 4, mode: 'fast' })
    const exported = jobs.find((job) => job.payload.kind === 'export' && job.state === 'done')
    const output = exported?.result?.kind === 'export' ? exported.result.output : ''
    expect(await probeVideo({ ffmpeg: ffmpegFor(env), path: output })).toMatchObject({ width: 1280, height: 720, frames: 32 })
    expect(pageErrors).toEqual([])
  }, 240_000)
})
