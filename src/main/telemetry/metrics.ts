// The opt-in Prometheus endpoint: GPU gauges, the queue by state, segments rendered, seconds per
// step and per segment, out-of-memory step-downs. Built on prom-client; fed by the Studio's events,
// so nothing here knows about the sidecar or the queue.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { JobState, StepDown } from '../../shared/queue'
import { throttleReasonSchema, type GpuSample } from '../../shared/telemetry'

export interface SegmentRendered {
  engine: string
  seconds: number
  secondsPerStep: number | null
}

export class StudioMetrics {
  readonly registry = new Registry()
  private readonly gpu: Record<'memoryUsed' | 'memoryTotal' | 'utilization' | 'temperature' | 'powerDraw' | 'powerLimit' | 'smClock', Gauge>
  private readonly throttled: Gauge
  private readonly jobs: Gauge
  private readonly segments: Counter
  private readonly stepSeconds: Histogram
  private readonly segmentSeconds: Histogram
  private readonly stepDowns: Counter

  constructor() {
    const gauge = (name: string, help: string, labelNames: string[] = ['gpu']): Gauge => new Gauge({ name, help, labelNames, registers: [this.registry] })
    this.gpu = {
      memoryUsed: gauge('wan_gpu_memory_used_mib', 'GPU memory in use (MiB)'),
      memoryTotal: gauge('wan_gpu_memory_total_mib', 'GPU memory in all (MiB)'),
      utilization: gauge('wan_gpu_utilization_percent', 'GPU utilisation (%)'),
      temperature: gauge('wan_gpu_temperature_celsius', 'GPU temperature (C)'),
      powerDraw: gauge('wan_gpu_power_draw_watts', 'GPU power draw (W)'),
      powerLimit: gauge('wan_gpu_power_limit_watts', 'GPU power limit (W)'),
      smClock: gauge('wan_gpu_sm_clock_mhz', 'GPU SM clock (MHz)')
    }
    this.throttled = gauge('wan_gpu_throttled', '1 while the GPU reports this throttle reason', ['gpu', 'reason'])
    this.jobs = gauge('wan_queue_jobs', 'Render queue jobs by state', ['state'])
    this.segments = new Counter({ name: 'wan_segments_rendered_total', help: 'Segments rendered (not reused)', labelNames: ['engine'], registers: [this.registry] })
    this.stepSeconds = new Histogram({
      name: 'wan_seconds_per_step',
      help: 'Seconds per denoising step, per segment',
      labelNames: ['engine'],
      // From a synthetic step (milliseconds) to an offloaded A14B step on a small card (minutes).
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250],
      registers: [this.registry]
    })
    this.segmentSeconds = new Histogram({
      name: 'wan_seconds_per_segment',
      help: 'Wall seconds per rendered segment',
      labelNames: ['engine'],
      buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1200, 3600, 7200],
      registers: [this.registry]
    })
    this.stepDowns = new Counter({ name: 'wan_out_of_memory_step_downs_total', help: 'Out-of-memory step-downs', labelNames: ['kind'], registers: [this.registry] })
    collectDefaultMetrics({ register: this.registry, prefix: 'wan_process_' })
  }

  gpuSample(sample: GpuSample): void {
    const gpu = String(sample.gpuIndex)
    const set = (metric: Gauge, value: number | null): void => {
      if (value !== null) metric.set({ gpu }, value)
    }
    set(this.gpu.memoryUsed, sample.memoryUsedMiB)
    set(this.gpu.memoryTotal, sample.memoryTotalMiB)
    set(this.gpu.utilization, sample.gpuUtilization)
    set(this.gpu.temperature, sample.temperatureC)
    set(this.gpu.powerDraw, sample.powerDrawW)
    set(this.gpu.powerLimit, sample.powerLimitW)
    set(this.gpu.smClock, sample.smClockMHz)
    for (const reason of throttleReasonSchema.options) this.throttled.set({ gpu, reason }, sample.throttle.includes(reason) ? 1 : 0)
  }

  queueStates(states: readonly JobState[]): void {
    for (const state of ['queued', 'running', 'paused', 'done', 'failed', 'cancelled'] as const) {
      this.jobs.set({ state }, states.filter((candidate) => candidate === state).length)
    }
  }

  segmentRendered(segment: SegmentRendered): void {
    this.segments.inc({ engine: segment.engine })
    this.segmentSeconds.observe({ engine: segment.engine }, segment.seconds)
    if (segment.secondsPerStep !== null) this.stepSeconds.observe({ engine: segment.engine }, segment.secondsPerStep)
  }

  stepDown(stepDown: StepDown): void {
    this.stepDowns.inc({ kind: stepDown.kind })
  }
}

/**
 * Serves `registry` at http://host:port/metrics. Off unless asked for; 127.0.0.1 unless the user
 * chooses another address. Resolves once listening, with the bound address and a close function.
 */
export async function serveMetrics(registry: Registry, host: string, port: number): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('only GET /metrics is served here\n')
      return
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (error: unknown) => response.writeHead(500, { 'content-type': 'text/plain' }).end(`${(error as Error).message}\n`)
    )
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new Error(error.code === 'EADDRINUSE' ? `the metrics port ${host}:${port} is already in use` : `the metrics endpoint could not listen on ${host}:${port}: ${error.message}`))
    )
    server.listen(port, host, resolve)
  })
  const address = server.address() as AddressInfo
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address
  return {
    url: `http://${shownHost}:${address.port}/metrics`,
    close: () => new Promise((resolve) => server.close(() => resolve()))
  }
}
