import { describe, expect, it } from 'vitest'
import { isStudioFrameUrl } from '../../src/main/core/trustedSender'

describe('isStudioFrameUrl', () => {
  it('accepts the studio page and rejects every other frame', () => {
    const app = 'wan-studio://app/index.html'
    expect(isStudioFrameUrl('wan-studio://app/index.html', app)).toBe(true)
    expect(isStudioFrameUrl('wan-studio://app/other.html#x', app)).toBe(true)
    for (const url of ['about:blank', 'data:text/html,hi', 'wan-media://media/x.mp4', 'wan-studio://evil/index.html', 'https://app/index.html', 'file:///index.html', 'not a url', '']) {
      expect(isStudioFrameUrl(url, app), url).toBe(false)
    }
    // In development the page comes from the dev server.
    expect(isStudioFrameUrl('http://localhost:5173/', 'http://localhost:5173/')).toBe(true)
    expect(isStudioFrameUrl('http://localhost:5174/', 'http://localhost:5173/')).toBe(false)
  })
})
