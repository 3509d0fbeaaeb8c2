// The live samples the charts draw: a bounded buffer per GPU (the oldest drop off), never an
// unbounded array. Pure, so the store's rules are unit-tested without React.
import type { GpuSample } from '../../../shared/telemetry'

/** Five minutes at the sampler's 500 ms: enough history to see a trend, small enough to redraw often. */
export const SAMPLES_KEPT = 600

export type SamplesByGpu = Readonly<Record<number, readonly GpuSample[]>>

/** `list` with `item` appended, keeping at most `capacity` items (the newest). */
export function appendBounded<T>(list: readonly T[], item: T, capacity: number): T[] {
  if (capacity < 1) throw new Error(`a sample buffer holds at least one sample, not ${capacity}`)
  const kept = list.length >= capacity ? list.slice(list.length - capacity + 1) : list
  return [...kept, item]
}

/**
 * Adds a sample to its GPU's buffer. A sample older than the newest one already held (a late line
 * from a sampler just stopped) is dropped, so each buffer's times only go forward.
 */
export function addSample(samples: SamplesByGpu, sample: GpuSample, capacity = SAMPLES_KEPT): SamplesByGpu {
  const list = samples[sample.gpuIndex] ?? []
  const newest = list.at(-1)
  if (newest && sample.time < newest.time) return samples
  return { ...samples, [sample.gpuIndex]: appendBounded(list, sample, capacity) }
}

/** The GPU to chart: the plan's when it has samples, else the lowest index that has some. */
export function chartedGpu(samples: SamplesByGpu, plannedIndex: number | null): number | null {
  if (plannedIndex !== null && samples[plannedIndex]?.length) return plannedIndex
  const indices = Object.keys(samples)
    .map(Number)
    .filter((index) => samples[index]!.length > 0)
    .sort((a, b) => a - b)
  return indices[0] ?? null
}
