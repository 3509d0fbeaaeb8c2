// The GPU while it works: warnings, then memory against the plan, load, temperature and power for the
// GPU the plan uses. The viewer shows it while rendering; the System tab while watching.
import { useMemo, type ReactElement } from 'react'
import { useStudio } from '../../store'
import { chartedGpu } from '../../store/telemetryBuffer'
import { chartModels } from './chartSpecs'
import { TelemetryChart } from './TelemetryChart'
import { TelemetryWarnings } from './TelemetryWarnings'
import { useCalmed, useReducedMotion } from './useReducedMotion'

/** With reduced motion the charts redraw this often instead of with every sample. */
const CALM_REDRAW_MS = 5000

/** Why there is nothing to chart, when the sampler said so. */
function SamplerProblem(): ReactElement | null {
  const sampler = useStudio((s) => s.telemetry.status?.sampler ?? null)
  if (!sampler || (sampler.state !== 'failed' && sampler.state !== 'stalled') || !sampler.message) return null
  return (
    <p className="telemetry-problem muted" data-testid="telemetry-problem">
      GPU telemetry: {sampler.message}
    </p>
  )
}

export function LiveTelemetry({ testId }: { testId: string }): ReactElement {
  const samples = useStudio((s) => s.telemetry.samples)
  const plan = useStudio((s) => s.system.snapshot?.effectivePlan.plan ?? null)
  const reduced = useReducedMotion()
  const shown = useCalmed(samples, reduced, CALM_REDRAW_MS)
  const gpuIndex = chartedGpu(shown, plan?.gpuIndex ?? null)
  // The plan's prediction belongs on its own GPU's chart only.
  const predicted = plan && plan.gpuIndex === gpuIndex ? plan.predicted.peakVramMiB : null
  const list = gpuIndex === null ? null : shown[gpuIndex]
  const models = useMemo(() => (list?.length ? chartModels(list, predicted) : []), [list, predicted])
  return (
    <section className="live-telemetry" data-testid={testId} aria-label="GPU telemetry">
      <TelemetryWarnings />
      <SamplerProblem />
      {list?.at(-1)?.mig && (
        <p className="telemetry-problem muted" data-testid="telemetry-mig">
          GPU {gpuIndex} is split into MIG slices: nvidia-smi reports the whole card, not the slice this studio renders on.
        </p>
      )}
      {gpuIndex !== null && models.length > 0 && (
        <div className="telemetry-charts">
          {models.map((model) => (
            <TelemetryChart key={model.id} model={model} gpuIndex={gpuIndex} />
          ))}
        </div>
      )}
    </section>
  )
}

/** In the viewer's progress panel: the GPU while this render runs, once samples arrive. */
export function RenderTelemetry(): ReactElement | null {
  const sampling = useStudio((s) => Object.keys(s.telemetry.samples).length > 0 || s.telemetry.status?.sampler.state === 'failed')
  return sampling ? <LiveTelemetry testId="render-telemetry" /> : null
}
