// The weight sources as the System tab shows them (src/shared/weights.ts).
import type { FoundWeights, WeightsFound } from '../../shared/weights'
import type { WeightSource } from './weightSources'

export function weightsFound(sources: WeightSource[]): WeightsFound {
  const found: WeightsFound = { problems: [], models: {} }
  const add = (model: string, entry: FoundWeights): void => {
    ;(found.models[model] ??= []).push(entry)
  }
  for (const source of sources) {
    if (source.problem) found.problems.push({ kind: source.kind, root: source.root, problem: source.problem })
    if (source.kind === 'comfyui') {
      for (const report of source.models) {
        // A ComfyUI folder counts for a model only when it holds a file of that model's own: umT5 is shared by all three.
        if (![...report.files, ...report.unusable].some((file) => file.component !== 'text_encoder')) continue
        const missing = report.missing.map((part) => `${part.component}: ${part.acceptedNames.length ? `${part.folder}/${part.acceptedNames.join(' or ')}` : 'no file diffusers can load'}`)
        add(report.model, { kind: source.kind, root: source.root, path: null, files: report.files, complete: report.complete, missing, unusable: report.unusable.map(({ path, reason }) => ({ path, reason })) })
      }
      continue
    }
    for (const report of source.models) {
      add(report.model, { kind: source.kind, root: source.root, path: report.path, files: [], complete: report.complete, missing: report.missing, unusable: [] })
    }
  }
  return found
}
