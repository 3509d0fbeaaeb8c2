import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import type { ReadableStream as NodeReadableStream } from 'node:stream/web'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { handleMediaRequest, parseByteRange, resolveMediaPath, serveMediaFile } from '../../src/main/media/mediaUrl'
import { useTempDir } from './helpers'

const dir = realpathSync(useTempDir('url'))
const root = join(dir, 'data')
const otherRoot = join(dir, 'imports')
const outside = join(dir, 'outside')
const video = join(root, 'renders', 'job-1', 'final.mp4')
const videoBytes = Buffer.from(Array.from({ length: 1000 }, (_, index) => index % 251))

beforeAll(() => {
  mkdirSync(join(root, 'renders', 'job-1'), { recursive: true })
  mkdirSync(otherRoot, { recursive: true })
  mkdirSync(outside, { recursive: true })
  writeFileSync(video, videoBytes)
  writeFileSync(join(root, 'renders', 'job-1', 'job.json'), '{}')
  writeFileSync(join(root, 'renders', 'job-1', 'clip 1.mp4'), 'spaced')
  writeFileSync(join(otherRoot, 'still.png'), 'png')
  writeFileSync(join(outside, 'secret.mp4'), 'secret')
  writeFileSync(join(outside, 'notes.txt'), 'secret')
  symlinkSync(join(outside, 'secret.mp4'), join(root, 'renders', 'escape.mp4'))
  symlinkSync(outside, join(root, 'linked-dir'))
  symlinkSync(video, join(root, 'renders', 'alias.mp4'))
  symlinkSync(join(root, 'renders', 'job-1', 'job.json'), join(root, 'renders', 'json-in-disguise.mp4'))
})

describe('resolveMediaPath', () => {
  const roots = [root, otherRoot]

  it('maps a URL path to a media file under a root', () => {
    expect(resolveMediaPath(roots, '/renders/job-1/final.mp4')).toBe(video)
    expect(resolveMediaPath(roots, '/renders/job-1/clip%201.mp4')).toBe(join(root, 'renders', 'job-1', 'clip 1.mp4'))
    expect(resolveMediaPath(roots, '/still.png')).toBe(join(otherRoot, 'still.png'))
    expect(resolveMediaPath(roots, '/renders/alias.mp4')).toBe(video)
  })

  it.each([
    ['parent segments', '/renders/../../outside/secret.mp4'],
    ['a single parent segment', '/../outside/secret.mp4'],
    ['dot segments', '/renders/./job-1/final.mp4'],
    ['encoded dots', '/renders/%2e%2e/%2E%2E/outside/secret.mp4'],
    ['an encoded slash', '/renders%2f..%2f..%2foutside/secret.mp4'],
    ['double encoding', '/renders/%252e%252e/job-1/final.mp4'],
    ['a backslash', '/renders\\..\\..\\outside\\secret.mp4'],
    ['an encoded backslash', '/renders/..%5c..%5coutside/secret.mp4'],
    ['a NUL byte', '/renders/job-1/final.mp4\0.png'],
    ['an encoded NUL byte', '/renders/job-1/final.mp4%00.png'],
    ['an absolute path', `/${outside}/secret.mp4`],
    ['a protocol-relative path', '//etc/secret.mp4'],
    ['a relative path', 'renders/job-1/final.mp4'],
    ['a drive letter', '/C:/secret.mp4'],
    ['an empty segment', '/renders//job-1/final.mp4'],
    ['a hidden file', '/renders/.hidden.mp4'],
    ['malformed encoding', '/renders/%E0%A4%A.mp4'],
    ['a symlinked file escaping the root', '/renders/escape.mp4'],
    ['a symlinked folder escaping the root', '/linked-dir/secret.mp4'],
    ['a non-media file', '/renders/job-1/job.json'],
    ['a link from a media name to a non-media file', '/renders/json-in-disguise.mp4'],
    ['a folder', '/renders/job-1'],
    ['a missing file', '/renders/job-2/final.mp4'],
    ['the root itself', '/']
  ])('rejects %s', (_, requestPath) => {
    expect(resolveMediaPath(roots, requestPath)).toBeNull()
  })

  it('allows the renderer files only when asked', () => {
    expect(resolveMediaPath([root], '/renders/job-1/job.json', { allowAppFiles: true })).toBe(join(root, 'renders', 'job-1', 'job.json'))
    expect(resolveMediaPath([outside], '/notes.txt', { allowAppFiles: true })).toBeNull()
  })
})

describe('parseByteRange', () => {
  it.each([
    ['bytes=0-99', { start: 0, end: 99 }],
    ['bytes=900-', { start: 900, end: 999 }],
    ['bytes=-100', { start: 900, end: 999 }],
    ['bytes=-5000', { start: 0, end: 999 }],
    ['bytes=990-5000', { start: 990, end: 999 }],
    ['bytes=1000-', 'unsatisfiable'],
    ['bytes=-0', 'unsatisfiable'],
    ['bytes=5-1', null],
    ['bytes=0-1,5-6', null],
    ['items=0-1', null],
    ['bytes=-', null]
  ] as const)('%s', (header, expected) => {
    expect(parseByteRange(header, 1000)).toEqual(expected)
  })
})

describe('serving media over HTTP', () => {
  let server: Server
  let origin: string

  // The same handler Electron's protocol.handle would call, behind a plain Node server.
  beforeAll(async () => {
    const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
      const headers = new Headers()
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value)
      const response = await handleMediaRequest([root], new Request(`http://media${req.url}`, { method: req.method, headers }))
      res.writeHead(response.status, Object.fromEntries(response.headers))
      if (response.body) Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>).pipe(res)
      else res.end()
    }
    // A handler that throws answers 500 with the error (or drops the connection mid-body), so the
    // test sees it instead of an unhandled rejection.
    server = createServer((req, res) => {
      serve(req, res).catch((error: unknown) => (res.headersSent ? res.destroy() : res.writeHead(500).end(String(error))))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  it('serves the whole file with 200', async () => {
    const response = await fetch(`${origin}/renders/job-1/final.mp4`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('video/mp4')
    expect(response.headers.get('accept-ranges')).toBe('bytes')
    expect(response.headers.get('content-length')).toBe('1000')
    expect(Buffer.from(await response.arrayBuffer())).toEqual(videoBytes)
  })

  it('answers ranges with 206 and the exact bytes', async () => {
    const response = await fetch(`${origin}/renders/job-1/final.mp4`, { headers: { Range: 'bytes=100-199' } })
    expect(response.status).toBe(206)
    expect(response.headers.get('content-range')).toBe('bytes 100-199/1000')
    expect(response.headers.get('content-length')).toBe('100')
    expect(Buffer.from(await response.arrayBuffer())).toEqual(videoBytes.subarray(100, 200))

    const tail = await fetch(`${origin}/renders/job-1/final.mp4`, { headers: { Range: 'bytes=-10' } })
    expect(tail.status).toBe(206)
    expect(Buffer.from(await tail.arrayBuffer())).toEqual(videoBytes.subarray(990))
  })

  it('answers an unsatisfiable range with 416', async () => {
    const response = await fetch(`${origin}/renders/job-1/final.mp4`, { headers: { Range: 'bytes=5000-' } })
    expect(response.status).toBe(416)
    expect(response.headers.get('content-range')).toBe('bytes */1000')
  })

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await fetch(`${origin}/renders/job-1/final.mp4`, { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(head.headers.get('content-length')).toBe('1000')
    const post = await fetch(`${origin}/renders/job-1/final.mp4`, { method: 'POST' })
    expect(post.status).toBe(405)
  })

  it('answers 404 for traversal and non-media alike', async () => {
    for (const path of ['/renders/escape.mp4', '/renders/job-1/job.json', '/renders/%2e%2e/%2e%2e/outside/secret.mp4', '/nope.mp4']) {
      const response = await fetch(`${origin}${path}`)
      expect(response.status, path).toBe(404)
    }
  })

  it('serves a file directly for a given path', async () => {
    const response = await serveMediaFile(join(otherRoot, 'still.png'), 'bytes=1-2')
    expect(response.status).toBe(206)
    expect(response.headers.get('content-type')).toBe('image/png')
    expect(await response.text()).toBe('ng')
    expect((await serveMediaFile(join(dir, 'missing.png'))).status).toBe(404)
  })
})
