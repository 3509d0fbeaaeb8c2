// One GPU of the System report: name, memory in use, driver and what the planner makes of it.
import type { ReactElement } from 'react'
import type { DoctorGpu } from '../../../../shared/doctor'
import { formatMiB } from '../../format'
import { IconChip } from '../../icons'
import { percentOf } from './systemText'

export function GpuCard({ gpu, planned }: { gpu: DoctorGpu; planned: boolean }): ReactElement {
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
