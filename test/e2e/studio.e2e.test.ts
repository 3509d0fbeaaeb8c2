// End to end: the built renderer in Chromium, its preload API bridged to the real core in this
// process (same handlers and validation as the Electron wiring), the real sidecar and ffmpeg.
import { existsSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { createServer, type Server } from 'node:http'
import { join, relative, sep } from 'node:path'
import { Readable } from 'node:stream'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createIpcHandlers, dispatchInvoke } from '../../src/main/core/ipcHandlers'
import type { Studio } from '../../src/main/core/studio'
import { handleMediaRequest, resolveMediaPath, serveMediaFile } from '../../src/main/media/mediaUrl'
import { probeVideo } from '../../src/main/media/probe'
import { decodeStamps, verifyStampSequence } from '../../src/main/media/stamps'
import { planSegments } from '../../src/shared/segments'
import { eventChannels, invokeChannels, type EventMethod, type InvokeMethod } from '../../src/shared/ipcChannels'
import { createTestStudio, expectedStampSegments, ffmpegFor, repoRoot, testEnv } from '../helpers/studio'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required']
const rendererDir = join(repoRoot, 'out', 'renderer')
const resultsDir = join(repoRoot, 'test-results')

/** Serves the built renderer and, under /media/, the studio's renders, the way the app's protocols do. */
function serve(studio: Studio): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      let response: Response
      if (url.pathname.startsWith('/media/')) {
        response = await handleMediaRequest([studio.rendersDir], new Request(`http://127.0.0.1${url.pathname.slice('/media'.length)}`, { headers: req.headers.range ? { range: req.headers.range } : {} }))
      } else {
        const file = resolveMediaPath([rendererDir], url.pathname === '/' ? '/index.html' : url.pathname, { allowAppFiles: true })
        response = file ? await serveMediaFile(file, req.headers.range ?? null) : new Response('not found', { status: 404 })
      }
      res.writeHead(response.status, Object.fromEntries(response.headers))
      if (response.body) Readable.fromWeb(response.body as never).pipe(res)
      else res.end()
    })().catch((error: unknown) => {
      res.writeHead(500)
      res.end(String(error))
    })
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const address = server.address()
    if (typeof address !== 'object' || !address) throw new Error('no address')
    resolve({ server, origin: `http://127.0.0.1:${address.port}` })
  }))
}

/** Gives the page the same `window.wanStudio` the preload exposes, backed by the real core. */
async function bridge(page: Page, studio: Studio): Promise<void> {
  const handlers = createIpcHandlers(studio)
  await page.exposeBinding('__wanStudioInvoke', (_source, method: InvokeMethod, params: unknown) => dispatchInvoke(handlers, method, params))
  await page.addInitScript(
    ({ invokeMethods, eventMethods }) => {
      const listeners = new Map<string, Set<(payload: unknown) => void>>()
      const api: Record<string, unknown> = {}
      const invoke = (window as unknown as { __wanStudioInvoke: (m: string, p: unknown) => Promise<unknown> }).__wanStudioInvoke
      for (const method of invokeMethods) api[method] = (params?: unknown) => invoke(method, params)
      for (const method of eventMethods) {
        listeners.set(method, new Set())
        api[method] = (listener: (payload: unknown) => void) => {
          listeners.get(method)!.add(listener)
          return () => listeners.get(method)!.delete(listener)
        }
      }
      Object.assign(window, {
        wanStudio: Object.freeze(api),
        __wanStudioEmit: (method: string, payload: unknown) => listeners.get(method)?.forEach((listener) => listener(payload))
      })
    },
    { invokeMethods: Object.keys(invokeChannels), eventMethods: Object.keys(eventChannels) }
  )
  const forward = (method: EventMethod) => (payload: unknown) =>
    void page.evaluate(([m, p]) => (window as unknown as { __wanStudioEmit: (m: string, p: unknown) => void }).__wanStudioEmit(m, p), [method, payload] as const).catch(() => undefined)
  studio.on('progress', forward('onRenderProgress'))
  studio.on('done', forward('onRenderDone'))
  studio.on('failed', forward('onRenderFailed'))
  studio.on('log', forward('onSidecarLog'))
}

describe('studio end to end (Chromium + real core)', () => {
  let browser: Browser
  let studio: Studio
  let origin: string
  let server: Server
  let page: Page
  // The GPU comes from a recorded RTX 4090 nvidia-smi, so the System tab has a real plan to show.
  const env = testEnv({
    WAN_STUDIO_SYNTHETIC_SECONDS_PER_STEP: '0.05',
    WAN_STUDIO_NVIDIA_SMI: join(repoRoot, 'test', 'fixtures', 'nvidia-smi', 'fake-nvidia-smi.mjs'),
    FAKE_NVIDIA_SMI_CASE: 'rtx4090',
    WAN_STUDIO_RAM_MIB: String(128 * 1024)
  })
  const pageErrors: string[] = []

  beforeAll(async () => {
    if (!existsSync(join(rendererDir, 'index.html'))) throw new Error('out/renderer is missing: run `npm run build` first')
    studio = createTestStudio(env, (path) => `${origin}/media/${relative(studio.rendersDir, path).split(sep).map(encodeURIComponent).join('/')}`)
    ;({ server, origin } = await serve(studio))
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
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

  it('renders a typed prompt, shows progress, plays the clip, and every stamped frame is in order', async () => {
    await expect.poll(() => page.getByTestId('engine-status').textContent(), { timeout: 60_000 }).toMatch(/synthetic/i)
    await page.getByTestId('prompt-input').fill('a red fox running through snow')
    await page.getByTestId('seconds-input').fill('10')
    await page.getByTestId('seed-input').fill('42')
    await page.getByTestId('generate-button').click()

    await expect.poll(() => page.getByTestId('progress-segment').textContent(), { timeout: 60_000 }).toMatch(/Segment [1-3] of 3/)
    await expect.poll(() => page.getByTestId('progress-step').textContent(), { timeout: 60_000 }).toMatch(/Step \d+ of 8/)

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

    const [render] = await studio.listRenders()
    expect(render).toBeDefined()
    const ffmpeg = ffmpegFor(env)
    const stamps = await decodeStamps({ ffmpeg, path: render!.output })
    const check = verifyStampSequence(stamps, { shot: 0, segments: expectedStampSegments(planSegments(160)) })
    expect(check).toEqual({ ok: true })
    const probe = await probeVideo({ ffmpeg, path: render!.output })
    expect(probe).toMatchObject({ width: 1280, height: 720, fps: 16, frames: 160, codec: 'h264', pixFmt: 'yuv420p' })

    mkdirSync(resultsDir, { recursive: true })
    await page.getByTestId('player').evaluate((element) => {
      const video = element as HTMLVideoElement
      video.pause()
      video.currentTime = 4
    })
    await page.waitForTimeout(300)
    await page.screenshot({ path: join(resultsDir, 'studio-after-render.png') })
    expect(pageErrors).toEqual([])
  })

  it('cancels a running render from the UI, leaving no clip', async () => {
    const before = await studio.listRenders()
    await page.getByTestId('prompt-input').fill('a slow pan over a misty lake at dawn')
    await page.getByTestId('seconds-input').fill('15')
    await page.getByTestId('generate-button').click()
    await expect.poll(() => page.getByTestId('progress-step').textContent(), { timeout: 60_000 }).toMatch(/Step [1-7] of 8/)
    await page.getByTestId('cancel-button').click()
    await expect.poll(() => page.getByTestId('progress-panel').textContent().catch(() => ''), { timeout: 30_000 }).toMatch(/cancel/i)
    await expect.poll(async () => (await page.getByTestId('generate-button').isEnabled())).toBe(true)
    expect(await studio.listRenders()).toHaveLength(before.length)
    const partials = readdirSync(studio.rendersDir, { recursive: true }).map(String).filter((name) => name.endsWith('.partial'))
    expect(partials).toEqual([])
  })

  it('shows the System report, remembers a models folder and applies a pinned plan with its warnings', async () => {
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
    await page.getByTestId('prompt-input').fill('   ')
    await expect.poll(() => page.getByTestId('generate-button').isDisabled()).toBe(true)
    await expect(dispatchInvoke(createIpcHandlers(studio), 'startRender', { prompt: '   ', seconds: 5 })).rejects.toThrow(/prompt is empty/)
  })
})
