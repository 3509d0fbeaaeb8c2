/**
 * Whether a frame URL belongs to the studio itself: same scheme and host as the page it loads
 * (wan-studio://app, or the dev server). Origins can't be compared: Node's URL gives custom
 * schemes the origin "null", which would match about:blank and data: frames too.
 */
export function isStudioFrameUrl(frameUrl: string, startUrl: string): boolean {
  let frame: URL
  try {
    frame = new URL(frameUrl)
  } catch {
    return false
  }
  const expected = new URL(startUrl)
  return frame.protocol === expected.protocol && frame.host === expected.host && frame.host !== ''
}
