// The prompt helper model's part of the plan as `wan-studio doctor` prints it.
import type { HelperModelPlanEntry, PromptHelperPlan } from '../../shared/plan'
import { formatDuration, formatMiB } from './format'

const installedText = (entry: HelperModelPlanEntry): string => (entry.installed === null ? 'installation not checked' : entry.installed ? 'installed' : 'missing')

const sizeText = (entry: HelperModelPlanEntry): string =>
  `${(entry.weightsBytes / 1e9).toFixed(2)} GB bf16 (${entry.weightsFrom === 'installed' ? 'its files' : 'the catalogue'})`

export function formatPromptHelperPlan(plan: PromptHelperPlan): string[] {
  const { peakVramMiB, peakRamMiB, loadSeconds, besideRenderRamMiB } = plan.predicted
  const where = plan.placement === 'gpu' ? `GPU ${plan.gpuIndex}, ${formatMiB(peakVramMiB)} GPU memory` : 'the CPU'
  const beside = besideRenderRamMiB === null ? '' : `; beside a running render (on the CPU) ${formatMiB(besideRenderRamMiB)} RAM`
  return [
    `Prompt helper: ${plan.repo} (${installedText(plan)}), ${sizeText(plan)}`,
    `  predicted: on ${where}, ${formatMiB(peakRamMiB)} RAM, loads in about ${formatDuration(loadSeconds)}${beside}`,
    ...plan.others.map((other) => `  also known: ${other.repo} (${installedText(other)}), ${sizeText(other)}`),
    ...plan.reasons.map((reason) => `  - ${reason}`),
    ...plan.warnings.map((warning) => `  ! ${warning}`)
  ]
}
