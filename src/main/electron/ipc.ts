// Registers one ipcMain handler per contract channel; each checks the sender, then validates params.
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron'
import type { EventPayload, IpcHandlers } from '../../shared/ipc'
import { eventChannels, invokeChannels, type EventMethod, type InvokeMethod } from '../../shared/ipcChannels'
import { dispatchInvoke } from '../core/ipcHandlers'
import type { Studio } from '../core/studio'

export function registerIpc(handlers: IpcHandlers, isTrustedSender: (event: IpcMainInvokeEvent) => boolean): () => void {
  const methods = Object.keys(invokeChannels) as InvokeMethod[]
  for (const method of methods) {
    ipcMain.handle(invokeChannels[method], (event, params: unknown) => {
      if (!isTrustedSender(event)) throw new Error(`${method}: refused a message from an untrusted frame`)
      return dispatchInvoke(handlers, method, params)
    })
  }
  return () => methods.forEach((method) => ipcMain.removeHandler(invokeChannels[method]))
}

/** Forwards the core's events to the window. */
export function forwardStudioEvents(studio: Studio, window: BrowserWindow): () => void {
  const send = <E extends EventMethod>(event: E, payload: EventPayload<E>): void => {
    if (!window.isDestroyed()) window.webContents.send(eventChannels[event], payload)
  }
  const onProgress = (payload: EventPayload<'onRenderProgress'>): void => send('onRenderProgress', payload)
  const onDone = (payload: EventPayload<'onRenderDone'>): void => send('onRenderDone', payload)
  const onFailed = (payload: EventPayload<'onRenderFailed'>): void => send('onRenderFailed', payload)
  const onLog = (payload: EventPayload<'onSidecarLog'>): void => send('onSidecarLog', payload)
  studio.on('progress', onProgress)
  studio.on('done', onDone)
  studio.on('failed', onFailed)
  studio.on('log', onLog)
  return () => {
    studio.off('progress', onProgress)
    studio.off('done', onDone)
    studio.off('failed', onFailed)
    studio.off('log', onLog)
  }
}
