// System state: main's cached snapshot (studio info, engines, GPUs, plan, settings) and saving settings.
import type { StateCreator } from 'zustand'
import type { SystemSnapshot } from '../../../shared/ipc'
import type { PlanOverride, SettingsChange, StudioSettings } from '../../../shared/settings'
import { call, errorMessage } from '../api'
import type { Studio } from './index'

export type SystemState = {
  /** 'loading' while a snapshot or refresh call is in flight. */
  status: 'idle' | 'loading' | 'ready' | 'error'
  snapshot: SystemSnapshot | null
  error: string | null
}

export type SettingsState = {
  /** The setting being saved, so its form can say so. */
  saving: 'modelsDir' | 'planOverride' | null
  modelsDirError: string | null
  planOverrideError: string | null
}

export type SystemSlice = {
  system: SystemState
  settings: SettingsState
  /** The cached system snapshot: asking spawns nothing in main. */
  loadSystem: () => Promise<void>
  /** Probes again (GPUs, the sidecar's engines) and shows the new snapshot. */
  refreshSystem: () => Promise<void>
  onSystemSnapshot: (snapshot: SystemSnapshot) => void
  /** null forgets the folder. */
  saveModelsDir: (modelsDir: string | null) => Promise<void>
  /** Opens the native folder dialog; main saves the folder chosen. */
  browseModelsDir: () => Promise<void>
  /** null goes back to the planner's automatic plan. */
  savePlanOverride: (planOverride: PlanOverride | null) => Promise<void>
}

type SettingTarget = SettingsState['saving'] & string

export const createSystemSlice: StateCreator<Studio, [], [], SystemSlice> = (set, get) => {
  /** Numbers the snapshot requests, so a slow older answer can't overwrite a newer one. */
  let latestRequest = 0

  const loadSnapshot = async (method: 'snapshot' | 'refresh'): Promise<void> => {
    const request = ++latestRequest
    set((s) => ({ system: { ...s.system, status: 'loading', error: null } }))
    try {
      const snapshot = await call('system', method)
      if (request === latestRequest) set({ system: { status: 'ready', snapshot, error: null } })
    } catch (error) {
      if (request === latestRequest) set((s) => ({ system: { ...s.system, status: 'error', error: errorMessage(error) } }))
    }
  }

  /**
   * Saves a setting through `save` (null when nothing changed), shows it at once, then reads the
   * snapshot main recomputes after every change: a new models folder or plan changes what the real
   * engine can do. A rejection shows next to the setting's form.
   */
  const saveSetting = async (target: SettingTarget, save: () => Promise<StudioSettings | SettingsChange | null>): Promise<void> => {
    const errorField = target === 'modelsDir' ? 'modelsDirError' : 'planOverrideError'
    if (get().settings.saving) return
    set((s) => ({ settings: { ...s.settings, saving: target, [errorField]: null } }))
    try {
      const saved = await save()
      if (saved) {
        set((s) => {
          const snapshot = s.system.snapshot
          return snapshot ? { system: { ...s.system, snapshot: { ...snapshot, settings: { ...snapshot.settings, ...saved } } } } : s
        })
        await get().loadSystem()
      }
      set((s) => ({ settings: { ...s.settings, saving: null } }))
    } catch (error) {
      set((s) => ({ settings: { ...s.settings, saving: null, [errorField]: errorMessage(error) } }))
    }
  }

  return {
    system: { status: 'idle', snapshot: null, error: null },
    settings: { saving: null, modelsDirError: null, planOverrideError: null },
    loadSystem: () => loadSnapshot('snapshot'),
    refreshSystem: () => loadSnapshot('refresh'),
    onSystemSnapshot: (snapshot) => set((s) => ({ system: { ...s.system, snapshot, error: null, status: s.system.status === 'loading' ? 'loading' : 'ready' } })),
    saveModelsDir: (modelsDir) => saveSetting('modelsDir', () => call('system', 'updateSettings', { modelsDir })),
    browseModelsDir: () =>
      saveSetting('modelsDir', async () => {
        const { path } = await call('system', 'chooseModelsDir')
        // Main saved the folder chosen; a cancelled dialog changes nothing.
        return path === null ? null : { modelsDir: path }
      }),
    savePlanOverride: (planOverride) => saveSetting('planOverride', () => call('system', 'updateSettings', { planOverride }))
  }
}
