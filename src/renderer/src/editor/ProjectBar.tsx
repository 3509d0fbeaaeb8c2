// New, open, save and save as for the project document; a prompt before unsaved changes are lost.
import { useEffect, useId, useState, type ReactElement } from 'react'
import { call, errorMessage } from '../api'
import { useStudio } from '../store'
import { isUnsaved } from '../store/projectSlice'

/** True when nothing unsaved would be lost, or the user said to go ahead. */
function mayDiscard(): boolean {
  return !isUnsaved(useStudio.getState()) || window.confirm('The project has unsaved changes. Discard them?')
}

/** Opens or saves through the native file dialog; a cancelled dialog does nothing. */
async function throughDialog(purpose: 'open' | 'save'): Promise<void> {
  if (purpose === 'open' && !mayDiscard()) return
  try {
    const { path } = await call('project', 'chooseFile', { purpose })
    if (path === null) return
    if (purpose === 'open') await useStudio.getState().openProject(path)
    else await useStudio.getState().saveProject(path)
  } catch (error) {
    useStudio.setState({ projectError: errorMessage(error) })
  }
}

export function ProjectBar({ onExport }: { onExport: () => void }): ReactElement {
  const name = useStudio((s) => s.projectHistory.present.name)
  const path = useStudio((s) => s.projectPath)
  const unsaved = useStudio((s) => isUnsaved(s))
  const error = useStudio((s) => s.projectError)
  const renderError = useStudio((s) => s.projectRenderError)
  const hasShots = useStudio((s) => s.projectHistory.present.shots.length > 0)
  const recent = useStudio((s) => s.recentProjects)
  const [typedPath, setTypedPath] = useState('')
  const pathId = useId()
  const recentId = useId()
  useEffect(() => void useStudio.getState().loadRecentProjects(), [])
  const target = typedPath.trim()

  return (
    <div className="project-bar" role="toolbar" aria-label="Project">
      <span className="project-name" data-testid="project-name" title={path ?? 'not saved yet'}>
        {name}
        {unsaved && <span className="unsaved-dot" role="img" aria-label="unsaved changes" title="Unsaved changes" />}
      </span>
      <button type="button" className="btn btn-small" data-testid="project-new" onClick={() => mayDiscard() && useStudio.getState().newProject()}>
        New
      </button>
      <label htmlFor={pathId} className="visually-hidden">
        Project file path
      </label>
      <input id={pathId} className="input mono project-path" data-testid="project-path" list={recentId} placeholder={path ?? '/path/to/film.wanproj'} value={typedPath} onChange={(event) => setTypedPath(event.target.value)} />
      {/* Recent projects are offered as the path field's suggestions. */}
      <datalist id={recentId} data-testid="recent-projects">
        {recent.map((recentPath) => (
          <option key={recentPath} value={recentPath} />
        ))}
      </datalist>
      <button type="button" className="btn btn-small" data-testid="project-open" disabled={!target} onClick={() => mayDiscard() && void useStudio.getState().openProject(target)}>
        Open path
      </button>
      <button type="button" className="btn btn-small" data-testid="project-save" disabled={!path && !target} onClick={() => void useStudio.getState().saveProject(path ?? target)}>
        Save
      </button>
      <button type="button" className="btn btn-small" data-testid="project-save-as" disabled={!target} onClick={() => void useStudio.getState().saveProject(target)}>
        Save to path
      </button>
      <button type="button" className="btn btn-small" data-testid="project-open-dialog" onClick={() => void throughDialog('open')}>
        Open…
      </button>
      <button type="button" className="btn btn-small" data-testid="project-save-dialog" onClick={() => void throughDialog('save')}>
        Save as…
      </button>
      <span className="toolbar-gap" />
      <button type="button" className="btn btn-small btn-primary" data-testid="render-project" disabled={!hasShots} onClick={() => void useStudio.getState().renderProject()}>
        Render
      </button>
      <button type="button" className="btn btn-small" data-testid="open-export" disabled={!hasShots} onClick={onExport}>
        Export…
      </button>
      {(error ?? renderError) && (
        <div className="project-error" role="alert" data-testid="project-error">
          {error ?? renderError}
        </div>
      )}
    </div>
  )
}
