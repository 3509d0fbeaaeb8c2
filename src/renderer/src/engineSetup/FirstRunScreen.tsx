// Shown instead of the studio when there is no engine environment yet: set up the real engine, or
// only the synthetic one (a small download, to try the studio without the models), or not now.
import { useEffect, type ReactElement } from 'react'
import { DiskCheck } from './DiskCheck'
import { useEngineSetup, watchEngineSetup } from './engineSetupStore'
import { SetupProgress } from './SetupProgress'

export function FirstRunScreen(): ReactElement {
  const status = useEngineSetup((s) => s.status)
  const error = useEngineSetup((s) => s.error)
  const start = useEngineSetup((s) => s.start)
  const close = useEngineSetup((s) => s.closeFirstRun)
  const running = status?.running ?? false
  const started = running || status?.lastOutcome != null
  const ready = status?.environment.exists === true && !running
  return (
    <main className="first-run" data-testid="first-run">
      <h1>Set up Wan Studio’s engine</h1>
      <p>
        Wan2.2 runs in a Python environment of the studio’s own. Setting it up downloads PyTorch (with its CUDA libraries), diffusers and the rest
        with uv: about 3 GB, 6 GB on disk, a few minutes. The models’ weights come separately.
      </p>
      {status && (
        <p className="muted">
          It goes to <span className="mono">{status.environment.dir}</span>.
        </p>
      )}
      <DiskCheck disk={status?.disk ?? null} />
      {error && (
        <div className="setup-error" role="alert">
          {error}
        </div>
      )}
      <div className="first-run-actions">
        <button type="button" className="btn btn-primary" data-testid="first-run-setup" disabled={!status || running || status.disk?.enough === false} onClick={() => void start(false)}>
          Set up the engine
        </button>
        <button type="button" className="btn" data-testid="first-run-synthetic" disabled={!status || running} onClick={() => void start(true)}>
          Synthetic engine only
        </button>
        {ready ? (
          <button type="button" className="btn btn-primary" data-testid="first-run-open" onClick={close}>
            Open the studio
          </button>
        ) : (
          <button type="button" className="btn btn-ghost" data-testid="first-run-later" disabled={running} onClick={close}>
            Not now
          </button>
        )}
      </div>
      <p className="muted">
        The synthetic engine only needs numpy, jsonschema and Pillow (about 100 MB): it renders test patterns, to try the studio without a GPU. The real engine can be
        set up later from System › Engine › Repair.
      </p>
      {started && <SetupProgress />}
    </main>
  )
}

/** True while the first-run screen should cover the studio; subscribes to the set-up's events. */
export function useFirstRun(): boolean {
  useEffect(() => watchEngineSetup(), [])
  return useEngineSetup((s) => s.firstRunOpen === true)
}
