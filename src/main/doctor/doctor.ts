// `wan-studio doctor` and the System panel: what this machine has, and how the real engine would
// render on it. Never throws over the hardware (a missing or hung nvidia-smi becomes `error`);
// cancelling through the signal rejects.
import type { DoctorReport } from '../../shared/doctor'
import type { LeverSupport } from '../../shared/plan'
import type { CalibrationEntry } from '../planner/calibration'
import { probeGpus, probeRam } from '../gpu/probe'
import { DOCTOR_REQUEST, planRender, planningGpu, type PlanRequest } from '../planner/planner'
import { planPromptHelper, type HelperModelFacts } from '../planner/promptHelperPlan'
import { hardwareWarnings, modelVerdicts } from './report'

export type DoctorOptions = {
  signal?: AbortSignal
  /** Where WAN_STUDIO_NVIDIA_SMI and WAN_STUDIO_RAM_MIB are read; process.env by default. */
  env?: NodeJS.ProcessEnv
  /** Per nvidia-smi call; 5 s by default. */
  timeoutMs?: number
  /** Measured figures (the calibration store) to prefer to predictions. */
  calibration?: readonly CalibrationEntry[]
  /** What to plan for; the official 720p clip by default. */
  request?: PlanRequest
  /**
   * What the sidecar's diffusers engine reported (leverSupportFromDetails of its details); absent
   * when the sidecar hasn't answered yet: the plan then uses SDPA only, no compilation, no fast mode.
   */
  levers?: LeverSupport
  /** The sidecar's helper models (prompt.models); absent: the catalogue's, installation not checked. */
  helperModels?: readonly HelperModelFacts[] | null
  /** Whether the engine's torch sees CUDA; absent: the GPUs nvidia-smi lists stand in. */
  cudaAvailable?: boolean | null
}

export async function doctor(options: DoctorOptions = {}): Promise<DoctorReport> {
  const env = options.env ?? process.env
  const ram = probeRam(env)
  const probe = await probeGpus({ signal: options.signal, env, timeoutMs: options.timeoutMs })
  const result = planRender(probe.gpus, ram.ramTotalMiB, options.request ?? DOCTOR_REQUEST, { calibration: options.calibration, levers: options.levers })
  const target = probe.gpus.length > 0 ? planningGpu(probe.gpus) : null
  const refusal = probe.error ? `Can't read the GPUs (${probe.error}), so the real engine can't run. The synthetic engine still works.` : (result.refusal ?? null)
  return {
    gpus: probe.gpus,
    driverVersion: probe.driverVersion,
    cudaVersion: probe.cudaVersion,
    ramTotalMiB: ram.ramTotalMiB,
    error: probe.error,
    warnings: [...probe.warnings, ...ram.warnings, ...hardwareWarnings(probe.gpus, probe.cudaVersion)],
    plan: result.plan ?? null,
    refusal,
    report: {
      gpuIndex: target && !('unusable' in target) ? target.index : null,
      verdicts: modelVerdicts(probe.gpus, ram.ramTotalMiB, options.calibration, options.levers)
    },
    promptHelper: planPromptHelper({
      models: options.helperModels ?? null,
      cudaAvailable: options.cudaAvailable ?? null,
      gpus: probe.gpus,
      ramTotalMiB: ram.ramTotalMiB,
      videoPlan: result.plan ?? null
    })
  }
}
