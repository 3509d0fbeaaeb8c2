// One candidate plan evaluated: its predicted (or measured) memory and time, and the words that
// compare it with the budget. Shared by the search (planner.ts) and its reasons (planReasons.ts).
import { findCalibration, type CalibrationEntry } from './calibration'
import { CUDA_CONTEXT_MIB, predictMemory, predictTime, type Candidate } from './costModel'
import { formatMiB } from './format'
import type { GpuProfile } from './gpuProfile'

export type Budget = { vramMiB: number; vramMarginMiB: number; ramMiB: number; ramTotalMiB: number }

export type Evaluated = {
  candidate: Candidate
  vramMiB: number
  ramMiB: number
  seconds: number
  secondsPerStep: number
  loraLoadSeconds: number
  measured: CalibrationEntry | null
}

/** The chosen plan of one model's search and what it was chosen from. */
export type Search = {
  chosen: Evaluated
  /** Everything evaluated at the chosen segment length, for the reasons. */
  alternatives: Evaluated[]
  /** The leanest plan one segment length up, when the chosen length is shorter than the longest. */
  longerLeanest: Evaluated | null
  longestFrames: number
}

export function evaluate(candidate: Candidate, gpu: GpuProfile, calibration: readonly CalibrationEntry[] | undefined): Evaluated {
  const memory = predictMemory(candidate)
  const time = predictTime(candidate, gpu.speed)
  const measured = calibration ? findCalibration(calibration, gpu.name, candidate) : null
  const secondsPerStep = measured?.secondsPerStep ?? time.secondsPerStep
  return {
    candidate,
    // The sidecar measures torch's reserved memory; the CUDA context comes on top.
    vramMiB: measured ? Math.ceil(measured.peakVramMiB + CUDA_CONTEXT_MIB) : memory.peakVramMiB,
    ramMiB: memory.peakRamMiB,
    seconds: time.secondsPerSegment - time.breakdown.denoise + secondsPerStep * candidate.steps,
    secondsPerStep,
    loraLoadSeconds: time.loraLoadSeconds,
    measured
  }
}

export const fits = (entry: Evaluated, budget: Budget): boolean => entry.vramMiB <= budget.vramMiB && entry.ramMiB <= budget.ramMiB

export function leanestOf(evaluated: Evaluated[]): Evaluated {
  return evaluated.reduce((lean, entry) => (entry.vramMiB < lean.vramMiB || (entry.vramMiB === lean.vramMiB && entry.ramMiB < lean.ramMiB) ? entry : lean))
}

/** "23,100 MiB of GPU memory, more than the 20,900 MiB usable" (or the same for RAM). */
export function shortfall(entry: Evaluated, budget: Budget): string {
  if (entry.vramMiB > budget.vramMiB) return `${formatMiB(entry.vramMiB)} of GPU memory, more than the ${formatMiB(budget.vramMiB)} usable`
  if (entry.ramMiB > budget.ramMiB) return `${formatMiB(entry.ramMiB)} of RAM, more than the ${formatMiB(budget.ramMiB)} usable`
  return `${formatMiB(entry.vramMiB)} of GPU memory`
}

export function describePlacement(candidate: Candidate): string {
  const { experts, textEncoder, vaeTiling } = candidate.placement
  return `${experts}, umT5 on the ${textEncoder === 'gpu' ? 'GPU' : 'CPU'}, ${vaeTiling ? 'tiled' : 'whole-frame'} VAE`
}
