// Exposes exactly the IPC contract (src/shared/ipc.ts) to the renderer; nothing else crosses.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { eventChannels, invokeChannels, type EventMethod, type InvokeMethod } from '../shared/ipcChannels'
import type { WanStudioApi } from '../shared/ipc'

const api: Record<string, unknown> = {}

for (const method of Object.keys(invokeChannels) as InvokeMethod[]) {
  const channel = invokeChannels[method]
  api[method] = (params?: unknown) => ipcRenderer.invoke(channel, params)
}

for (const method of Object.keys(eventChannels) as EventMethod[]) {
  const channel = eventChannels[method]
  api[method] = (listener: (payload: unknown) => void) => {
    const forward = (_event: IpcRendererEvent, payload: unknown): void => listener(payload)
    ipcRenderer.on(channel, forward)
    return () => {
      ipcRenderer.removeListener(channel, forward)
    }
  }
}

contextBridge.exposeInMainWorld('wanStudio', api as WanStudioApi)
