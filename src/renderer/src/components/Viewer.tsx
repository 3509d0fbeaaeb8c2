// The center: tabs for the Viewer (monitor, progress, clip facts), the project editor, the queue and the System report.
import type { ReactElement } from 'react'
import { IconChip, IconFilm } from '../icons'
import { useStudio } from '../store'
import { latestPreview } from '../store/previewSlice'
import { EngineBadge } from './EngineBadge'
import { LivePreview } from './LivePreview'
import { ProgressPanel } from './ProgressPanel'
import { RenderErrorBox } from './RenderMessages'
import { ResultInfo } from './ResultInfo'
import { GENERATE_KEYS } from './shot/generateHint'
import { SystemPanel } from './SystemPanel'
import { EditorView } from '../editor/EditorView'
import { QueuePanel } from '../editor/QueuePanel'

function Monitor(): ReactElement {
  const current = useStudio((s) => s.current)
  const job = useStudio((s) => s.job)
  const fraction = useStudio((s) => s.progress?.fraction ?? 0)
  const exporting = useStudio((s) => s.progress?.current.phase === 'exporting')
  const preview = useStudio((s) => (s.job?.ids && !exporting ? latestPreview(s.previews, s.job.ids.shots) : null))
  const cancel = useStudio((s) => s.cancel)

  if (current) {
    return (
      <div className="monitor">
        <video
          key={current.id + current.mediaUrl}
          className="monitor-video"
          data-testid="player"
          src={current.mediaUrl}
          controls
          autoPlay
          muted
          loop
          playsInline
          preload="auto"
        />
        {current.engine === 'synthetic' && (
          <span className="monitor-tag" title="Stamped test frames drawn without a model">
            <EngineBadge engine="synthetic" />
          </span>
        )}
      </div>
    )
  }

  if (job && preview) {
    return (
      <div className="monitor monitor-live">
        <LivePreview preview={preview} onCancel={() => void cancel()} cancelling={job.status === 'cancelling'} />
        <span className="monitor-live-percent mono">{Math.floor(fraction * 100)}%</span>
      </div>
    )
  }

  if (job) {
    const prompt = job.request?.prompt
    return (
      <div className="monitor monitor-rendering">
        <div className="monitor-center">
          <div className="monitor-percent mono">{Math.floor(fraction * 100)}%</div>
          <div className="monitor-caption">{job.status === 'cancelling' ? 'Cancelling…' : exporting ? 'Exporting the clip' : 'Rendering the shot'}</div>
          {prompt && <div className="monitor-prompt">“{prompt}”</div>}
        </div>
        <div className="monitor-scan" style={{ width: `${fraction * 100}%` }} />
      </div>
    )
  }

  return (
    <div className="monitor monitor-empty">
      <div className="monitor-center">
        <IconFilm size={36} />
        <div className="monitor-caption">No clip loaded</div>
        <div className="monitor-sub">
          Describe a shot and press Generate ({GENERATE_KEYS}), or pick a render from the list.
        </div>
      </div>
    </div>
  )
}

export function Viewer(): ReactElement {
  const tab = useStudio((s) => s.tab)
  const setTab = useStudio((s) => s.setTab)
  const current = useStudio((s) => s.current)
  const systemStatus = useStudio((s) => s.system.status)
  const warnings = useStudio((s) => s.system.snapshot?.doctor.warnings.length ?? 0)

  return (
    <main className="panel center-panel">
      <div className="panel-header tabs" role="tablist" aria-label="View">
        <button
          type="button"
          role="tab"
          className={`tab ${tab === 'viewer' ? 'is-active' : ''}`}
          aria-selected={tab === 'viewer'}
          data-testid="viewer-tab"
          onClick={() => setTab('viewer')}
        >
          <IconFilm size={14} />
          Viewer
        </button>
        <button type="button" role="tab" className={`tab ${tab === 'project' ? 'is-active' : ''}`} aria-selected={tab === 'project'} data-testid="project-tab" onClick={() => setTab('project')}>
          Project
        </button>
        <button type="button" role="tab" className={`tab ${tab === 'queue' ? 'is-active' : ''}`} aria-selected={tab === 'queue'} data-testid="queue-tab" onClick={() => setTab('queue')}>
          Queue
        </button>
        <button
          type="button"
          role="tab"
          className={`tab ${tab === 'system' ? 'is-active' : ''}`}
          aria-selected={tab === 'system'}
          data-testid="system-tab"
          onClick={() => setTab('system')}
        >
          <IconChip size={14} />
          System
          {systemStatus === 'ready' && warnings > 0 && <span className="tab-count">{warnings}</span>}
        </button>
        {tab === 'viewer' && current && (
          <span className="tabs-right" title={current.prompt}>
            {current.prompt}
          </span>
        )}
      </div>
      {tab === 'viewer' ? (
        <div className="panel-body viewer-body">
          <div className="monitor-frame">
            <Monitor />
          </div>
          <RenderErrorBox />
          <ProgressPanel />
          {current && <ResultInfo clip={current} />}
        </div>
      ) : tab === 'project' ? (
        <div className="panel-body editor-body">
          <EditorView />
        </div>
      ) : tab === 'queue' ? (
        <div className="panel-body queue-body">
          <QueuePanel />
        </div>
      ) : (
        <div className="panel-body system-body">
          <SystemPanel />
        </div>
      )}
    </main>
  )
}
