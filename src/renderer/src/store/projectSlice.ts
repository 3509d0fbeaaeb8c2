// The project document with its undo history, where it lives on disk, and whether it changed since.
// Edits go through the pure functions of src/shared/projectEdits.ts: a refused edit changes nothing
// and its reason goes back to the caller, which shows it next to the field.
import type { StateCreator } from 'zustand'
import { newProject, newShot, type Project } from '../../../shared/project'
import { addShot, randomShotId, type EditResult } from '../../../shared/projectEdits'
import { call, errorMessage } from '../api'
import type { Studio } from './index'
import { record, redo, replacePresent, startHistory, undo, type UndoHistory } from './undoHistory'

export type ProjectSlice = {
  projectHistory: UndoHistory<Project>
  /** Where the document was last loaded from or saved to; null for a new, unsaved one. */
  projectPath: string | null
  /** The document as last saved or loaded: anything else is unsaved. */
  savedProject: Project
  projectError: string | null
  /** Project files opened or saved last, newest first (main keeps the list in the data folder). */
  recentProjects: string[]
  loadRecentProjects: () => Promise<void>
  /** Why the last timeline edit was refused, shown by the timeline until the next one. */
  editNotice: string | null
  /** Applies an edit as one undo step; answers the refusal's reason, or null when it was applied. */
  editProject: (edit: (project: Project) => EditResult) => string | null
  /** Shows a refusal `editProject` answered (null clears it). */
  reportEdit: (refusal: string | null) => void
  /** A new shot after the selected one (or at the end), selected. */
  addShot: () => void
  /** Takes what main learned into the document (drawn seeds, finished renders) without an undo step. */
  adoptProject: (project: Project) => void
  undo: () => void
  redo: () => void
  newProject: (name?: string) => void
  openProject: (path: string) => Promise<boolean>
  /** Saves to `path`, or where it was saved last; false (with projectError) when it could not. */
  saveProject: (path?: string) => Promise<boolean>
}

export function isUnsaved(state: Pick<ProjectSlice, 'projectHistory' | 'savedProject'>): boolean {
  return state.projectHistory.present !== state.savedProject
}

export const createProjectSlice: StateCreator<Studio, [], [], ProjectSlice> = (set, get) => {
  const blank = newProject()
  return {
    projectHistory: startHistory(blank),
    projectPath: null,
    savedProject: blank,
    projectError: null,
    recentProjects: [],
    editNotice: null,

    loadRecentProjects: async () => {
      try {
        set({ recentProjects: await call('project', 'recent') })
      } catch {
        // The list is a convenience: without it, paths are typed or chosen in the dialog.
      }
    },

    editProject: (edit) => {
      const result = edit(get().projectHistory.present)
      if (!result.ok) return result.reason
      set((s) => ({ projectHistory: record(s.projectHistory, result.project) }))
      return null
    },

    reportEdit: (refusal) => set({ editNotice: refusal }),

    addShot: () => {
      const { projectHistory, selectedShotId } = get()
      const shots = projectHistory.present.shots
      const selected = shots.findIndex((shot) => shot.id === selectedShotId)
      const shot = newShot(randomShotId(), { seconds: 2 })
      const refusal = get().editProject((project) => addShot(project, shot, selected < 0 ? shots.length : selected + 1))
      set(refusal ? { editNotice: refusal } : { editNotice: null, selectedShotId: shot.id })
    },

    adoptProject: (project) =>
      set((s) => {
        const wasSaved = s.projectHistory.present === s.savedProject
        // A saved document stays saved: what main added is on disk through the next save anyway.
        return { projectHistory: replacePresent(s.projectHistory, project), savedProject: wasSaved ? project : s.savedProject }
      }),

    undo: () => set((s) => ({ projectHistory: undo(s.projectHistory) })),
    redo: () => set((s) => ({ projectHistory: redo(s.projectHistory) })),

    newProject: (name) => {
      const fresh = newProject(name)
      set({ projectHistory: startHistory(fresh), savedProject: fresh, projectPath: null, projectError: null, selectedShotId: null, playheadFrame: 0 })
    },

    openProject: async (path) => {
      try {
        // project.load refuses a damaged or newer file whole, with the reason; nothing is half-loaded.
        const project = await call('project', 'load', { path })
        set({ projectHistory: startHistory(project), savedProject: project, projectPath: path, projectError: null, selectedShotId: project.shots[0]?.id ?? null, playheadFrame: 0 })
        void get().loadRecentProjects()
        return true
      } catch (error) {
        set({ projectError: `Could not open ${path}: ${errorMessage(error)}` })
        return false
      }
    },

    saveProject: async (path) => {
      const target = path ?? get().projectPath
      if (!target) {
        set({ projectError: 'Choose where to save the project first' })
        return false
      }
      const project = get().projectHistory.present
      try {
        const saved = await call('project', 'save', { path: target, project })
        set({ savedProject: project, projectPath: saved.path, projectError: null })
        if (get().recentProjects[0] !== saved.path) void get().loadRecentProjects()
        return true
      } catch (error) {
        set({ projectError: `Could not save ${target}: ${errorMessage(error)}` })
        return false
      }
    }
  }
}
