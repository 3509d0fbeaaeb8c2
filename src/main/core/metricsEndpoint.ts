// The Prometheus endpoint's lifecycle: served from the CLI's --metrics-port or the app's setting,
// changed live (stop, then serve at the new address), its URL or its failure kept for the System tab.
import type { MetricsSettings } from '../../shared/settings'
import type { TelemetryStatus } from '../../shared/telemetry'
import { serveMetrics, StudioMetrics } from '../telemetry/metrics'

export interface MetricsEndpointOptions {
  /** Feeds `metrics` from the studio's events; returns the unsubscribe. */
  feed: (metrics: StudioMetrics) => () => void
  onChange: () => void
  log: (level: 'info' | 'warning', message: string) => void
}

export class MetricsEndpoint {
  private close: (() => Promise<void>) | null = null
  private _state: TelemetryStatus['metrics'] = { url: null, error: null }
  /** Changes run one after another, so two quick saves can't both hold the port. */
  private changes: Promise<unknown> = Promise.resolve()

  constructor(private readonly options: MetricsEndpointOptions) {}

  get state(): TelemetryStatus['metrics'] {
    return this._state
  }

  /** Serves at http://host:port/metrics (replacing an endpoint already served); rejects when it can't listen. */
  serve(host: string, port: number): Promise<string> {
    return this.enqueue(async () => {
      await this.stopNow()
      const metrics = new StudioMetrics()
      const unsubscribe = this.options.feed(metrics)
      try {
        const served = await serveMetrics(metrics.registry, host, port)
        this.close = async () => {
          unsubscribe()
          await served.close()
        }
        this.setState({ url: served.url, error: null })
        this.options.log('info', `Prometheus metrics at ${served.url}`)
        return served.url
      } catch (error) {
        unsubscribe()
        this.setState({ url: null, error: (error as Error).message })
        throw error
      }
    })
  }

  /**
   * Applies the app's setting: serves when enabled, else stops. A failure to listen is kept in the
   * state (and logged) rather than thrown: the setting stays as the user chose it.
   */
  async apply(settings: MetricsSettings): Promise<void> {
    if (!settings.enabled) return this.stop()
    await this.serve(settings.host, settings.port).catch((error: unknown) => this.options.log('warning', `Prometheus metrics are off: ${(error as Error).message}`))
  }

  stop(): Promise<void> {
    return this.enqueue(async () => {
      await this.stopNow()
      this.setState({ url: null, error: null })
    })
  }

  private async stopNow(): Promise<void> {
    const close = this.close
    this.close = null
    await close?.()
  }

  private enqueue<T>(change: () => Promise<T>): Promise<T> {
    const next = this.changes.then(change)
    this.changes = next.catch(() => undefined)
    return next
  }

  private setState(state: TelemetryStatus['metrics']): void {
    this._state = state
    this.options.onChange()
  }
}
