// Routes key presses to the editor's actions (timeline/editorActions.ts) while the project tab is
// open. Typing in a field or pressing Space/Enter on a button keeps its usual meaning.
import { useEffect } from 'react'
import { useStudio } from '../store'
import { actionFor } from '../timeline/editorActions'

function typesText(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  return target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement || (target instanceof HTMLInputElement && target.type !== 'checkbox' && target.type !== 'radio')
}

export function useEditorKeys(): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      const studio = useStudio.getState()
      if (studio.tab !== 'project' || event.defaultPrevented || typesText(event.target)) return
      if (event.target instanceof HTMLElement && event.target.closest('dialog, [role="dialog"]')) return
      const clicks = event.target instanceof HTMLButtonElement && (event.key === ' ' || event.key === 'Enter')
      if (clicks) return
      const action = actionFor({ key: event.key, ctrl: event.ctrlKey || event.metaKey, shift: event.shiftKey, alt: event.altKey })
      if (!action) return
      event.preventDefault()
      action.run(studio)
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
}
