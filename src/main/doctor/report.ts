// The compatibility report: hardware warnings, a verdict per model (ok / slow / won't fit), and the
// doctor's report as text for the CLI.
import type { DoctorGpu, DoctorReport, ModelVerdict, VerdictJob } from '../../shared/doctor'
import type { LeverSupport, ModelId, Plan } from '../../shared/plan'
import type { CalibrationEntry } from '../planner/calibration'
import { formatDuration, formatGiB, formatMiB } from '../planner/format'
import { formatPromptHelperPlan } from '../planner/helperPlanText'
import { describeCandidate, planRender } from '../planner/planner'

/** Past this a clip counts as slow: half an hour for 5 seconds of video. */
export const SLOW_AFTER_SECONDS = 30 * 60

type VerdictJobSpec = { job: VerdictJob; model: ModelId; label: string; width: number; height: number; frames: number }

/** The official single-clip jobs: one native-length segment each. */
export const VERDICT_JOBS: readonly VerdictJobSpec[] = [
  { job: 'a14b-720p', model: 't2v-a14b', label: 'T2V-A14B 720p (1280x720, 81 frames)', width: 1280, height: 720, frames: 81 },
  { job: 'a14b-480p', model: 't2v-a14b', label: 'T2V-A14B 480p (832x480, 81 frames)', width: 832, height: 480, frames: 81 },
  { job: 'ti2v-5b-720p', model: 'ti2v-5b', label: 'TI2V-5B 720p (1280x704, 121 frames)', width: 1280, height: 704, frames: 121 }
]

export function modelVerdicts(
  gpus: readonly DoctorGpu[],
  ramTotalMiB: number,
  calibration?: readonly CalibrationEntry[],
  levers?: LeverSupport
): ModelVerdict[] {
  return VERDICT_JOBS.map(({ job, model, label, width, height, frames }) => {
    const result = planRender(gpus, ramTotalMiB, { width, height, frames }, { model, calibration, levers })
    if (!result.plan) return { job, model, label, verdict: 'wont-fit', sentence: `Won't fit. ${result.refusal}`, secondsPerClip: null }
    const seconds = result.plan.predicted.secondsPerSegment
    const slow = seconds > SLOW_AFTER_SECONDS
    return {
      job,
      model,
      label,
      verdict: slow ? 'slow' : 'ok',
      sentence: `${slow ? 'Slow' : 'Runs'}: about ${formatDuration(seconds)} per clip as ${describeCandidate(result.plan)}.`,
      secondsPerClip: seconds
    }
  })
}

/** What the user should know about the hardware itself, whatever the plan. */
export function hardwareWarnings(gpus: readonly DoctorGpu[], cudaVersion: string | null): string[] {
  const warnings: string[] = []
  for (const gpu of gpus) {
    const which = `GPU ${gpu.index} (${gpu.name})`
    const capability = gpu.computeCapability === null ? null : Number(gpu.computeCapability)
    if (capability === null) {
      warnings.push(`${which}: compute capability unknown (not reported, not in the known-GPU table).`)
    } else if (capability < 8) {
      warnings.push(
        `${which}: compute capability ${gpu.computeCapability} has no bf16 tensor cores; the engine runs Wan in fp16 here, ` +
          'which Wan2.2 was not trained in and may overflow (black frames).'
      )
    }
    if (gpu.pcieGenMax !== null && gpu.pcieWidthMax !== null && (gpu.pcieGenMax < 4 || gpu.pcieWidthMax < 16)) {
      warnings.push(
        `${which}: its link tops out at PCIe ${gpu.pcieGenMax}.0 x${gpu.pcieWidthMax}, below 4.0 x16: ` +
          'swapping experts and streaming blocks from RAM take longer.'
      )
    }
    if (gpu.migEnabled) {
      const slices = gpu.migDevices.map((device) => `${device.profile} ${device.uuid}`).join(', ') || 'none'
      warnings.push(
        `${which} is in MIG mode: CUDA sees only one slice of it (slices: ${slices}). ` +
          'Pick one with CUDA_VISIBLE_DEVICES=<MIG UUID>, or turn MIG off (nvidia-smi -i <index> -mig 0) to use the whole GPU.'
      )
    }
    if (gpu.knownAs === null) {
      warnings.push(
        capability === null
          ? `${which} isn't in the known-GPU table and doesn't report its compute capability: its speed is a modest guess.`
          : `${which} isn't in the known-GPU table: its speed is estimated from a typical card of its architecture and memory.`
      )
    }
  }
  const cudaMajor = cudaVersion === null ? null : Number(cudaVersion.split('.')[0])
  if (cudaMajor !== null && cudaMajor < 12) {
    warnings.push(`The driver supports CUDA ${cudaVersion}; the engine's PyTorch needs a driver for CUDA 12 or newer (R525+).`)
  }
  return warnings
}

/** `wan-studio doctor` without --json. */
export function formatDoctorReport(report: DoctorReport): string {
  const lines: string[] = []
  for (const gpu of report.gpus) {
    lines.push(`GPU ${gpu.index}: ${gpu.name}${gpu.uuid ? ` (${gpu.uuid})` : ''}`)
    const memory =
      gpu.memoryTotalMiB === null ? 'not reported' : `${formatMiB(gpu.memoryTotalMiB)} total, ${gpu.memoryFreeMiB === null ? '?' : formatMiB(gpu.memoryFreeMiB)} free`
    lines.push(`  memory        ${memory}`)
    lines.push(`  compute       ${gpu.computeCapability ?? 'unknown'}`)
    lines.push(`  bandwidth     ${gpu.memoryBandwidthGBps === null ? 'unknown' : `${gpu.memoryBandwidthGBps.toLocaleString('en-US')} GB/s`}`)
    lines.push(`  PCIe (max)    ${gpu.pcieGenMax === null || gpu.pcieWidthMax === null ? 'not reported' : `${gpu.pcieGenMax}.0 x${gpu.pcieWidthMax}`}`)
    lines.push(`  MIG           ${gpu.migEnabled ? `on (${gpu.migDevices.map((device) => device.profile).join(', ') || 'no slices'})` : 'off'}`)
  }
  lines.push(`Driver ${report.driverVersion ?? 'unknown'}, CUDA ${report.cudaVersion ?? 'unknown'}`)
  lines.push(`RAM ${formatGiB(report.ramTotalMiB)}`)
  if (report.error) lines.push('', `Error: ${report.error}`)

  if (report.report.gpuIndex !== null) {
    lines.push('', `Models on GPU ${report.report.gpuIndex}:`)
    const shown = { ok: 'ok       ', slow: 'slow     ', 'wont-fit': "won't fit" }
    for (const verdict of report.report.verdicts) lines.push(`  ${shown[verdict.verdict]}  ${verdict.label}: ${verdict.sentence}`)
  }
  lines.push('')
  if (report.plan) lines.push(...formatPlan(report.plan))
  if (report.refusal) lines.push(`No plan: ${report.refusal}`)
  if (report.promptHelper) lines.push('', ...formatPromptHelperPlan(report.promptHelper))
  if (report.warnings.length > 0) lines.push('', 'Warnings:', ...report.warnings.map((warning) => `  - ${warning}`))
  return lines.join('\n') + '\n'
}

function formatPlan(plan: Plan): string[] {
  const { peakVramMiB, peakRamMiB, secondsPerSegment } = plan.predicted
  return [
    `Plan (GPU ${plan.gpuIndex}, ${plan.width}x${plan.height}, ${plan.fps} fps, ${plan.mode} mode): ${describeCandidate(plan)}`,
    `  speed levers: attention ${plan.speed.attention}, ${plan.speed.compile ? 'regional compilation' : 'no compilation'}`,
    `  predicted: ${formatMiB(peakVramMiB)} GPU memory, ${formatMiB(peakRamMiB)} RAM, about ${formatDuration(secondsPerSegment)} per segment`,
    ...plan.reasons.map((reason) => `  - ${reason}`)
  ]
}
