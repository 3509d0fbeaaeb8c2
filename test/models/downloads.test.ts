// The app's weights download (src/main/models/downloads.ts) driving the real `python -m wan_sidecar.downloads`
// in the engine environment against a stand-in for the hub's endpoints (HF_ENDPOINT, ./standInHub.ts).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { DownloadStatus } from '../../src/shared/modelDownloads'
import { parseDownloadLine } from '../../src/main/models/downloadLines'
import { DOWNLOAD_MARKER, ModelDownloads, PARTIAL_DIR } from '../../src/main/models/downloads'
import { createIpcHandlers, dispatchInvoke } from '../../src/main/core/ipcHandlers'
import { studioEventStream } from '../../src/main/core/studioEvents'
import { createTestStudio, sourcePaths, testEnv } from '../helpers/studio'
import { BIG, FILES, HF_CHUNK, StandInHub } from './standInHub'

const python = sourcePaths(process.env).engineVenvPython
const sidecarDir = sourcePaths(process.env).sidecarDir

function until(downloads: ModelDownloads, done: (status: DownloadStatus) => boolean): Promise<DownloadStatus> {
  return new Promise((resolve) => {
    const listener = (status: DownloadStatus): void => {
      if (!done(status)) return
      downloads.off('status', listener)
      resolve(status)
    }
    downloads.on('status', listener)
  })
}

describe('parseDownloadLine', () => {
  it('names what is wrong with a line that is not an event', () => {
    expect(parseDownloadLine('Traceback (most recent call last):')).toEqual({ problem: 'not JSON: Traceback (most recent call last):' })
    expect(parseDownloadLine('{"event": "progress", "file": "a"}')).toHaveProperty('problem')
    expect(parseDownloadLine('{"event": "done"}')).toEqual({ event: { event: 'done' } })
  })
})

describe.skipIf(!existsSync(python))('ModelDownloads against a stand-in hub', () => {
  let hub: StandInHub
  let home: string
  let downloads: ModelDownloads
  const service = (modelsDir: string | null): ModelDownloads =>
    new ModelDownloads({
      python: () => python,
      sidecarDir,
      modelsDir: () => Promise.resolve(modelsDir),
      env: { PATH: process.env.PATH, HF_ENDPOINT: hub.endpoint, HF_HOME: join(home, 'hf-home'), HF_HUB_DISABLE_TELEMETRY: '1' }
    })

  beforeEach(async () => {
    hub = new StandInHub()
    await hub.start()
    home = mkdtempSync(join(tmpdir(), 'wan-downloads-'))
    downloads = service(join(home, 'models'))
  })

  afterEach(async () => {
    await downloads.close()
    await hub.close()
    rmSync(home, { recursive: true, force: true })
  })

  it('downloads, checks and reports complete; a new session reads the marker as complete', async () => {
    const finished = until(downloads, (s) => s.state === 'complete' || s.state === 'failed')
    await downloads.start('ti2v-5b')
    const status = await finished
    expect(status).toMatchObject({ state: 'complete', verified: true, error: null })
    expect(status.totalBytes).toBe(Object.values(FILES).reduce((sum, data) => sum + data.length, 0))
    expect(status.freeBytes).toBeGreaterThan(status.totalBytes!)
    const folder = join(home, 'models', 'Wan2.2-TI2V-5B-Diffusers')
    for (const [path, data] of Object.entries(FILES)) expect(readFileSync(join(folder, path)).equals(data)).toBe(true)
    expect((await service(join(home, 'models')).list()).find((s) => s.id === 'ti2v-5b')).toMatchObject({ state: 'complete', verified: true })
  })

  it('pause stops mid-file and resume fetches the rest with a Range request', async () => {
    hub.stallAt[BIG] = HF_CHUNK + 1024
    const firstChunk = until(downloads, (s) => s.file?.path === BIG && s.file.done >= HF_CHUNK)
    await downloads.start('ti2v-5b')
    await firstChunk
    const paused = await downloads.pause('ti2v-5b')
    expect(paused.state).toBe('paused')
    delete hub.stallAt[BIG] // the resumed request is answered at once
    const folder = join(home, 'models', 'Wan2.2-TI2V-5B-Diffusers')
    expect(JSON.parse(readFileSync(join(folder, DOWNLOAD_MARKER), 'utf8'))).toMatchObject({ state: 'downloading' })
    expect((await service(join(home, 'models')).list()).find((s) => s.id === 'ti2v-5b')?.state).toBe('paused')

    const before = hub.requests.length
    const finished = until(downloads, (s) => s.state === 'complete' || s.state === 'failed')
    await downloads.start('ti2v-5b')
    expect(await finished).toMatchObject({ state: 'complete' })
    const resumed = hub.requests.slice(before).filter((r) => r.origin === 'cdn' && r.method === 'GET')
    expect(resumed.map((r) => r.range)).toEqual([`bytes=${HF_CHUNK}-`])
    expect(readFileSync(join(folder, BIG)).equals(FILES[BIG]!)).toBe(true)
  })

  it('a file with wrong bytes fails the check: not complete, the problem named, the file removed', async () => {
    hub.corrupt.add('vae/config.json')
    const finished = until(downloads, (s) => s.state === 'complete' || s.state === 'failed')
    await downloads.start('ti2v-5b')
    const status = await finished
    expect(status.state).toBe('failed')
    expect(status.error?.code).toBe('check-failed')
    expect(Object.keys(status.problems)).toEqual(['vae/config.json'])
    const folder = join(home, 'models', 'Wan2.2-TI2V-5B-Diffusers')
    expect(existsSync(join(folder, 'vae/config.json'))).toBe(false)
    expect((await service(join(home, 'models')).list()).find((s) => s.id === 'ti2v-5b')).toMatchObject({ state: 'failed', verified: false })
  })

  it('cancel removes the part files', async () => {
    hub.stallAt[BIG] = HF_CHUNK + 1024
    const firstChunk = until(downloads, (s) => s.file?.path === BIG && s.file.done >= HF_CHUNK)
    await downloads.start('ti2v-5b')
    await firstChunk
    expect((await downloads.cancel('ti2v-5b')).state).toBe('cancelled')
    expect(existsSync(join(home, 'models', 'Wan2.2-TI2V-5B-Diffusers', PARTIAL_DIR))).toBe(false)
  })

  it('runs through the Studio and the IPC contract: models.downloadStart, then models.download events to complete', async () => {
    let stopEvents = (): void => undefined
    const studio = createTestStudio(testEnv({ WAN_STUDIO_MODELS_DIR: join(home, 'models'), HF_ENDPOINT: hub.endpoint, HF_HOME: join(home, 'hf-home') }))
    try {
      const handlers = createIpcHandlers(studio)
      const events: DownloadStatus[] = []
      let completed: () => void = () => undefined
      const complete = new Promise<void>((resolve) => (completed = resolve))
      stopEvents = studioEventStream(studio, (domain, name, payload) => {
        if (domain !== 'models' || name !== 'download') return
        events.push(payload as DownloadStatus)
        if ((payload as DownloadStatus).state === 'complete') completed()
      })
      expect(await dispatchInvoke(handlers, 'models', 'downloadStart', { id: 'nope' })).toMatchObject({ ok: false, error: { code: 'invalid-params' } })
      expect(await dispatchInvoke(handlers, 'models', 'downloadStart', { id: 'ti2v-5b' })).toMatchObject({ ok: true, value: { id: 'ti2v-5b' } })
      await complete
      expect(events.some((status) => status.state === 'downloading' && status.totalBytes !== null)).toBe(true)
      const listed = await dispatchInvoke(handlers, 'models', 'downloads', undefined)
      expect(listed).toMatchObject({ ok: true })
      expect((listed as { value: DownloadStatus[] }).value.map((status) => [status.id, status.state])).toEqual([
        ['t2v-a14b', 'idle'],
        ['ti2v-5b', 'complete'],
        ['lightning-lora', 'idle']
      ])
    } finally {
      stopEvents()
      await studio.close()
    }
  })

  it('refuses to start without a models folder, saying so', async () => {
    const status = await service(null).start('lightning-lora')
    expect(status).toMatchObject({ state: 'failed', error: { code: 'no-models-dir' } })
  })
})
