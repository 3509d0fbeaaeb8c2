// GPU records as the doctor reports them, for planner tests: real nvidia-smi names and sizes.
import type { DoctorGpu } from '../../src/shared/doctor'
import { toDoctorGpu } from '../../src/main/gpu/nvidiaSmi'

export const RAM_128_GB = 128 * 1024

export type GpuFacts = {
  name: string
  totalMiB: number
  freeMiB: number
  computeCapability: string
  pcieGen?: number
  pcieWidth?: number
  index?: number
}

export function gpu({ name, totalMiB, freeMiB, computeCapability, pcieGen = 4, pcieWidth = 16, index = 0 }: GpuFacts): DoctorGpu {
  return toDoctorGpu(
    {
      index: String(index),
      uuid: `GPU-test-${index}`,
      name,
      'memory.total': String(totalMiB),
      'memory.free': String(freeMiB),
      compute_cap: computeCapability,
      'pcie.link.gen.max': String(pcieGen),
      'pcie.link.width.max': String(pcieWidth),
      'mig.mode.current': null,
      driver_version: '550.54.15'
    },
    []
  )
}

/** Free memory as nvidia-smi shows it on an idle machine (a few hundred MiB of driver reserve and desktop). */
export const CARDS = {
  h200: gpu({ name: 'NVIDIA H200', totalMiB: 143771, freeMiB: 143179, computeCapability: '9.0', pcieGen: 5 }),
  h100: gpu({ name: 'NVIDIA H100 80GB HBM3', totalMiB: 81559, freeMiB: 81004, computeCapability: '9.0', pcieGen: 5 }),
  a100: gpu({ name: 'NVIDIA A100-SXM4-80GB', totalMiB: 81920, freeMiB: 81050, computeCapability: '8.0' }),
  l40s: gpu({ name: 'NVIDIA L40S', totalMiB: 46068, freeMiB: 45485, computeCapability: '8.9' }),
  rtx5090: gpu({ name: 'NVIDIA GeForce RTX 5090', totalMiB: 32607, freeMiB: 31927, computeCapability: '12.0', pcieGen: 5 }),
  rtx4090: gpu({ name: 'NVIDIA GeForce RTX 4090', totalMiB: 24564, freeMiB: 23563, computeCapability: '8.9' }),
  rtx3090: gpu({ name: 'NVIDIA GeForce RTX 3090', totalMiB: 24576, freeMiB: 24231, computeCapability: '8.6' }),
  rtx4080: gpu({ name: 'NVIDIA GeForce RTX 4080', totalMiB: 16376, freeMiB: 15901, computeCapability: '8.9' }),
  rtx3060: gpu({ name: 'NVIDIA GeForce RTX 3060', totalMiB: 12288, freeMiB: 11824, computeCapability: '8.6' }),
  t4: gpu({ name: 'Tesla T4', totalMiB: 15360, freeMiB: 14913, computeCapability: '7.5', pcieGen: 3 }),
  rtx3070: gpu({ name: 'NVIDIA GeForce RTX 3070', totalMiB: 8192, freeMiB: 7793, computeCapability: '8.6' }),
  rtx4060: gpu({ name: 'NVIDIA GeForce RTX 4060', totalMiB: 8188, freeMiB: 7821, computeCapability: '8.9' })
} satisfies Record<string, DoctorGpu>

export const REQUEST_720P = { width: 1280, height: 720, frames: 81, weightsPresent: true }
