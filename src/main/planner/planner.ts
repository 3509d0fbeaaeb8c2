// The planner: hardware + request -> the fastest plan that fits with a safety margin, or a refusal
// that says why. Pure: no I/O; the doctor and the render path feed it what the probe found.
//
// How it chooses (docs/planner.md has the reasoning and worked numbers):
//   1. the GPU with the most free memory;
//   2. the model: T2V-A14B on a GPU of >= 20 GiB with bf16 tensor cores if it fits segments of
//      at least 33 frames, else TI2V-5B;
//   3. the longest segment that fits (fewer seams beat everything below);
//   4. among the plans that fit: the fastest; within SPEED_BAND of it, the sturdier one
//      (no block streaming, then bf16 over 8-bit, then whole-frame VAE decoding);
//   5. the speed levers the sidecar reported (levers.ts): the fastest attention backend, and
//      regional compilation when it saves more than it costs over the clip.
// Fast mode (Lightning LoRAs) plans the T2V-A14B alone, 4 steps of one pass each.
import type { DoctorGpu } from '../../shared/doctor'
import {
  FAST_MODE_MODELS,
  FAST_MODE_STEPS,
  MAX_SEGMENT_FRAMES,
  NATIVE_FPS,
  SIZE_MULTIPLE,
  planSchema,
  type AttentionBackend,
  type LeverSupport,
  type ModelId,
  type Plan,
  type Precision,
  type RenderMode,
  type SpeedLevers
} from '../../shared/plan'
import { planSegments } from '../../shared/segments'
import { vramMarginMiB } from '../../shared/vramMargin'
import type { CalibrationEntry } from './calibration'
import { transformerMiB, type Candidate } from './costModel'
import { evaluate, fits, leanestOf, shortfall, type Budget, type Evaluated, type Search } from './evaluation'
import { formatDuration, formatGiB, formatMiB } from './format'
import { gpuProfile, type GpuProfile } from './gpuProfile'
import { COMPILE_CACHED_SECONDS, COMPILE_COLD_SECONDS, COMPILE_SPEEDUP, NO_LEVERS, chooseAttention } from './levers'
import { explain, modeReason } from './planReasons'
import { WAN_MODELS } from './wanModels'

export type PlanRequest = {
  width: number
  height: number
  /** Frames of the whole clip; each segment is at most the model's native length. */
  frames: number
  /** Whether the model weights are installed: the plan is the same either way, its reasons say so. */
  weightsPresent?: boolean
  /** Denoising steps; the model's official default when absent. Fast mode always plans FAST_MODE_STEPS. */
  steps?: number
  /** quality (default): the model's steps with classifier-free guidance; fast: the Lightning 4-step LoRAs. */
  mode?: RenderMode
}

/** What the doctor (and a user's override on top of its plan) plans for: the official 720p clip. */
export const DOCTOR_REQUEST: PlanRequest = { width: 1280, height: 720, frames: 81 }

export type PlannerOptions = {
  /** Pin the model or the precision (a user's choice, or the report's per-model verdicts). */
  model?: ModelId
  precision?: Precision
  /** Measured figures from earlier segments: preferred to the predictions where they match. */
  calibration?: readonly CalibrationEntry[]
  /** What the sidecar reported it can do; absent: SDPA only, no compilation, no fast mode. */
  levers?: LeverSupport
  /** The user's switches; each absent one is the planner's choice. */
  leverChoice?: { compile?: boolean; attention?: AttentionBackend }
}

export type PlanResult = { plan: Plan; refusal?: undefined } | { refusal: string; plan?: undefined }

export type Hardware = { gpus: readonly DoctorGpu[]; ramTotalMiB: number }

/** Below this even the 5B in 8-bit, streamed, leaves no room for its VAE and working memory. */
export const MIN_VRAM_MIB = 10 * 1024
/** The A14B's 8-bit expert alone is 13.6 GiB; below 20 GiB it would stream every block of every step. */
export const A14B_MIN_VRAM_MIB = 20 * 1024
/** Plans within this share of the fastest count as equally fast; the sturdier one wins. */
export const SPEED_BAND = 0.02
const MIN_SEGMENT_FRAMES = 17
/** Chosen automatically, the A14B must manage segments of 2 s; shorter, the seams cost more than the 5B's smaller model. */
const A14B_MIN_AUTO_SEGMENT_FRAMES = 33

// The margin lives in src/shared so the app's memory warning uses the same line.
export { vramMarginMiB }

/** Kept free in RAM for the OS and the app itself: 10% or 4 GiB. */
export function ramMarginMiB(totalMiB: number): number {
  return Math.max(0.1 * totalMiB, 4096)
}

export function planRender(gpus: readonly DoctorGpu[], ramMiB: number, request: PlanRequest, options: PlannerOptions = {}): PlanResult {
  const problem = requestProblem(request)
  if (problem) return { refusal: problem }
  const mode = request.mode ?? 'quality'
  const levers = options.levers ?? NO_LEVERS
  if (mode === 'fast') {
    if (!levers.fastMode.available) {
      return { refusal: `Fast mode isn't available: ${levers.fastMode.reason ?? 'the engine reported no Wan2.2-Lightning LoRAs'}.` }
    }
    if (options.model && !FAST_MODE_MODELS.includes(options.model)) {
      const made = FAST_MODE_MODELS.map((model) => WAN_MODELS[model].label).join(', ')
      return { refusal: `Fast mode runs the Wan2.2-Lightning LoRAs, made for the ${made} only; ${WAN_MODELS[options.model].label} was asked for.` }
    }
  }
  if (gpus.length === 0) {
    return { refusal: 'No NVIDIA GPU found: the real engine needs one with at least 10 GiB of memory. The synthetic engine still works.' }
  }
  const gpu = planningGpu(gpus)
  if ('unusable' in gpu) return { refusal: `No GPU the real engine can use: ${gpu.unusable}.` }
  if (gpu.totalMiB < MIN_VRAM_MIB) {
    return {
      refusal:
        `GPU ${gpu.index} (${gpu.name}) has ${formatGiB(gpu.totalMiB)} of memory; the real engine needs at least ` +
        `${formatGiB(MIN_VRAM_MIB)}: below that even the TI2V-5B in 8-bit, streamed, leaves no room for its VAE and working memory. ` +
        'The synthetic engine still works.'
    }
  }

  const marginMiB = vramMarginMiB(gpu.totalMiB)
  const budget: Budget = { vramMiB: gpu.freeMiB - marginMiB, vramMarginMiB: marginMiB, ramMiB: ramMiB - ramMarginMiB(ramMiB), ramTotalMiB: ramMiB }
  const reasons: string[] = []
  if (gpus.length > 1) {
    reasons.push(`GPU ${gpu.index} (${gpu.name}) has the most free memory of the ${gpus.length} GPUs: ${formatMiB(gpu.freeMiB)}.`)
  }
  reasons.push(...gpu.notes)

  const attention = chooseAttention(levers, gpu.speed.architecture, options.leverChoice?.attention)
  const compileWanted = levers.compile.available && options.leverChoice?.compile !== false
  const setting: Setting = { mode, speed: { compile: compileWanted, attention: attention.backend } }

  // Fast mode has one model, and runs it in 4 passes: the A14B's size and speed obstacles don't apply.
  const a14bObstacle = options.model || mode === 'fast' ? null : a14bObstacleOn(gpu)
  const models: ModelId[] = mode === 'fast' ? [...FAST_MODE_MODELS] : options.model ? [options.model] : a14bObstacle ? ['ti2v-5b'] : ['t2v-a14b', 'ti2v-5b']
  let modelReason = options.model ? `${WAN_MODELS[options.model].label}, as asked.` : a14bObstacle ? `TI2V-5B: ${a14bObstacle}.` : ''
  if (mode === 'fast' && !options.model) modelReason = 'T2V-A14B: fast mode’s LoRAs are made for it.'
  let lastLeanest: Evaluated | null = null
  for (const model of models) {
    const hasFallback = model !== models[models.length - 1]
    const search = searchModel(model, request, gpu, budget, options, setting, hasFallback ? A14B_MIN_AUTO_SEGMENT_FRAMES : MIN_SEGMENT_FRAMES)
    if ('chosen' in search) {
      if (!modelReason) {
        modelReason = `T2V-A14B: ${gpu.name} has ${formatGiB(gpu.totalMiB)} and bf16 tensor cores, enough for the 14B experts.`
      }
      const levered = decideCompile(search.chosen, gpu, request, options, levers)
      const explained = explain({ ...search, chosen: levered.chosen }, { gpu, budget, request, options })
      const leverReasons = [modeReason(mode, request), attention.reason, levered.reason]
      return { plan: toPlan(levered.chosen, gpu, [...reasons, modelReason, ...leverReasons, ...explained]) }
    }
    lastLeanest = search.leanest
    modelReason = `TI2V-5B: the T2V-A14B doesn't fit (${shortfall(search.leanest, budget)}).`
  }
  const leanest = lastLeanest as Evaluated
  const inFastMode = mode === 'fast' ? ' in fast mode (the T2V-A14B, the only model its LoRAs fit)' : ''
  return {
    refusal:
      `Not enough memory for the real engine${inFastMode} on GPU ${gpu.index} (${gpu.name}): even the leanest plan ` +
      `(${describeCandidate(leanest.candidate)}) needs ${shortfall(leanest, budget)}.`
  }
}

/** The GPU a plan goes to: the usable one with the most free memory (the first of equals). */
export function planningGpu(gpus: readonly DoctorGpu[]): GpuProfile | { unusable: string } {
  const profiles = gpus.map(gpuProfile)
  const usable = profiles.filter((profile): profile is GpuProfile => !('unusable' in profile))
  if (usable.length === 0) return { unusable: profiles.map((profile) => ('unusable' in profile ? profile.unusable : '')).join('; ') }
  return usable.reduce((best, profile) => (profile.freeMiB > best.freeMiB ? profile : best))
}

/** Warnings for a plan the user chose by hand: it won't fit, it's tight, or this GPU runs it badly. */
export function checkOverride(plan: Plan, hardware: Hardware, options: { calibration?: readonly CalibrationEntry[]; steps?: number } = {}): string[] {
  return evaluatePinnedPlan(plan, hardware, options).warnings
}

/** A hand-chosen plan's own predictions (not those of the plan it started from) and its warnings. */
export function evaluatePinnedPlan(
  plan: Plan,
  hardware: Hardware,
  options: { calibration?: readonly CalibrationEntry[]; steps?: number } = {}
): { warnings: string[]; predicted: Plan['predicted'] | null } {
  const warnings: string[] = []
  const parsed = planSchema.safeParse(plan)
  if (!parsed.success) warnings.push(...parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`))
  const record = hardware.gpus.find((gpu) => gpu.index === plan.gpuIndex)
  if (!record) {
    const listed = hardware.gpus.map((gpu) => gpu.index).join(', ') || 'none'
    return { warnings: [...warnings, `GPU ${plan.gpuIndex} doesn't exist here (GPUs: ${listed}).`], predicted: null }
  }
  const gpu = gpuProfile(record)
  if ('unusable' in gpu) return { warnings: [...warnings, `${gpu.unusable}.`], predicted: null }
  if (lacksBf16(gpu) && plan.precision !== 'fp16') {
    warnings.push(`${gpu.name} (compute ${gpu.computeCapability}) has no bf16 tensor cores: ${plan.precision} computes in bf16, far slower here than fp16.`)
  }
  if (plan.precision === 'fp16' && !lacksBf16(gpu)) {
    warnings.push(`fp16 on ${gpu.name}: it has bf16, the precision Wan2.2 was trained in; fp16 may overflow and is no faster here.`)
  }
  if (plan.precision === 'fp8' && !gpu.speed.fp8Native) {
    warnings.push(`fp8 on ${gpu.name}: without fp8 hardware (compute < 8.9) the weights convert in software every pass; INT8 is faster.`)
  }
  const steps = plan.mode === 'fast' ? FAST_MODE_STEPS : (options.steps ?? WAN_MODELS[plan.model].defaultSteps)
  const candidate: Candidate = { ...plan, steps }
  const evaluated = evaluate(candidate, gpu, options.calibration)
  const marginMiB = vramMarginMiB(gpu.totalMiB)
  if (evaluated.vramMiB > gpu.freeMiB) {
    warnings.push(`Won't fit: this plan needs about ${formatMiB(evaluated.vramMiB)} of GPU memory; GPU ${gpu.index} has ${formatMiB(gpu.freeMiB)} free.`)
  } else if (evaluated.vramMiB > gpu.freeMiB - marginMiB) {
    warnings.push(
      `Tight: this plan needs about ${formatMiB(evaluated.vramMiB)} of GPU memory, inside the ${formatMiB(marginMiB)} safety margin ` +
        `of the ${formatMiB(gpu.freeMiB)} free; it may run out of memory.`
    )
  }
  if (evaluated.ramMiB > hardware.ramTotalMiB) {
    warnings.push(`Won't fit: this plan needs about ${formatMiB(evaluated.ramMiB)} of RAM; this machine has ${formatMiB(hardware.ramTotalMiB)}.`)
  } else if (evaluated.ramMiB > hardware.ramTotalMiB - ramMarginMiB(hardware.ramTotalMiB)) {
    warnings.push(`Tight: this plan needs about ${formatMiB(evaluated.ramMiB)} of the ${formatMiB(hardware.ramTotalMiB)} of RAM; the system may swap.`)
  }
  return { warnings, predicted: predictedOf(evaluated) }
}

// The search (evaluation.ts evaluates one candidate)

function searchModel(
  model: ModelId,
  request: PlanRequest,
  gpu: GpuProfile,
  budget: Budget,
  options: PlannerOptions,
  setting: Setting,
  shortestFrames: number
): Search | { leanest: Evaluated } {
  const size = snapSize(model, request)
  const steps = setting.mode === 'fast' ? FAST_MODE_STEPS : (request.steps ?? WAN_MODELS[model].defaultSteps)
  const lengths = segmentLengths(model, request.frames, shortestFrames)
  let longerLeanest: Evaluated | null = null
  for (const segmentFrames of lengths) {
    const evaluated = candidatesFor(model, segmentFrames, size, steps, gpu, options.precision, setting).map((candidate) =>
      evaluate(candidate, gpu, options.calibration)
    )
    const fitting = evaluated.filter((entry) => fits(entry, budget))
    if (fitting.length > 0) {
      return { chosen: choose(fitting), alternatives: evaluated, longerLeanest, longestFrames: lengths[0]! }
    }
    longerLeanest = leanestOf(evaluated)
  }
  return { leanest: longerLeanest! }
}

function candidatesFor(
  model: ModelId,
  segmentFrames: number,
  size: { width: number; height: number },
  steps: number,
  gpu: GpuProfile,
  pinnedPrecision: Precision | undefined,
  setting: Setting
): Candidate[] {
  // Without bf16 (compute < 8.0) fp16 is the one precision left: 8-bit weights compute in bf16 too.
  const precisions: Precision[] = pinnedPrecision ? [pinnedPrecision] : lacksBf16(gpu) ? ['fp16'] : ['bf16', gpu.speed.fp8Native ? 'fp8' : 'int8']
  const candidates: Candidate[] = []
  for (const precision of precisions) {
    for (const experts of ['resident', 'swap', 'stream'] as const) {
      // Streaming bf16 moves twice the bytes of 8-bit every pass and holds twice the RAM for no
      // gain in speed: 8-bit is the streaming precision unless the user pins bf16.
      if (experts === 'stream' && precision === 'bf16' && pinnedPrecision !== 'bf16') continue
      for (const textEncoder of ['gpu', 'cpu'] as const) {
        for (const vaeTiling of [false, true]) {
          candidates.push({ model, precision, ...setting, placement: { experts, textEncoder, vaeTiling }, segmentFrames, ...size, steps })
        }
      }
    }
  }
  return candidates
}

const PRECISION_RANK: Record<Precision, number> = { bf16: 0, fp16: 0, fp8: 1, int8: 2 }

/** Compute capability below 8.0: fp16 tensor cores, no bf16 ones. */
const lacksBf16 = (gpu: GpuProfile): boolean => gpu.computeCapability !== null && gpu.computeCapability < 8

/** The fastest; among plans within SPEED_BAND of it, no streaming, then bf16, then whole-frame decoding. */
function choose(fitting: Evaluated[]): Evaluated {
  const fastest = Math.min(...fitting.map((entry) => entry.seconds))
  const band = fitting.filter((entry) => entry.seconds <= fastest * (1 + SPEED_BAND))
  const streams = (entry: Evaluated): number => (entry.candidate.placement.experts === 'stream' ? 1 : 0)
  const tiles = (entry: Evaluated): number => (entry.candidate.placement.vaeTiling ? 1 : 0)
  return band.sort(
    (a, b) =>
      streams(a) - streams(b) ||
      PRECISION_RANK[a.candidate.precision] - PRECISION_RANK[b.candidate.precision] ||
      tiles(a) - tiles(b) ||
      a.seconds - b.seconds
  )[0]!
}

function a14bObstacleOn(gpu: GpuProfile): string | null {
  if (gpu.totalMiB < A14B_MIN_VRAM_MIB) {
    const expert = formatGiB(transformerMiB(WAN_MODELS['t2v-a14b'], 'int8'))
    return `the T2V-A14B wants a GPU of at least ${formatGiB(A14B_MIN_VRAM_MIB)} (one 8-bit expert alone is ${expert}); this one has ${formatGiB(gpu.totalMiB)}`
  }
  if (lacksBf16(gpu)) {
    return (
      `without bf16 (compute ${gpu.computeCapability}) the T2V-A14B would run in fp16, which its authors never validated, ` +
      'and its 80 passes a segment take hours at this speed; pin the model (or use fast mode) to try it'
    )
  }
  return null
}

function requestProblem(request: PlanRequest): string | null {
  const whole = (value: number | undefined): boolean => value === undefined || (Number.isInteger(value) && value > 0)
  if (!whole(request.width) || !whole(request.height)) return `Invalid size ${request.width}x${request.height}: width and height must be positive whole pixels.`
  if (!whole(request.frames)) return `Invalid frame count ${request.frames}: it must be a positive whole number.`
  if (!whole(request.steps)) return `Invalid step count ${request.steps}: it must be a positive whole number.`
  const smallest = Math.max(...Object.values(SIZE_MULTIPLE))
  if (request.width < smallest || request.height < smallest) return `Size ${request.width}x${request.height} is too small: both sides must be at least ${smallest} pixels.`
  return null
}

/** Down to the model's grid (multiples of 16 for the A14B, 32 for the 5B). */
function snapSize(model: ModelId, request: PlanRequest): { width: number; height: number } {
  const multiple = SIZE_MULTIPLE[model]
  return { width: Math.floor(request.width / multiple) * multiple, height: Math.floor(request.height / multiple) * multiple }
}

/** 4n+1 lengths, longest first: the clip's own length (rounded up to 4n+1) capped by the model, down to `shortest`. */
function segmentLengths(model: ModelId, frames: number, shortest: number): number[] {
  const longest = Math.min(MAX_SEGMENT_FRAMES[model], Math.ceil((frames - 1) / 4) * 4 + 1)
  const lengths: number[] = []
  for (let length = longest; length >= Math.min(shortest, longest); length -= 4) lengths.push(length)
  return lengths
}

// Plan and reasons

function toPlan(chosen: Evaluated, gpu: GpuProfile, reasons: string[]): Plan {
  const { model, precision, mode, speed, placement, segmentFrames, width, height } = chosen.candidate
  return {
    gpuIndex: gpu.index,
    ...(gpu.uuid ? { gpuUuid: gpu.uuid } : {}),
    model,
    precision,
    mode,
    speed,
    fps: NATIVE_FPS[model],
    placement,
    segmentFrames,
    width,
    height,
    predicted: predictedOf(chosen),
    reasons
  }
}

function predictedOf(entry: Evaluated): Plan['predicted'] {
  const { compile } = entry.candidate.speed
  return {
    peakVramMiB: entry.vramMiB,
    peakRamMiB: entry.ramMiB,
    secondsPerSegment: Math.round(entry.seconds),
    oneTime: {
      loraLoadSeconds: entry.loraLoadSeconds,
      compileSeconds: compile ? COMPILE_COLD_SECONDS : 0,
      compileCachedSeconds: compile ? COMPILE_CACHED_SECONDS : 0
    }
  }
}

// Mode and levers

type Setting = { mode: RenderMode; speed: SpeedLevers }

/**
 * Keeps compilation on (when wanted and available) only where it pays: the time it saves over the
 * clip's segments must exceed the cold compile. The user's "on" is kept regardless.
 */
function decideCompile(
  chosen: Evaluated,
  gpu: GpuProfile,
  request: PlanRequest,
  options: PlannerOptions,
  levers: LeverSupport
): { chosen: Evaluated; reason: string } {
  const asked = options.leverChoice?.compile
  if (!levers.compile.available) {
    const why = levers.compile.reason ?? 'the engine reports it unavailable'
    return { chosen, reason: asked ? `No compilation: it was asked for, but ${why}.` : `No compilation: ${why}.` }
  }
  if (asked === false) return { chosen, reason: 'No compilation, as asked.' }
  const without = evaluate({ ...chosen.candidate, speed: { ...chosen.candidate.speed, compile: false } }, gpu, options.calibration)
  const { segmentFrames } = chosen.candidate
  const segments = request.frames <= segmentFrames ? 1 : planSegments(request.frames, segmentFrames).length
  const saved = (without.seconds - chosen.seconds) * segments
  const over = segments === 1 ? 'the clip’s one segment' : `the clip’s ${segments} segments`
  const figures =
    `about ${COMPILE_SPEEDUP}x a pass, ${formatDuration(saved)} saved over ${over} ` +
    `for ${COMPILE_COLD_SECONDS} s of compiling in the first (about ${COMPILE_CACHED_SECONDS} s from torch’s cache on a later run)`
  if (asked === true) return { chosen, reason: `Regional compilation of the repeated block, as asked: ${figures}.` }
  if (saved > COMPILE_COLD_SECONDS) return { chosen, reason: `Regional compilation of the repeated block (compile_repeated_blocks): ${figures}.` }
  return { chosen: without, reason: `No compilation: it would cost more than it saves here (${figures}).` }
}

export function describeCandidate(candidate: Pick<Candidate, 'model' | 'precision' | 'placement' | 'segmentFrames'>): string {
  const { experts, textEncoder, vaeTiling } = candidate.placement
  return [
    WAN_MODELS[candidate.model].label,
    candidate.precision,
    { resident: 'resident', swap: 'swapped', stream: 'streamed' }[experts],
    `umT5 on ${textEncoder === 'gpu' ? 'the GPU' : 'the CPU'}`,
    vaeTiling ? 'tiled VAE' : 'whole-frame VAE',
    `${candidate.segmentFrames}-frame segments`
  ].join(', ')
}
