// What the Studio tells the sidecar about weights found outside <modelsDir>/<repo>: the first
// complete diffusers folder per model (models folder, then the Hugging Face cache), as
// initialize.modelDirs (resources/sidecar/PROTOCOL.md).
import type { WanModelId } from './catalog'
import { completeModelFolders, findWeightSources, type WeightSearch } from './weightSources'

export function sidecarModelDirs(search: WeightSearch): Partial<Record<WanModelId, string>> {
  const folders = completeModelFolders(findWeightSources(search))
  return Object.fromEntries(Object.entries(folders).map(([model, folder]) => [model, folder.path]))
}
