// The studio's state, composed from slices (zustand's slices pattern): the project document with its
// undo history, the queue's jobs by id, the render this window follows, system state, the log, the
// quick-render form and UI-only state. Fed by the IPC events (useStudioEvents) and the panels' actions.
import { create, type StateCreator } from 'zustand'
import { persist, type StateStorage } from 'zustand/middleware'
import { createDraftSlice, type DraftSlice } from './draftSlice'
import { createJobsSlice, type JobsSlice } from './jobsSlice'
import { createLogSlice, type LogSlice } from './logSlice'
import { createPreviewSlice, type PreviewSlice } from './previewSlice'
import { createProjectRenderSlice, type ProjectRenderSlice } from './projectRenderSlice'
import { createProjectSlice, type ProjectSlice } from './projectSlice'
import { memoryStorage, quickFormPersistence } from './quickFormPersistence'
import { createRenderSlice, type RenderSlice } from './renderSlice'
import { createSystemSlice, type SystemSlice } from './systemSlice'
import { createTelemetrySlice, type TelemetrySlice } from './telemetrySlice'
import { createUiSlice, type UiSlice } from './uiSlice'

export type Studio = ProjectSlice & ProjectRenderSlice & JobsSlice & PreviewSlice & RenderSlice & SystemSlice & TelemetrySlice & LogSlice & DraftSlice & UiSlice

export type { Job, Notice, RenderError, RenderJobIds, RenderProgress, RenderTarget } from './renderSlice'
export type { SettingsState, SystemState } from './systemSlice'
export type { TelemetryState } from './telemetrySlice'
export type { CenterTab } from './uiSlice'
export type { ShownPreview } from './previewSlice'
export { LOG_LIMIT } from './logLines'

const slices: StateCreator<Studio> = (...args) => ({
  ...createProjectSlice(...args),
  ...createProjectRenderSlice(...args),
  ...createJobsSlice(...args),
  ...createPreviewSlice(...args),
  ...createRenderSlice(...args),
  ...createSystemSlice(...args),
  ...createTelemetrySlice(...args),
  ...createLogSlice(...args),
  ...createDraftSlice(...args),
  ...createUiSlice(...args)
})

/**
 * A fresh store; tests make their own. The quick-render form is kept in `storage` (the app's: the
 * window's localStorage; tests': memory) and restored from it when the store is made.
 */
export const createStudio = (storage: () => StateStorage = memoryStorage) => create<Studio>()(persist(slices, quickFormPersistence(storage)))

export const useStudio = createStudio(() => window.localStorage)
