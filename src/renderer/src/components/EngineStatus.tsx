// The header's status: sidecar state and each engine's availability (with the reason when not).
import type { ReactElement } from 'react'
import { useStudio } from '../store'

const sidecarText = {
  stopped: 'Sidecar stopped',
  starting: 'Sidecar starting…',
  ready: 'Sidecar ready',
  crashed: 'Sidecar crashed'
} as const

export function EngineStatus(): ReactElement {
  const info = useStudio((s) => s.system.snapshot?.info ?? null)
  const infoError = useStudio((s) => s.system.error)

  if (!info) {
    return (
      <div className="engine-status" data-testid="engine-status">
        <span className={`status-pill ${infoError ? 'is-bad' : 'is-pending'}`} title={infoError ?? undefined}>
          <span className="status-dot" />
          {infoError ? `Studio unreachable: ${infoError}` : 'Connecting to the studio…'}
        </span>
      </div>
    )
  }

  const state = info.sidecar.state
  const tone = state === 'ready' ? 'is-good' : state === 'starting' ? 'is-pending' : state === 'crashed' ? 'is-bad' : 'is-idle'
  return (
    <div className="engine-status" data-testid="engine-status">
      <span
        className={`status-pill ${tone}`}
        data-sidecar-state={state}
        title={info.sidecar.lastError ? `${sidecarText[state]}: ${info.sidecar.lastError}` : sidecarText[state]}
      >
        <span className="status-dot" />
        {sidecarText[state]}
      </span>
      {info.engines.map((engine) => (
        <span
          key={engine.id}
          className={`engine-chip ${engine.available ? 'is-available' : 'is-unavailable'}`}
          data-engine={engine.id}
          data-available={engine.available}
          title={engine.available ? `${engine.label} is available` : `${engine.label} unavailable: ${engine.reason ?? 'no reason given'}`}
        >
          {engine.available ? (
            <>
              <span className="engine-chip-mark" aria-hidden="true">
                ●
              </span>
              {engine.label}
            </>
          ) : (
            <>
              {engine.label} unavailable{engine.reason ? `: ${engine.reason}` : ''}
            </>
          )}
        </span>
      ))}
      {info.engines.length === 0 && state !== 'starting' && <span className="engine-chip is-unavailable">No engines reported</span>}
    </div>
  )
}
