// When the GPU needs the user's attention: throttling for heat or power, or memory inside the
// planner's safety margin. A warning shows from the first sample that says so and is held for
// WARNING_HOLD_MS after the last one, so a condition that comes and goes doesn't flicker. Pure.
import type { GpuSample, ThrottleReason } from '../../../shared/telemetry'
import { vramMarginMiB, withinVramMargin } from '../../../shared/vramMargin'
import { formatMiB } from '../format'

export type WarningKind = 'heat' | 'power' | 'memory'

/** Held this long after the last sample that showed the condition. */
export const WARNING_HOLD_MS = 5000

type Seen = { lastAt: number; gpuIndex: number; sample: GpuSample }
export type WarningTracker = Readonly<Partial<Record<WarningKind, Seen>>>

export type TelemetryWarning = { kind: WarningKind; gpuIndex: number; message: string }

const HEAT: readonly ThrottleReason[] = ['sw-thermal', 'hw-thermal', 'hw-slowdown']
const POWER: readonly ThrottleReason[] = ['power-cap', 'hw-power-brake']

/** The conditions one sample shows. */
export function conditionsOf(sample: GpuSample): WarningKind[] {
  const kinds: WarningKind[] = []
  if (sample.throttle.some((reason) => HEAT.includes(reason))) kinds.push('heat')
  if (sample.throttle.some((reason) => POWER.includes(reason))) kinds.push('power')
  if (sample.memoryUsedMiB !== null && sample.memoryTotalMiB !== null && withinVramMargin(sample.memoryUsedMiB, sample.memoryTotalMiB)) kinds.push('memory')
  return kinds
}

/** The tracker after `sample`: each condition it shows is marked seen at the sample's time. */
export function observeSample(tracker: WarningTracker, sample: GpuSample): WarningTracker {
  const kinds = conditionsOf(sample)
  if (kinds.length === 0) return tracker
  const next: Partial<Record<WarningKind, Seen>> = { ...tracker }
  for (const kind of kinds) next[kind] = { lastAt: sample.time, gpuIndex: sample.gpuIndex, sample }
  return next
}

/** The warnings to show at `now`: each condition seen within the hold, in a fixed order. */
export function activeWarnings(tracker: WarningTracker, now: number, holdMs = WARNING_HOLD_MS): TelemetryWarning[] {
  return (['heat', 'power', 'memory'] as const).flatMap((kind) => {
    const seen = tracker[kind]
    return seen && now - seen.lastAt <= holdMs ? [{ kind, gpuIndex: seen.gpuIndex, message: warningText(kind, seen.sample) }] : []
  })
}

/** When the first active warning runs out (to look again then), or null when none is active. */
export function nextExpiry(tracker: WarningTracker, now: number, holdMs = WARNING_HOLD_MS): number | null {
  const ends = Object.values(tracker)
    .map((seen) => seen.lastAt + holdMs)
    .filter((end) => end >= now)
  return ends.length ? Math.min(...ends) : null
}

/** What the user reads: what is happening, what it costs, what they can do. */
export function warningText(kind: WarningKind, sample: GpuSample): string {
  const gpu = `GPU ${sample.gpuIndex}`
  if (kind === 'heat') {
    const temperature = sample.temperatureC === null ? '' : ` at ${Math.round(sample.temperatureC)} °C`
    return `${gpu} is too hot${temperature} and is slowing itself down. Rendering will take longer than planned; check the fans and the airflow around the card.`
  }
  if (kind === 'power') {
    const power = sample.powerDrawW !== null && sample.powerLimitW !== null ? ` (${Math.round(sample.powerDrawW)} of ${Math.round(sample.powerLimitW)} W)` : ''
    return `${gpu} has reached its power limit${power} and lowered its clocks. Rendering will take longer than planned.`
  }
  const used = sample.memoryUsedMiB ?? 0
  const total = sample.memoryTotalMiB ?? 0
  return `${gpu} memory is nearly full: ${formatMiB(used)} of ${formatMiB(total)}, inside the ${formatMiB(vramMarginMiB(total))} the plan keeps free. If it runs out, the render retries the segment with a slower, leaner plan.`
}
