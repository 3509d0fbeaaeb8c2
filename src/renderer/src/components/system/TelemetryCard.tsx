// The System tab's GPU telemetry: Watch GPU (sampling outside a render), the live charts and
// warnings, and the metrics endpoint's setting.
import type { ReactElement } from 'react'
import type { SamplerStatus } from '../../../../shared/telemetry'
import { useStudio } from '../../store'
import { LiveTelemetry } from '../telemetry/LiveTelemetry'
import { MetricsSetting } from './MetricsSetting'

/** What the sampler is doing, in words. */
function samplerText(state: SamplerStatus['state'] | undefined, watching: boolean, rendering: boolean): string {
  if (state === 'running') return watching ? 'Sampling every half second.' : 'Sampling for the running render.'
  if (state === 'stalled') return 'nvidia-smi stopped answering; restarting it.'
  if (state === 'failed') return 'No GPU telemetry.'
  if (watching) return 'Starting nvidia-smi…'
  return rendering ? 'Waiting for the render’s first GPU sample.' : 'Not sampling. Renders sample the GPU on their own; Watch GPU samples it now.'
}

export function TelemetryCard(): ReactElement {
  const status = useStudio((s) => s.telemetry.status)
  const busy = useStudio((s) => s.telemetry.busy === 'watch')
  const watchError = useStudio((s) => s.telemetry.errors.watch)
  const rendering = useStudio((s) => s.job !== null)
  const watchGpu = useStudio((s) => s.watchGpu)
  const watching = status?.watching ?? false
  return (
    <section className="card card-wide telemetry-card" data-testid="system-telemetry">
      <h3 className="card-title">
        GPU telemetry
        <span className="spacer" />
        <button
          type="button"
          className={`btn btn-small ${watching ? 'is-on' : ''}`}
          data-testid="watch-gpu"
          aria-pressed={watching}
          disabled={busy || status === null}
          onClick={() => void watchGpu(!watching)}
        >
          {watching ? 'Stop watching' : 'Watch GPU'}
        </button>
      </h3>
      <p className="muted" data-testid="sampler-state">
        {samplerText(status?.sampler.state, watching, rendering)}
      </p>
      {watchError && (
        <p className="field-error" role="alert">
          {watchError}
        </p>
      )}
      <LiveTelemetry testId="system-live-telemetry" />
      <h4 className="telemetry-subtitle">Prometheus endpoint</h4>
      <MetricsSetting />
    </section>
  )
}
