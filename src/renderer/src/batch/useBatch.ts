// The batch panel's state: the list (a typed path or a file's text), its preview, and the started
// batch's progress, refreshed from its manifest as the queue's jobs change.
import { useCallback, useEffect, useState } from 'react'
import type { BatchDefaultsInput, BatchPreview, BatchSource, BatchStatus } from '../../../shared/batch'
import { call, errorMessage, studioApi } from '../api'

export type BatchOptions = Required<Pick<BatchDefaultsInput, 'engine' | 'format' | 'fps'>> & { seconds: string }

export interface BatchState {
  source: BatchSource | null
  options: BatchOptions
  preview: BatchPreview | null
  status: BatchStatus | null
  busy: boolean
  error: string | null
}

const initial: BatchState = {
  source: null,
  options: { engine: 'auto', format: 'h264', fps: 16, seconds: '' },
  preview: null,
  status: null,
  busy: false,
  error: null
}

/** The options as the contract takes them: seconds only when typed (a row's own value wins anyway). */
function defaultsOf(options: BatchOptions): BatchDefaultsInput {
  const seconds = options.seconds.trim() === '' ? undefined : Number(options.seconds)
  return { engine: options.engine, format: options.format, fps: options.fps, ...(seconds === undefined ? {} : { seconds }) }
}

export function useBatch() {
  const [state, setState] = useState<BatchState>(initial)
  const patch = useCallback((fields: Partial<BatchState>) => setState((current) => ({ ...current, ...fields })), [])

  const preview = useCallback(
    async (source: BatchSource, options: BatchOptions) => {
      patch({ source, busy: true, error: null, preview: null, status: null })
      try {
        patch({ preview: await call('batch', 'preview', { ...source, defaults: defaultsOf(options) }), busy: false })
      } catch (error) {
        patch({ error: errorMessage(error), busy: false })
      }
    },
    [patch]
  )

  const start = useCallback(
    async (outDir: string) => {
      if (!state.source) return
      patch({ busy: true, error: null })
      try {
        patch({ status: await call('batch', 'start', { ...state.source, defaults: defaultsOf(state.options), outDir }), busy: false })
      } catch (error) {
        patch({ error: errorMessage(error), busy: false })
      }
    },
    [patch, state.source, state.options]
  )

  const outDir = state.status?.outDir ?? null
  useEffect(() => {
    const api = studioApi()
    if (!outDir || !api) return
    let waiting = false
    // Job events come in bursts (progress notes, each state): one status read at a time.
    const refresh = (): void => {
      if (waiting) return
      waiting = true
      void call('batch', 'status', { outDir })
        .then((status) => patch({ status }))
        .catch(() => undefined)
        .finally(() => (waiting = false))
    }
    return api.events.queue.job(refresh)
  }, [outDir, patch])

  const setOptions = useCallback((options: Partial<BatchOptions>) => setState((current) => ({ ...current, options: { ...current.options, ...options } })), [])
  const reveal = useCallback((path: string) => void call('batch', 'reveal', { path }).catch((error: unknown) => patch({ error: errorMessage(error) })), [patch])
  const reset = useCallback(() => setState((current) => ({ ...initial, options: current.options })), [])

  return { state, preview, start, setOptions, reveal, reset }
}
