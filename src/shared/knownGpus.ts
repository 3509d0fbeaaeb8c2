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
  /**
   * Dense fp16 tensor-core rate with fp32 accumulate, where it differs from bf16Tflops: the cards
   * before compute 8.0 have fp16 tensor cores but no bf16 ones. Absent: the same as bf16Tflops.
   */
  fp16Tflops?: number
  /** Where the figures come from, for anyone checking them. */
  source: string
}

const datasheet = 'NVIDIA datasheet (sparse bf16 figure halved)'
const ampereWhitepaper = 'NVIDIA Ampere GA102 whitepaper (fp16/bf16 tensor, fp32 accumulate, dense)'
const adaWhitepaper = 'NVIDIA Ada AD102 whitepaper (fp16/bf16 tensor, fp32 accumulate, dense)'
const derived = 'derived: tensor cores x boost clock x 128 FLOP/clock (GeForce fp32 accumulate), as the whitepapers count'
const noBf16TensorCores = 'no bf16 tensor cores: FP32 CUDA-core rate from the datasheet; fp16 tensor rate (fp32 accumulate) from the datasheet'

export const KNOWN_GPUS: readonly KnownGpu[] = [
  { id: 'b200', label: 'B200', pattern: /^b200\b/, computeCapability: '10.0', architecture: 'blackwell', memoryBandwidthGBps: 8000, bf16Tflops: 2250, source: 'NVIDIA HGX B200 datasheet (36 PFLOPS sparse bf16 for 8 GPUs, halved, per GPU)' },
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
  { id: 'rtx-2080-ti', label: 'GeForce RTX 2080 Ti', pattern: /^rtx 2080 ti$/, computeCapability: '7.5', architecture: 'turing', memoryBandwidthGBps: 616, bf16Tflops: 13.4, fp16Tflops: 53.8, source: `${noBf16TensorCores} (Turing TU102 whitepaper: 53.8 with fp32 accumulate on GeForce)` },
  { id: 't4', label: 'T4', pattern: /^t4$/, computeCapability: '7.5', architecture: 'turing', memoryBandwidthGBps: 320, bf16Tflops: 8.1, fp16Tflops: 65, source: noBf16TensorCores },
  { id: 'v100s', label: 'V100S', pattern: /^v100s\b/, computeCapability: '7.0', architecture: 'volta', memoryBandwidthGBps: 1134, bf16Tflops: 16.4, fp16Tflops: 130, source: noBf16TensorCores },
  { id: 'v100', label: 'V100', pattern: /^v100 (sxm2|sxm3|pcie)\b/, computeCapability: '7.0', architecture: 'volta', memoryBandwidthGBps: 900, bf16Tflops: 15.7, fp16Tflops: 112, source: `${noBf16TensorCores} (SXM2 FP32 15.7; fp16 tensor: the PCIe card's 112, SXM2 125)` }
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

/** What the planner assumes about a GPU the table lacks: the figures of a typical card of its kind. */
export type EstimatedGpu = {
  architecture: GpuArchitecture
  bf16Tflops: number
  fp16Tflops?: number
  memoryBandwidthGBps: number
  /** The card whose figures stand in, for the plan's reasons: "H100 SXM". */
  like: string
}

type Tier = { minMiB: number; like: string }
const GIB = 1024

/**
 * Per architecture (and, inside Ampere and Blackwell, per die family), the known card whose
 * figures stand in for an unlisted one of at least `minMiB` memory, largest first. Memory tells the
 * class apart (a 96 GB Hopper is a GH200 or H100 NVL, not a PCIe card); where a class spans a wide
 * range of speeds the slower end stands in, so estimates err long, not short.
 */
const TIERS: { family: (cc: number) => boolean; architecture: GpuArchitecture; tiers: Tier[] }[] = [
  { family: (cc) => cc >= 12, architecture: 'blackwell', tiers: [{ minMiB: 24 * GIB, like: 'rtx-5090' }, { minMiB: 0, like: 'rtx-5080-derived' }] },
  { family: (cc) => cc >= 10, architecture: 'blackwell', tiers: [{ minMiB: 0, like: 'b200' }] },
  {
    family: (cc) => cc >= 9,
    architecture: 'hopper',
    tiers: [
      { minMiB: 120 * GIB, like: 'h200' },
      { minMiB: 88 * GIB, like: 'h100-sxm' },
      { minMiB: 0, like: 'h100-pcie' }
    ]
  },
  {
    family: (cc) => cc >= 8.9,
    architecture: 'ada',
    tiers: [
      { minMiB: 28 * GIB, like: 'l40' },
      { minMiB: 19 * GIB, like: 'rtx-4080' },
      { minMiB: 0, like: 'rtx-4060-ti' }
    ]
  },
  { family: (cc) => cc >= 8.1, architecture: 'ampere', tiers: [{ minMiB: 40 * GIB, like: 'rtx-a6000' }, { minMiB: 19 * GIB, like: 'rtx-3090' }, { minMiB: 0, like: 'rtx-3060' }] },
  {
    family: (cc) => cc >= 8,
    architecture: 'ampere',
    tiers: [
      { minMiB: 60 * GIB, like: 'a100-80gb-pcie' },
      { minMiB: 32 * GIB, like: 'a100-40gb' },
      { minMiB: 0, like: 'a30' }
    ]
  },
  { family: (cc) => cc >= 7.5, architecture: 'turing', tiers: [{ minMiB: 20 * GIB, like: 'rtx-2080-ti' }, { minMiB: 0, like: 't4' }] },
  { family: () => true, architecture: 'volta', tiers: [{ minMiB: 0, like: 'v100' }] }
]

/** Stand-ins that aren't in KNOWN_GPUS because the table matches names and these would never match. */
const STAND_INS: Record<string, Omit<EstimatedGpu, 'architecture'>> = {
  // A30: NVIDIA A30 datasheet, 330 sparse bf16 TFLOPS halved, 933 GB/s.
  a30: { bf16Tflops: 165, memoryBandwidthGBps: 933, like: 'A30' },
  // RTX 5080: 336 tensor cores x 2.62 GHz x 128 FLOP/clock (GeForce fp32 accumulate), 960 GB/s.
  'rtx-5080-derived': { bf16Tflops: 112.6, memoryBandwidthGBps: 960, like: 'GeForce RTX 5080' }
}

/** An unlisted GPU's figures from its compute capability (architecture) and memory (class). */
export function estimateGpu(computeCapability: number, memoryTotalMiB: number): EstimatedGpu {
  const family = TIERS.find((entry) => entry.family(computeCapability))!
  const tier = family.tiers.find((entry) => memoryTotalMiB >= entry.minMiB) ?? family.tiers[family.tiers.length - 1]!
  const standIn = STAND_INS[tier.like]
  if (standIn) return { architecture: family.architecture, ...standIn }
  const known = KNOWN_GPUS.find((gpu) => gpu.id === tier.like)!
  return {
    architecture: family.architecture,
    bf16Tflops: known.bf16Tflops,
    ...(known.fp16Tflops === undefined ? {} : { fp16Tflops: known.fp16Tflops }),
    memoryBandwidthGBps: known.memoryBandwidthGBps,
    like: known.label
  }
}
