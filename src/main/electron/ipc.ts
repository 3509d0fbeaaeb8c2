// Registers one ipcMain handler per contract entry; each checks the sender, then validates params.
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron'
import type { IpcHandlers } from '../../shared/ipc'
import { eventChannel, invokeChannel, invokeNames } from '../../shared/ipcChannels'
import { dispatchInvoke } from '../core/ipcHandlers'
import type { Studio } from '../core/studio'
import { studioEventStream } from '../core/studioEvents'

export function registerIpc(handlers: IpcHandlers, isTrustedSender: (event: IpcMainInvokeEvent) => boolean): () => void {
  const channels = Object.entries(invokeNames).flatMap(([domain, methods]) => methods.map((method) => ({ domain, method, channel: invokeChannel(domain, method) })))
  for (const { domain, method, channel } of channels) {
    ipcMain.handle(channel, (event, params: unknown) => {
      if (!isTrustedSender(event)) {
        return { ok: false, error: { code: 'untrusted-sender', message: `${domain}.${method}: refused a message from an untrusted frame`, details: [] } }
      }
      return dispatchInvoke(handlers, domain, method, params)
    })
  }
  return () => channels.forEach(({ channel }) => ipcMain.removeHandler(channel))
}

/** Forwards the core's events to the window. */
export function forwardStudioEvents(studio: Studio, window: BrowserWindow): () => void {
  return studioEventStream(studio, (domain, name, payload) => {
    if (!window.isDestroyed()) window.webContents.send(eventChannel(domain, name), payload)
  })
}
