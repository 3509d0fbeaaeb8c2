// Custom protocols: the renderer's own files and the project's media, never file://.
import { isAbsolute, relative, sep } from 'node:path'
import { protocol } from 'electron'
import { handleMediaRequest, resolveMediaPath, serveMediaFile } from '../media/mediaUrl'

export const APP_SCHEME = 'wan-studio'
export const APP_ORIGIN = `${APP_SCHEME}://app`
export const MEDIA_SCHEME = 'wan-media'

const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: wan-media:; " +
  "media-src 'self' wan-media: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

/** Must run before the app is ready. */
export function registerSchemes(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
    { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, stream: true, supportFetchAPI: true } }
  ])
}

/**
 * wan-media://media/<path relative to its media root> for a file inside one of `mediaRoots`; the
 * protocol tries the roots in the same order.
 */
export function mediaUrlFor(mediaRoots: string[], path: string): string {
  for (const root of mediaRoots) {
    const rel = relative(root, path)
    if (rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)) return `${MEDIA_SCHEME}://media/${rel.split(sep).map(encodeURIComponent).join('/')}`
  }
  throw new Error(`${path} is not inside a media folder (${mediaRoots.join(', ')})`)
}

export function handleProtocols(rendererDir: string, mediaRoots: () => string[]): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url)
    const file = resolveMediaPath([rendererDir], url.pathname === '/' ? '/index.html' : url.pathname, { allowAppFiles: true })
    if (!file) return new Response('not found', { status: 404 })
    const response = await serveMediaFile(file, request.headers.get('range'))
    // frame-ancestors only works as a header; the page's meta tag carries the rest too.
    response.headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY)
    return response
  })
  protocol.handle(MEDIA_SCHEME, (request) => handleMediaRequest(mediaRoots(), request))
}
