// Words for where a model's weights come from (the System tab's weights checks).
import type { FoundWeights, WeightSourceKind } from '../../../../shared/weights'
import type { ModelWeights } from '../../engineDetails'

export const weightSourceKindText: Record<WeightSourceKind, string> = {
  'models-folder': 'models folder',
  'huggingface-cache': 'Hugging Face cache',
  comfyui: 'ComfyUI files'
}

/** The source the engine reads, as the sidecar reported it (its path matched against what was found). */
export function engineSourceText(weights: ModelWeights | undefined, found: FoundWeights[]): string | null {
  if (!weights?.source) return null
  if (weights.source === 'modelFiles') return weightSourceKindText.comfyui
  const match = found.find((entry) => entry.path === weights.path)
  return weightSourceKindText[match?.kind ?? 'models-folder']
}

/** What a source lacks, in one line. */
export function missingText(entry: FoundWeights): string {
  if (entry.complete) return 'complete'
  const more = entry.missing.length > 3 ? ` and ${entry.missing.length - 3} more` : ''
  return `incomplete, missing ${entry.missing.slice(0, 3).join(', ')}${more}`
}
