// A finished clip's GPU figures: the telemetry summaries its shots' render jobs kept, as one. Pure.
import type { QueueJob } from '../../../../shared/queue'
import type { TelemetrySummary } from '../../../../shared/telemetry'
import { formatDuration, formatMiB } from '../../format'

/** Several jobs' summaries as one: peaks of peaks, means weighted by samples, times added up. */
export function mergeSummaries(summaries: readonly TelemetrySummary[]): TelemetrySummary | null {
  if (summaries.length === 0) return null
  const peak = (pick: (summary: TelemetrySummary) => number | null): number | null => {
    const values = summaries.map(pick).filter((value): value is number => value !== null)
    return values.length ? Math.max(...values) : null
  }
  const mean = (pick: (summary: TelemetrySummary) => number | null): number | null => {
    const weighted = summaries.flatMap((summary) => {
      const value = pick(summary)
      return value === null || summary.samples === 0 ? [] : [{ value, weight: summary.samples }]
    })
    const weight = weighted.reduce((sum, entry) => sum + entry.weight, 0)
    return weight ? weighted.reduce((sum, entry) => sum + entry.value * entry.weight, 0) / weight : null
  }
  return {
    samples: summaries.reduce((sum, summary) => sum + summary.samples, 0),
    seconds: summaries.reduce((sum, summary) => sum + summary.seconds, 0),
    peakMemoryUsedMiB: peak((summary) => summary.peakMemoryUsedMiB),
    meanGpuUtilization: mean((summary) => summary.meanGpuUtilization),
    peakTemperatureC: peak((summary) => summary.peakTemperatureC),
    meanPowerDrawW: mean((summary) => summary.meanPowerDrawW),
    peakPowerDrawW: peak((summary) => summary.peakPowerDrawW),
    throttledSeconds: summaries.reduce((sum, summary) => sum + summary.throttledSeconds, 0),
    throttleReasons: [...new Set(summaries.flatMap((summary) => summary.throttleReasons))],
    problem: summaries.map((summary) => summary.problem).find((problem) => problem !== null) ?? null
  }
}

/** The telemetry of the shots an export job rendered, or null when none kept any. */
export function clipTelemetry(exportJobId: string, jobs: Readonly<Record<string, QueueJob>>): TelemetrySummary | null {
  const exportJob = jobs[exportJobId]
  if (exportJob?.payload.kind !== 'export') return null
  const summaries = Object.values(exportJob.payload.shotJobs).flatMap((jobId) => {
    const result = jobs[jobId]?.result
    return result?.kind === 'render-shot' && result.telemetry ? [result.telemetry] : []
  })
  return mergeSummaries(summaries)
}

/** One line for the Renders list: "throttled 12 s · peak 21.6 GiB · 93% load". */
export function telemetryLine(summary: TelemetrySummary): string | null {
  if (summary.samples === 0) return null
  // Throttling first: it is what a narrow list must not cut off.
  const parts: string[] = []
  if (summary.throttledSeconds > 0) parts.push(`throttled ${formatDuration(summary.throttledSeconds)}`)
  if (summary.peakMemoryUsedMiB !== null) parts.push(`peak ${formatMiB(summary.peakMemoryUsedMiB)}`)
  if (summary.meanGpuUtilization !== null) parts.push(`${Math.round(summary.meanGpuUtilization)}% load`)
  return parts.join(' · ') || null
}

/** Throttle reasons in words. */
export function throttleWords(summary: TelemetrySummary): string {
  const heat = summary.throttleReasons.some((reason) => reason.includes('thermal') || reason === 'hw-slowdown')
  const power = summary.throttleReasons.some((reason) => reason.includes('power'))
  return heat && power ? 'heat and power' : heat ? 'heat' : power ? 'power' : 'unknown reasons'
}
