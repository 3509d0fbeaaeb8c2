// What the System tab's plan says about the prompt helper model. Pure, for tests.
import type { HelperModelPlanEntry, PromptHelperPlan } from '../../../../shared/plan'
import { formatMiB } from '../../format'

/** "installed", "missing", or "not checked" when nobody looked in the models folder. */
export function helperInstalledText(entry: HelperModelPlanEntry): string {
  if (entry.installed === null) return 'not checked'
  return entry.installed ? 'installed' : 'missing'
}

/** "6.17 GB bf16, from its files" or "6.18 GB bf16, 2 bytes a parameter". */
export function helperWeightsText(entry: HelperModelPlanEntry): string {
  const source = entry.weightsFrom === 'installed' ? 'from its files' : '2 bytes a parameter'
  return `${(entry.weightsBytes / 1e9).toFixed(2)} GB bf16, ${source} (${entry.parametersBillions} B parameters)`
}

/** Where it loads: on the GPU only when queued with nothing rendering (the reasons say why not). */
export function helperPlacementText(plan: PromptHelperPlan): string {
  if (plan.placement === 'cpu') return 'the CPU'
  return `GPU ${plan.gpuIndex} when queued with nothing rendering; the CPU while a render runs or a Wan2.2 pipeline is cached`
}

/** "21.5 GiB of RAM with the render's" or null without a video plan. */
export function helperBesideRenderText(plan: PromptHelperPlan): string | null {
  const beside = plan.predicted.besideRenderRamMiB
  return beside === null ? null : `${formatMiB(beside)} of RAM with the render’s, on the CPU`
}
