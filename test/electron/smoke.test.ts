// Launches the real Electron app wherever an Electron binary is installed; says plainly when not.
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { _electron as electron } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { repoRoot, testEnv } from '../helpers/studio'

function electronBinary(): string | null {
  try {
    // electron's index.js throws when its binary was never downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD).
    const path = createRequire(__filename)(join(repoRoot, 'node_modules', 'electron')) as string
    return existsSync(path) ? path : null
  } catch {
    return null
  }
}

const binary = electronBinary()
if (!binary) {
  console.warn('SKIPPED electron smoke test: no Electron binary is installed here (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1)')
}

describe.skipIf(!binary)('Electron app smoke test', () => {
  it('opens the studio window with the preload API and a secure renderer', async () => {
    const app = await electron.launch({ executablePath: binary!, args: [join(repoRoot, 'out', 'main', 'index.js'), '--no-sandbox'], env: testEnv() as Record<string, string> })
    try {
      const window = await app.firstWindow()
      await window.getByTestId('prompt-input').waitFor()
      expect(await window.evaluate(() => typeof (window as unknown as { wanStudio: unknown }).wanStudio)).toBe('object')
      // The preload's API by domain: invokes answer with an IpcOutcome, events return an unsubscribe.
      type Api = { system: { snapshot: () => Promise<{ ok: boolean }> }; events: { queue: { progress: (listener: () => void) => () => void } } }
      expect(await window.evaluate(async () => typeof (await (window as unknown as { wanStudio: Api }).wanStudio.system.snapshot()).ok)).toBe('boolean')
      expect(await window.evaluate(() => typeof (window as unknown as { wanStudio: Api }).wanStudio.events.queue.progress(() => undefined))).toBe('function')
      expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined')
      expect(window.url()).toMatch(/^wan-studio:\/\/app\//)
    } finally {
      await app.close()
    }
  })
})
