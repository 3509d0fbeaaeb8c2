// What each live chart draws and says: its lines from the samples (plus the plan's predicted peak and
// the limits as flat lines), its value range, and the text summary beside it. Pure, no uPlot here.
import type { GpuSample } from '../../../../shared/telemetry'
import { vramMarginMiB } from '../../../../shared/vramMargin'
import { formatMiB } from '../../format'

export type ChartId = 'memory' | 'load' | 'temperature' | 'power'

/** A line: its label and colour token (a custom property of tokens.css), dashed for limits. */
export type Line = { label: string; colour: string; dashed?: boolean; values: (number | null)[] }

export type ChartModel = {
  id: ChartId
  title: string
  unit: string
  /** Seconds since the epoch, one per sample. */
  times: number[]
  lines: Line[]
  range: [number, number]
  /** The text beside the chart (and its accessible name): current value, peak, the limit. */
  summary: string
}

const GIB = 1024
const pick = (samples: readonly GpuSample[], value: (sample: GpuSample) => number | null): (number | null)[] => samples.map(value)
const numbers = (values: (number | null)[]): number[] => values.filter((value): value is number => value !== null)
const peakOf = (values: (number | null)[]): number | null => {
  const present = numbers(values)
  return present.length ? Math.max(...present) : null
}
const latest = (values: (number | null)[]): number | null => numbers(values).at(-1) ?? null
const flat = (samples: readonly GpuSample[], value: number | null): (number | null)[] => samples.map(() => value)
const round = (value: number | null, unit: string): string => (value === null ? '–' : `${Math.round(value)} ${unit}`)

/** A pause longer than this between samples (sampling stopped, then resumed) breaks the lines. */
const GAP_MS = 3000

/**
 * The samples with a break (a sample of nothing) wherever sampling paused, so a line never bridges
 * the time between one render or watch and the next.
 */
function withBreaks(samples: readonly GpuSample[]): GpuSample[] {
  return samples.flatMap((sample, index) => {
    const previous = samples[index - 1]
    if (!previous || sample.time - previous.time <= GAP_MS) return [sample]
    const nothing: GpuSample = { ...previous, time: previous.time + 1, memoryUsedMiB: null, gpuUtilization: null, temperatureC: null, powerDrawW: null }
    return [nothing, sample]
  })
}

/** The four charts for one GPU's samples; `predictedPeakMiB` is the plan's, when there is one. */
export function chartModels(sampled: readonly GpuSample[], predictedPeakMiB: number | null): ChartModel[] {
  const samples = withBreaks(sampled)
  const times = samples.map((sample) => sample.time / 1000)
  const totalMiB = latest(pick(samples, (sample) => sample.memoryTotalMiB))

  const usedGiB = pick(samples, (sample) => (sample.memoryUsedMiB === null ? null : sample.memoryUsedMiB / GIB))
  const usedPeakMiB = peakOf(pick(samples, (sample) => sample.memoryUsedMiB))
  const usedNowMiB = latest(pick(samples, (sample) => sample.memoryUsedMiB))
  const marginLineMiB = totalMiB === null ? null : totalMiB - vramMarginMiB(totalMiB)
  const memoryLines: Line[] = [{ label: 'used', colour: 'chart-memory', values: usedGiB }]
  if (predictedPeakMiB !== null) memoryLines.push({ label: 'plan’s predicted peak', colour: 'chart-predicted', dashed: true, values: flat(samples, predictedPeakMiB / GIB) })
  if (marginLineMiB !== null) memoryLines.push({ label: 'safety margin starts', colour: 'chart-limit', dashed: true, values: flat(samples, marginLineMiB / GIB) })
  const memory: ChartModel = {
    id: 'memory',
    title: 'Memory',
    unit: 'GiB',
    times,
    lines: memoryLines,
    range: [0, Math.max(totalMiB ?? 0, usedPeakMiB ?? 0, predictedPeakMiB ?? 0, GIB) / GIB],
    summary:
      `${formatMiB(usedNowMiB)} used now, peak ${formatMiB(usedPeakMiB)}` +
      (predictedPeakMiB !== null ? `; the plan predicts ${formatMiB(predictedPeakMiB)}` : '') +
      (marginLineMiB !== null && totalMiB !== null ? `; margin from ${formatMiB(marginLineMiB)} of ${formatMiB(totalMiB)}` : '')
  }

  const utilization = pick(samples, (sample) => sample.gpuUtilization)
  const load: ChartModel = {
    id: 'load',
    title: 'GPU load',
    unit: '%',
    times,
    lines: [{ label: 'load', colour: 'chart-load', values: utilization }],
    range: [0, 100],
    summary: `${round(latest(utilization), '%')} now, peak ${round(peakOf(utilization), '%')}`
  }

  const temperatures = pick(samples, (sample) => sample.temperatureC)
  const hottest = peakOf(temperatures)
  const temperature: ChartModel = {
    id: 'temperature',
    title: 'Temperature',
    unit: '°C',
    times,
    lines: [{ label: 'temperature', colour: 'chart-temperature', values: temperatures }],
    range: [20, Math.max(100, (hottest ?? 0) + 5)],
    summary: `${round(latest(temperatures), '°C')} now, peak ${round(hottest, '°C')}`
  }

  const draws = pick(samples, (sample) => sample.powerDrawW)
  const limit = latest(pick(samples, (sample) => sample.powerLimitW))
  const drawPeak = peakOf(draws)
  const powerLines: Line[] = [{ label: 'draw', colour: 'chart-power', values: draws }]
  if (limit !== null) powerLines.push({ label: 'power limit', colour: 'chart-limit', dashed: true, values: flat(samples, limit) })
  const power: ChartModel = {
    id: 'power',
    title: 'Power',
    unit: 'W',
    times,
    lines: powerLines,
    range: [0, Math.max(limit ?? 0, drawPeak ?? 0, 50) * 1.1],
    summary: `${round(latest(draws), 'W')} now, peak ${round(drawPeak, 'W')}` + (limit !== null ? ` of a ${round(limit, 'W')} limit` : '')
  }

  return [memory, load, temperature, power]
}
