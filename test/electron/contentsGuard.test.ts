// The app-wide web-contents guard, driven with fake Electron objects (the Electron binary can't run
// here), and the packaging config's fuses checked against electron-builder's own schema.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { installContentsGuard, type GuardedApp, type GuardedContents } from '../../src/main/electron/contentsGuard'
import { isStudioFrameUrl } from '../../src/main/core/trustedSender'
import { repoRoot } from '../helpers/studio'

type Listener = (event: { preventDefault(): void }, url?: string) => void

function fakeContents() {
  const listeners = new Map<string, Listener>()
  let openHandler: ((details: { url: string }) => { action: string }) | null = null
  const contents = {
    setWindowOpenHandler: (handler: (details: { url: string }) => { action: 'deny' }) => (openHandler = handler),
    on: (event: string, listener: Listener) => listeners.set(event, listener)
  } as unknown as GuardedContents
  const fire = (event: string, url?: string): boolean => {
    let prevented = false
    listeners.get(event)?.({ preventDefault: () => (prevented = true) }, url)
    return prevented
  }
  return { contents, fire, openWindow: (url: string) => openHandler?.({ url }).action }
}

function fakeApp() {
  let created: ((event: unknown, contents: GuardedContents) => void) | null = null
  const app = { on: (_event: string, listener: typeof created) => (created = listener) } as unknown as GuardedApp
  return { app, create: (contents: GuardedContents) => created?.({}, contents) }
}

describe('web contents guard', () => {
  const startUrl = 'wan-studio://app/index.html'
  const { app, create } = fakeApp()
  installContentsGuard(app, (url) => isStudioFrameUrl(url, startUrl))

  it('guards every web contents created after install: no window.open, no navigation away, no webview', () => {
    const page = fakeContents()
    create(page.contents)
    expect(page.openWindow('https://example.com')).toBe('deny')
    expect(page.openWindow('wan-studio://app/index.html')).toBe('deny')
    expect(page.fire('will-navigate', 'https://example.com/')).toBe(true)
    expect(page.fire('will-navigate', 'file:///etc/passwd')).toBe(true)
    expect(page.fire('will-redirect', 'https://example.com/')).toBe(true)
    expect(page.fire('will-navigate', 'wan-studio://app/index.html#shots')).toBe(false)
    expect(page.fire('will-attach-webview')).toBe(true)
  })

  it('packaging flips the fuses: no run-as-node, NODE_OPTIONS or inspect; asar only, with integrity', () => {
    const config = readFileSync(join(repoRoot, 'electron-builder.yml'), 'utf8')
    const section = config.slice(config.indexOf('electronFuses:'))
    const fuses: Record<string, boolean> = Object.fromEntries([...section.matchAll(/^ {2}(\w+): (true|false)$/gm)].map((match) => [match[1]!, match[2] === 'true']))
    expect(fuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true
    })
    const schema = JSON.parse(readFileSync(join(repoRoot, 'node_modules/app-builder-lib/scheme.json'), 'utf8')) as {
      properties: Record<string, unknown>
      definitions: { FuseOptionsV1: { properties: Record<string, unknown> } }
    }
    expect(schema.properties).toHaveProperty('electronFuses')
    for (const name of Object.keys(fuses)) expect(schema.definitions.FuseOptionsV1.properties).toHaveProperty(name)
  })
})
