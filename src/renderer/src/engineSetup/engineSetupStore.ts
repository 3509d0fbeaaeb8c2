// The engine set-up as the renderer sees it: the status main reports, the live progress and log
// lines (engine.* events), and whether the first-run screen was put off for this session. Its own
// small store: the first-run screen and the System tab's Repair share it.
import { create } from 'zustand'
import type { EngineSetupProgress, EngineSetupStatus } from '../../../shared/engineSetup'
import { call, studioApi } from '../api'

/** Log lines kept for the live view; the whole log is in the file (Show full log). */
const LIVE_LOG_LINES = 400

export type EngineSetupState = {
  status: EngineSetupStatus | null
  progress: EngineSetupProgress | null
  liveLog: string[]
  /** The full log file's text once asked for, with its path. */
  fullLog: { path: string; text: string; truncated: boolean } | null
  /** An invoke that failed (start refused, status unreadable). */
  error: string | null
  /**
   * Whether the first-run screen covers the studio: decided once, at the first status (no engine
   * environment), then only by the user (Not now, or Open the studio after a set-up).
   */
  firstRunOpen: boolean | null
  load: () => Promise<void>
  start: (syntheticOnly: boolean) => Promise<void>
  cancel: () => Promise<void>
  loadFullLog: () => Promise<void>
  closeFirstRun: () => void
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error))

export const useEngineSetup = create<EngineSetupState>((set) => ({
  status: null,
  progress: null,
  liveLog: [],
  fullLog: null,
  error: null,
  firstRunOpen: null,
  load: async () => {
    try {
      const status = await call('engine', 'setupStatus')
      set((state) => ({ status, progress: status.running ? status.progress : null, error: null, firstRunOpen: state.firstRunOpen ?? (!status.environment.exists && status.environment.pythonOverride === null) }))
    } catch (error) {
      set({ error: message(error) })
    }
  },
  start: async (syntheticOnly) => {
    set({ liveLog: [], fullLog: null, progress: null, error: null })
    try {
      set({ status: await call('engine', 'setupStart', { syntheticOnly }) })
    } catch (error) {
      set({ error: message(error) })
    }
  },
  cancel: async () => {
    try {
      await call('engine', 'setupCancel')
    } catch (error) {
      set({ error: message(error) })
    }
  },
  loadFullLog: async () => {
    try {
      set({ fullLog: await call('engine', 'setupLog') })
    } catch (error) {
      set({ error: message(error) })
    }
  },
  closeFirstRun: () => set({ firstRunOpen: false })
}))

let subscribed = false

/** Subscribes to the engine events once for the page's lifetime, and loads the status. */
export function watchEngineSetup(): void {
  const api = studioApi()
  if (!api || subscribed) return
  subscribed = true
  api.events.engine.setupProgress((progress) => useEngineSetup.setState({ progress }))
  api.events.engine.setupLog(({ line }) => useEngineSetup.setState((state) => ({ liveLog: [...state.liveLog.slice(-(LIVE_LOG_LINES - 1)), line] })))
  api.events.engine.setupStatus((status) => useEngineSetup.setState({ status, fullLog: null }))
  void useEngineSetup.getState().load()
}
