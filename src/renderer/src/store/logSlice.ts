// The sidecar and studio log: system.log once, then log events.
import type { StateCreator } from 'zustand'
import type { LogLine } from '../../../shared/ipc'
import { call, errorMessage } from '../api'
import type { Studio } from './index'
import { capLog, joinInitialLog, type LogState } from './logLines'

export type LogSlice = LogState & {
  loadLog: () => Promise<void>
  onLog: (line: LogLine) => void
}

export const createLogSlice: StateCreator<Studio, [], [], LogSlice> = (set) => {
  /** Lines that arrive while the initial system.log is in flight; null when none is. */
  let arrivedDuringLoad: LogLine[] | null = null
  return {
    logs: [],
    logDropped: 0,

    loadLog: async () => {
      arrivedDuringLoad = []
      try {
        const lines = await call('system', 'log')
        const joined = joinInitialLog(lines, arrivedDuringLoad ?? [])
        set((s) => capLog(joined, s.logDropped))
      } catch (error) {
        const line: LogLine = { time: new Date().toISOString(), level: 'error', source: 'studio', message: `Could not read the sidecar log: ${errorMessage(error)}` }
        set((s) => capLog([...s.logs, ...(arrivedDuringLoad ?? []), line], s.logDropped))
      } finally {
        arrivedDuringLoad = null
      }
    },

    onLog: (line) => {
      if (arrivedDuringLoad) arrivedDuringLoad.push(line)
      else set((s) => capLog([...s.logs, line], s.logDropped))
    }
  }
}
