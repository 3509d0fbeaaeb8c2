// GPU telemetry for one job: sampled while it runs, summarised into its result.
import { summariseTelemetry, type GpuSample, type SamplerStatus, type TelemetrySummary } from '../../shared/telemetry'
import { GpuSampler } from '../gpu/sampler'

/** Half a second: live charts stay smooth and nvidia-smi costs a fraction of a per cent of a core. */
export const TELEMETRY_INTERVAL_MS = 500
/** About seven hours at 500 ms: a summary never holds more, so memory stays bounded. */
const MAX_SAMPLES = 50_000

export class JobTelemetry {
  private readonly samples: GpuSample[] = []
  private readonly sampler: GpuSampler
  private problem: string | null = null

  constructor(options: { env: NodeJS.ProcessEnv; intervalMs?: number; onSample: (sample: GpuSample) => void; onStatus?: (status: SamplerStatus) => void }) {
    this.sampler = new GpuSampler({
      env: options.env,
      intervalMs: options.intervalMs ?? TELEMETRY_INTERVAL_MS,
      onSample: (sample) => {
        if (this.samples.length >= MAX_SAMPLES) this.samples.shift()
        this.samples.push(sample)
        options.onSample(sample)
      },
      onStatus: (status) => {
        if (status.state === 'failed' || status.state === 'stalled') this.problem = status.message
        options.onStatus?.(status)
      }
    })
  }

  start(): void {
    this.sampler.start()
  }

  async stop(intervalMs = TELEMETRY_INTERVAL_MS): Promise<TelemetrySummary> {
    await this.sampler.stop()
    const problem = this.problem ?? (this.samples.length === 0 ? 'no GPU samples arrived' : null)
    return summariseTelemetry(this.samples, intervalMs, problem)
  }
}
