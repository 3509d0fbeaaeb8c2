// Live GPU telemetry: the samples the charts draw (a bounded buffer per GPU), the warnings they
// raise, and where sampling and the metrics endpoint stand (the System tab's Watch GPU and setting).
import type { StateCreator } from 'zustand'
import type { MetricsSettings } from '../../../shared/settings'
import type { GpuSample, TelemetryStatus } from '../../../shared/telemetry'
import { call, errorMessage } from '../api'
import type { Studio } from './index'
import { addSample, type SamplesByGpu } from './telemetryBuffer'
import { observeSample, type WarningTracker } from './telemetryWarnings'

export type TelemetryState = {
  samples: SamplesByGpu
  warnings: WarningTracker
  /** Main's telemetry status; null until the first answer. */
  status: TelemetryStatus | null
  /** A Watch GPU or metrics change in flight. */
  busy: Change | null
  /** Why the last change of each kind failed, shown next to its control. */
  errors: Record<Change, string | null>
}

type Change = 'watch' | 'metrics'

export type TelemetrySlice = {
  telemetry: TelemetryState
  loadTelemetry: () => Promise<void>
  onGpuSample: (sample: GpuSample) => void
  onTelemetryStatus: (status: TelemetryStatus) => void
  /** Starts or stops sampling outside a job. */
  watchGpu: (watch: boolean) => Promise<void>
  /** Saves the metrics endpoint's setting; main applies it at once. */
  saveMetrics: (metrics: MetricsSettings) => Promise<void>
}

export const createTelemetrySlice: StateCreator<Studio, [], [], TelemetrySlice> = (set, get) => {
  const update = (change: Partial<TelemetryState>): void => set((s) => ({ telemetry: { ...s.telemetry, ...change } }))

  /** Runs one change at a time; its failure shows next to the control that made it. */
  const change = async (busy: Change, run: () => Promise<void>): Promise<void> => {
    if (get().telemetry.busy) return
    const errors = (message: string | null): TelemetryState['errors'] => ({ ...get().telemetry.errors, [busy]: message })
    update({ busy, errors: errors(null) })
    try {
      await run()
      update({ busy: null })
    } catch (error) {
      update({ busy: null, errors: errors(errorMessage(error)) })
    }
  }

  return {
    telemetry: { samples: {}, warnings: {}, status: null, busy: null, errors: { watch: null, metrics: null } },
    loadTelemetry: async () => {
      try {
        update({ status: await call('system', 'telemetry') })
      } catch (error) {
        update({ errors: { ...get().telemetry.errors, watch: `Could not read the telemetry state: ${errorMessage(error)}` } })
      }
    },
    onGpuSample: (sample) =>
      set((s) => ({ telemetry: { ...s.telemetry, samples: addSample(s.telemetry.samples, sample), warnings: observeSample(s.telemetry.warnings, sample) } })),
    onTelemetryStatus: (status) => update({ status }),
    watchGpu: (watch) => change('watch', async () => update({ status: await call('system', 'watchGpu', { watch }) })),
    saveMetrics: (metrics) =>
      change('metrics', async () => {
        const settings = await call('system', 'updateSettings', { metrics })
        set((s) => {
          const snapshot = s.system.snapshot
          return snapshot ? { system: { ...s.system, snapshot: { ...snapshot, settings } } } : s
        })
        update({ status: await call('system', 'telemetry') })
      })
  }
}
