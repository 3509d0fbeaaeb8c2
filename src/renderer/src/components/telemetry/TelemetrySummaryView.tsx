// A finished render's GPU figures in its details: peaks, means and the time spent throttled, or why
// there are none.
import type { ReactElement } from 'react'
import type { TelemetrySummary } from '../../../../shared/telemetry'
import { formatDuration, formatMiB } from '../../format'
import { IconWarning } from '../../icons'
import { throttleWords } from './clipTelemetry'

const whole = (value: number | null, unit: string): string => (value === null ? '–' : `${Math.round(value)} ${unit}`)

export function TelemetrySummaryView({ summary }: { summary: TelemetrySummary }): ReactElement {
  if (summary.samples === 0) {
    return (
      <p className="telemetry-summary muted" data-testid="result-telemetry">
        No GPU figures for this render{summary.problem ? `: ${summary.problem}` : ''}.
      </p>
    )
  }
  return (
    <div className="telemetry-summary" data-testid="result-telemetry">
      <span className="telemetry-summary-title">GPU while rendering</span>
      <dl className="telemetry-summary-figures">
        <div>
          <dt>Peak memory</dt>
          <dd className="mono" data-field="peak-memory">{formatMiB(summary.peakMemoryUsedMiB)}</dd>
        </div>
        <div>
          <dt>Mean load</dt>
          <dd className="mono" data-field="mean-load">{whole(summary.meanGpuUtilization, '%')}</dd>
        </div>
        <div>
          <dt>Peak temperature</dt>
          <dd className="mono">{whole(summary.peakTemperatureC, '°C')}</dd>
        </div>
        <div>
          <dt>Power</dt>
          <dd className="mono">
            {whole(summary.meanPowerDrawW, 'W')} mean, {whole(summary.peakPowerDrawW, 'W')} peak
          </dd>
        </div>
        <div>
          <dt>Throttled</dt>
          <dd className="mono" data-field="throttled">
            {summary.throttledSeconds > 0 ? `${formatDuration(summary.throttledSeconds)} (${throttleWords(summary)})` : 'never'}
          </dd>
        </div>
      </dl>
      {summary.throttledSeconds > 0 && (
        <p className="telemetry-summary-note">
          <IconWarning size={13} /> The GPU slowed itself down for {throttleWords(summary)} during this render, so it took longer than planned.
        </p>
      )}
      {summary.problem && <p className="muted">Partial figures: {summary.problem}.</p>}
    </div>
  )
}
