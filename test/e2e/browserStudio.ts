// The browser side of the end-to-end tests: the built renderer served over HTTP with the studio's
// media, and a page whose window.wanStudio is bridged to the real core in this process (same
// handlers and validation as the Electron wiring).
import { createServer, type Server } from 'node:http'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import type { Page } from 'playwright-core'
import { createIpcHandlers, dispatchInvoke } from '../../src/main/core/ipcHandlers'
import type { Studio } from '../../src/main/core/studio'
import { studioEventStream } from '../../src/main/core/studioEvents'
import { handleMediaRequest, resolveMediaPath, serveMediaFile } from '../../src/main/media/mediaUrl'
import { eventChannel, eventNames, invokeNames } from '../../src/shared/ipcChannels'
import { repoRoot } from '../helpers/studio'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required']
export const rendererDir = join(repoRoot, 'out', 'renderer')
export const resultsDir = join(repoRoot, 'test-results')

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
