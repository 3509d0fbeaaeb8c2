// The offer of the project the last window left unsaved (Restore or Discard), and any problem
// keeping one.
import { useEffect, type ReactElement } from 'react'
import { checkUnsavedProject, discardUnsavedProject, restoreUnsavedProject, useUnsavedProject } from './unsavedProject'

export function UnsavedProjectNotice(): ReactElement | null {
  const offer = useUnsavedProject((s) => s.offer)
  const problem = useUnsavedProject((s) => s.problem)
  useEffect(() => void checkUnsavedProject(), [])
  if (!offer && !problem) return null
  return (
    <div className="unsaved-notice" role={offer ? 'region' : 'alert'} aria-label={offer ? 'Project left unsaved' : undefined} data-testid="unsaved-notice">
      {offer && (
        <>
          <span>
            “{offer.project.name}” ({offer.project.shots.length} {offer.project.shots.length === 1 ? 'shot' : 'shots'}
            {offer.path ? `, ${offer.path}` : ', never saved'}) was left unsaved when the window closed on {new Date(offer.keptAt).toLocaleString()}.
          </span>
          <button type="button" className="btn btn-small btn-primary" data-testid="unsaved-restore" onClick={restoreUnsavedProject}>
            Restore
          </button>
          <button type="button" className="btn btn-small" data-testid="unsaved-discard" onClick={discardUnsavedProject}>
            Discard
          </button>
        </>
      )}
      {problem && <span className="unsaved-problem">{problem}</span>}
    </div>
  )
}
