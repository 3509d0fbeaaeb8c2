// Live progress of the running render: the shot's segments and steps, then the export; the whole
// render's progress, elapsed and time left.
import { useEffect, useState, type ReactElement } from 'react'
import type { JobProgress } from '../../../shared/queue'
import { formatClock, formatEta, plural } from '../format'
import { IconClose } from '../icons'
import { useStudio } from '../store'
import { RenderTelemetry } from './telemetry/LiveTelemetry'

const phaseText: Record<JobProgress['phase'], string> = { waiting: 'Waiting', starting: 'Starting', rendering: 'Rendering', exporting: 'Exporting', done: 'Finishing' }

/** Re-renders every second so elapsed and time left move between progress events. */
function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (!active) return
    const timer = window.setInterval(() => setNow(Date.now()), 1000)
    return () => window.clearInterval(timer)
  }, [active])
  return now
}

/** "Rendering segment 2 of 3, step 4 of 8 (high-noise expert)", then "Exporting". */
function Status({ current, render }: { current: JobProgress | null; render: JobProgress | null }): ReactElement {
  if (current?.phase === 'exporting') return <span data-testid="progress-status">Exporting</span>
  if (!render || render.segments === 0 || render.phase === 'waiting' || render.phase === 'starting') return <span data-testid="progress-status">Preparing…</span>
  const segment = Math.min(Math.max(render.segment, 1), render.segments)
  if (render.phase === 'done') return <span data-testid="progress-status">Rendered {plural(render.segments, 'segment')}</span>
  return (
    <span data-testid="progress-status">
      Rendering <span data-testid="progress-segment">segment {segment} of {render.segments}</span>
      {render.steps > 0 ? (
        <>
          , <span data-testid="progress-step">step {Math.min(render.step, render.steps)} of {render.steps}</span>
          {render.expert && ` (${render.expert} expert)`}
        </>
      ) : (
        render.phase === 'rendering' && ', loading…'
      )}
    </span>
  )
}

export function ProgressPanel(): ReactElement | null {
  const job = useStudio((s) => s.job)
  const progress = useStudio((s) => s.progress)
  const notice = useStudio((s) => s.notice)
  const note = useStudio((s) => (s.job?.ids ? (s.job.ids.shots.map((id) => s.jobs[id]?.note).find(Boolean) ?? null) : null))
  const retry = useStudio((s) => s.retry)
  const dismissNotice = useStudio((s) => s.dismissNotice)
  const now = useNow(job !== null)
  // Shown while a render runs, and after a cancel (frozen where it stopped) until the next one.
  const cancelled = job === null && notice !== null
  if (!job && !cancelled) return null

  const current = progress?.current ?? null
  const render = progress?.render ?? null
  const sinceEvent = progress && !cancelled ? Math.max(0, (now - progress.at) / 1000) : 0
  const elapsed = cancelled ? notice.elapsedSeconds : job ? Math.max(0, (now - job.startedAt) / 1000) : 0
  const exporting = current?.phase === 'exporting'
  const eta = exporting || render?.etaSeconds === null || render?.etaSeconds === undefined ? null : Math.max(0, render.etaSeconds - sinceEvent)
  const fraction = progress?.fraction ?? 0
  const percent = Math.floor(fraction * 100)
  const phase = cancelled
    ? 'Cancelled'
    : job?.status === 'cancelling'
      ? 'Cancelling'
      : job?.status === 'submitting' && !progress
        ? 'Submitting'
        : phaseText[current?.phase ?? 'starting']
  const resume = cancelled ? notice.target : null
  const seed = (cancelled ? notice.target.request : job?.request)?.seed

  return (
    <section
      className={`progress-panel ${job?.status === 'cancelling' ? 'is-cancelling' : ''} ${cancelled ? 'is-cancelled' : ''}`}
      data-testid="progress-panel"
      data-state={cancelled ? 'cancelled' : (job?.status ?? 'idle')}
      data-phase={current?.phase ?? undefined}
      aria-live="polite"
    >
      <div className="progress-top">
        <span className={`phase-tag phase-${cancelled ? 'cancelled' : (current?.phase ?? 'starting')}`}>{phase}</span>
        <span className="progress-counter">
          <Status current={current} render={render} />
        </span>
        <span className="progress-percent">{percent}%</span>
        {cancelled && (
          <button type="button" className="icon-button small" aria-label="Dismiss" title="Dismiss" onClick={dismissNotice}>
            <IconClose size={13} />
          </button>
        )}
      </div>

      <div
        className="progress-track"
        role="progressbar"
        aria-label="Render progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
      >
        <div className="progress-fill" style={{ width: `${fraction * 100}%` }} />
      </div>

      {render && render.segments > 1 && (
        <div className="segment-pips" aria-hidden="true">
          {Array.from({ length: render.segments }, (_, index) => {
            const n = index + 1
            const state =
              n <= render.reusedSegments
                ? 'reused'
                : n < render.segment || render.phase === 'done' || exporting
                  ? 'done'
                  : n === render.segment
                    ? 'active'
                    : 'waiting'
            const inner = state === 'active' && render.steps > 0 ? render.step / render.steps : state === 'waiting' ? 0 : 1
            return (
              <span key={n} className={`pip pip-${state}`} title={`Segment ${n}: ${state}`}>
                <span className="pip-fill" style={{ width: `${inner * 100}%` }} />
              </span>
            )
          })}
        </div>
      )}

      {cancelled ? (
        <div className="progress-bottom" data-testid="render-notice">
          <span>
            Cancelled after <span className="mono">{formatClock(elapsed)}</span>
          </span>
          {seed !== undefined && (
            <>
              <span className="dot-sep">·</span>
              <span className="muted mono">seed {seed}</span>
            </>
          )}
          {resume && (
            <>
              <span className="dot-sep">·</span>
              <span className="muted">Resume renders only the segments that weren’t finished.</span>
              <button type="button" className="btn btn-small resume-button" data-testid="render-resume" onClick={() => void retry(resume)}>
                Resume
              </button>
            </>
          )}
        </div>
      ) : (
        <div className="progress-bottom">
          <span className="mono">{formatClock(elapsed)} elapsed</span>
          <span className="dot-sep">·</span>
          <span data-testid="progress-eta">{exporting ? 'exporting the clip…' : render ? formatEta(eta) : 'estimating time left…'}</span>
          {seed !== undefined && (
            <>
              <span className="dot-sep">·</span>
              <span className="muted mono" data-testid="progress-seed">
                seed {seed}
              </span>
            </>
          )}
          {render && render.reusedSegments > 0 && (
            <span className="reused-note" data-testid="progress-reused">
              reused {plural(render.reusedSegments, 'segment')} from checkpoints
            </span>
          )}
        </div>
      )}
      {!cancelled && (current?.message || note) && <div className="progress-message">{current?.message ?? note}</div>}
      {job && <RenderTelemetry />}
    </section>
  )
}
