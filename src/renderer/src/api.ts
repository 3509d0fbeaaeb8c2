// The renderer's only door to the studio: the preload's `window.wanStudio` (src/shared/ipc.ts).
import type { WanStudioApi } from '../../shared/ipc'

/** The bridge, or null when the page runs without the preload (then the app explains why). */
export function studioApi(): WanStudioApi | null {
  const api = (window as { wanStudio?: WanStudioApi }).wanStudio
  return api ?? null
}

/**
 * A readable message from a rejected invoke. Electron wraps handler errors as
 * "Error invoking remote method 'render:start': Error: <message>"; keep only the message.
 */
export function errorMessage(error: unknown): string {
  const raw = error instanceof Error ? error.message : typeof error === 'string' ? error : String(error)
  const unwrapped = raw.replace(/^Error invoking remote method '[^']*':\s*/, '').replace(/^(?:[A-Za-z]*Error):\s*/, '')
  return unwrapped.trim() || 'Unknown error'
}

/** Copies text; falls back to a selection copy when the async clipboard is refused. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text)
    return true
  } catch {
    const area = document.createElement('textarea')
    area.value = text
    area.setAttribute('readonly', '')
    area.style.position = 'fixed'
    area.style.opacity = '0'
    document.body.appendChild(area)
    area.select()
    let copied = false
    try {
      copied = document.execCommand('copy')
    } catch {
      copied = false
    }
    area.remove()
    return copied
  }
}
