// Subscribes to the studio's events once, loads the initial state, and unsubscribes on unmount.
import { useEffect } from 'react'
import { studioApi } from './api'
import { useStudio } from './store'

/** While the sidecar is starting there is no event for its state: poll until it settles. */
const STARTING_POLL_MS = 1500

export function useStudioEvents(): void {
  useEffect(() => {
    const api = studioApi()
    if (!api) return
    const store = useStudio.getState()
    // Subscribe before loading, so nothing that happens in between is lost.
    const unsubscribe = [
      api.onRenderProgress((p) => useStudio.getState().onProgress(p)),
      api.onRenderDone((r) => useStudio.getState().onDone(r)),
      api.onRenderFailed((f) => useStudio.getState().onFailed(f)),
      api.onSidecarLog((line) => useStudio.getState().onLog(line))
    ]
    void store.refreshInfo()
    void store.loadHistory()
    void store.loadLog()

    const onFocus = (): void => void useStudio.getState().refreshInfo()
    window.addEventListener('focus', onFocus)
    return () => {
      for (const off of unsubscribe) off()
      window.removeEventListener('focus', onFocus)
    }
  }, [])

  const sidecarState = useStudio((s) => s.info?.sidecar.state)
  useEffect(() => {
    if (sidecarState !== 'starting') return
    const timer = window.setInterval(() => void useStudio.getState().refreshInfo(), STARTING_POLL_MS)
    return () => window.clearInterval(timer)
  }, [sidecarState])
}

/** Ctrl/Cmd+Enter generates; Escape cancels the running render. */
export function useStudioKeys(): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && !event.altKey) {
        event.preventDefault()
        void useStudio.getState().generate()
      } else if (event.key === 'Escape' && useStudio.getState().job) {
        event.preventDefault()
        void useStudio.getState().cancel()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
}

/** The window title follows the render: "42% · Wan Studio". */
export function useWindowTitle(): void {
  const fraction = useStudio((s) => (s.job ? (s.progress?.fraction ?? 0) : null))
  useEffect(() => {
    document.title = fraction === null ? 'Wan Studio' : `${Math.floor(fraction * 100)}% · Wan Studio`
  }, [fraction])
}
