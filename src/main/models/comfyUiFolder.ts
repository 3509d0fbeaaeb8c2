// ComfyUI's single-file Wan2.2 weights, found where ComfyUI keeps them: <ComfyUI>/models/
// diffusion_models (or unet), text_encoders (or clip) and vae, in any subfolder, as ComfyUI itself
// lists them. Nothing is copied; the report names each file or what is missing.
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { COMFY_FOLDER_ALIASES, COMFY_MODELS, unusableReason, WAN_MODEL_IDS, type ComfyFolder, type WanModelId } from './catalog'

/** How deep below each models subfolder files are looked for (people group them: diffusion_models/Wan2.2/...). */
const MAX_DEPTH = 3

export interface ComfyComponentFile {
  component: string
  path: string
}

export interface ComfyModelReport {
  model: WanModelId
  /** Every component has a file diffusers can load. */
  complete: boolean
  /** The loadable file chosen for each component that has one. */
  files: ComfyComponentFile[]
  /** Components without a loadable file, each with the names that would do. */
  missing: { component: string; folder: ComfyFolder; acceptedNames: string[] }[]
  /** Files found that diffusers can't load as they are (fp8 "scaled"), so they don't count. */
  unusable: { component: string; path: string; reason: string }[]
}

export interface ComfyFolderReport {
  /** The ComfyUI models folder that was read. */
  modelsDir: string
  /** Set when the folder can't be used at all (then no models are reported). */
  problem: string | null
  models: ComfyModelReport[]
}

/** The models folder: the folder itself when it has ComfyUI's subfolders, else its models/ (the ComfyUI root was given). */
export function comfyModelsDir(folder: string): string {
  const hasSubfolders = (dir: string): boolean => Object.values(COMFY_FOLDER_ALIASES).flat().some((name) => existsSync(join(dir, name)))
  return !hasSubfolders(folder) && hasSubfolders(join(folder, 'models')) ? join(folder, 'models') : folder
}

/** File name -> first path holding it, under one models subfolder. */
function listFiles(dir: string, depth: number, into: Map<string, string>): void {
  let entries
  try {
    entries = readdirSync(dir, { withFileTypes: true })
  } catch {
    return
  }
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name)
    if (entry.isDirectory() || (entry.isSymbolicLink() && isDirectory(path))) {
      if (depth < MAX_DEPTH) listFiles(path, depth + 1, into)
    } else if (!into.has(entry.name)) {
      into.set(entry.name, path)
    }
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}

function reportModel(model: WanModelId, filesIn: (folder: ComfyFolder) => Map<string, string>): ComfyModelReport {
  const report: ComfyModelReport = { model, complete: false, files: [], missing: [], unusable: [] }
  for (const component of COMFY_MODELS[model]) {
    const files = filesIn(component.folder)
    const loadable = component.files.find((choice) => choice.loadable && files.has(choice.name))
    if (loadable) {
      report.files.push({ component: component.component, path: files.get(loadable.name)! })
      continue
    }
    report.missing.push({ component: component.component, folder: component.folder, acceptedNames: component.files.filter((choice) => choice.loadable).map((choice) => choice.name) })
    for (const choice of component.files) {
      if (!choice.loadable && files.has(choice.name)) {
        report.unusable.push({ component: component.component, path: files.get(choice.name)!, reason: unusableReason(choice) })
      }
    }
  }
  report.complete = report.missing.length === 0
  return report
}

/** What a ComfyUI folder (its root or its models/ folder) holds of each Wan2.2 model. */
export function readComfyUiFolder(folder: string): ComfyFolderReport {
  const modelsDir = comfyModelsDir(folder)
  if (!isDirectory(modelsDir)) return { modelsDir, problem: `${modelsDir} is not a folder`, models: [] }
  const byFolder = new Map<ComfyFolder, Map<string, string>>()
  const filesIn = (folderName: ComfyFolder): Map<string, string> => {
    let files = byFolder.get(folderName)
    if (!files) {
      files = new Map()
      for (const alias of COMFY_FOLDER_ALIASES[folderName]) listFiles(join(modelsDir, alias), 0, files)
      byFolder.set(folderName, files)
    }
    return files
  }
  if (!Object.values(COMFY_FOLDER_ALIASES).flat().some((name) => isDirectory(join(modelsDir, name)))) {
    return { modelsDir, problem: `${modelsDir} has none of ComfyUI's model folders (diffusion_models, text_encoders, vae)`, models: [] }
  }
  return { modelsDir, problem: null, models: WAN_MODEL_IDS.map((model) => reportModel(model, filesIn)) }
}
