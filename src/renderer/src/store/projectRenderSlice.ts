// Rendering and exporting the project document through the queue; the jobs' events do the rest
// (jobsSlice adopts each finished render into the document, the timeline shows each shot's status).
import type { StateCreator } from 'zustand'
import type { ExportFormat, ExportFps, ExportSpec } from '../../../shared/project'
import { call, errorMessage } from '../api'
import type { Studio } from './index'
import { withDrawnSeeds } from './renderResults'

export type ExportChoice = { format: ExportFormat; fps: ExportFps; output: string; drafts: ExportSpec['drafts'] }

export type ProjectRenderSlice = {
  projectRenderError: string | null
  /** Queues every shot that needs rendering (finished segments are reused by their render key). */
  renderProject: () => Promise<void>
  /** Queues the shots that need it and an export of the whole timeline, followed like a render. */
  exportProject: (choice: ExportChoice) => Promise<void>
}

export const createProjectRenderSlice: StateCreator<Studio, [], [], ProjectRenderSlice> = (set, get) => ({
  projectRenderError: null,

  renderProject: async () => {
    set({ projectRenderError: null })
    try {
      const queued = await call('queue', 'renderProject', { project: get().projectHistory.present })
      get().adoptProject(withDrawnSeeds(get().projectHistory.present, queued.project))
    } catch (error) {
      set({ projectRenderError: errorMessage(error) })
    }
  },

  exportProject: async (choice) => {
    set({ projectRenderError: null })
    const project = get().projectHistory.present
    await get().followRender(null, null, 'Could not export the project', async () => {
      const queued = await call('export', 'start', { project, spec: { ...choice, overwrite: true } })
      get().adoptProject(withDrawnSeeds(get().projectHistory.present, queued.project))
      return { shots: Object.values(queued.shotJobs), export: queued.exportJobId }
    })
  }
})
