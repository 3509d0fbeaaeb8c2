// Finished clips (the queue's done exports, then its job events), newest first; click one to play it.
import { useEffect, useMemo, useRef, useState, type ReactElement } from 'react'
import type { Clip } from '../clips'
import { formatClipSeconds } from '../format'
import { useStudio } from '../store'
import { EngineBadge } from './EngineBadge'
import { clipTelemetry, telemetryLine } from './telemetry/clipTelemetry'

/** A still of the clip, loaded only once the item scrolls into view. */
function Thumbnail({ url }: { url: string }): ReactElement {
  const ref = useRef<HTMLDivElement>(null)
  const [visible, setVisible] = useState(false)
  const [failed, setFailed] = useState(false)
  useEffect(() => {
    const element = ref.current
    if (!element || visible) return
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) setVisible(true)
    })
    observer.observe(element)
    return () => observer.disconnect()
  }, [visible])
  return (
    <div className="thumb" ref={ref}>
      {visible && !failed && <video src={`${url}#t=0.5`} muted preload="metadata" playsInline tabIndex={-1} onError={() => setFailed(true)} />}
    </div>
  )
}

function HistoryItem({ clip, active }: { clip: Clip; active: boolean }): ReactElement {
  const select = useStudio((s) => s.select)
  const jobs = useStudio((s) => s.jobs)
  const telemetry = useMemo(() => clipTelemetry(clip.id, jobs), [clip.id, jobs])
  const gpuLine = telemetry ? telemetryLine(telemetry) : null
  return (
    <li>
      <button
        type="button"
        className={`history-item ${active ? 'is-active' : ''}`}
        data-testid="render-history-item"
        data-job-id={clip.id}
        aria-current={active ? 'true' : undefined}
        title={clip.prompt}
        onClick={() => select(clip)}
      >
        <Thumbnail url={clip.mediaUrl} />
        <span className="history-text">
          <span className="history-prompt">{clip.prompt}</span>
          <span className="history-meta">
            <span className="mono">{formatClipSeconds(clip.frames, clip.fps)}</span>
            {clip.seed !== null && (
              <>
                <span className="dot-sep">·</span>
                <span className="mono">seed {clip.seed}</span>
              </>
            )}
          </span>
          {gpuLine && (
            <span className={`history-gpu mono ${telemetry && telemetry.throttledSeconds > 0 ? 'is-throttled' : ''}`} data-testid="history-telemetry" title={`GPU while rendering: ${gpuLine}`}>
              {gpuLine}
            </span>
          )}
          <span className="history-badges">{clip.engine && <EngineBadge engine={clip.engine} />}</span>
        </span>
      </button>
    </li>
  )
}

export function HistoryPanel(): ReactElement {
  const history = useStudio((s) => s.history)
  const historyError = useStudio((s) => s.historyError)
  const currentId = useStudio((s) => s.current?.id ?? null)
  const loadJobs = useStudio((s) => s.loadJobs)
  return (
    <aside className="panel history-panel" aria-label="Renders">
      <div className="panel-header">
        <span className="panel-title">Renders</span>
        <span className="panel-count">{history.length}</span>
      </div>
      <div className="panel-body history-body" data-testid="render-history">
        {historyError && (
          <div className="inline-error">
            Could not list renders: {historyError}{' '}
            <button type="button" className="link-button" onClick={() => void loadJobs()}>
              Try again
            </button>
          </div>
        )}
        {history.length === 0 && !historyError ? (
          <div className="empty-note">Finished renders appear here. Click one to play it.</div>
        ) : (
          <ul className="history-list">
            {history.map((clip) => (
              <HistoryItem key={clip.id} clip={clip} active={clip.id === currentId} />
            ))}
          </ul>
        )}
      </div>
    </aside>
  )
}
