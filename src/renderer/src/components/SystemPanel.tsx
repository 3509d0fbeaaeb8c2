// The System tab: the engine checklist, then the System report (the system snapshot's doctor): GPUs, driver, RAM,
// warnings, the plan the real engine will use (or why it can't run) with the form that pins
// choices over it, and per-model verdicts.
import type { ReactElement } from 'react'
import type { DoctorGpu, DoctorReport, ModelVerdict } from '../../../shared/doctor'
import type { EffectivePlanInfo } from '../../../shared/ipc'
import type { Plan } from '../../../shared/plan'
import { formatCheckedAt, formatDuration, formatMiB } from '../format'
import { IconChip, IconRefresh, IconWarning } from '../icons'
import { useStudio } from '../store'
import { EngineSection } from './EngineSection'
import { PlanOverrideForm } from './PlanOverrideForm'
import { RefreshButton } from './RefreshButton'

const modelText: Record<Plan['model'], string> = { 't2v-a14b': 'Wan2.2 T2V-A14B', 'ti2v-5b': 'Wan2.2 TI2V-5B' }
const precisionText: Record<Plan['precision'], string> = { bf16: 'bf16', fp8: 'fp8 weights', int8: 'int8 weights' }
const expertsText: Record<Plan['placement']['experts'], string> = {
  resident: 'all on the GPU',
  swap: 'active expert on the GPU, the other in RAM',
  stream: 'blocks streamed from RAM'
}
const verdictText: Record<ModelVerdict['verdict'], string> = { ok: 'runs', slow: 'slow', 'wont-fit': 'won’t fit' }
/** Native frame rate of each model, for "81 frames (5.1 s)". */
const modelFps: Record<Plan['model'], number> = { 't2v-a14b': 16, 'ti2v-5b': 24 }

function percentOf(part: number | null, whole: number | null): number | null {
  if (part === null || whole === null || whole <= 0) return null
  return Math.round((part / whole) * 100)
}

function GpuCard({ gpu, planned }: { gpu: DoctorGpu; planned: boolean }): ReactElement {
  const used = gpu.memoryTotalMiB !== null && gpu.memoryFreeMiB !== null ? gpu.memoryTotalMiB - gpu.memoryFreeMiB : null
  const usedPercent = percentOf(used, gpu.memoryTotalMiB)
  return (
    <section className="card" data-testid="system-gpu" data-gpu-index={gpu.index}>
      <h3 className="card-title">
        <IconChip size={13} />
        GPU {gpu.index}
        {planned && (
          <span className="badge badge-wan" title="The plan below is for this GPU">
            planned
          </span>
        )}
      </h3>
      <div className="gpu-name">
        {gpu.name}
        {gpu.knownAs && gpu.knownAs !== gpu.name && <span className="muted"> · {gpu.knownAs}</span>}
      </div>
      <dl className="kv">
        <dt>VRAM</dt>
        <dd>
          <span className="mono">{formatMiB(gpu.memoryFreeMiB)}</span> free of <span className="mono">{formatMiB(gpu.memoryTotalMiB)}</span>
          {usedPercent !== null && (
            <div className="meter" title={`${usedPercent}% in use`}>
              <div className={`meter-fill ${usedPercent > 80 ? 'is-high' : ''}`} style={{ width: `${usedPercent}%` }} />
            </div>
          )}
        </dd>
        <dt>Compute capability</dt>
        <dd className="mono">{gpu.computeCapability ?? 'unknown'}</dd>
        <dt>PCIe</dt>
        <dd>
          {gpu.pcieGenMax !== null || gpu.pcieWidthMax !== null
            ? `Gen ${gpu.pcieGenMax ?? '?'} x${gpu.pcieWidthMax ?? '?'}`
            : 'unknown'}
        </dd>
        {gpu.memoryBandwidthGBps !== null && (
          <>
            <dt>Memory bandwidth</dt>
            <dd>{Math.round(gpu.memoryBandwidthGBps).toLocaleString()} GB/s</dd>
          </>
        )}
        {gpu.bf16Tflops !== null && (
          <>
            <dt>bf16 compute</dt>
            <dd>{Math.round(gpu.bf16Tflops).toLocaleString()} TFLOPS</dd>
          </>
        )}
        <dt>MIG</dt>
        <dd>
          {gpu.migEnabled
            ? gpu.migDevices.length > 0
              ? gpu.migDevices.map((mig) => `${mig.profile}${mig.memoryMiB !== null ? ` (${formatMiB(mig.memoryMiB)})` : ''}`).join(', ')
              : 'enabled, no instances'
            : 'off'}
        </dd>
        {gpu.uuid && (
          <>
            <dt>UUID</dt>
            <dd className="mono value uuid">{gpu.uuid}</dd>
          </>
        )}
      </dl>
    </section>
  )
}

function PlanDetails({ plan, report }: { plan: Plan; report: DoctorReport }): ReactElement {
  const gpu = report.gpus.find((g) => g.index === plan.gpuIndex) ?? null
  const vramPercent = percentOf(plan.predicted.peakVramMiB, gpu?.memoryTotalMiB ?? null)
  const ramPercent = percentOf(plan.predicted.peakRamMiB, report.ramTotalMiB)
  const segmentSeconds = plan.segmentFrames / modelFps[plan.model]
  return (
    <>
      <div className="plan-figures">
        <div className="figure">
          <div className="figure-label">Peak VRAM</div>
          <div className="figure-value">{formatMiB(plan.predicted.peakVramMiB)}</div>
          <div className="figure-sub">
            {vramPercent !== null ? `${vramPercent}% of GPU ${plan.gpuIndex}` : `GPU ${plan.gpuIndex}`}
          </div>
        </div>
        <div className="figure">
          <div className="figure-label">Peak RAM</div>
          <div className="figure-value">{formatMiB(plan.predicted.peakRamMiB)}</div>
          <div className="figure-sub">{ramPercent !== null ? `${ramPercent}% of ${formatMiB(report.ramTotalMiB)}` : '–'}</div>
        </div>
        <div className="figure">
          <div className="figure-label">Per segment</div>
          <div className="figure-value">{formatDuration(plan.predicted.secondsPerSegment)}</div>
          <div className="figure-sub">
            {plan.segmentFrames} frames ({segmentSeconds.toFixed(1)} s of video)
          </div>
        </div>
      </div>
      <dl className="kv">
        <dt>Precision</dt>
        <dd>{precisionText[plan.precision]}</dd>
        <dt>Experts</dt>
        <dd>{expertsText[plan.placement.experts]}</dd>
        <dt>Text encoder</dt>
        <dd>{plan.placement.textEncoder === 'gpu' ? 'on the GPU' : 'on the CPU'}</dd>
        <dt>VAE tiling</dt>
        <dd>{plan.placement.vaeTiling ? 'on' : 'off'}</dd>
        <dt>Frame size</dt>
        <dd className="mono">
          {plan.width}×{plan.height}
        </dd>
      </dl>
      {plan.reasons.length > 0 && (
        <>
          <h4 className="card-subtitle">Why</h4>
          <ul className="reason-list">
            {plan.reasons.map((reason, i) => (
              <li key={i}>{reason}</li>
            ))}
          </ul>
        </>
      )}
    </>
  )
}

/** Why a pinned plan may not run here: each warning starts "Won't fit:" or "Tight:". */
function OverrideWarnings({ warnings }: { warnings: string[] }): ReactElement {
  return (
    <div className="override-warnings" role="alert" data-testid="override-warnings">
      <div className="override-warnings-title">
        <IconWarning size={15} />
        Your pinned plan may not run on this machine
      </div>
      <ul>
        {warnings.map((warning, i) => (
          <li key={i}>{warning}</li>
        ))}
      </ul>
    </div>
  )
}

/** The plan the real engine will use: the planner's, with the user's pinned choices on top. */
function PlanCard({ report, effective }: { report: DoctorReport; effective: EffectivePlanInfo }): ReactElement | null {
  const plan = effective.plan
  const pinned = effective.overridden
  // Without a plan there is nothing to adjust, unless pinned choices are what ruled it out.
  if (!plan && !pinned) return null
  return (
    <section className="card card-wide" data-testid="system-plan">
      <h3 className="card-title">
        Render plan
        <span className="card-title-aside">
          <span
            className={`badge ${pinned ? 'badge-pinned' : 'badge-automatic'}`}
            data-testid="plan-mode"
            title={pinned ? 'Your pinned choices, with the planner’s for the rest' : 'Chosen by the planner for this machine'}
          >
            {pinned ? 'pinned' : 'automatic'}
          </span>
          {plan && <span className="badge badge-wan">{modelText[plan.model]}</span>}
        </span>
      </h3>
      {effective.warnings.length > 0 && <OverrideWarnings warnings={effective.warnings} />}
      <div data-testid="effective-plan" data-pinned={pinned}>
        {plan ? (
          <PlanDetails plan={plan} report={report} />
        ) : (
          <p className="plan-refusal">No plan fits with your pinned choices: {effective.refusal ?? 'the planner gave no reason'}</p>
        )}
      </div>
      <PlanOverrideForm planInEffect={plan} />
    </section>
  )
}

function Verdicts({ verdicts }: { verdicts: ModelVerdict[] }): ReactElement {
  return (
    <section className="card card-wide" data-testid="system-verdicts">
      <h3 className="card-title">What this machine can render</h3>
      <table className="verdicts">
        <tbody>
          {verdicts.map((v) => (
            <tr key={v.job}>
              <td className="verdict-label">{v.label}</td>
              <td>
                <span className={`verdict verdict-${v.verdict}`}>{verdictText[v.verdict]}</span>
              </td>
              <td className="verdict-time mono">{v.secondsPerClip !== null ? formatDuration(v.secondsPerClip) : '–'}</td>
              <td className="verdict-sentence">{v.sentence}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}

function Report({ report, effective }: { report: DoctorReport; effective: EffectivePlanInfo }): ReactElement {
  const plannedIndex = report.plan?.gpuIndex ?? report.report.gpuIndex
  return (
    <div className="system-grid">
      {report.error && !(report.refusal ?? '').includes(report.error) && (
        <section className="card card-wide refusal" data-testid="system-probe-error">
          <h3 className="card-title">
            <IconWarning size={13} /> GPU probe
          </h3>
          <p>{report.error}</p>
        </section>
      )}
      {report.refusal !== null && (
        <section className="card card-wide refusal" data-testid="system-refusal">
          <h3 className="card-title">
            <IconWarning size={13} /> Wan2.2 can’t run on this machine
          </h3>
          <p>{report.refusal}</p>
          {!/synthetic/i.test(report.refusal) && <p className="muted">The synthetic engine still renders test clips.</p>}
        </section>
      )}
      {report.gpus.map((gpu) => (
        <GpuCard key={gpu.uuid ?? gpu.index} gpu={gpu} planned={gpu.index === plannedIndex} />
      ))}
      <section className="card" data-testid="system-machine">
        <h3 className="card-title">Machine</h3>
        <dl className="kv">
          <dt>NVIDIA driver</dt>
          <dd className="mono">{report.driverVersion ?? 'not found'}</dd>
          <dt>CUDA (driver)</dt>
          <dd className="mono">{report.cudaVersion ?? 'unknown'}</dd>
          <dt>RAM</dt>
          <dd className="mono">{formatMiB(report.ramTotalMiB)}</dd>
          <dt>GPUs</dt>
          <dd>{report.gpus.length === 0 ? 'none detected' : report.gpus.length}</dd>
        </dl>
      </section>
      {report.warnings.length > 0 && (
        <section className="card card-wide" data-testid="system-warnings">
          <h3 className="card-title">Warnings</h3>
          <ul className="warning-list">
            {report.warnings.map((warning, i) => (
              <li key={i}>
                <IconWarning size={14} />
                <span>{warning}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      <PlanCard report={report} effective={effective} />
      {report.report.verdicts.length > 0 && <Verdicts verdicts={report.report.verdicts} />}
    </div>
  )
}

export function SystemPanel(): ReactElement {
  const system = useStudio((s) => s.system)
  const refreshSystem = useStudio((s) => s.refreshSystem)
  const loading = system.status === 'loading'
  const snapshot = system.snapshot
  return (
    <div className="system-panel" data-testid="system-panel" aria-busy={loading}>
      <div className="system-toolbar">
        <h2>System</h2>
        <span className="system-checked">
          {loading ? 'Checking GPUs, driver and memory…' : snapshot ? formatCheckedAt(snapshot.takenAt) : ''}
        </span>
        <span className="spacer" />
        <RefreshButton testId="system-refresh" loading={loading} onRefresh={() => void refreshSystem()} />
      </div>
      {system.status === 'error' && (
        <div className="inline-error" role="alert" data-testid="system-error">
          The system check failed: {system.error}
        </div>
      )}
      <EngineSection />
      {snapshot ? (
        <Report report={snapshot.doctor} effective={snapshot.effectivePlan} />
      ) : (
        system.status !== 'error' && (
          <div className="system-empty">
            <IconRefresh size={26} className="spin" />
            Checking GPUs, driver and memory…
          </div>
        )
      )}
    </div>
  )
}
