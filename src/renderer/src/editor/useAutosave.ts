// Autosave: a project that has a file is saved AUTOSAVE_DELAY_MS after its last change. A new,
// never-saved project waits for Save as (there is nowhere to put it yet).
import { useEffect } from 'react'
import { useStudio } from '../store'

export const AUTOSAVE_DELAY_MS = 2000

export function useAutosave(): void {
  const present = useStudio((s) => s.projectHistory.present)
  const saved = useStudio((s) => s.savedProject)
  const path = useStudio((s) => s.projectPath)
  useEffect(() => {
    if (!path || present === saved) return
    const timer = window.setTimeout(() => void useStudio.getState().saveProject(), AUTOSAVE_DELAY_MS)
    return () => window.clearTimeout(timer)
  }, [present, saved, path])
}
