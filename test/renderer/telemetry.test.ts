// The renderer's telemetry rules: the bounded sample buffer, the held warnings, the chart summaries
// and a clip's merged summary. Pure functions with explicit times: nothing here waits.
import { describe, expect, it } from 'vitest'
import type { GpuSample, TelemetrySummary } from '../../src/shared/telemetry'
import { summariseTelemetry } from '../../src/shared/telemetry'
import { vramMarginMiB } from '../../src/shared/vramMargin'
import { addSample, appendBounded, chartedGpu } from '../../src/renderer/src/store/telemetryBuffer'
import { activeWarnings, conditionsOf, nextExpiry, observeSample, WARNING_HOLD_MS, type WarningTracker } from '../../src/renderer/src/store/telemetryWarnings'
import { chartModels } from '../../src/renderer/src/components/telemetry/chartSpecs'
import { mergeSummaries, telemetryLine } from '../../src/renderer/src/components/telemetry/clipTelemetry'

const TOTAL = 24564
function sample(time: number, change: Partial<GpuSample> = {}): GpuSample {
  return {
    time,
    gpuIndex: 0,
    memoryUsedMiB: 8000,
    memoryTotalMiB: TOTAL,
    gpuUtilization: 95,
    memoryUtilization: 40,
    temperatureC: 70,
    powerDrawW: 300,
    powerLimitW: 450,
    smClockMHz: 2520,
    throttle: [],
    pcieGeneration: 4,
    pcieWidth: 16,
    mig: false,
    ...change
  }
}

describe('sample buffer', () => {
  it('keeps the newest samples up to its capacity', () => {
    let list: number[] = []
    for (let i = 0; i < 10; i++) list = appendBounded(list, i, 4)
    expect(list).toEqual([6, 7, 8, 9])
    expect(() => appendBounded([], 1, 0)).toThrow(/at least one sample/)
  })

  it('holds one bounded buffer per GPU and drops a sample older than the newest', () => {
    let samples = {}
    for (let i = 0; i < 700; i++) samples = addSample(samples, sample(i * 500))
    samples = addSample(samples, sample(10, { gpuIndex: 1 }))
    const late = addSample(samples, sample(100))
    expect(late).toBe(samples)
    const byGpu = samples as Record<number, GpuSample[]>
    expect(byGpu[0]).toHaveLength(600)
    expect(byGpu[0]![0]!.time).toBe(100 * 500)
    expect(byGpu[1]).toHaveLength(1)
  })

  it('charts the planned GPU when it has samples, else the lowest index with some', () => {
    const samples = addSample(addSample({}, sample(1, { gpuIndex: 2 })), sample(1, { gpuIndex: 1 }))
    expect(chartedGpu(samples, 2)).toBe(2)
    expect(chartedGpu(samples, 0)).toBe(1)
    expect(chartedGpu(samples, null)).toBe(1)
    expect(chartedGpu({}, 0)).toBeNull()
  })
})

describe('warnings', () => {
  const insideMargin = Math.ceil(TOTAL - vramMarginMiB(TOTAL)) + 1

  it('tells heat, power and memory apart', () => {
    expect(conditionsOf(sample(0))).toEqual([])
    expect(conditionsOf(sample(0, { throttle: ['sw-thermal'] }))).toEqual(['heat'])
    expect(conditionsOf(sample(0, { throttle: ['power-cap', 'hw-slowdown'] }))).toEqual(['heat', 'power'])
    expect(conditionsOf(sample(0, { memoryUsedMiB: insideMargin }))).toEqual(['memory'])
    expect(conditionsOf(sample(0, { memoryUsedMiB: insideMargin - 2 }))).toEqual([])
    expect(conditionsOf(sample(0, { memoryUsedMiB: null }))).toEqual([])
  })

  it('shows a warning from its first sample and holds it after the last, without flickering', () => {
    let tracker: WarningTracker = {}
    const times = [0, 500, 1000, 1500, 2000]
    // Throttling on, off, on, off, off: the warning never goes away in between.
    const throttled = [true, false, true, false, false]
    const shown: boolean[] = []
    times.forEach((time, index) => {
      tracker = observeSample(tracker, sample(time, { throttle: throttled[index] ? ['power-cap'] : [] }))
      shown.push(activeWarnings(tracker, time).length > 0)
    })
    expect(shown).toEqual([true, true, true, true, true])
    expect(activeWarnings(tracker, 1000 + WARNING_HOLD_MS)).toHaveLength(1)
    expect(activeWarnings(tracker, 1001 + WARNING_HOLD_MS)).toEqual([])
    expect(nextExpiry(tracker, 2000)).toBe(1000 + WARNING_HOLD_MS)
    expect(nextExpiry(tracker, 1001 + WARNING_HOLD_MS)).toBeNull()
  })

  it('words each warning for a user', () => {
    const tracker = observeSample({}, sample(0, { throttle: ['hw-thermal', 'power-cap'], temperatureC: 88, powerDrawW: 449, memoryUsedMiB: insideMargin }))
    const messages = activeWarnings(tracker, 0).map((warning) => warning.message)
    expect(messages).toHaveLength(3)
    expect(messages[0]).toMatch(/GPU 0 is too hot at 88 °C and is slowing itself down/)
    expect(messages[1]).toMatch(/power limit \(449 of 450 W\)/)
    expect(messages[2]).toMatch(/memory is nearly full: 21\.6 GiB of 24\.0 GiB, inside the 2\.4 GiB the plan keeps free/)
  })
})

describe('chart models', () => {
  it('draws memory against the predicted peak and the margin, power against its limit, with summaries', () => {
    const samples = [sample(1000, { memoryUsedMiB: 4096 }), sample(1500, { memoryUsedMiB: 10240, powerDrawW: 420 }), sample(2000, { memoryUsedMiB: 9216 })]
    const [memory, load, temperature, power] = chartModels(samples, 12288)
    expect(memory!.times).toEqual([1, 1.5, 2])
    expect(memory!.lines.map((line) => line.label)).toEqual(['used', 'plan’s predicted peak', 'safety margin starts'])
    expect(memory!.lines[1]!.values).toEqual([12, 12, 12])
    expect(memory!.summary).toBe('9.0 GiB used now, peak 10.0 GiB; the plan predicts 12.0 GiB; margin from 21.6 GiB of 24.0 GiB')
    expect(load!.summary).toBe('95 % now, peak 95 %')
    expect(temperature!.summary).toBe('70 °C now, peak 70 °C')
    expect(power!.summary).toBe('300 W now, peak 420 W of a 450 W limit')
    expect(power!.lines[1]!.values).toEqual([450, 450, 450])
  })

  it('breaks the lines where sampling paused, instead of bridging the pause', () => {
    const [memory, load] = chartModels([sample(1000), sample(1500), sample(60_000, { gpuUtilization: 50 })], null)
    expect(memory!.times).toEqual([1, 1.5, 1.501, 60])
    expect(load!.lines[0]!.values).toEqual([95, 95, null, 50])
    expect(memory!.lines[1]!.values).toHaveLength(4)
  })

  it('leaves out what nvidia-smi did not report', () => {
    const [memory, , , power] = chartModels([sample(0, { memoryTotalMiB: null, powerLimitW: null, powerDrawW: null })], null)
    expect(memory!.lines.map((line) => line.label)).toEqual(['used'])
    expect(power!.summary).toBe('– now, peak –')
  })
})

describe('a clip’s summary', () => {
  const summary = (samples: GpuSample[]): TelemetrySummary => summariseTelemetry(samples, 500, null)

  it('merges its shots: peaks of peaks, means weighted by samples, throttled time added', () => {
    const first = summary([sample(0, { gpuUtilization: 100 }), sample(500, { gpuUtilization: 100, throttle: ['power-cap'] })])
    const second = summary([sample(0, { gpuUtilization: 40, memoryUsedMiB: 20000, temperatureC: 81 })])
    const merged = mergeSummaries([first, second])!
    expect(merged.samples).toBe(3)
    expect(merged.meanGpuUtilization).toBe(80)
    expect(merged.peakMemoryUsedMiB).toBe(20000)
    expect(merged.peakTemperatureC).toBe(81)
    expect(merged.throttledSeconds).toBe(0.5)
    expect(merged.throttleReasons).toEqual(['power-cap'])
    expect(telemetryLine(merged)).toBe('throttled 0.5 s · peak 19.5 GiB · 80% load')
    expect(mergeSummaries([])).toBeNull()
    expect(telemetryLine(summary([]))).toBeNull()
  })
})
