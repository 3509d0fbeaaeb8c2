// Live progress of the running render: segments, steps, the whole job, elapsed and time left.
import { useEffect, useState, type ReactElement } from 'react'
import { formatClock, formatEta, plural } from '../format'
import { IconClose } from '../icons'
import { useStudio } from '../store'

const phaseText = { starting: 'Starting', rendering: 'Rendering', stitching: 'Stitching', done: 'Finishing' } as const

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

export function ProgressPanel(): ReactElement | null {
  const job = useStudio((s) => s.job)
  const progress = useStudio((s) => s.progress)
  const progressAt = useStudio((s) => s.progressAt)
  const notice = useStudio((s) => s.notice)
  const retry = useStudio((s) => s.retry)
  const dismissNotice = useStudio((s) => s.dismissNotice)
  const now = useNow(job !== null)
  // Shown while a render runs, and after a cancel (frozen where it stopped) until the next one.
  const cancelled = job === null && notice !== null
  if (!job && !cancelled) return null

  const sinceEvent = progress && !cancelled ? Math.max(0, (now - progressAt) / 1000) : 0
  const elapsed = progress ? progress.elapsedSeconds + sinceEvent : job ? Math.max(0, (now - job.startedAt) / 1000) : 0
  const eta = progress?.etaSeconds === null || progress?.etaSeconds === undefined ? null : Math.max(0, progress.etaSeconds - sinceEvent)
  const fraction = progress?.fraction ?? 0
  const percent = Math.floor(fraction * 100)
  const segments = progress?.segments ?? null
  const segment = progress ? Math.min(Math.max(progress.segment, 1), progress.segments) : null
  const phase = cancelled
    ? 'Cancelled'
    : job?.status === 'cancelling'
      ? 'Cancelling'
      : job?.status === 'submitting' && !progress
        ? 'Submitting'
        : phaseText[progress?.phase ?? 'starting']
  const resumeRequest = cancelled ? notice.request : null

  let stepText = 'Preparing…'
  if (progress?.phase === 'stitching') stepText = 'Joining segments'
  else if (progress && progress.steps > 0) stepText = `Step ${Math.min(progress.step, progress.steps)} of ${progress.steps}`
  else if (progress?.phase === 'rendering') stepText = 'Loading…'

  return (
    <section
      className={`progress-panel ${job?.status === 'cancelling' ? 'is-cancelling' : ''} ${cancelled ? 'is-cancelled' : ''}`}
      data-testid="progress-panel"
      data-state={cancelled ? 'cancelled' : (job?.status ?? 'idle')}
      aria-live="polite"
    >
      <div className="progress-top">
        <span className={`phase-tag phase-${cancelled ? 'cancelled' : (progress?.phase ?? 'starting')}`}>{phase}</span>
        <span className="progress-counter" data-testid="progress-segment">
          {segments === null || segment === null ? 'Segment –' : `Segment ${segment} of ${segments}`}
        </span>
        <span className="progress-counter" data-testid="progress-step">
          {stepText}
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

      {progress && progress.segments > 1 && (
        <div className="segment-pips" aria-hidden="true">
          {Array.from({ length: progress.segments }, (_, index) => {
            const n = index + 1
            const state =
              n <= progress.resumedSegments
                ? 'resumed'
                : n < progress.segment || progress.phase === 'stitching' || progress.phase === 'done'
                  ? 'done'
                  : n === progress.segment
                    ? 'active'
                    : 'waiting'
            const inner = state === 'active' && progress.steps > 0 ? progress.step / progress.steps : state === 'waiting' ? 0 : 1
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
          {resumeRequest?.seed !== undefined && (
            <>
              <span className="dot-sep">·</span>
              <span className="muted mono">seed {resumeRequest.seed}</span>
            </>
          )}
          {resumeRequest && (
            <>
              <span className="dot-sep">·</span>
              <span className="muted">Resume renders only the segments that weren’t finished.</span>
              <button type="button" className="btn btn-small resume-button" data-testid="render-resume" onClick={() => void retry(resumeRequest)}>
                Resume
              </button>
            </>
          )}
        </div>
      ) : (
      <div className="progress-bottom">
        <span className="mono">{formatClock(elapsed)} elapsed</span>
        <span className="dot-sep">·</span>
        <span data-testid="progress-eta">{progress ? formatEta(eta) : 'estimating time left…'}</span>
        {job?.request?.seed !== undefined && (
          <>
            <span className="dot-sep">·</span>
            <span className="muted mono" data-testid="progress-seed">
              seed {job.request.seed}
            </span>
          </>
        )}
        {progress && progress.resumedSegments > 0 && (
          <span className="resumed-note" data-testid="progress-resumed">
            resumed {plural(progress.resumedSegments, 'segment')} from checkpoints
          </span>
        )}
      </div>
      )}
      {!cancelled && progress?.message && <div className="progress-message">{progress.message}</div>}
    </section>
  )
}
