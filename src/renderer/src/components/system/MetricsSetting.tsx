// The opt-in Prometheus endpoint: off by default, 127.0.0.1 unless the user types another address.
// Saved in settings and applied by the studio at once; a port in use shows here.
import { useId, useState, type FormEvent, type ReactElement } from 'react'
import { DEFAULT_METRICS_SETTINGS, metricsSettingsSchema, type MetricsSettings } from '../../../../shared/settings'
import { useStudio } from '../../store'

type Draft = { enabled: boolean; host: string; port: string }

const sameSettings = (a: MetricsSettings, b: MetricsSettings): boolean => a.enabled === b.enabled && a.host === b.host && a.port === b.port

const draftOf = (settings: MetricsSettings): Draft => ({ enabled: settings.enabled, host: settings.host, port: String(settings.port) })

export function MetricsSetting(): ReactElement {
  const saved = useStudio((s) => s.system.snapshot?.settings.metrics ?? DEFAULT_METRICS_SETTINGS)
  const endpoint = useStudio((s) => s.telemetry.status?.metrics ?? null)
  const busy = useStudio((s) => s.telemetry.busy === 'metrics')
  const saveError = useStudio((s) => s.telemetry.errors.metrics)
  const saveMetrics = useStudio((s) => s.saveMetrics)
  // The draft belongs to the saved setting it was typed over; a newly saved one replaces it (a fresh
  // system snapshot with the same setting does not).
  const [draft, setDraft] = useState<{ over: MetricsSettings; value: Draft } | null>(null)
  const value = draft && sameSettings(draft.over, saved) ? draft.value : draftOf(saved)
  const errorId = useId()
  const parsed = metricsSettingsSchema.safeParse({ enabled: value.enabled, host: value.host, port: value.port.trim() === '' ? Number.NaN : Number(value.port) })
  const typedError = parsed.success ? null : parsed.error.issues.map((issue) => issue.message).join('; ')
  const changed = parsed.success && !sameSettings(parsed.data, saved)
  const error = typedError ?? saveError
  const edit = (change: Partial<Draft>): void => setDraft({ over: saved, value: { ...value, ...change } })

  const save = (event: FormEvent): void => {
    event.preventDefault()
    if (parsed.success && changed) void saveMetrics(parsed.data)
  }

  return (
    <form className="metrics-form" data-testid="metrics-setting" onSubmit={save}>
      <label className="metrics-enable">
        <input type="checkbox" data-testid="metrics-enabled" checked={value.enabled} onChange={(event) => edit({ enabled: event.target.checked })} />
        Serve Prometheus metrics
      </label>
      <div className="metrics-address">
        <label>
          Address
          <input
            className="input mono"
            data-testid="metrics-host"
            value={value.host}
            spellCheck={false}
            aria-invalid={typedError !== null && /address/.test(typedError) ? true : undefined}
            aria-describedby={error ? errorId : undefined}
            onChange={(event) => edit({ host: event.target.value })}
          />
        </label>
        <label>
          Port
          <input
            className="input mono metrics-port"
            data-testid="metrics-port"
            inputMode="numeric"
            value={value.port}
            aria-invalid={typedError !== null && /port/.test(typedError) ? true : undefined}
            aria-describedby={error ? errorId : undefined}
            onChange={(event) => edit({ port: event.target.value })}
          />
        </label>
        <button type="submit" className="btn btn-small btn-primary" data-testid="metrics-save" disabled={busy || !changed}>
          {busy ? 'Applying…' : 'Apply'}
        </button>
      </div>
      {error && (
        <p className="field-error" id={errorId} role="alert" data-testid="metrics-error">
          {error}
        </p>
      )}
      <p className="muted" data-testid="metrics-state">
        {endpoint?.url ? (
          <>
            Serving <span className="mono">{endpoint.url}</span>
            {saved.host !== '127.0.0.1' && saved.host !== 'localhost' && saved.host !== '::1' && ' — reachable from other machines on your network'}
          </>
        ) : endpoint?.error ? (
          `Not serving: ${endpoint.error}`
        ) : (
          'Off. When on, a Prometheus server can scrape GPU, queue and render figures (docs/telemetry.md).'
        )}
      </p>
    </form>
  )
}
