// The batch panel's state: the list (a typed path or a file's text), its preview, the batch started
// from it, and every batch the studio follows (those re-attached after a restart too), refreshed
// as the queue's jobs change.
import { useCallback, useEffect, useState } from 'react'
import type { BatchDefaultsInput, BatchPreview, BatchSource, BatchStatus } from '../../../shared/batch'
import { call, errorMessage, studioApi } from '../api'

export type BatchOptions = Required<Pick<BatchDefaultsInput, 'engine' | 'format' | 'fps' | 'translate' | 'extend'>> & { seconds: string }

export interface BatchState {
  source: BatchSource | null
  options: BatchOptions
  preview: BatchPreview | null
  status: BatchStatus | null
  /** The batches main follows, in the order they were started or re-attached. */
  batches: BatchStatus[]
  busy: boolean
  error: string | null
}

const initial: BatchState = {
  source: null,
  options: { engine: 'auto', format: 'h264', fps: 16, translate: 'auto', extend: false, seconds: '' },
  preview: null,
  status: null,
  batches: [],
  busy: false,
  error: null
}

/** The options as the contract takes them: seconds only when typed (a row's own value wins anyway). */
export function defaultsOf(options: BatchOptions): BatchDefaultsInput {
  const seconds = options.seconds.trim() === '' ? undefined : Number(options.seconds)
  return { engine: options.engine, format: options.format, fps: options.fps, translate: options.translate, extend: options.extend, ...(seconds === undefined ? {} : { seconds }) }
}

/** What a batch's buttons ask main to do with its rows. */
export type BatchAction = 'pause' | 'resume' | 'cancel' | 'retryFailed' | 'dismiss'

export function useBatch() {
  const [state, setState] = useState<BatchState>(initial)
  const patch = useCallback((fields: Partial<BatchState>) => setState((current) => ({ ...current, ...fields })), [])

  const refresh = useCallback(async () => patch({ batches: await call('batch', 'list') }), [patch])

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
        await refresh()
      } catch (error) {
        patch({ error: errorMessage(error), busy: false })
      }
    },
    [patch, refresh, state.source, state.options]
  )

  useEffect(() => {
    const api = studioApi()
    if (!api) return
    let reading = false
    let stale = false
    // Job events come in bursts (progress notes, each state): one read at a time, and one more after
    // it when an event came meanwhile, so the last change is never missed.
    const read = (): void => {
      if (reading) {
        stale = true
        return
      }
      reading = true
      void refresh()
        .catch(() => undefined)
        .finally(() => {
          reading = false
          if (stale) {
            stale = false
            read()
          }
        })
    }
    read()
    return api.events.queue.job(read)
  }, [refresh])

  const act = useCallback(
    async (action: BatchAction, outDir: string) => {
      try {
        await call('batch', action, { outDir })
        await refresh()
      } catch (error) {
        patch({ error: errorMessage(error) })
      }
    },
    [patch, refresh]
  )

  const setOptions = useCallback((options: Partial<BatchOptions>) => setState((current) => ({ ...current, options: { ...current.options, ...options } })), [])
  const reveal = useCallback((path: string) => void call('batch', 'reveal', { path }).catch((error: unknown) => patch({ error: errorMessage(error) })), [patch])
  const reset = useCallback(() => setState((current) => ({ ...initial, options: current.options, batches: current.batches })), [])
  // The started batch as main follows it now.
  const status = state.batches.find((batch) => batch.outDir === state.status?.outDir) ?? state.status

  return { state: { ...state, status }, preview, start, setOptions, reveal, reset, act }
}
