// A stand-in for the Hugging Face Hub's file endpoints (HF_ENDPOINT) for the download tests: the listing
// with sizes and hashes (GET /api/models/{repo}/revision/main?blobs=True), HEAD/GET resolve (an LFS file
// answers 302 to a second origin, as the hub's CDN, with X-Linked-Size and X-Linked-Etag), Range.
import { createHash } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export const REPO = 'Wan-AI/Wan2.2-TI2V-5B-Diffusers'
const COMMIT = 'c'.repeat(40)
export const HF_CHUNK = 10 * 1024 * 1024 // huggingface_hub writes what it receives in chunks this big
export const BIG = 'transformer/diffusion_pytorch_model.safetensors'

function bytes(size: number, seed: number): Buffer {
  const block = createHash('sha256').update(String(seed)).digest()
  return Buffer.alloc(size, block)
}

export const FILES: Record<string, Buffer> = {
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
export class StandInHub {
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
