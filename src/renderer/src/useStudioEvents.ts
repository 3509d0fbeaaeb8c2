// Subscribes to the studio's events once, loads the initial state, and unsubscribes on unmount.
import { useEffect } from 'react'
import { studioApi } from './api'
import { useStudio } from './store'

export function useStudioEvents(): void {
  useEffect(() => {
    const api = studioApi()
    if (!api) return
    const store = useStudio.getState()
    // Subscribe before loading, so nothing that happens in between is lost.
    const unsubscribe = [
      api.events.queue.progress((progress) => {
        useStudio.getState().onJobProgress(progress)
        useStudio.getState().onProgress(progress)
      }),
      api.events.queue.preview((preview) => useStudio.getState().onPreview(preview)),
      api.events.queue.job((job) => useStudio.getState().onJob(job)),
      api.events.queue.removed(({ jobId }) => useStudio.getState().onJobRemoved(jobId)),
      api.events.system.snapshot((snapshot) => useStudio.getState().onSystemSnapshot(snapshot)),
      api.events.system.log((line) => useStudio.getState().onLog(line)),
      api.events.system.gpuSample((sample) => useStudio.getState().onGpuSample(sample)),
      api.events.system.telemetry((status) => useStudio.getState().onTelemetryStatus(status))
    ]
    void store.loadSystem()
    void store.loadJobs()
    void store.loadLog()
    void store.loadTelemetry()
    return () => {
      for (const off of unsubscribe) off()
    }
  }, [])
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
