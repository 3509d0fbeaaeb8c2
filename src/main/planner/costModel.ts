// How much memory and time one segment takes under a given plan: pure arithmetic, documented with
// worked numbers in docs/planner.md. Placements mean what the sidecar's loading.py does with them.
import type { GpuArchitecture } from '../../shared/knownGpus'
import type { ModelId, Placement, Precision, RenderMode, SpeedLevers } from '../../shared/plan'
import { COMPILE_SPEEDUP, attentionSpeedup } from './levers'
import { TEXT_ENCODER_BYTES, TEXT_TOKENS, WAN_MODELS, blockParams, forwardsPerStep, latentTokens, loraParamsPerTransformer, type WanModelSpec } from './wanModels'

const MIB = 2 ** 20
const KIB = 1024

/** CUDA context, cuBLAS workspaces and kernels: outside torch's allocator, inside nvidia-smi's "used". */
export const CUDA_CONTEXT_MIB = 800
/** Python, torch, diffusers and the CUDA host runtime before any weights. */
export const PROCESS_RAM_MIB = 3072

/** 8-bit weight-only storage: one byte a weight plus ~2% for scales and the layers left in bf16. */
const BYTES_PER_PARAM: Record<Precision, number> = { bf16: 2, fp16: 2, fp8: 1.02, int8: 1.02 }

/** Untiled VAE decode working set per output pixel of a frame group (float32 VAE; estimate). */
const VAE_DECODE_KIB_PER_PIXEL = 8
/** diffusers' AutoencoderKLWan tiles are 256x256 output pixels. */
const VAE_TILE_PIXELS = 256 * 256
/** The decoded clip in float32 on the GPU: the frame-by-frame concatenation and post-processing hold ~3 copies. */
const DECODED_VIDEO_COPIES = 3

export type Candidate = {
  model: ModelId
  precision: Precision
  mode: RenderMode
  speed: SpeedLevers
  placement: Placement
  segmentFrames: number
  width: number
  height: number
  steps: number
}

export type MemoryPrediction = {
  peakVramMiB: number
  /** Peak of each phase: prompt encoding, denoising, VAE decoding. */
  phasesMiB: { encode: number; denoise: number; decode: number }
  peakRamMiB: number
}

export function transformerMiB(model: WanModelSpec, precision: Precision): number {
  return (model.paramsPerTransformer * BYTES_PER_PARAM[precision]) / MIB
}

/** Fast mode's LoRA on one transformer, kept in 16-bit beside the (possibly 8-bit) weights. */
export function loraMiB(model: WanModelSpec, mode: RenderMode): number {
  return mode === 'fast' ? (loraParamsPerTransformer(model) * 2) / MIB : 0
}

/** Block streaming keeps the non-block layers plus two blocks on the GPU: the running one and the one prefetched. */
function streamedWorkingSetMiB(model: WanModelSpec, precision: Precision): number {
  return ((model.nonBlockParams + 2 * blockParams(model)) * BYTES_PER_PARAM[precision]) / MIB
}

/** Transformer weights on the GPU in each phase. */
function transformerVramMiB(model: WanModelSpec, candidate: Candidate, phase: 'encode' | 'denoise' | 'decode'): number {
  const one = transformerMiB(model, candidate.precision) + loraMiB(model, candidate.mode)
  switch (candidate.placement.experts) {
    case 'resident':
      return model.transformers * one
    case 'swap':
      // The last expert to run stays until the other is called (and the 5B has nothing to swap with).
      return one
    case 'stream':
      return phase === 'denoise' ? streamedWorkingSetMiB(model, candidate.precision) : 0
  }
}

function textEncoderVramMiB(placement: Placement, phase: 'encode' | 'denoise' | 'decode'): number {
  if (placement.textEncoder === 'cpu') return 0
  // On the GPU umT5 stays only with resident experts; otherwise it leaves after encoding.
  return placement.experts === 'resident' || phase === 'encode' ? TEXT_ENCODER_BYTES / MIB : 0
}

function decodedVideoMiB(candidate: Candidate): number {
  return (candidate.segmentFrames * candidate.width * candidate.height * 3 * 4) / MIB
}

export function predictMemory(candidate: Candidate): MemoryPrediction {
  const model = WAN_MODELS[candidate.model]
  const { placement } = candidate
  const always = CUDA_CONTEXT_MIB + model.vaeWeightsMiB
  const tokens = latentTokens(model, candidate.width, candidate.height, candidate.segmentFrames)
  const activationsMiB = (tokens * model.activationKiBPerToken * KIB) / MIB
  const decodePixels = placement.vaeTiling ? VAE_TILE_PIXELS : candidate.width * candidate.height
  const decodeWorkMiB = (decodePixels * VAE_DECODE_KIB_PER_PIXEL * KIB) / MIB + DECODED_VIDEO_COPIES * decodedVideoMiB(candidate)

  const phase = (name: 'encode' | 'denoise' | 'decode', work: number): number =>
    always + transformerVramMiB(model, candidate, name) + textEncoderVramMiB(placement, name) + work
  const phasesMiB = { encode: phase('encode', 0), denoise: phase('denoise', activationsMiB), decode: phase('decode', decodeWorkMiB) }

  // from_pretrained loads every weight into RAM before anything moves to the GPU; the decoded clip
  // comes back as float32 frames plus their uint8 copy.
  const weightsRamMiB =
    model.transformers * (transformerMiB(model, candidate.precision) + loraMiB(model, candidate.mode)) + TEXT_ENCODER_BYTES / MIB + model.vaeWeightsMiB
  const peakRamMiB = PROCESS_RAM_MIB + weightsRamMiB + 1.25 * decodedVideoMiB(candidate)

  return {
    peakVramMiB: Math.ceil(Math.max(phasesMiB.encode, phasesMiB.denoise, phasesMiB.decode)),
    phasesMiB,
    peakRamMiB: Math.ceil(peakRamMiB)
  }
}

// Time

/** What the time model needs to know about the GPU. */
export type GpuSpeed = {
  /** For the attention backends' speedups; null when neither the table nor the compute capability says. */
  architecture: GpuArchitecture | null
  bf16Tflops: number
  /** fp16 tensor rate: bf16Tflops from Ampere on; before it, fp16 has tensor cores where bf16 has none. */
  fp16Tflops: number
  /** Share of the bf16 rate these kernels reach (fitted to the official tables, see EFFICIENCY). */
  efficiency: number
  memoryBandwidthGBps: number
  /** Host link at its maximum (nvidia-smi pcie.link.gen.max / width.max). */
  pcieGBps: number
  /** fp8 conversions in hardware (compute capability >= 8.9). */
  fp8Native: boolean
}

/** Pageable copies (tensor.to) reach about half the link; so do blocks pinned as they travel. */
const PCIE_COPY_EFFICIENCY = 0.5
/** diffusers group offload: hooks and stream syncs per block, on top of the transfers (estimate). */
const STREAM_OVERHEAD = 0.05
/**
 * Dequantizing 8-bit weights each pass: read 1 byte, write 2, read 2 per weight (weight-only
 * quantization computes in bf16). Without fp8 hardware (compute < 8.9) fp8 converts in software.
 */
const DEQUANT_BYTES_PER_PARAM = 5
const SOFTWARE_FP8_SLOWDOWN = 4
/** umT5 on the GPU: ~1 s for prompt and negative prompt; on the CPU: ~30 s (estimate, bf16 on a desktop CPU). */
const TEXT_ENCODE_GPU_SECONDS = 1
const TEXT_ENCODE_CPU_SECONDS = 30
/** VAE decode cost per output pixel-frame in bf16-FLOP equivalents: ~10 s for 720p x 81 frames on an H100 (estimate). */
const VAE_DECODE_FLOP_PER_PIXEL_FRAME = 70e6
const VAE_TILING_SLOWDOWN = 1.25

export type TimePrediction = {
  secondsPerSegment: number
  secondsPerStep: number
  breakdown: { denoise: number; expertMoves: number; textEncode: number; decode: number }
  /** Once per engine load, not per segment: loading the fast-mode LoRAs. */
  loraLoadSeconds: number
}

/** Reading the LoRA files (~0.6 GB each) and wrapping every linear layer of both experts (PEFT): estimate. */
const LORA_LOAD_SECONDS = 10

/** FLOPs of one transformer pass: the linear layers (2 per weight per token) and attention. */
export function forwardFlops(model: WanModelSpec, tokens: number): { linear: number; attention: number } {
  const { blocks, dim, ffnDim } = model
  // Self-attention q,k,v,o + cross-attention q,o (4 + 2 dim^2) and the FFN (2 dim x ffn) per token;
  // cross-attention k,v project the 512 text tokens once per pass.
  const linear = 2 * blocks * (tokens * (6 * dim * dim + 2 * dim * ffnDim) + TEXT_TOKENS * 2 * dim * dim)
  // Q.K^T and P.V: 2 x 2 x tokens x keys x dim, for self (keys = tokens) and cross (keys = 512).
  const attention = 4 * blocks * dim * tokens * (tokens + TEXT_TOKENS)
  return { linear, attention }
}

export function predictTime(candidate: Candidate, gpu: GpuSpeed): TimePrediction {
  const model = WAN_MODELS[candidate.model]
  const { placement, precision } = candidate
  const flopsPerSecond = (precision === 'fp16' ? gpu.fp16Tflops : gpu.bf16Tflops) * 1e12 * gpu.efficiency
  const copyBytesPerSecond = gpu.pcieGBps * 1e9 * PCIE_COPY_EFFICIENCY
  const transformerBytes = model.paramsPerTransformer * BYTES_PER_PARAM[precision] + loraMiB(model, candidate.mode) * MIB

  const tokens = latentTokens(model, candidate.width, candidate.height, candidate.segmentFrames)
  const { linear, attention } = forwardFlops(model, tokens)
  // An unfused LoRA adds its own small matmuls: 2 FLOPs per LoRA weight per token.
  const loraFlops = candidate.mode === 'fast' ? 2 * tokens * loraParamsPerTransformer(model) : 0
  const attentionFactor = attentionSpeedup(candidate.speed.attention, gpu.architecture) ?? 1
  const compileFactor = candidate.speed.compile ? COMPILE_SPEEDUP : 1
  const dequantBytes = precision === 'bf16' || precision === 'fp16' ? 0 : model.paramsPerTransformer * DEQUANT_BYTES_PER_PARAM
  const dequantSeconds = (dequantBytes / (gpu.memoryBandwidthGBps * 1e9)) * (precision === 'fp8' && !gpu.fp8Native ? SOFTWARE_FP8_SLOWDOWN : 1)
  let forwardSeconds = ((linear + loraFlops + attention / attentionFactor) / flopsPerSecond + dequantSeconds) / compileFactor
  if (placement.experts === 'stream') {
    // Prefetch hides the copy behind compute until the copy is the slower of the two.
    const transferSeconds = transformerBytes / copyBytesPerSecond
    forwardSeconds = Math.max(forwardSeconds, transferSeconds) + STREAM_OVERHEAD * forwardSeconds
  }
  const denoise = candidate.steps * forwardsPerStep(candidate.mode) * forwardSeconds

  // ExpertSwap moves each expert in when it starts and out when the other starts: 4 copies a segment.
  const expertMoves = placement.experts === 'swap' && model.transformers === 2 ? (4 * transformerBytes) / copyBytesPerSecond : 0

  let textEncode = TEXT_ENCODE_CPU_SECONDS
  if (placement.textEncoder === 'gpu') {
    const roundTrip = placement.experts === 'resident' ? 0 : (2 * TEXT_ENCODER_BYTES) / copyBytesPerSecond
    textEncode = TEXT_ENCODE_GPU_SECONDS + roundTrip
  }

  const pixelFrames = candidate.width * candidate.height * candidate.segmentFrames
  const decode = ((pixelFrames * VAE_DECODE_FLOP_PER_PIXEL_FRAME) / flopsPerSecond) * (placement.vaeTiling ? VAE_TILING_SLOWDOWN : 1)

  return {
    secondsPerSegment: denoise + expertMoves + textEncode + decode,
    loraLoadSeconds: candidate.mode === 'fast' ? LORA_LOAD_SECONDS : 0,
    secondsPerStep: denoise / candidate.steps,
    breakdown: { denoise, expertMoves, textEncode, decode }
  }
}
