// What the planner knows about one GPU: the memory it may use and how fast it runs, from the
// doctor's record plus the known-GPU table.
import type { DoctorGpu } from '../../shared/doctor'
import { estimateGpu, findKnownGpu, type GpuArchitecture } from '../../shared/knownGpus'
import type { GpuSpeed } from './costModel'

/**
 * Share of the bf16 rate the Wan transformer reaches, fitted so the time model reproduces the
 * official single-GPU runs (docs/planner.md): H100 T2V-A14B 720p 1041.5 s, A100 2735.7 s, RTX 4090
 * TI2V-5B 720p 534.7 s. Architectures without an official run borrow a neighbour's figure.
 */
export const EFFICIENCY: Record<GpuArchitecture, number> = {
  hopper: 0.51,
  ampere: 0.62,
  ada: 0.71,
  blackwell: 0.62,
  turing: 0.5,
  volta: 0.5
}

/** A GPU missing from the table whose compute capability isn't reported either: assumed modest, so its times err long. */
const UNKNOWN_GPU = { bf16Tflops: 20, memoryBandwidthGBps: 300 }
/** nvidia-smi's link generation -> GB/s per lane, each direction (after line coding). */
const PCIE_GBPS_PER_LANE: Record<number, number> = { 1: 0.25, 2: 0.5, 3: 0.985, 4: 1.969, 5: 3.938, 6: 7.563 }
const ASSUMED_PCIE = { gen: 4, width: 16 }

export type GpuProfile = {
  index: number
  /** The GPU's UUID, or its MIG slice's when the plan runs on one. */
  uuid: string | null
  name: string
  totalMiB: number
  freeMiB: number
  computeCapability: number | null
  known: boolean
  speed: GpuSpeed
  /** Facts the plan's reasons repeat: assumptions made, the MIG slice used. */
  notes: string[]
}

/** A profile, or why CUDA can't use this GPU at all. */
export function gpuProfile(gpu: DoctorGpu): GpuProfile | { unusable: string } {
  if (gpu.memoryTotalMiB === null || gpu.memoryFreeMiB === null) {
    return { unusable: `GPU ${gpu.index} (${gpu.name}): nvidia-smi doesn't report its memory, so no plan can be checked against it` }
  }
  const known = findKnownGpu(gpu.name, gpu.memoryTotalMiB)
  const computeCapability = gpu.computeCapability === null ? null : Number(gpu.computeCapability)
  const notes: string[] = []
  // Unlisted: a typical card of its architecture (from the compute capability) and memory class.
  const estimated = !known && computeCapability !== null ? estimateGpu(computeCapability, gpu.memoryTotalMiB) : null
  const figures = known ?? estimated ?? UNKNOWN_GPU
  const architecture = known?.architecture ?? estimated?.architecture ?? null
  if (estimated) {
    notes.push(
      `${gpu.name} isn't in the known-GPU table: compute ${gpu.computeCapability} (${estimated.architecture}) with ${Math.round(gpu.memoryTotalMiB / 1024)} GiB ` +
        `is taken to run like the ${estimated.like} (${estimated.bf16Tflops} bf16 TFLOPS, ${estimated.memoryBandwidthGBps.toLocaleString('en-US')} GB/s).`
    )
  } else if (!known) {
    notes.push(`${gpu.name} isn't in the known-GPU table and its compute capability isn't reported: the times assume a modest ${UNKNOWN_GPU.bf16Tflops} bf16 TFLOPS.`)
  }

  let { memoryTotalMiB: totalMiB, memoryFreeMiB: freeMiB, uuid } = gpu
  let computeShare = 1
  if (gpu.migEnabled) {
    const slice = [...gpu.migDevices].sort((a, b) => (b.memoryMiB ?? 0) - (a.memoryMiB ?? 0))[0]
    if (!slice?.memoryMiB) {
      return { unusable: `GPU ${gpu.index} (${gpu.name}) is in MIG mode with no MIG slice CUDA could use` }
    }
    // A "3g.40gb" slice has 3 of the GPU's 7 compute slices and 40 GB; its free memory isn't
    // reported, so take all of it and let the margin absorb the slice's own overhead.
    totalMiB = freeMiB = slice.memoryMiB
    uuid = slice.uuid
    computeShare = Number(/^(\d+)g\./.exec(slice.profile)?.[1] ?? 7) / 7
    notes.push(`GPU ${gpu.index} is in MIG mode: the plan uses its largest slice, ${slice.profile} (${slice.uuid}).`)
  }

  const gen = gpu.pcieGenMax ?? ASSUMED_PCIE.gen
  const width = gpu.pcieWidthMax ?? ASSUMED_PCIE.width
  if (gpu.pcieGenMax === null || gpu.pcieWidthMax === null) notes.push(`The PCIe link isn't reported: assumed PCIe ${ASSUMED_PCIE.gen}.0 x${ASSUMED_PCIE.width}.`)
  return {
    index: gpu.index,
    uuid,
    name: gpu.name,
    totalMiB,
    freeMiB,
    computeCapability,
    known: known !== null,
    speed: {
      architecture,
      bf16Tflops: figures.bf16Tflops * computeShare,
      fp16Tflops: (known?.fp16Tflops ?? estimated?.fp16Tflops ?? figures.bf16Tflops) * computeShare,
      efficiency: architecture === null ? EFFICIENCY.turing : EFFICIENCY[architecture],
      memoryBandwidthGBps: figures.memoryBandwidthGBps,
      pcieGBps: (PCIE_GBPS_PER_LANE[gen] ?? PCIE_GBPS_PER_LANE[ASSUMED_PCIE.gen]!) * width,
      fp8Native: computeCapability !== null && computeCapability >= 8.9
    },
    notes
  }
}
