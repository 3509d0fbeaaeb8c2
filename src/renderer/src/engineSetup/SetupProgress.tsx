// A set-up in progress or just ended: the steps, uv's packages and bytes with the time left, Cancel,
// how it ended, and the log (live while it runs, the whole file on request), copyable.
import { useState, type ReactElement } from 'react'
import { CopyButton } from '../components/CopyButton'
import { formatDuration } from '../format'
import { useEngineSetup } from './engineSetupStore'
import { bytesFraction, packagesLine, SETUP_STEPS, stepState } from './setupText'

function Steps(): ReactElement {
  const progress = useEngineSetup((s) => s.progress)
  return (
    <ol className="setup-steps">
      {SETUP_STEPS.map(({ phase, label }) => {
        const state = stepState(phase, progress?.phase ?? null)
        return (
          <li key={phase} className={`setup-step is-${state}`} data-testid={`setup-step-${phase}`} data-state={state}>
            {label}
          </li>
        )
      })}
    </ol>
  )
}

function Packages(): ReactElement | null {
  const progress = useEngineSetup((s) => s.progress)
  if (!progress || progress.phase !== 'packages') return null
  const fraction = bytesFraction(progress)
  return (
    <div className="setup-packages" data-testid="setup-packages">
      <div className="progress-track" role="progressbar" aria-label="Downloaded" aria-valuemin={0} aria-valuemax={100} aria-valuenow={fraction === null ? undefined : Math.round(fraction * 100)}>
        <div className="progress-fill" style={{ width: `${Math.round((fraction ?? 0) * 100)}%` }} />
      </div>
      <div className="muted">{packagesLine(progress)}</div>
    </div>
  )
}

function Outcome(): ReactElement | null {
  const status = useEngineSetup((s) => s.status)
  const outcome = status?.running ? null : status?.lastOutcome
  if (!outcome) return null
  const text =
    outcome.status === 'done'
      ? `The engine environment is ready (${formatDuration(outcome.elapsedSeconds)}).`
      : outcome.status === 'cancelled'
        ? 'Set-up cancelled; the previous engine environment is unchanged.'
        : `Set-up failed: ${outcome.error ?? 'no reason given'}. The previous engine environment is unchanged.`
  return (
    <div className={`setup-outcome is-${outcome.status}`} role="status" data-testid="setup-outcome" data-status={outcome.status}>
      {text}
    </div>
  )
}

function SetupLog(): ReactElement {
  const liveLog = useEngineSetup((s) => s.liveLog)
  const fullLog = useEngineSetup((s) => s.fullLog)
  const logFile = useEngineSetup((s) => s.status?.logFile ?? null)
  const loadFullLog = useEngineSetup((s) => s.loadFullLog)
  const [open, setOpen] = useState(false)
  const text = fullLog ? fullLog.text : liveLog.join('\n')
  return (
    <details className="setup-log" open={open} onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>Log{logFile && <span className="muted mono"> · {logFile}</span>}</summary>
      <div className="setup-log-actions">
        <button type="button" className="btn btn-small" data-testid="setup-log-full" onClick={() => void loadFullLog()}>
          Show the whole log
        </button>
        <CopyButton text={text} label="Copy the log" />
      </div>
      {fullLog?.truncated && <div className="muted">The log is long: this is its end.</div>}
      <pre className="setup-log-text mono" data-testid="setup-log-text" tabIndex={0}>
        {text || 'Nothing logged yet.'}
      </pre>
    </details>
  )
}

export function SetupProgress(): ReactElement {
  const running = useEngineSetup((s) => s.status?.running ?? false)
  const message = useEngineSetup((s) => s.progress?.message ?? null)
  const cancel = useEngineSetup((s) => s.cancel)
  return (
    <div className="setup-progress" data-testid="setup-progress" aria-busy={running}>
      <Steps />
      {running && message && <div className="setup-message">{message}</div>}
      <Packages />
      {running && (
        <button type="button" className="btn btn-small btn-danger-outline" data-testid="setup-cancel" onClick={() => void cancel()}>
          Cancel set-up
        </button>
      )}
      <Outcome />
      <SetupLog />
    </div>
  )
}
