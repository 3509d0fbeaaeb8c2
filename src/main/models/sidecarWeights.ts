// What the Studio tells the sidecar about weights found outside <modelsDir>/<repo>
// (resources/sidecar/PROTOCOL.md, initialize): per model, the first complete diffusers folder (the
// models folder, then the Hugging Face cache) as modelDirs; where there is none, the first complete
// set of ComfyUI single files as modelFiles, for the models the sidecar loads that way.
import type { WanModelId } from './catalog'
import { completeModelFolders, findWeightSources, type WeightSearch, type WeightSource } from './weightSources'

/** The models the sidecar can build from single files (weights.py SINGLE_FILE_COMPONENTS). */
export const SINGLE_FILE_MODELS: readonly WanModelId[] = ['t2v-a14b']

export interface SidecarWeights {
  modelDirs: Partial<Record<WanModelId, string>>
  /** component (transformer, transformer_2, text_encoder, vae) -> file */
  modelFiles: Partial<Record<WanModelId, Record<string, string>>>
}

export function sidecarWeightsFrom(sources: WeightSource[]): SidecarWeights {
  const folders = completeModelFolders(sources)
  const modelDirs = Object.fromEntries(Object.entries(folders).map(([model, folder]) => [model, folder.path]))
  const modelFiles: SidecarWeights['modelFiles'] = {}
  for (const source of sources) {
    if (source.kind !== 'comfyui') continue
    for (const report of source.models) {
      if (!report.complete || folders[report.model] || modelFiles[report.model] || !SINGLE_FILE_MODELS.includes(report.model)) continue
      modelFiles[report.model] = Object.fromEntries(report.files.map((file) => [file.component, file.path]))
    }
  }
  return { modelDirs, modelFiles }
}

export function sidecarWeights(search: WeightSearch): SidecarWeights {
  return sidecarWeightsFrom(findWeightSources(search))
}
