// Keeping the document the window has not saved, so closing the window loses nothing: while it
// differs from its file it is kept in the data folder (project.keepUnsaved) a moment after each
// change, and dropped once saved. The next window offers it back first; until that offer is
// answered nothing is kept, so a new edit never overwrites what is being offered.
import { useEffect } from 'react'
import { create } from 'zustand'
import { newProject, type Project } from '../../../shared/project'
import { call, errorMessage } from '../api'
import { useStudio } from '../store'
import { startHistory } from '../store/undoHistory'

export const KEEP_UNSAVED_DELAY_MS = 1000

type Offer = { path: string | null; keptAt: string; project: Project }

type UnsavedProjectState = {
  status: 'unchecked' | 'checking' | 'offered' | 'settled'
  offer: Offer | null
  /** Why the kept project could not be read or kept, or null. */
  problem: string | null
  /** Whether this window kept a project that must be dropped once saved. */
  kept: boolean
}

export const useUnsavedProject = create<UnsavedProjectState>(() => ({ status: 'unchecked', offer: null, problem: null, kept: false }))

/** Asks main once per window for a project the last one left unsaved. */
export async function checkUnsavedProject(): Promise<void> {
  if (useUnsavedProject.getState().status !== 'unchecked') return
  useUnsavedProject.setState({ status: 'checking' })
  try {
    const { unsaved, problem } = await call('project', 'unsaved')
    useUnsavedProject.setState({ status: unsaved ? 'offered' : 'settled', offer: unsaved, problem })
  } catch (error) {
    useUnsavedProject.setState({ status: 'settled', problem: `Could not look for a project left unsaved: ${errorMessage(error)}` })
  }
}

/** Puts the offered project back as the document: unsaved, at its file's path when it had one. */
export function restoreUnsavedProject(): void {
  const { offer } = useUnsavedProject.getState()
  if (!offer) return
  // Anything but the restored document counts as "saved", so it shows (and autosaves) as unsaved.
  useStudio.setState({ projectHistory: startHistory(offer.project), savedProject: newProject(), projectPath: offer.path, projectError: null, selectedShotId: offer.project.shots[0]?.id ?? null, playheadFrame: 0 })
  useUnsavedProject.setState({ status: 'settled', offer: null })
}

export function discardUnsavedProject(): void {
  useUnsavedProject.setState({ status: 'settled', offer: null })
  void call('project', 'dropUnsaved').catch((error: unknown) => useUnsavedProject.setState({ problem: `Could not discard the kept project: ${errorMessage(error)}` }))
}

/** Keeps the unsaved document in the data folder and drops it once saved (after the offer is answered). */
export function useKeepUnsavedProject(): void {
  const present = useStudio((s) => s.projectHistory.present)
  const saved = useStudio((s) => s.savedProject)
  const path = useStudio((s) => s.projectPath)
  const settled = useUnsavedProject((s) => s.status === 'settled')
  useEffect(() => {
    if (!settled) return
    if (present === saved) {
      if (useUnsavedProject.getState().kept) {
        useUnsavedProject.setState({ kept: false })
        void call('project', 'dropUnsaved').catch(() => useUnsavedProject.setState({ kept: true }))
      }
      return
    }
    const timer = window.setTimeout(() => {
      call('project', 'keepUnsaved', { project: present, path }).then(
        () => useUnsavedProject.setState({ kept: true, problem: null }),
        (error: unknown) => useUnsavedProject.setState({ problem: `The unsaved project could not be kept for the next window: ${errorMessage(error)}` })
      )
    }, KEEP_UNSAVED_DELAY_MS)
    return () => window.clearTimeout(timer)
  }, [present, saved, path, settled])
}
