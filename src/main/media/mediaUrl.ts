import { createReadStream, realpathSync, statSync } from 'node:fs'
import { stat } from 'node:fs/promises'
import { extname, isAbsolute, join, relative, sep } from 'node:path'
import { Readable } from 'node:stream'

/** Only media is served; project JSON, logs and anything else stay out of the renderer's reach. */
export const MEDIA_CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.mp4': 'video/mp4',
  '.mov': 'video/quicktime',
  '.webm': 'video/webm',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp'
}

/** What a built renderer (Vite output) consists of, for the app's own protocol. */
const APP_CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm'
}

export type ResolveMediaPathOptions = {
  /** Also allow the renderer's own file types (html, js, css, fonts…) besides media. */
  allowAppFiles?: boolean
}

function isAllowedFileName(name: string, options: ResolveMediaPathOptions): boolean {
  const extension = extname(name).toLowerCase()
  return Object.hasOwn(MEDIA_CONTENT_TYPES, extension) || (options.allowAppFiles === true && Object.hasOwn(APP_CONTENT_TYPES, extension))
}

/**
 * Decodes a URL path into plain file name segments, or null when any segment could step outside
 * (`..`, `.`, hidden names), smuggle a separator (`%2f`, `\`), a drive or stream name (`:`),
 * a NUL, or is still percent-encoded after one decoding (double encoding).
 */
function decodePathSegments(requestPath: string): string[] | null {
  if (!requestPath.startsWith('/') || requestPath.startsWith('//')) return null
  if (requestPath.includes('\\') || requestPath.includes('\0')) return null
  const segments: string[] = []
  for (const raw of requestPath.slice(1).split('/')) {
    let segment: string
    try {
      segment = decodeURIComponent(raw)
    } catch {
      return null
    }
    if (segment === '' || segment.startsWith('.') || /[/\\:%\0]/.test(segment)) return null
    segments.push(segment)
  }
  return segments
}

function isStrictlyInside(root: string, path: string): boolean {
  const rel = relative(root, path)
  return rel !== '' && !isAbsolute(rel) && rel.split(sep)[0] !== '..'
}

/**
 * Maps a media URL path (e.g. `/renders/<jobId>/final.mp4`, the URL's pathname) to a media file
 * under one of `roots`, trying the roots in order. Returns the file's real path, or null for a
 * missing file, a non-media file or any path that would leave its root, symlinks included.
 */
export function resolveMediaPath(roots: string[], requestPath: string, options: ResolveMediaPathOptions = {}): string | null {
  const segments = decodePathSegments(requestPath)
  const fileName = segments?.at(-1)
  if (!segments || fileName === undefined || !isAllowedFileName(fileName, options)) return null
  for (const root of roots) {
    try {
      const realRoot = realpathSync(root)
      const realFile = realpathSync(join(realRoot, ...segments))
      // The link target must still be media inside the root, or a link would widen access.
      if (isStrictlyInside(realRoot, realFile) && isAllowedFileName(realFile, options) && statSync(realFile).isFile()) {
        return realFile
      }
    } catch {
      // Missing root or file: try the next root.
    }
  }
  return null
}

type ByteRange = { start: number; end: number }

/**
 * Parses a single `bytes=` range against a file size. Returns null when the header should be
 * ignored (malformed or multiple ranges: the full file is a valid answer to those).
 */
export function parseByteRange(header: string, size: number): ByteRange | 'unsatisfiable' | null {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim())
  if (!match || (match[1] === '' && match[2] === '')) return null
  if (match[1] === '') {
    const suffixLength = Number(match[2])
    if (suffixLength === 0 || size === 0) return 'unsatisfiable'
    return { start: Math.max(0, size - suffixLength), end: size - 1 }
  }
  const start = Number(match[1])
  const requestedEnd = match[2] === '' ? Number.POSITIVE_INFINITY : Number(match[2])
  if (requestedEnd < start) return null
  if (start >= size) return 'unsatisfiable'
  return { start, end: Math.min(requestedEnd, size - 1) }
}

function contentTypeOf(filePath: string): string {
  const extension = extname(filePath).toLowerCase()
  return MEDIA_CONTENT_TYPES[extension] ?? APP_CONTENT_TYPES[extension] ?? 'application/octet-stream'
}

/**
 * Answers a request for one file with a web Response: 200 with the whole file, 206 for a
 * satisfiable Range (video seeking depends on it), 416 otherwise. Usable as is from Electron's
 * `protocol.handle`; a Node http server can forward status, headers and body.
 */
export async function serveMediaFile(filePath: string, rangeHeader?: string | null, method = 'GET'): Promise<Response> {
  let size: number
  try {
    const stats = await stat(filePath)
    if (!stats.isFile()) return new Response(null, { status: 404 })
    size = stats.size
  } catch {
    return new Response(null, { status: 404 })
  }

  const headers = new Headers({
    'Content-Type': contentTypeOf(filePath),
    'Accept-Ranges': 'bytes',
    // Renders can be replaced in place (a re-export), so the player must revalidate.
    'Cache-Control': 'no-cache',
    'X-Content-Type-Options': 'nosniff'
  })
  const range = rangeHeader ? parseByteRange(rangeHeader, size) : null
  if (range === 'unsatisfiable') {
    headers.set('Content-Range', `bytes */${size}`)
    return new Response(null, { status: 416, headers })
  }

  const { start, end } = range ?? { start: 0, end: size - 1 }
  const length = end - start + 1
  const status = range ? 206 : 200
  headers.set('Content-Length', String(length))
  if (range) headers.set('Content-Range', `bytes ${start}-${end}/${size}`)
  if (method === 'HEAD' || length === 0) return new Response(null, { status, headers })

  const body = Readable.toWeb(createReadStream(filePath, { start, end })) as ReadableStream<Uint8Array>
  return new Response(body, { status, headers })
}

/**
 * The whole media protocol handler: `protocol.handle(scheme, (request) => handleMediaRequest(roots, request))`.
 * Missing and forbidden paths both answer 404, so a page cannot probe what exists outside the roots.
 */
export async function handleMediaRequest(roots: string[], request: Request): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return new Response(null, { status: 405, headers: { Allow: 'GET, HEAD' } })
  }
  let pathname: string
  try {
    pathname = new URL(request.url).pathname
  } catch {
    return new Response(null, { status: 400 })
  }
  const filePath = resolveMediaPath(roots, pathname)
  if (!filePath) return new Response(null, { status: 404 })
  return serveMediaFile(filePath, request.headers.get('range'), request.method)
}
