import { describe, expect, expectTypeOf, it, vi } from 'vitest'
import { createIpcHandlers, dispatchInvoke, InvalidIpcParamsError } from '../../src/main/core/ipcHandlers'
import type { Studio } from '../../src/main/core/studio'
import { eventContract, invokeContract, type IpcHandlers, type InvokeResult, type WanStudioApi } from '../../src/shared/ipc'
import { eventChannels, invokeChannels } from '../../src/shared/ipcChannels'

describe('IPC contract', () => {
  it('has exactly one schema pair per invoke channel and one payload schema per event', () => {
    expect(Object.keys(invokeContract).sort()).toEqual(Object.keys(invokeChannels).sort())
    expect(Object.keys(eventContract).sort()).toEqual(Object.keys(eventChannels).sort())
    expect(new Set(Object.values(invokeChannels)).size).toBe(Object.keys(invokeChannels).length)
  })

  it('types the handlers after the contract (compile-time)', () => {
    expectTypeOf(createIpcHandlers).returns.toEqualTypeOf<IpcHandlers>()
    expectTypeOf<ReturnType<IpcHandlers['startRender']>>().toEqualTypeOf<Promise<InvokeResult<'startRender'>>>()
    expectTypeOf<Parameters<IpcHandlers['cancelRender']>[0]>().toEqualTypeOf<{ jobId: string }>()
    expectTypeOf<WanStudioApi['getStudioInfo']>().parameters.toEqualTypeOf<[]>()
    expectTypeOf<ReturnType<WanStudioApi['onRenderProgress']>>().toEqualTypeOf<() => void>()
    // @ts-expect-error every contract channel needs a handler
    const missing: IpcHandlers = { getStudioInfo: async () => ({}) as never }
    void missing
  })

  it('rejects invalid params before a handler runs, saying which field is wrong', async () => {
    const startRender = vi.fn()
    const handlers = { ...createIpcHandlers({} as Studio), startRender }
    await expect(dispatchInvoke(handlers, 'startRender', { prompt: '   ', seconds: 5 })).rejects.toThrow(InvalidIpcParamsError)
    await expect(dispatchInvoke(handlers, 'startRender', { prompt: 'fox', seconds: -1 })).rejects.toThrow(/seconds: seconds must be greater than 0/)
    await expect(dispatchInvoke(handlers, 'cancelRender', { jobId: 7 })).rejects.toThrow(/jobId/)
    await expect(dispatchInvoke(handlers, 'startRender', 'not an object')).rejects.toThrow(/invalid startRender params/)
    expect(startRender).not.toHaveBeenCalled()
  })

  it('the preload exposes exactly the contract, each on... returning an unsubscribe', async () => {
    const exposed: Record<string, unknown> = {}
    const listeners = new Map<string, Set<(...args: unknown[]) => void>>()
    const invoke = vi.fn(async (channel: string, params: unknown) => ({ channel, params }))
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
    await import('../../src/preload/index')
    const api = exposed.wanStudio as Record<string, (...args: unknown[]) => unknown>
    expect(Object.keys(api).sort()).toEqual([...Object.keys(invokeChannels), ...Object.keys(eventChannels)].sort())

    await expect(api.startRender!({ prompt: 'fox', seconds: 1 })).resolves.toEqual({ channel: 'render:start', params: { prompt: 'fox', seconds: 1 } })

    const received: unknown[] = []
    const unsubscribe = api.onRenderProgress!((payload: unknown) => received.push(payload)) as () => void
    listeners.get('render:progress')!.forEach((listener) => listener({}, { step: 1 }))
    unsubscribe()
    expect(listeners.get('render:progress')!.size).toBe(0)
    expect(received).toEqual([{ step: 1 }])
    vi.doUnmock('electron')
  })
})
