// The System tab's engine environment line: where it is, Repair (the same set-up as the first-run
// screen: a new environment replaces the current one only once it works), progress and the log.
import { useEffect, type ReactElement } from 'react'
import { DiskCheck } from './DiskCheck'
import { useEngineSetup, watchEngineSetup } from './engineSetupStore'
import { SetupProgress } from './SetupProgress'

export function RepairEngine(): ReactElement {
  useEffect(() => watchEngineSetup(), [])
  const status = useEngineSetup((s) => s.status)
  const error = useEngineSetup((s) => s.error)
  const start = useEngineSetup((s) => s.start)
  const running = status?.running ?? false
  const kind = status?.environment.kind ?? null
  return (
    <div className="repair-engine" data-testid="repair-engine" data-kind={kind ?? 'none'}>
      <div className="repair-engine-head">
        <span>
          Engine environment:{' '}
          {status ? (
            <>
              <span className="mono value">{status.environment.python ?? `none yet (${status.environment.dir})`}</span>
              {kind === 'synthetic' && <span className="muted"> · synthetic engine only</span>}
            </>
          ) : (
            <span className="muted">checking…</span>
          )}
        </span>
        <span className="repair-engine-buttons">
          {/* Repair builds the same kind again; a synthetic-only one can grow into the real engine. */}
          <button type="button" className="btn btn-small" data-testid="repair-engine-button" disabled={!status || running} onClick={() => void start(kind === 'synthetic')}>
            {status?.environment.exists ? 'Repair' : 'Set up'}
          </button>
          {kind === 'synthetic' && (
            <button type="button" className="btn btn-small btn-primary" data-testid="repair-engine-full" disabled={running} onClick={() => void start(false)}>
              Set up the real engine
            </button>
          )}
        </span>
      </div>
      <div className="muted">Builds a fresh environment with uv beside the current one; the current one stays in use until the new one works.</div>
      <DiskCheck disk={status?.disk ?? null} />
      {error && (
        <div className="setup-error" role="alert">
          {error}
        </div>
      )}
      {(running || status?.lastOutcome) && <SetupProgress />}
    </div>
  )
}
