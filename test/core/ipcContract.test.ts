import { describe, expect, expectTypeOf, it, vi } from 'vitest'
import { createIpcHandlers, dispatchInvoke } from '../../src/main/core/ipcHandlers'
import type { Studio } from '../../src/main/core/studio'
import { eventContract, invokeContract, type IpcHandlers, type IpcOutcome, type InvokeResult, type WanStudioApi } from '../../src/shared/ipc'
import { eventChannel, eventNames, invokeChannel, invokeNames } from '../../src/shared/ipcChannels'
import type { JobProgress } from '../../src/shared/queue'

/** The contract's entries as [domain, name] pairs, sorted. */
function entries(contract: Record<string, Record<string, unknown> | readonly string[]>): string[] {
  return Object.entries(contract)
    .flatMap(([domain, names]) => (Array.isArray(names) ? names : Object.keys(names)).map((name: string) => `${domain}.${name}`))
    .sort()
}

describe('IPC contract', () => {
  it('has exactly one channel per invoke and per event, each named once', () => {
    expect(entries(invokeNames)).toEqual(entries(invokeContract))
    expect(entries(eventNames)).toEqual(entries(eventContract))
    const invokes = Object.entries(invokeNames).flatMap(([domain, methods]) => methods.map((method) => invokeChannel(domain, method)))
    const events = Object.entries(eventNames).flatMap(([domain, names]) => names.map((name) => eventChannel(domain, name)))
    expect(new Set([...invokes, ...events]).size).toBe(invokes.length + events.length)
  })

  it('types the handlers and the preload API after the contract (compile-time)', () => {
    expectTypeOf(createIpcHandlers).returns.toEqualTypeOf<IpcHandlers>()
    expectTypeOf<ReturnType<IpcHandlers['queue']['renderPrompt']>>().toEqualTypeOf<Promise<InvokeResult<'queue', 'renderPrompt'>>>()
    expectTypeOf<Parameters<IpcHandlers['queue']['cancel']>[0]>().toEqualTypeOf<{ jobId: string }>()
    expectTypeOf<WanStudioApi['system']['snapshot']>().parameters.toEqualTypeOf<[]>()
    expectTypeOf<ReturnType<WanStudioApi['queue']['cancel']>>().toEqualTypeOf<Promise<IpcOutcome<void>>>()
    expectTypeOf<ReturnType<WanStudioApi['events']['queue']['progress']>>().toEqualTypeOf<() => void>()
    expectTypeOf<Parameters<Parameters<WanStudioApi['events']['queue']['progress']>[0]>[0]>().toEqualTypeOf<JobProgress>()
    // @ts-expect-error every contract entry needs a handler
    const missing: IpcHandlers = { ...createIpcHandlers({} as Studio), queue: { snapshot: () => Promise.resolve({ paused: false, jobs: [] }) } }
    void missing
  })

  it('answers invalid params with an invalid-params error naming the field, before a handler runs', async () => {
    const renderPrompt = vi.fn()
    const cancel = vi.fn()
    const real = createIpcHandlers({} as Studio)
    const handlers: IpcHandlers = { ...real, queue: { ...real.queue, renderPrompt, cancel } }
    const invalid = (message: RegExp) => ({ ok: false, error: { code: 'invalid-params', message: expect.stringMatching(message) as unknown, details: expect.any(Array) as unknown } })

    await expect(dispatchInvoke(handlers, 'queue', 'renderPrompt', { prompt: '   ', seconds: 5 })).resolves.toMatchObject(invalid(/prompt: prompt is empty/))
    await expect(dispatchInvoke(handlers, 'queue', 'renderPrompt', { prompt: 'fox', seconds: -1 })).resolves.toMatchObject(invalid(/seconds: seconds must be greater than 0/))
    await expect(dispatchInvoke(handlers, 'queue', 'cancel', { jobId: 7 })).resolves.toMatchObject(invalid(/jobId/))
    await expect(dispatchInvoke(handlers, 'queue', 'renderPrompt', 'not an object')).resolves.toMatchObject(invalid(/invalid queue\.renderPrompt params/))
    const outcome = await dispatchInvoke(handlers, 'queue', 'cancel', {})
    expect(outcome.ok).toBe(false)
    if (!outcome.ok) expect(outcome.error.details).toEqual([expect.stringMatching(/^jobId: /)])
    expect(renderPrompt).not.toHaveBeenCalled()
    expect(cancel).not.toHaveBeenCalled()
  })

  it('answers an unknown domain or method with an error, and a handler that throws with its error as data', async () => {
    const real = createIpcHandlers({} as Studio)
    const failing = vi.fn(() => Promise.reject(new Error('the queue file is unreadable')))
    const handlers: IpcHandlers = { ...real, queue: { ...real.queue, snapshot: failing } }
    const unknown = { ok: false, error: { code: 'unknown-method' } }
    await expect(dispatchInvoke(handlers, 'render', 'start', {})).resolves.toMatchObject(unknown)
    await expect(dispatchInvoke(handlers, 'queue', 'startRender', {})).resolves.toMatchObject(unknown)
    await expect(dispatchInvoke(handlers, 'queue', 'toString', undefined)).resolves.toMatchObject(unknown)
    await expect(dispatchInvoke(handlers, '__proto__', 'constructor', undefined)).resolves.toMatchObject(unknown)
    await expect(dispatchInvoke(handlers, 'queue', 'snapshot', undefined)).resolves.toEqual({ ok: false, error: { code: 'failed', message: 'the queue file is unreadable', details: [] } })
    await expect(dispatchInvoke(handlers, 'queue', 'snapshot', { extra: true })).resolves.toMatchObject({ ok: false, error: { code: 'invalid-params' } })
  })

  it('the preload exposes exactly the contract, events.*.* returning an unsubscribe', async () => {
    const exposed: Record<string, unknown> = {}
    const listeners = new Map<string, Set<(...args: unknown[]) => void>>()
    const invoke = vi.fn((channel: string, params: unknown) => Promise.resolve({ ok: true, value: { channel, params } }))
    vi.resetModules()
    vi.doMock('electron', () => ({
      contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => Object.assign(exposed, { [key]: api }) },
      ipcRenderer: {
        invoke,
        on: (channel: string, listener: (...args: unknown[]) => void) => {
          if (!listeners.has(channel)) listeners.set(channel, new Set())
          listeners.get(channel)!.add(listener)
        },
        removeListener: (channel: string, listener: (...args: unknown[]) => void) => listeners.get(channel)?.delete(listener)
      }
    }))
    try {
      await import('../../src/preload/index')
      type Methods = Record<string, (...args: unknown[]) => unknown>
      const api = exposed.wanStudio as Record<string, Methods> & { events: Record<string, Methods> }
      const { events, ...invokes } = api
      expect(entries(invokes)).toEqual(entries(invokeContract))
      expect(entries(events)).toEqual(entries(eventContract))

      await expect(api.queue!.renderPrompt!({ prompt: 'fox', seconds: 1 })).resolves.toEqual({ ok: true, value: { channel: 'queue:renderPrompt', params: { prompt: 'fox', seconds: 1 } } })
      await expect(api.system!.snapshot!()).resolves.toEqual({ ok: true, value: { channel: 'system:snapshot', params: undefined } })

      const received: unknown[] = []
      const unsubscribe = events.queue!.progress!((payload: unknown) => received.push(payload)) as () => void
      expect(typeof unsubscribe).toBe('function')
      listeners.get('queue:event:progress')!.forEach((listener) => listener({}, { jobId: 'a', step: 1 }))
      unsubscribe()
      expect(listeners.get('queue:event:progress')!.size).toBe(0)
      expect(received).toEqual([{ jobId: 'a', step: 1 }])
      for (const [domain, names] of Object.entries(events)) {
        for (const [name, subscribe] of Object.entries(names)) {
          const off = subscribe(() => undefined)
          expect(typeof off, `${domain}.${name}`).toBe('function')
          expect(listeners.get(eventChannel(domain, name))?.size).toBe(1)
          ;(off as () => void)()
          expect(listeners.get(eventChannel(domain, name))?.size).toBe(0)
        }
      }
    } finally {
      vi.doUnmock('electron')
    }
  })
})
