// The renderer's only door to the studio: the preload's `window.wanStudio` (src/shared/ipc.ts).
import type { Domain, InvokeName, InvokeParams, InvokeResult, IpcOutcome, WanStudioApi } from '../../shared/ipc'
import type { ErrorInfo } from '../../shared/queue'

/** The bridge, or null when the page runs without the preload (then the app explains why). */
export function studioApi(): WanStudioApi | null {
  const api = (window as { wanStudio?: WanStudioApi }).wanStudio
  return api ?? null
}

/** An invoke that main answered with an error: its code, message and details, as main sent them. */
export class StudioError extends Error {
  readonly code: string
  readonly details: string[]

  constructor(info: ErrorInfo) {
    super(info.message)
    this.name = 'StudioError'
    this.code = info.code
    this.details = info.details
  }
}

/**
 * Calls `wanStudio.<domain>.<method>(params)` and unwraps its IpcOutcome: the value, or a
 * StudioError. Without the bridge it throws a StudioError with code 'no-bridge'.
 */
export async function call<D extends Domain, M extends InvokeName<D>>(
  domain: D,
  method: M,
  ...params: InvokeParams<D, M> extends undefined ? [] : [InvokeParams<D, M>]
): Promise<InvokeResult<D, M>> {
  const api = studioApi()
  if (!api) throw new StudioError({ code: 'no-bridge', message: 'the studio bridge (window.wanStudio) is missing', details: [] })
  const invoke = (api[domain] as unknown as Record<string, (params?: unknown) => Promise<IpcOutcome<InvokeResult<D, M>>>>)[method]
  if (!invoke) throw new StudioError({ code: 'unknown-method', message: `the bridge has no ${domain}.${method}`, details: [] })
  const outcome = await invoke(params[0])
  if (!outcome.ok) throw new StudioError(outcome.error)
  return outcome.value
}

/** A readable message from anything a call threw. */
export function errorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : String(error)
  return message.trim() || 'Unknown error'
}

/** The details lines a StudioError carries (a sidecar's or ffmpeg's last lines), else none. */
export function errorDetails(error: unknown): string[] {
  return error instanceof StudioError ? error.details : []
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
