import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { doctor } from '../../src/main/doctor/doctor'
import { gpuSelection } from '../../src/main/sidecar/gpuSelection'
import { repoRoot } from '../helpers/studio'

function doctorFor(fixture: string) {
  return doctor({
    env: {
      ...process.env,
      WAN_STUDIO_NVIDIA_SMI: join(repoRoot, 'test', 'fixtures', 'nvidia-smi', 'fake-nvidia-smi.mjs'),
      FAKE_NVIDIA_SMI_CASE: fixture,
      WAN_STUDIO_RAM_MIB: String(128 * 1024)
    }
  })
}

describe('gpuSelection', () => {
  it('runs a plan on a MIG slice by showing the sidecar only that slice, as CUDA device 0', async () => {
    const report = await doctorFor('a100-40gb-mig')
    expect(report.plan?.gpuUuid).toMatch(/^MIG-/)
    const selection = gpuSelection(report.plan!)
    expect(selection.cudaVisibleDevices).toBe(report.plan!.gpuUuid)
    expect(selection.plan.gpuIndex).toBe(0)
  })

  it('addresses whole GPUs by index with every GPU visible', async () => {
    const report = await doctorFor('two-gpus')
    const selection = gpuSelection(report.plan!)
    expect(selection).toEqual({ cudaVisibleDevices: null, plan: report.plan })
    expect(selection.plan.gpuIndex).toBe(1)
  })
})
