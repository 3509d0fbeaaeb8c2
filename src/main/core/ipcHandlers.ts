// The IPC handlers as plain functions over the core, shared by the Electron wiring and the tests'
// bridge, so both validate and answer exactly the same way.
import { invokeContract, type IpcHandlers } from '../../shared/ipc'
import type { InvokeMethod } from '../../shared/ipcChannels'
import type { Studio } from './studio'

export interface NativeDialogs {
  /** Asks the user for a folder; null when they cancel. The Electron wiring opens a real dialog. */
  chooseDirectory(title: string): Promise<string | null>
}

const noDialogs: NativeDialogs = {
  chooseDirectory: async () => {
    throw new Error('no folder dialog here: type the folder path instead')
  }
}

export function createIpcHandlers(studio: Studio, dialogs: NativeDialogs = noDialogs): IpcHandlers {
  return {
    getStudioInfo: () => studio.info(),
    startRender: async (request) => {
      const { jobId } = await studio.startRender(request)
      return { jobId }
    },
    cancelRender: async ({ jobId }) => studio.cancelRender(jobId),
    listRenders: () => studio.listRenders(),
    getSidecarLog: async () => studio.sidecarLog(),
    runDoctor: () => studio.doctorReport(),
    getEngineStatus: () => studio.engineStatus(),
    getSettings: () => studio.settings(),
    updateSettings: (change) => studio.updateSettings(change),
    chooseModelsDir: async () => {
      const path = await dialogs.chooseDirectory('Choose the folder that holds the Wan2.2 models')
      if (path) await studio.updateSettings({ modelsDir: path })
      return { path }
    },
    getEffectivePlan: () => studio.effectivePlan()
  }
}

export class InvalidIpcParamsError extends Error {}

/** Validates untrusted params against the contract, then calls the handler. */
export async function dispatchInvoke(handlers: IpcHandlers, method: InvokeMethod, rawParams: unknown): Promise<unknown> {
  const parsed = invokeContract[method].params.safeParse(rawParams)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'params'}: ${issue.message}`)
    throw new InvalidIpcParamsError(`invalid ${method} params: ${problems.join('; ')}`)
  }
  const handler = handlers[method] as (params: unknown) => Promise<unknown>
  return handler(parsed.data)
}
