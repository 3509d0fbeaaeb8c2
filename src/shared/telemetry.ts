// GPU telemetry as both sides see it: one sample per GPU per tick, and a job's summary.
import { z } from 'zod'

/** Why the GPU is slowing its clocks (nvidia-smi's clocks_event_reasons bitmask, decoded). */
export const throttleReasonSchema = z.enum(['power-cap', 'hw-slowdown', 'sw-thermal', 'hw-thermal', 'hw-power-brake'])
export type ThrottleReason = z.infer<typeof throttleReasonSchema>

export const gpuSampleSchema = z.object({
  /** Milliseconds since the epoch, taken when the line arrived. */
  time: z.number(),
  gpuIndex: z.number().int(),
  memoryUsedMiB: z.number().nullable(),
  memoryTotalMiB: z.number().nullable(),
  gpuUtilization: z.number().nullable(),
  memoryUtilization: z.number().nullable(),
  temperatureC: z.number().nullable(),
  powerDrawW: z.number().nullable(),
  powerLimitW: z.number().nullable(),
  smClockMHz: z.number().nullable(),
  throttle: z.array(throttleReasonSchema),
  pcieGeneration: z.number().nullable(),
  pcieWidth: z.number().nullable(),
  /** A MIG-enabled GPU: its figures are the whole card's, not the slice's. */
  mig: z.boolean()
})
export type GpuSample = z.infer<typeof gpuSampleSchema>

/** What the sampler can say about itself: running, or why it has nothing to show. */
export const samplerStatusSchema = z.object({
  state: z.enum(['stopped', 'running', 'stalled', 'failed']),
  message: z.string().nullable(),
  /** Lines that could not be read as samples (warnings, garbage). */
  skippedLines: z.number().int()
})
export type SamplerStatus = z.infer<typeof samplerStatusSchema>

/** Where the studio's telemetry stands: on-demand sampling, the sampler's state, the metrics endpoint. */
export const telemetryStatusSchema = z.object({
  /** The System tab's "Watch GPU": sampling outside a job. */
  watching: z.boolean(),
  sampler: samplerStatusSchema,
  /** The Prometheus endpoint: its URL while serving, else null; why it could not serve, else null. */
  metrics: z.object({ url: z.string().nullable(), error: z.string().nullable() })
})
export type TelemetryStatus = z.infer<typeof telemetryStatusSchema>

export const telemetrySummarySchema = z.object({
  samples: z.number().int(),
  seconds: z.number(),
  peakMemoryUsedMiB: z.number().nullable(),
  meanGpuUtilization: z.number().nullable(),
  peakTemperatureC: z.number().nullable(),
  meanPowerDrawW: z.number().nullable(),
  peakPowerDrawW: z.number().nullable(),
  /** Seconds during which the GPU reported a heat or power throttle. */
  throttledSeconds: z.number(),
  throttleReasons: z.array(throttleReasonSchema),
  /** Why the figures are missing or partial (no nvidia-smi, it stalled...), or null. */
  problem: z.string().nullable()
})
export type TelemetrySummary = z.infer<typeof telemetrySummarySchema>

/**
 * A job's figures from its samples: peaks and means over every GPU sampled, and the time spent
 * throttled for heat or power (each throttled sample counts for one interval).
 */
export function summariseTelemetry(samples: readonly GpuSample[], intervalMs: number, problem: string | null): TelemetrySummary {
  const values = (pick: (sample: GpuSample) => number | null): number[] => samples.map(pick).filter((value): value is number => value !== null)
  const peak = (list: number[]): number | null => (list.length ? Math.max(...list) : null)
  const mean = (list: number[]): number | null => (list.length ? list.reduce((sum, value) => sum + value, 0) / list.length : null)
  const throttled = samples.filter((sample) => sample.throttle.length > 0)
  const first = samples[0]?.time
  const last = samples.at(-1)?.time
  return {
    samples: samples.length,
    seconds: first !== undefined && last !== undefined ? (last - first) / 1000 : 0,
    peakMemoryUsedMiB: peak(values((sample) => sample.memoryUsedMiB)),
    meanGpuUtilization: mean(values((sample) => sample.gpuUtilization)),
    peakTemperatureC: peak(values((sample) => sample.temperatureC)),
    meanPowerDrawW: mean(values((sample) => sample.powerDrawW)),
    peakPowerDrawW: peak(values((sample) => sample.powerDrawW)),
    throttledSeconds: (throttled.length * intervalMs) / 1000,
    throttleReasons: [...new Set(throttled.flatMap((sample) => sample.throttle))],
    problem
  }
}
