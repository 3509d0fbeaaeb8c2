// Where the Wan2.2 weights already are on this machine: the models folder the user chose, the
// Hugging Face cache, and ComfyUI folders. Each source says what it has and what is missing;
// nothing is copied or downloaded.
import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { DIFFUSERS_MODELS, WAN_MODEL_IDS, type WanModelId } from './catalog'
import { readComfyUiFolder, type ComfyModelReport } from './comfyUiFolder'
import { diffusersFolderMissing, findCachedSnapshots, hubCacheLocation, type CachedSnapshot } from './huggingFaceCache'

/** A model in the diffusers layout: `path` is the folder the engine loads (no copy needed). */
export interface DiffusersModelReport {
  model: WanModelId
  path: string
  complete: boolean
  missing: string[]
}

export type WeightSource =
  | { kind: 'models-folder'; root: string; problem: null; models: DiffusersModelReport[] }
  | { kind: 'huggingface-cache'; root: string | null; from: string; problem: string | null; models: CachedSnapshot[] }
  | { kind: 'comfyui'; root: string; problem: string | null; models: ComfyModelReport[] }

export interface WeightSearch {
  env: NodeJS.ProcessEnv
  /** The models folder setting (WAN_STUDIO_MODELS_DIR or the settings'), holding <repo>/ folders. */
  modelsDir: string | null
  /** ComfyUI folders the user pointed at (the ComfyUI root or its models/ folder). */
  comfyUiFolders: string[]
  home?: string
}

function modelsFolderSource(modelsDir: string): WeightSource {
  const models = WAN_MODEL_IDS.flatMap((model): DiffusersModelReport[] => {
    const path = join(modelsDir, DIFFUSERS_MODELS[model].repoName)
    // A model whose folder doesn't exist is absent, not partial: only folders that exist are reported.
    if (!existsSync(path)) return []
    const missing = diffusersFolderMissing(path, DIFFUSERS_MODELS[model])
    return [{ model, path, complete: missing.length === 0, missing }]
  })
  return { kind: 'models-folder', root: modelsDir, problem: null, models }
}

/** Every source, in the order the app prefers them: the chosen folder, the HF cache, ComfyUI folders. */
export function findWeightSources(search: WeightSearch): WeightSource[] {
  const sources: WeightSource[] = []
  if (search.modelsDir) sources.push(modelsFolderSource(search.modelsDir))
  const hub = hubCacheLocation(search.env, search.home ?? homedir())
  sources.push({ kind: 'huggingface-cache', root: hub.path, from: hub.from, problem: hub.problem, models: hub.path ? findCachedSnapshots(hub.path) : [] })
  for (const folder of search.comfyUiFolders) {
    const report = readComfyUiFolder(folder)
    sources.push({ kind: 'comfyui', root: report.modelsDir, problem: report.problem, models: report.models })
  }
  return sources
}

/**
 * For each model, the first complete diffusers-layout folder (models folder, then HF cache): the
 * folder the engine loads in place. ComfyUI single files are not in this list (sidecarWeights.ts
 * offers them where no folder is complete).
 */
export function completeModelFolders(sources: WeightSource[]): Partial<Record<WanModelId, { kind: WeightSource['kind']; path: string }>> {
  const folders: Partial<Record<WanModelId, { kind: WeightSource['kind']; path: string }>> = {}
  for (const source of sources) {
    if (source.kind === 'comfyui') continue
    for (const model of source.models) {
      if (model.complete && !folders[model.model]) folders[model.model] = { kind: source.kind, path: model.path }
    }
  }
  return folders
}
