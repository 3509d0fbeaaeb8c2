// The app's weights download (src/main/models/downloads.ts) driving the real `python -m wan_sidecar.downloads`
// in the engine environment against a stand-in for the hub's endpoints (HF_ENDPOINT): the listing with
// sizes and hashes, HEAD/GET resolve (an LFS file answers 302 to a second origin, as the hub's CDN), Range.
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { DownloadStatus } from '../../src/shared/modelDownloads'
import { parseDownloadLine } from '../../src/main/models/downloadLines'
import { DOWNLOAD_MARKER, ModelDownloads, PARTIAL_DIR } from '../../src/main/models/downloads'
import { createIpcHandlers, dispatchInvoke } from '../../src/main/core/ipcHandlers'
import { studioEventStream } from '../../src/main/core/studioEvents'
import { createTestStudio, sourcePaths, testEnv } from '../helpers/studio'

const REPO = 'Wan-AI/Wan2.2-TI2V-5B-Diffusers'
const COMMIT = 'c'.repeat(40)
const HF_CHUNK = 10 * 1024 * 1024 // huggingface_hub writes what it receives in chunks this big
const BIG = 'transformer/diffusion_pytorch_model.safetensors'

function bytes(size: number, seed: number): Buffer {
  const block = createHash('sha256').update(String(seed)).digest()
  return Buffer.alloc(size, block)
}

const FILES: Record<string, Buffer> = {
  'model_index.json': Buffer.from('{"_class_name": "WanPipeline"}'),
  'vae/config.json': Buffer.from('{"_class_name": "AutoencoderKLWan"}'),
  [BIG]: bytes(HF_CHUNK + 4 * 1024 * 1024, 1)
}

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex')
const blobId = (data: Buffer): string => createHash('sha1').update(`blob ${data.length}\0`).update(data).digest('hex')
const isLfs = (path: string): boolean => path.endsWith('.safetensors')

interface Request {
  origin: 'hub' | 'cdn'
  method: string
  url: string
  range: string | null
}

/** The hub and its CDN on two local origins; `stallAt` holds a file's response after that many bytes until released. */
class StandInHub {
  readonly requests: Request[] = []
  corrupt = new Set<string>()
  stallAt: Record<string, number> = {}
  private releaseStalled: () => void = () => undefined
  private readonly stalled = new Promise<void>((resolve) => (this.releaseStalled = resolve))
  private hub!: Server
  private cdn!: Server
  endpoint = ''
  private cdnUrl = ''

  async start(): Promise<void> {
    this.hub = createServer((req, res) => this.answer('hub', req, res))
    this.cdn = createServer((req, res) => this.answer('cdn', req, res))
    await Promise.all([this.hub, this.cdn].map((server) => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))))
    this.endpoint = `http://127.0.0.1:${(this.hub.address() as AddressInfo).port}`
    this.cdnUrl = `http://127.0.0.1:${(this.cdn.address() as AddressInfo).port}`
  }

  async close(): Promise<void> {
    this.releaseStalled()
    for (const server of [this.hub, this.cdn]) server.closeAllConnections()
    await Promise.all([this.hub, this.cdn].map((server) => new Promise((resolve) => server.close(resolve))))
  }

  private answer(origin: 'hub' | 'cdn', req: IncomingMessage, res: ServerResponse): void {
    const url = (req.url ?? '').split('?')[0]!
    this.requests.push({ origin, method: req.method ?? '', url, range: req.headers.range ?? null })
    if (origin === 'hub' && url === `/api/models/${REPO}/revision/main`) {
      const siblings = Object.entries(FILES).map(([path, data]) => ({
        rfilename: path,
        size: data.length,
        blobId: blobId(data),
        ...(isLfs(path) ? { lfs: { size: data.length, sha256: sha256(data), pointerSize: 134 } } : {})
      }))
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ id: REPO, sha: COMMIT, siblings }))
      return
    }
    const path = origin === 'cdn' ? Object.keys(FILES).find((p) => url === `/blobs/${sha256(FILES[p]!)}`) : url.replace(`/${REPO}/resolve/${COMMIT}/`, '')
    const data = path ? FILES[path] : undefined
    if (!path || !data) {
      res.writeHead(404, { 'X-Error-Code': 'EntryNotFound' }).end()
      return
    }
    if (origin === 'hub' && isLfs(path)) {
      res
        .writeHead(302, {
          Location: `${this.cdnUrl}/blobs/${sha256(data)}`,
          'X-Repo-Commit': COMMIT,
          'X-Linked-Size': String(data.length),
          'X-Linked-Etag': `"${sha256(data)}"`,
          ETag: `"${blobId(data)}"`
        })
        .end()
      return
    }
    const served = this.corrupt.has(path) ? Buffer.concat([data.subarray(0, -1), Buffer.from([data[data.length - 1]! ^ 0xff])]) : data
    void this.sendBytes(path, served, req, res)
  }

  private async sendBytes(path: string, data: Buffer, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const start = req.headers.range ? Number(/bytes=(\d+)-/.exec(req.headers.range)![1]) : 0
    const headers = { 'Content-Length': String(data.length - start), ETag: `"${isLfs(path) ? sha256(data) : blobId(data)}"`, 'X-Repo-Commit': COMMIT, 'Accept-Ranges': 'bytes' }
    res.writeHead(start > 0 ? 206 : 200, start > 0 ? { ...headers, 'Content-Range': `bytes ${start}-${data.length - 1}/${data.length}` } : headers)
    if (req.method === 'HEAD') return void res.end()
    const stall = this.stallAt[path]
    if (stall !== undefined && start < stall) {
      res.write(data.subarray(start, stall))
      await this.stalled
      if (res.destroyed) return
    }
    res.end(data.subarray(Math.max(start, stall ?? 0)))
  }
}

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
