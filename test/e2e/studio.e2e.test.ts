// End to end: the built renderer in Chromium, its preload API bridged to the real core in this
// process (same handlers and validation as the Electron wiring), the real sidecar and ffmpeg.
import { mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Studio } from '../../src/main/core/studio'
import { probeVideo } from '../../src/main/media/probe'
import { decodeStamps, verifyStampSequence } from '../../src/main/media/stamps'
import { stampShotNumber } from '../../src/main/render/renderKey'
import { planSegments } from '../../src/shared/segments'
import type { ExportResult, QueueJob } from '../../src/shared/queue'
import { mediaRoots, openBrowserStudio, recordTexts, resultsDir, RTX_4090_MACHINE, waitForSyntheticEngine, type BrowserStudio } from './browserStudio'
import { expectedStampSegments, ffmpegFor, testEnv } from '../helpers/studio'

/** The queue's finished exports (the clips the Renders list shows), oldest first. */
async function doneExports(studio: Studio): Promise<(QueueJob & { result: ExportResult })[]> {
  return (await studio.queue())
    .snapshot()
    .jobs.filter((job): job is QueueJob & { result: ExportResult } => job.state === 'done' && job.result?.kind === 'export')
}

describe('studio end to end (Chromium + real core)', () => {
  let app: BrowserStudio
  const env = testEnv({ ...RTX_4090_MACHINE, WAN_STUDIO_SYNTHETIC_SECONDS_PER_STEP: '0.05' })

  beforeAll(async () => {
    app = await openBrowserStudio(env, { viewport: { width: 1440, height: 900 }, mediaOverHttp: true, consoleErrors: true })
  })

  afterAll(() => app?.close())

  // The render, its export and the frame checks take longer than the default timeout on a busy two-core machine.
  it('renders a typed prompt, shows progress, plays the clip, and every stamped frame is in order', async () => {
    const { page, studio, pageErrors } = app
    await waitForSyntheticEngine(page)
    await page.getByTestId('prompt-input').fill('a red fox running through snow')
    await page.getByTestId('seconds-input').fill('10')
    await page.getByTestId('seed-input').fill('42')
    // Every status line the progress panel shows, to check both phases appeared: the render, then the export.
    const statusLines = await recordTexts(page, '[data-testid="progress-status"]')
    await page.getByTestId('generate-button').click()

    await expect.poll(() => page.getByTestId('progress-status').textContent(), { timeout: 60_000 }).toMatch(/Rendering segment [1-3] of 3, step [1-8] of 8/)
    await page.screenshot({ path: join(resultsDir, 'studio-rendering.png') })

    const player = page.getByTestId('player')
    await expect.poll(() => player.getAttribute('src'), { timeout: 120_000 }).toMatch(/\/media\/.+\.mp4$/)
    const playback = await player.evaluate(async (element) => {
      const video = element as HTMLVideoElement
      if (video.readyState < 2) await new Promise((resolve) => video.addEventListener('loadeddata', resolve, { once: true }))
      video.muted = true
      await video.play()
      const start = video.currentTime
      await new Promise((resolve) => setTimeout(resolve, 700))
      return { width: video.videoWidth, height: video.videoHeight, duration: video.duration, advanced: video.currentTime - start, error: video.error?.message ?? null }
    })
    expect(playback.error).toBeNull()
    expect(playback).toMatchObject({ width: 1280, height: 720 })
    expect(playback.duration).toBeCloseTo(10, 1)
    expect(playback.advanced).toBeGreaterThan(0.2)
    await expect.poll(() => page.getByTestId('result-info').textContent()).toMatch(/160/)
    await expect.poll(() => page.getByTestId('result-info').textContent()).toMatch(/synthetic/i)
    const statuses = await statusLines()
    expect(statuses.some((status) => /^Rendering segment 3 of 3, step \d+ of 8/.test(status))).toBe(true)
    expect(statuses).toContain('Exporting')
    expect(statuses.findIndex((status) => status === 'Exporting')).toBeGreaterThan(statuses.findIndex((status) => status.startsWith('Rendering segment 3 of 3')))

    const [render] = await doneExports(studio)
    expect(render).toBeDefined()
    expect(render!.result.output.startsWith(studio.exportsDir)).toBe(true)
    expect(await player.getAttribute('src')).toBe(studio.mediaUrl(render!.result.output))
    await expect.poll(() => page.getByTestId('render-history-item').count()).toBe(1)
    const ffmpeg = ffmpegFor(env)
    const stamps = await decodeStamps({ ffmpeg, path: render!.result.output })
    // The synthetic engine stamps each frame with its shot's number (from the render key), segment and frame.
    const shotJob = (await studio.queue()).job(render!.dependsOn[0]!)
    expect(shotJob?.payload.kind).toBe('render-shot')
    const renderKey = shotJob?.payload.kind === 'render-shot' ? shotJob.payload.renderKey : ''
    const check = verifyStampSequence(stamps, { shot: stampShotNumber(renderKey), segments: expectedStampSegments(planSegments(160)) })
    expect(check).toEqual({ ok: true })
    const probe = await probeVideo({ ffmpeg, path: render!.result.output })
    expect(probe).toMatchObject({ width: 1280, height: 720, fps: 16, frames: 160, codec: 'h264', pixFmt: 'yuv420p' })

    await page.getByTestId('player').evaluate((element) => {
      const video = element as HTMLVideoElement
      video.pause()
      video.currentTime = 4
    })
    await page.waitForTimeout(300)
    await page.screenshot({ path: join(resultsDir, 'studio-after-render.png') })
    expect(pageErrors).toEqual([])
  }, 180_000)

  it('cancels a running render from the UI, leaving no clip, and resumes it', async () => {
    const { page, studio, pageErrors } = app
    const before = await doneExports(studio)
    const jobsBefore = new Set((await studio.queue()).snapshot().jobs.map((job) => job.id))
    await page.getByTestId('prompt-input').fill('a slow pan over a misty lake at dawn')
    await page.getByTestId('seconds-input').fill('15')
    await page.getByTestId('generate-button').click()
    await expect.poll(() => page.getByTestId('progress-step').textContent(), { timeout: 60_000 }).toMatch(/step [1-7] of 8/)
    await page.getByTestId('cancel-button').click()
    await expect.poll(() => page.getByTestId('progress-panel').textContent().catch(() => ''), { timeout: 30_000 }).toMatch(/cancel/i)
    await expect.poll(async () => (await page.getByTestId('generate-button').isEnabled())).toBe(true)
    // Both of the render's jobs, the shot and its export, are cancelled.
    const added = (await studio.queue()).snapshot().jobs.filter((job) => !jobsBefore.has(job.id))
    expect(added.map((job) => [job.payload.kind, job.state])).toEqual([
      ['render-shot', 'cancelled'],
      ['export', 'cancelled']
    ])
    expect(await doneExports(studio)).toHaveLength(before.length)
    const partials = mediaRoots(studio).flatMap((root) => readdirSync(root, { recursive: true }).map(String).filter((name) => name.includes('.partial')))
    expect(partials).toEqual([])

    // Resume queues the same two jobs again; the clip they make plays.
    await page.getByTestId('render-resume').click()
    await expect.poll(() => page.getByTestId('render-history-item').count(), { timeout: 150_000 }).toBe(before.length + 1)
    const resumed = (await studio.queue()).snapshot().jobs.filter((job) => !jobsBefore.has(job.id))
    expect(resumed.map((job) => [job.id, job.state])).toEqual(added.map((job) => [job.id, 'done']))
    const [, clip] = await doneExports(studio)
    expect(await page.getByTestId('player').getAttribute('src')).toBe(studio.mediaUrl(clip!.result.output))
    expect(pageErrors).toEqual([])
  }, 240_000)

  it('shows the System report, remembers a models folder and applies a pinned plan with its warnings', async () => {
    const { page, studio, pageErrors } = app
    await page.getByTestId('system-tab').click()
    await expect.poll(() => page.getByTestId('system-panel').textContent(), { timeout: 60_000 }).toMatch(/RTX 4090/)
    await expect.poll(() => page.getByTestId('effective-plan').textContent(), { timeout: 30_000 }).toMatch(/fp8/i)

    // A models folder without weights: saved, and the engine says exactly what is missing.
    const models = mkdtempSync(join(tmpdir(), 'wan-models-'))
    await page.getByTestId('models-dir-input').fill(models)
    await page.getByTestId('models-dir-save').click()
    await expect.poll(async () => (await studio.settings()).modelsDir, { timeout: 30_000 }).toBe(models)
    await expect.poll(() => page.getByTestId('engine-check-models-dir').getAttribute('data-state'), { timeout: 30_000 }).toBe('ok')
    await expect.poll(() => page.getByTestId('real-engine-verdict').textContent(), { timeout: 30_000 }).toMatch(/can.t render|not installed|not complete/i)
    // The header follows: the real engine now waits for weights, not for a folder.
    await expect.poll(() => page.getByTestId('engine-status').textContent(), { timeout: 30_000 }).not.toMatch(/no models folder/)

    // A folder that does not exist is refused inline and not saved.
    await page.getByTestId('models-dir-input').fill(join(models, 'nope'))
    await page.getByTestId('models-dir-save').click()
    await expect.poll(() => page.getByTestId('models-dir-error').textContent(), { timeout: 30_000 }).toMatch(/does not exist/)
    expect((await studio.settings()).modelsDir).toBe(models)

    // Pin both bf16 experts resident on a 24 GB card: applied, and flagged as not fitting.
    await page.getByTestId('override-precision').selectOption('bf16')
    await page.getByTestId('override-experts').selectOption('resident')
    await page.getByTestId('override-apply').click()
    await expect.poll(async () => (await studio.settings()).planOverride?.precision, { timeout: 30_000 }).toBe('bf16')
    await expect.poll(() => page.getByTestId('effective-plan').getAttribute('data-pinned'), { timeout: 30_000 }).toBe('true')
    await expect.poll(() => page.getByTestId('override-warnings').textContent(), { timeout: 30_000 }).toMatch(/Won't fit/)
    await page.getByTestId('override-warnings').scrollIntoViewIfNeeded()
    await page.screenshot({ path: join(resultsDir, 'studio-system.png') })
    // Saving one setting keeps the others.
    expect((await studio.settings()).modelsDir).toBe(models)
    expect(await page.getByTestId('engine-status').textContent()).not.toMatch(/no models folder/)
    await page.getByTestId('override-reset').click()
    await expect.poll(async () => (await studio.settings()).planOverride, { timeout: 30_000 }).toBeNull()

    await page.getByTestId('viewer-tab').click()
    expect(pageErrors).toEqual([])
  })

  it('shows a clear error for bad input and starts nothing', async () => {
    const { page, studio } = app
    const jobs = (await studio.queue()).snapshot().jobs.length
    await page.getByTestId('prompt-input').fill('   ')
    await expect.poll(() => page.getByTestId('generate-button').isDisabled()).toBe(true)
    // What the page's bridge answers for the same request: an error as data, naming the field.
    const outcome = await page.evaluate(() =>
      (window as unknown as { wanStudio: { queue: { renderPrompt: (p: unknown) => Promise<unknown> } } }).wanStudio.queue.renderPrompt({ prompt: '   ', seconds: 5 })
    )
    expect(outcome).toMatchObject({ ok: false, error: { code: 'invalid-params', message: expect.stringMatching(/prompt: prompt is empty/) as unknown } })
    expect((await studio.queue()).snapshot().jobs).toHaveLength(jobs)
  })

  it('keeps what is typed in the quick form when the window is opened again', async () => {
    const { page, pageErrors } = app
    await page.getByTestId('prompt-input').fill('a heron wades through reeds at dawn')
    await page.getByTestId('seconds-input').fill('7')
    await page.getByTestId('seed-input').fill('1234')
    await page.reload()
    await expect.poll(() => page.getByTestId('prompt-input').inputValue(), { timeout: 30_000 }).toBe('a heron wades through reeds at dawn')
    expect([await page.getByTestId('seconds-input').inputValue(), await page.getByTestId('seed-input').inputValue()]).toEqual(['7', '1234'])
    expect(pageErrors).toEqual([])
  })
})
