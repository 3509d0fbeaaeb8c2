// GPUs the planner knows by name: what nvidia-smi doesn't say (memory bandwidth, bf16 matmul rate)
// and what old drivers don't say (compute capability).
//
// bf16Tflops is the dense bf16 tensor-core rate with fp32 accumulate: what PyTorch's bf16 matmuls
// and attention use. Data-centre and workstation cards run fp32 accumulate at full rate, so it is
// the datasheet's sparse figure halved. GeForce cards run it at half the fp16-accumulate rate; their
// figures come from NVIDIA's architecture whitepapers (GA102, AD102, GB202 appendices) or, marked
// "derived", from tensor cores x boost clock x 128 FLOP per clock, the rule those whitepapers follow.
// Before compute capability 8.0 there are no bf16 tensor cores: bf16 falls back to the CUDA cores,
// so those rows carry the FP32 rate and say so.
// Bandwidths are the datasheet / whitepaper memory bandwidths.

export type GpuArchitecture = 'volta' | 'turing' | 'ampere' | 'ada' | 'hopper' | 'blackwell'

export type KnownGpu = {
  id: string
  label: string
  /** Matches the name as normalizeGpuName() writes it. */
  pattern: RegExp
  /** Variants that share a name but not a memory size (and so not a bandwidth). */
  memoryMiB?: { min?: number; max?: number }
  computeCapability: string
  architecture: GpuArchitecture
  memoryBandwidthGBps: number
  bf16Tflops: number
  /** Where the figures come from, for anyone checking them. */
  source: string
}

const datasheet = 'NVIDIA datasheet (sparse bf16 figure halved)'
const ampereWhitepaper = 'NVIDIA Ampere GA102 whitepaper (fp16/bf16 tensor, fp32 accumulate, dense)'
const adaWhitepaper = 'NVIDIA Ada AD102 whitepaper (fp16/bf16 tensor, fp32 accumulate, dense)'
const derived = 'derived: tensor cores x boost clock x 128 FLOP/clock (GeForce fp32 accumulate), as the whitepapers count'
const noBf16TensorCores = 'no bf16 tensor cores: FP32 CUDA-core rate from the datasheet'

export const KNOWN_GPUS: readonly KnownGpu[] = [
  { id: 'h200', label: 'H200 SXM', pattern: /^h200( sxm)?( 141gb)?$/, computeCapability: '9.0', architecture: 'hopper', memoryBandwidthGBps: 4800, bf16Tflops: 989, source: datasheet },
  { id: 'h200-nvl', label: 'H200 NVL', pattern: /^h200 nvl$/, computeCapability: '9.0', architecture: 'hopper', memoryBandwidthGBps: 4800, bf16Tflops: 836, source: datasheet },
  { id: 'h100-sxm', label: 'H100 SXM', pattern: /^h100( sxm5?)?( 80gb)?( hbm3)?$/, computeCapability: '9.0', architecture: 'hopper', memoryBandwidthGBps: 3350, bf16Tflops: 989, source: datasheet },
  { id: 'h100-pcie', label: 'H100 PCIe', pattern: /^h100 pcie$/, computeCapability: '9.0', architecture: 'hopper', memoryBandwidthGBps: 2000, bf16Tflops: 756, source: datasheet },
  { id: 'h100-nvl', label: 'H100 NVL', pattern: /^h100 nvl$/, computeCapability: '9.0', architecture: 'hopper', memoryBandwidthGBps: 3900, bf16Tflops: 835, source: datasheet },
  { id: 'h20', label: 'H20', pattern: /^h20$/, computeCapability: '9.0', architecture: 'hopper', memoryBandwidthGBps: 4000, bf16Tflops: 148, source: 'NVIDIA H20 product brief (dense bf16)' },
  { id: 'a100-80gb-sxm', label: 'A100 80GB SXM', pattern: /^a100 sxm4? 80gb$/, computeCapability: '8.0', architecture: 'ampere', memoryBandwidthGBps: 2039, bf16Tflops: 312, source: datasheet },
  { id: 'a100-80gb-pcie', label: 'A100 80GB PCIe', pattern: /^a100 80gb pcie$/, computeCapability: '8.0', architecture: 'ampere', memoryBandwidthGBps: 1935, bf16Tflops: 312, source: datasheet },
  { id: 'a100-40gb', label: 'A100 40GB', pattern: /^a100 (sxm4|pcie) 40gb$/, computeCapability: '8.0', architecture: 'ampere', memoryBandwidthGBps: 1555, bf16Tflops: 312, source: datasheet },
  { id: 'a10', label: 'A10', pattern: /^a10$/, computeCapability: '8.6', architecture: 'ampere', memoryBandwidthGBps: 600, bf16Tflops: 125, source: datasheet },
  { id: 'rtx-a6000', label: 'RTX A6000', pattern: /^rtx a6000$/, computeCapability: '8.6', architecture: 'ampere', memoryBandwidthGBps: 768, bf16Tflops: 154.8, source: datasheet },
  { id: 'rtx-6000-ada', label: 'RTX 6000 Ada', pattern: /^rtx 6000 ada( generation)?$/, computeCapability: '8.9', architecture: 'ada', memoryBandwidthGBps: 960, bf16Tflops: 364.2, source: 'NVIDIA datasheet (1,457 sparse fp8 TFLOPS / 4)' },
  { id: 'l40s', label: 'L40S', pattern: /^l40s$/, computeCapability: '8.9', architecture: 'ada', memoryBandwidthGBps: 864, bf16Tflops: 362, source: datasheet },
  { id: 'l40', label: 'L40', pattern: /^l40$/, computeCapability: '8.9', architecture: 'ada', memoryBandwidthGBps: 864, bf16Tflops: 181, source: datasheet },
  { id: 'l4', label: 'L4', pattern: /^l4$/, computeCapability: '8.9', architecture: 'ada', memoryBandwidthGBps: 300, bf16Tflops: 121, source: datasheet },
  { id: 'rtx-5090', label: 'GeForce RTX 5090', pattern: /^rtx 5090$/, computeCapability: '12.0', architecture: 'blackwell', memoryBandwidthGBps: 1792, bf16Tflops: 209.5, source: `${derived} (680 x 2.41 GHz)` },
  { id: 'rtx-4090', label: 'GeForce RTX 4090', pattern: /^rtx 4090$/, computeCapability: '8.9', architecture: 'ada', memoryBandwidthGBps: 1008, bf16Tflops: 165.2, source: adaWhitepaper },
  { id: 'rtx-4080', label: 'GeForce RTX 4080', pattern: /^rtx 4080$/, computeCapability: '8.9', architecture: 'ada', memoryBandwidthGBps: 716.8, bf16Tflops: 97.5, source: adaWhitepaper },
  { id: 'rtx-4070-ti', label: 'GeForce RTX 4070 Ti', pattern: /^rtx 4070 ti$/, computeCapability: '8.9', architecture: 'ada', memoryBandwidthGBps: 504, bf16Tflops: 80.2, source: `${derived} (240 x 2.61 GHz)` },
  { id: 'rtx-4060-ti', label: 'GeForce RTX 4060 Ti', pattern: /^rtx 4060 ti$/, computeCapability: '8.9', architecture: 'ada', memoryBandwidthGBps: 288, bf16Tflops: 44.1, source: `${derived} (136 x 2.54 GHz)` },
  { id: 'rtx-4060', label: 'GeForce RTX 4060', pattern: /^rtx 4060$/, computeCapability: '8.9', architecture: 'ada', memoryBandwidthGBps: 272, bf16Tflops: 30.2, source: `${derived} (96 x 2.46 GHz)` },
  { id: 'rtx-3090', label: 'GeForce RTX 3090', pattern: /^rtx 3090$/, computeCapability: '8.6', architecture: 'ampere', memoryBandwidthGBps: 936, bf16Tflops: 71, source: ampereWhitepaper },
  { id: 'rtx-3080-12gb', label: 'GeForce RTX 3080 12GB', pattern: /^rtx 3080$/, memoryMiB: { min: 11000 }, computeCapability: '8.6', architecture: 'ampere', memoryBandwidthGBps: 912, bf16Tflops: 59.5, source: `${ampereWhitepaper}; the 10GB figure, 12GB has 2 more SMs` },
  { id: 'rtx-3080', label: 'GeForce RTX 3080', pattern: /^rtx 3080$/, computeCapability: '8.6', architecture: 'ampere', memoryBandwidthGBps: 760, bf16Tflops: 59.5, source: ampereWhitepaper },
  { id: 'rtx-3070', label: 'GeForce RTX 3070', pattern: /^rtx 3070$/, computeCapability: '8.6', architecture: 'ampere', memoryBandwidthGBps: 448, bf16Tflops: 40.6, source: `${derived} (184 x 1.73 GHz)` },
  { id: 'rtx-3060-8gb', label: 'GeForce RTX 3060 8GB', pattern: /^rtx 3060$/, memoryMiB: { max: 9000 }, computeCapability: '8.6', architecture: 'ampere', memoryBandwidthGBps: 240, bf16Tflops: 25.5, source: `${derived} (112 x 1.78 GHz)` },
  { id: 'rtx-3060', label: 'GeForce RTX 3060', pattern: /^rtx 3060$/, computeCapability: '8.6', architecture: 'ampere', memoryBandwidthGBps: 360, bf16Tflops: 25.5, source: `${derived} (112 x 1.78 GHz)` },
  { id: 'rtx-2080-ti', label: 'GeForce RTX 2080 Ti', pattern: /^rtx 2080 ti$/, computeCapability: '7.5', architecture: 'turing', memoryBandwidthGBps: 616, bf16Tflops: 13.4, source: noBf16TensorCores },
  { id: 't4', label: 'T4', pattern: /^t4$/, computeCapability: '7.5', architecture: 'turing', memoryBandwidthGBps: 320, bf16Tflops: 8.1, source: noBf16TensorCores },
  { id: 'v100s', label: 'V100S', pattern: /^v100s\b/, computeCapability: '7.0', architecture: 'volta', memoryBandwidthGBps: 1134, bf16Tflops: 16.4, source: noBf16TensorCores },
  { id: 'v100', label: 'V100', pattern: /^v100 (sxm2|sxm3|pcie)\b/, computeCapability: '7.0', architecture: 'volta', memoryBandwidthGBps: 900, bf16Tflops: 15.7, source: `${noBf16TensorCores} (SXM2; PCIe 14.0)` }
]

/** "NVIDIA GeForce RTX 4090" -> "rtx 4090"; "Tesla V100-SXM2-16GB" -> "v100 sxm2 16gb". */
export function normalizeGpuName(name: string): string {
  return name
    .toLowerCase()
    .replace(/\b(nvidia|geforce|tesla|quadro)\b/g, ' ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
}

export function findKnownGpu(name: string, memoryTotalMiB: number | null): KnownGpu | null {
  const normalized = normalizeGpuName(name)
  return (
    KNOWN_GPUS.find((gpu) => {
      if (!gpu.pattern.test(normalized)) return false
      if (!gpu.memoryMiB) return true
      // A size variant needs the size to tell it apart; without it the plain entry answers.
      if (memoryTotalMiB === null) return false
      const { min = 0, max = Infinity } = gpu.memoryMiB
      return memoryTotalMiB >= min && memoryTotalMiB <= max
    }) ?? null
  )
}
