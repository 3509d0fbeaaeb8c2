// The System tab: the engine checklist, then the System report (the system snapshot's doctor): GPUs, driver, RAM,
// warnings, the plan the real engine will use (or why it can't run) with the form that pins
// choices over it, the live GPU telemetry with Watch GPU and the metrics setting, and per-model verdicts.
import type { ReactElement } from 'react'
import type { DoctorReport } from '../../../shared/doctor'
import type { EffectivePlanInfo } from '../../../shared/ipc'
import { formatCheckedAt, formatMiB } from '../format'
import { IconRefresh, IconWarning } from '../icons'
import { useStudio } from '../store'
import { EngineSection } from './EngineSection'
import { RefreshButton } from './RefreshButton'
import { GpuCard } from './system/GpuCard'
import { HelperModelsCard } from './system/HelperModelsCard'
import { PlanCard } from './system/PlanCard'
import { TelemetryCard } from './system/TelemetryCard'
import { Verdicts } from './system/Verdicts'

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
      <TelemetryCard />
      {report.report.verdicts.length > 0 && <Verdicts verdicts={report.report.verdicts} />}
      <HelperModelsCard />
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
