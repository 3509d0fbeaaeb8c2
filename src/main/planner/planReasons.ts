// The plan's reasons: why this mode, precision, placement, segment length and prediction, in
// the words the System tab and `wan-studio doctor` show.
import { FAST_MODE_STEPS, SIZE_MULTIPLE, type ExpertPlacement, type Placement, type Precision, type RenderMode } from '../../shared/plan'
import type { CalibrationEntry } from './calibration'
import type { Candidate } from './costModel'
import { evaluate, fits, leanestOf, shortfall, describePlacement, type Budget, type Evaluated, type Search } from './evaluation'
import { formatDuration, formatMiB } from './format'
import type { GpuProfile } from './gpuProfile'
import { precisionReason } from './precisionReasons'
import { WAN_MODELS } from './wanModels'

/** What the reasons need of the request and the options (PlanRequest and PlannerOptions fit). */
type Asked = { width: number; height: number; frames: number; weightsPresent?: boolean; steps?: number }
type ExplainContext = { gpu: GpuProfile; budget: Budget; request: Asked; options: { precision?: Precision; calibration?: readonly CalibrationEntry[] } }

export function modeReason(mode: RenderMode, request: Asked): string {
  if (mode === 'quality') return 'Quality mode: the model’s own steps, each a conditional and an unconditional pass (classifier-free guidance).'
  const asked = request.steps !== undefined && request.steps !== FAST_MODE_STEPS ? ` (${request.steps} steps were asked; the LoRAs are trained for ${FAST_MODE_STEPS})` : ''
  return (
    `Fast mode: the Wan2.2-Lightning LoRAs on both experts, ${FAST_MODE_STEPS} steps${asked}, shift 5, boundary 0.875, guidance 1: ` +
    `one pass a step, ${FAST_MODE_STEPS} passes a segment instead of 80; loading the LoRAs takes about 10 s once.`
  )
}

export function explain(search: Search, context: ExplainContext): string[] {
  const { chosen, longerLeanest, longestFrames } = search
  const { gpu, budget, request, options } = context
  const candidate = chosen.candidate
  const model = WAN_MODELS[candidate.model]
  const withPlacement = (change: Partial<Placement>): Evaluated =>
    evaluate({ ...candidate, placement: { ...candidate.placement, ...change } }, gpu, options.calibration)
  const reasons: string[] = []

  if (candidate.width !== request.width || candidate.height !== request.height) {
    reasons.push(
      `${model.label} renders sizes in multiples of ${SIZE_MULTIPLE[candidate.model]}: ` +
        `${request.width}x${request.height} becomes ${candidate.width}x${candidate.height}.`
    )
  }

  if (candidate.segmentFrames === longestFrames) {
    reasons.push(
      candidate.segmentFrames >= request.frames
        ? `One ${candidate.segmentFrames}-frame segment covers the ${request.frames}-frame clip.`
        : `Segments of ${candidate.segmentFrames} frames, the model's full length.`
    )
  } else if (longerLeanest) {
    reasons.push(
      `Segments of ${candidate.segmentFrames} frames: ${longerLeanest.candidate.segmentFrames}-frame segments don't fit ` +
        `(${shortfall(longerLeanest, budget)}).`
    )
  }

  const unit = model.transformers === 2 ? 'expert' : 'transformer'
  if (options.precision) {
    reasons.push(`${candidate.precision}, as asked.`)
  } else if (candidate.precision === 'fp16') {
    reasons.push(precisionReason(gpu.computeCapability))
  } else if (candidate.precision === 'bf16') {
    reasons.push(`bf16, the official weights: the whole bf16 ${unit} fits on the GPU.`)
  } else {
    const hardware =
      candidate.precision === 'fp8'
        ? `fp8 weights (compute ${gpu.computeCapability?.toFixed(1)} converts fp8 in hardware), bf16 compute`
        : 'INT8 weight-only (no fp8 hardware below compute 8.9), bf16 compute'
    const bf16 = leanestOf(search.alternatives.filter((entry) => entry.candidate.precision === 'bf16'))
    reasons.push(
      fits(bf16, budget)
        ? `${hardware}: faster here than bf16.`
        : `${hardware}: a whole bf16 ${unit} doesn't fit (${shortfall(bf16, budget)}), and streaming bf16 would move twice the bytes every step.`
    )
  }

  reasons.push(placementReason(candidate, model.transformers, search.alternatives, budget))

  const { textEncoder, experts } = candidate.placement
  if (textEncoder === 'gpu') {
    reasons.push(`umT5 encodes the prompt on the GPU${experts === 'resident' ? ' and stays there' : ', then goes back to RAM'}.`)
  } else {
    const onGpu = withPlacement({ textEncoder: 'gpu' })
    reasons.push(`umT5 encodes the prompt on the CPU (about 30 s a segment): with it on the GPU this plan would need ${formatMiB(onGpu.vramMiB)}.`)
  }

  if (candidate.placement.vaeTiling) {
    const whole = withPlacement({ vaeTiling: false })
    reasons.push(`The VAE decodes in 256-pixel tiles: whole frames would need ${formatMiB(whole.vramMiB)}.`)
  } else {
    reasons.push('The VAE decodes whole frames.')
  }

  reasons.push(
    `Predicted peak ${formatMiB(chosen.vramMiB)} of GPU memory, within the ${formatMiB(budget.vramMiB)} usable ` +
      `(${formatMiB(gpu.freeMiB)} free minus a ${formatMiB(budget.vramMarginMiB)} safety margin); ` +
      `peak RAM ${formatMiB(chosen.ramMiB)} of ${formatMiB(budget.ramTotalMiB)}.`,
    `About ${formatDuration(chosen.seconds)} per segment, ${formatDuration(chosen.secondsPerStep * candidate.steps)} of it denoising ${candidate.steps} steps.`
  )
  if (chosen.measured) {
    reasons.push(
      `Measured on this GPU over ${chosen.measured.samples} segment(s): peak ${formatMiB(chosen.measured.peakVramMiB)} reserved, ` +
        `${chosen.measured.secondsPerStep.toFixed(1)} s per step; used instead of the prediction.`
    )
  }
  if (request.weightsPresent === false) {
    reasons.push(`The ${model.label} weights aren't installed yet: this is how the real engine will run once they are.`)
  }
  return reasons
}

function placementReason(candidate: Candidate, transformers: 1 | 2, alternatives: Evaluated[], budget: Budget): string {
  // The leanest and the fastest fitting plan with some other placement of the same precision.
  const compared = (keep: (experts: ExpertPlacement) => boolean): { leanest: Evaluated; fastestFitting: Evaluated | null } => {
    const others = alternatives.filter((entry) => entry.candidate.precision === candidate.precision && keep(entry.candidate.placement.experts))
    const fitting = others.filter((entry) => fits(entry, budget)).sort((a, b) => a.seconds - b.seconds)
    return { leanest: leanestOf(others), fastestFitting: fitting[0] ?? null }
  }
  const unit = transformers === 2 ? 'expert' : 'transformer'
  switch (candidate.placement.experts) {
    case 'resident':
      return transformers === 2 ? 'Both experts stay on the GPU: nothing moves between steps.' : 'The transformer stays on the GPU.'
    case 'swap': {
      if (transformers === 1) return 'The transformer stays on the GPU; umT5 leaves it after encoding.'
      const resident = compared((experts) => experts === 'resident')
      const why = resident.fastestFitting
        ? ` Faster here than keeping both resident (${describePlacement(resident.fastestFitting.candidate)}).`
        : ` Both on the GPU would need ${shortfall(resident.leanest, budget)}.`
      return `Experts swap: the running expert on the GPU, the other waiting in RAM (4 copies a segment).${why}`
    }
    case 'stream': {
      const whole = compared((experts) => experts !== 'stream')
      const why = whole.fastestFitting
        ? `faster here than the whole ${unit} on the GPU (${describePlacement(whole.fastestFitting.candidate)}, about ${formatDuration(whole.fastestFitting.seconds)})`
        : `a whole ${unit} on the GPU doesn't fit (${shortfall(whole.leanest, budget)})`
      return `Transformer blocks stream from RAM as they run (diffusers group offload): ${why}.`
    }
  }
}
