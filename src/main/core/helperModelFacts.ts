// The sidecar's helper models (prompt.models) as the planner takes them, each installed one with the
// size of its safetensors files, so the plan counts what is on disk rather than the catalogue's figure.
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { HelperModelFacts } from '../planner/promptHelperPlan'
import type { PromptModelsResult } from '../prompting/schemas'

export async function helperModelFacts(listed: PromptModelsResult | null): Promise<HelperModelFacts[] | null> {
  if (!listed) return null
  return Promise.all(
    listed.models.map(async (model) => ({
      id: model.id,
      repo: model.repo,
      parametersBillions: model.parametersBillions,
      default: model.default,
      complete: model.complete,
      installedBytes: model.complete ? await safetensorsBytes(model.path) : null,
      howToGet: model.howToGet
    }))
  )
}

/** The total size of the folder's .safetensors files; null when there are none or it can't be read. */
async function safetensorsBytes(folder: string): Promise<number | null> {
  try {
    const names = (await readdir(folder)).filter((name) => name.endsWith('.safetensors'))
    if (names.length === 0) return null
    const sizes = await Promise.all(names.map(async (name) => (await stat(join(folder, name))).size))
    return sizes.reduce((total, size) => total + size, 0)
  } catch {
    return null
  }
}
