// The system state in one pass: the GPU report (nvidia-smi once), the plan, the sidecar's engine
// report and whether the real engine can render. The Studio caches the result; its readiness carries
// what planning each shot needs (hardware, calibration, the user's pins, the engine's levers).
import type { DoctorReport } from '../../shared/doctor'
import type { EngineInfo, EngineStatus, StudioInfo, SystemSnapshot } from '../../shared/ipc'
import { modelIdSchema } from '../../shared/plan'
import type { PlanOverride, StudioSettings } from '../../shared/settings'
import type { AppPaths } from '../appPaths/appPaths'
import type { CalibrationEntry } from '../planner/calibration'
import { doctor } from '../doctor/doctor'
import { resolveFfmpeg } from '../media/ffmpegPath'
import { applyPlanOverride, type EffectivePlan } from '../planner/override'
import { planPromptHelper, type HelperModelFacts } from '../planner/promptHelperPlan'
import type { RealEngineReadiness } from '../render/resolveShot'
import { findWeightSources } from '../models/weightSources'
import { weightsFound } from '../models/weightsFound'
import { findPython } from '../sidecar/python'
import type { EngineReport } from '../sidecar/protocol'
import { engineLevers, type EngineLevers } from './engineLevers'
import { describeSidecarError, type SidecarSupervisor } from '../sidecar/supervisor'

export interface SystemStateInputs {
  version: string
  dataDir: string
  paths: AppPaths
  env: NodeJS.ProcessEnv
  sidecar: SidecarSupervisor
  settings: () => Promise<StudioSettings>
  calibration: () => Promise<CalibrationEntry[]>
  modelsDir: () => Promise<string | null>
  /** False while a render runs: the sidecar is re-initialized with a new models folder only when idle. */
  refreshModelsDir: boolean
  /** The helper models the sidecar lists, with their installed size (the plan's prompt helper part); absent: not checked. */
  helperModels?: () => Promise<HelperModelFacts[] | null>
}

export async function computeSystemState(inputs: SystemStateInputs): Promise<{ snapshot: SystemSnapshot; readiness: RealEngineReadiness }> {
  const { env, sidecar } = inputs
  const [settings, calibration] = await Promise.all([inputs.settings(), inputs.calibration()])

  let problem: string | null = null
  let ffmpeg: StudioInfo['ffmpeg'] = null
  let python: StudioInfo['python'] = null
  try {
    ffmpeg = resolveFfmpeg(env, inputs.paths.ffmpegStaticBinary)
  } catch (error) {
    problem = (error as Error).message
  }
  try {
    python = findPython(inputs.paths.engineVenvPython, env)
  } catch (error) {
    problem ??= (error as Error).message
  }
  if (!problem) {
    try {
      await sidecar.ensure()
      if (inputs.refreshModelsDir) await sidecar.refreshModelsDir()
    } catch (error) {
      problem = `the inference sidecar could not start: ${describeSidecarError(error)}`
    }
  }
  // After the sidecar: its engine report says which speed levers and fast mode the plan may use.
  const diffusers = sidecar.initialized?.engines.find((engine) => engine.id === 'diffusers')
  const engineReport = engineLevers(diffusers?.details)
  const { levers } = engineReport
  const helperModels = problem || !inputs.helperModels ? null : await inputs.helperModels().catch(() => null)
  const cudaAvailable = sidecar.initialized ? sidecar.initialized.engines.some((engine) => engine.details?.cudaAvailable === true) : null
  const planned = await doctor({ env, calibration, levers, helperModels, cudaAvailable })
  const effective = applyPlanOverride(planned, settings.planOverride, calibration, levers)
  // The helper model is planned beside the plan in effect, the user's pins included.
  const report = effective.overridden
    ? { ...planned, promptHelper: planPromptHelper({ models: helperModels, cudaAvailable, gpus: planned.gpus, ramTotalMiB: planned.ramTotalMiB, videoPlan: effective.plan }) }
    : planned
  const readiness: RealEngineReadiness = problem
    ? { ready: false, reason: problem }
    : realEngineReadiness(diffusers, engineReport, await inputs.modelsDir(), report, effective, { calibration, planOverride: settings.planOverride })
  const reported = sidecar.initialized?.engines ?? []
  const engines: EngineInfo[] = reported.flatMap((engine): EngineInfo[] => {
    if (engine.id === 'synthetic') return [{ id: 'synthetic', label: engine.label, available: engine.available, reason: engine.reason }]
    if (engine.id !== 'diffusers') return []
    // For the front end "available" means "can render now": the real engine also needs a plan and weights.
    return [{ id: 'diffusers', label: engine.label, available: readiness.ready, reason: readiness.ready ? null : readiness.reason }]
  })
  const sidecarState = { state: sidecar.state, lastError: sidecar.lastError }
  const info: StudioInfo = { version: inputs.version, dataDir: inputs.dataDir, ffmpeg, python, sidecar: sidecarState, engines, problem }
  const engineStatus: EngineStatus = {
    python,
    sidecar: sidecarState,
    engines: reported.flatMap((engine) =>
      engine.id === 'synthetic' || engine.id === 'diffusers'
        ? [{ id: engine.id, label: engine.label, available: engine.available, reason: engine.reason, details: engine.details ?? {} }]
        : []
    ),
    realEngine: readiness.ready ? { ready: true, reason: null } : { ready: false, reason: readiness.reason }
  }
  const sources = findWeightSources({ env, modelsDir: await inputs.modelsDir(), comfyUiFolders: settings.comfyUiFolders })
  const snapshot: SystemSnapshot = {
    weights: weightsFound(sources),
    takenAt: new Date().toISOString(),
    info,
    engineStatus,
    doctor: report,
    effectivePlan: { plan: effective.plan, refusal: effective.refusal, warnings: effective.warnings, overridden: effective.overridden },
    settings
  }
  return { snapshot, readiness }
}

/**
 * Whether the real engine can render here: the software installed, a plan for the official 720p
 * clip that fits this hardware, and that model's weights complete (in the models folder, a Hugging
 * Face cache or ComfyUI's folders). Each shot
 * is then planned for itself (render/shotPlan.ts) from what this returns.
 */
function realEngineReadiness(
  engine: EngineReport | undefined,
  { levers, fastModeFiles }: EngineLevers,
  modelsDir: string | null,
  report: DoctorReport,
  effective: EffectivePlan,
  user: { calibration: CalibrationEntry[]; planOverride: PlanOverride | null }
): RealEngineReadiness {
  if (!engine) return { ready: false, reason: 'the sidecar does not offer it' }
  if (!engine.available) return { ready: false, reason: engine.reason ?? 'it is unavailable' }
  if (!effective.plan) return { ready: false, reason: effective.refusal ?? report.error ?? 'no plan fits this machine' }
  const plan = effective.plan
  const models = (engine.details?.models ?? {}) as Record<string, { complete?: boolean; path?: string; missing?: string[] }>
  const weights = models[plan.model]
  if (!weights?.complete) {
    // Weights found in a Hugging Face cache or ComfyUI's folders need no models folder; none found anywhere do.
    const where = weights?.path ?? modelsDir
    if (!where) return { ready: false, reason: `no ${plan.model} weights were found: choose a models folder (System panel, or WAN_STUDIO_MODELS_DIR), or add a ComfyUI folder` }
    const missing = weights?.missing?.slice(0, 3).join(', ') ?? 'the model folder'
    return { ready: false, reason: `the ${plan.model} weights are not complete in ${where} (missing ${missing})` }
  }
  const completeModels = modelIdSchema.options.filter((model) => models[model]?.complete === true)
  return {
    ready: true,
    modelsDir,
    planning: { gpus: report.gpus, ramTotalMiB: report.ramTotalMiB, calibration: user.calibration, planOverride: user.planOverride, levers, fastModeFiles, completeModels }
  }
}
