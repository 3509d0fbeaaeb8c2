// The studio's GPU sampling: one sampler per running job (its summary goes into the result) and the
// System tab's on-demand "Watch GPU" sampler. Samples go out through one callback either way; while a
// job samples, the watcher's duplicates are dropped so the charts get one sample per tick.
import type { LogLine } from '../../shared/ipc'
import type { GpuSample, SamplerStatus } from '../../shared/telemetry'
import { withinVramMargin } from '../../shared/vramMargin'
import { GpuSampler } from '../gpu/sampler'
import { JobTelemetry, TELEMETRY_INTERVAL_MS } from './jobTelemetry'

export interface GpuWatchOptions {
  env: NodeJS.ProcessEnv
  onSample: (sample: GpuSample) => void
  /** Told whenever `watching` or the sampler's state changes. */
  onChange: () => void
  log: (level: LogLine['level'], message: string) => void
  intervalMs?: number
}

const STOPPED: SamplerStatus = { state: 'stopped', message: null, skippedLines: 0 }

export class GpuWatch {
  private watcher: GpuSampler | null = null
  private jobsSampling = 0
  private watcherStatus: SamplerStatus = STOPPED
  private jobStatus: SamplerStatus = STOPPED
  private lastProblem: string | null = null

  constructor(private readonly options: GpuWatchOptions) {}

  get watching(): boolean {
    return this.watcher !== null
  }

  /** The watcher's state while watching, else the latest job sampler's. */
  get status(): SamplerStatus {
    return this.watcher ? this.watcherStatus : this.jobStatus
  }

  /** Starts or stops on-demand sampling; resolves once the change is made. */
  async watch(on: boolean): Promise<void> {
    if (on === this.watching) return
    if (on) {
      this.watcher = new GpuSampler({
        env: this.options.env,
        intervalMs: this.options.intervalMs ?? TELEMETRY_INTERVAL_MS,
        onSample: (sample) => {
          if (this.jobsSampling === 0) this.options.onSample(sample)
        },
        onStatus: (status) => {
          this.watcherStatus = status
          this.reportProblem(status)
          this.options.onChange()
        }
      })
      this.watcher.start()
    } else {
      const watcher = this.watcher
      this.watcher = null
      await watcher?.stop()
      this.watcherStatus = STOPPED
    }
    this.options.onChange()
  }

  /**
   * A job's sampler: each sample goes out, and a throttle or memory inside the planner's margin is
   * logged once per job.
   */
  forJob(): JobTelemetry {
    const warned = new Set<string>()
    const warnOnce = (key: string, message: string): void => {
      if (warned.has(key)) return
      warned.add(key)
      this.options.log('warning', message)
    }
    let sampling = false
    return new JobTelemetry({
      env: this.options.env,
      intervalMs: this.options.intervalMs,
      onSample: (sample) => {
        this.options.onSample(sample)
        if (sample.throttle.length > 0) warnOnce(`throttle-${sample.gpuIndex}`, `GPU ${sample.gpuIndex} is throttling (${sample.throttle.join(', ')}): rendering is slower than planned`)
        const { memoryUsedMiB: used, memoryTotalMiB: total } = sample
        if (used !== null && total !== null && withinVramMargin(used, total)) {
          warnOnce(`memory-${sample.gpuIndex}`, `GPU ${sample.gpuIndex} memory at ${Math.round(used)} of ${Math.round(total)} MiB: inside the plan's safety margin`)
        }
      },
      onStatus: (status) => {
        // Counted while it delivers, so the watcher's samples fill in when the job's stall or stop.
        const nowSampling = status.state === 'running'
        if (nowSampling !== sampling) this.jobsSampling += nowSampling ? 1 : -1
        sampling = nowSampling
        this.jobStatus = status
        this.reportProblem(status)
        this.options.onChange()
      }
    })
  }

  async stop(): Promise<void> {
    await this.watch(false)
  }

  /** Said once per studio: without nvidia-smi every job would repeat it. */
  private reportProblem(status: SamplerStatus): void {
    if (status.state === 'failed' && status.message !== this.lastProblem) {
      this.lastProblem = status.message
      this.options.log('info', `GPU telemetry: ${status.message}`)
    }
  }
}
