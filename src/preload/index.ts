// Exposes exactly the IPC contract (src/shared/ipc.ts) to the renderer, grouped by domain; nothing
// else crosses. Invokes answer with an IpcOutcome ({ok, value} or {ok: false, error}).
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { eventChannel, eventNames, invokeChannel, invokeNames } from '../shared/ipcChannels'
import type { WanStudioApi } from '../shared/ipc'

const api: Record<string, Record<string, unknown>> = { events: {} }

for (const [domain, methods] of Object.entries(invokeNames)) {
  api[domain] = Object.fromEntries(methods.map((method) => [method, (params?: unknown) => ipcRenderer.invoke(invokeChannel(domain, method), params)]))
}

for (const [domain, names] of Object.entries(eventNames)) {
  api.events![domain] = Object.fromEntries(
    names.map((name) => [
      name,
      (listener: (payload: unknown) => void) => {
        const channel = eventChannel(domain, name)
        const forward = (_event: IpcRendererEvent, payload: unknown): void => listener(payload)
        ipcRenderer.on(channel, forward)
        return () => {
          ipcRenderer.removeListener(channel, forward)
        }
      }
    ])
  )
}

/** What the renderer sees as `window.wanStudio` (src/preload/api.d.ts). */
const wanStudio = api as unknown as WanStudioApi
contextBridge.exposeInMainWorld('wanStudio', wanStudio)
