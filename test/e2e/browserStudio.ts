// The browser side of the end-to-end tests: the built renderer served over HTTP with the studio's
// media, and a page whose window.wanStudio is bridged to the real core in this process (same
// handlers and validation as the Electron wiring). openBrowserStudio puts them together for a suite.
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { join, relative, sep } from 'node:path'
import { Readable } from 'node:stream'
import { chromium, type Browser, type Page } from 'playwright-core'
import { expect } from 'vitest'
import { createIpcHandlers, dispatchInvoke } from '../../src/main/core/ipcHandlers'
import type { Studio } from '../../src/main/core/studio'
import { studioEventStream } from '../../src/main/core/studioEvents'
import { handleMediaRequest, resolveMediaPath, serveMediaFile } from '../../src/main/media/mediaUrl'
import { eventChannel, eventNames, invokeNames } from '../../src/shared/ipcChannels'
import { FAKE_NVIDIA_SMI } from '../gpu/fakeNvidiaSmi'
import { createTestStudio, repoRoot } from '../helpers/studio'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required']
export const rendererDir = join(repoRoot, 'out', 'renderer')
export const resultsDir = join(repoRoot, 'test-results')

/** Environment entries for a machine with a recorded RTX 4090 (the fake nvidia-smi) and 128 GiB of RAM, so the System tab has a real plan to show. */
export const RTX_4090_MACHINE: NodeJS.ProcessEnv = { WAN_STUDIO_NVIDIA_SMI: FAKE_NVIDIA_SMI, FAKE_NVIDIA_SMI_CASE: 'rtx4090', WAN_STUDIO_RAM_MIB: String(128 * 1024) }

/** Where the app's wan-media:// protocol finds media: the renders' segments and the exported clips. */
export function mediaRoots(studio: Studio): string[] {
  return [studio.rendersDir, studio.exportsDir]
}

/** Serves the built renderer and, under /media/, the studio's media, the way the app's protocols do. */
export function serve(studio: Studio): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      let response: Response
      if (url.pathname.startsWith('/media/')) {
        response = await handleMediaRequest(mediaRoots(studio), new Request(`http://127.0.0.1${url.pathname.slice('/media'.length)}`, { headers: req.headers.range ? { range: req.headers.range } : {} }))
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
export async function bridge(page: Page, studio: Studio): Promise<void> {
  const handlers = createIpcHandlers(studio)
  await page.exposeBinding('__wanStudioInvoke', (_source, domain: string, method: string, params: unknown) => dispatchInvoke(handlers, domain, method, params))
  await page.addInitScript(
    ({ invokes, events }) => {
      type Listener = (payload: unknown) => void
      const listeners = new Map<string, Set<Listener>>()
      const invoke = (window as unknown as { __wanStudioInvoke: (d: string, m: string, p: unknown) => Promise<unknown> }).__wanStudioInvoke
      const api: Record<string, Record<string, unknown>> = {}
      for (const [domain, methods] of Object.entries(invokes)) {
        api[domain] = Object.freeze(Object.fromEntries(methods.map((method) => [method, (params?: unknown) => invoke(domain, method, params)])))
      }
      const eventApi: Record<string, Record<string, unknown>> = {}
      for (const [domain, names] of Object.entries(events)) {
        eventApi[domain] = Object.freeze(
          Object.fromEntries(
            names.map((name) => {
              const key = `${domain}:event:${name}`
              const set = new Set<Listener>()
              listeners.set(key, set)
              return [
                name,
                (listener: Listener) => {
                  set.add(listener)
                  return () => {
                    set.delete(listener)
                  }
                }
              ]
            })
          )
        )
      }
      api.events = Object.freeze(eventApi)
      Object.assign(window, {
        wanStudio: Object.freeze(api),
        __wanStudioEmit: (key: string, payload: unknown) => listeners.get(key)?.forEach((listener) => listener(payload))
      })
    },
    { invokes: invokeNames as unknown as Record<string, string[]>, events: eventNames as unknown as Record<string, string[]> }
  )
  studioEventStream(studio, (domain, name, payload) => {
    void page
      .evaluate(([key, p]) => (window as unknown as { __wanStudioEmit: (k: string, p: unknown) => void }).__wanStudioEmit(key, p), [eventChannel(domain, name), payload] as const)
      .catch(() => undefined)
  })
}

/** The URL under the server's /media/ that `path`, inside one of the studio's media roots, is served at. */
function httpMediaUrl(origin: string, studio: Studio, path: string): string {
  const root = mediaRoots(studio).find((candidate) => !relative(candidate, path).startsWith('..'))
  if (!root) throw new Error(`${path} is outside the media roots`)
  return `${origin}/media/${relative(root, path).split(sep).map(encodeURIComponent).join('/')}`
}

export type BrowserStudioOptions = {
  viewport: { width: number; height: number }
  /** The studio's media URLs point at the server's /media/, as wan-media:// does in the app (otherwise file:// URLs, which the page can't load). */
  mediaOverHttp?: boolean
  /** Console errors count as page errors too, not only uncaught exceptions. */
  consoleErrors?: boolean
}

export type BrowserStudio = {
  studio: Studio
  page: Page
  origin: string
  /** What went wrong in the page so far; a test ends by expecting none. */
  pageErrors: string[]
  /** Closes the browser, the server and the studio. */
  close: () => Promise<void>
}

/**
 * A studio on `env`, the built renderer served for it, and a Chromium page bridged to it, opened at
 * the app. test-results/ exists afterwards for the screenshots. What it opened before a failure is
 * closed again.
 */
export async function openBrowserStudio(env: NodeJS.ProcessEnv, options: BrowserStudioOptions): Promise<BrowserStudio> {
  if (!existsSync(join(rendererDir, 'index.html'))) throw new Error('out/renderer is missing: run `npm run build` first')
  mkdirSync(resultsDir, { recursive: true })
  let origin = ''
  const studio: Studio = createTestStudio(env, options.mediaOverHttp ? (path) => httpMediaUrl(origin, studio, path) : undefined)
  let server: Server | undefined
  let browser: Browser | undefined
  const close = async (): Promise<void> => {
    await browser?.close()
    server?.close()
    await studio.close()
  }
  try {
    ;({ server, origin } = await serve(studio))
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
    const page = await browser.newPage({ viewport: options.viewport })
    const pageErrors: string[] = []
    page.on('pageerror', (error) => pageErrors.push(error.message))
    if (options.consoleErrors) {
      page.on('console', (message) => {
        if (message.type() === 'error') pageErrors.push(message.text())
      })
    }
    await bridge(page, studio)
    await page.goto(`${origin}/index.html`)
    return { studio, page, origin, pageErrors, close }
  } catch (error) {
    // The set-up's own error is the one worth seeing, not a later one from closing.
    await close().catch(() => undefined)
    throw error
  }
}

/** Waits until the header says the synthetic engine is the one in use (the sidecar is up). */
export async function waitForSyntheticEngine(page: Page): Promise<void> {
  await expect.poll(() => page.getByTestId('engine-status').textContent(), { timeout: 60_000 }).toMatch(/synthetic/i)
}

type AxeViolation = { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }

/**
 * Serious and critical axe-core violations in the page, inside `include` (default: all of it) and
 * outside `exclude`, one line each. axe is evaluated through the DevTools protocol, so the page keeps
 * the app's Content-Security-Policy (which would refuse an injected script tag).
 */
export async function seriousViolations(page: Page, scope: { include?: string; exclude?: string }): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(readFileSync(join(repoRoot, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8'))
  // axe's context: each selector as a list of frames' selectors (the app has no frames).
  const context = { ...(scope.include ? { include: [[scope.include]] } : {}), ...(scope.exclude ? { exclude: [[scope.exclude]] } : {}) }
  const violations = await page.evaluate(async (axeContext) => {
    const axe = (window as unknown as { axe: { run: (context: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe
    return (await axe.run(axeContext)).violations
  }, context)
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)
}

/**
 * Records every text `selector` shows from now on, as the page commits it (not sampled by the test's
 * polling), each change once; the returned function reads the list so far.
 */
export async function recordTexts(page: Page, selector: string): Promise<() => Promise<string[]>> {
  await page.evaluate((watched) => {
    const seen: string[] = []
    const recorded = ((window as unknown as { __recordedTexts?: Record<string, string[]> }).__recordedTexts ??= {})
    recorded[watched] = seen
    new MutationObserver(() => {
      const text = document.querySelector(watched)?.textContent
      if (text && seen.at(-1) !== text) seen.push(text)
    }).observe(document.body, { subtree: true, childList: true, characterData: true })
  }, selector)
  return () => page.evaluate((watched) => (window as unknown as { __recordedTexts: Record<string, string[]> }).__recordedTexts[watched] ?? [], selector)
}
