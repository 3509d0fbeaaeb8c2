// What the sidecar reports about the real engine (EngineStatus `details`), read defensively: the
// details are free-form, so each field is checked here and a missing or malformed one is unknown.
import { z } from 'zod'
import type { EngineStatus } from '../../shared/ipc'
import type { ModelId } from '../../shared/plan'

/** A field that may be absent or malformed; either way it reads as undefined. */
const lenient = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined)

const modelWeightsSchema = z.object({
  path: lenient(z.string()),
  /** Where the engine loads it from: initialize's modelDirs (a folder found for it), modelFiles (ComfyUI files) or <modelsDir>/<repo>. */
  source: lenient(z.enum(['modelDirs', 'modelFiles', 'modelsDir'])),
  present: lenient(z.boolean()),
  complete: lenient(z.boolean()),
  /** Files missing or damaged, relative to the model folder. */
  missing: lenient(z.array(z.string()))
})
export type ModelWeights = z.infer<typeof modelWeightsSchema>

const diffusersDetailsSchema = z.object({
  python: lenient(z.string()),
  /** Package -> installed version, null when not installed. */
  versions: lenient(z.record(z.string(), z.string().nullable())),
  /** Packages whose installed version differs from the one the studio pins. */
  unpinned: lenient(z.record(z.string(), z.object({ installed: z.string(), pinned: z.string() }))),
  /** The CUDA version torch was built for; null for a CPU-only build. */
  torchCuda: lenient(z.string().nullable()),
  cudaAvailable: lenient(z.boolean()),
  /** The GPUs torch sees. */
  gpus: lenient(z.array(z.string())),
  note: lenient(z.string()),
  modelsDir: lenient(z.string().nullable()),
  models: lenient(z.record(z.string(), modelWeightsSchema.catch({}))),
  /** The Wan2.2-Lightning LoRAs fast mode loads (issue #10's contract). */
  fastMode: lenient(
    z.object({
      available: z.boolean(),
      reason: z.string().nullable(),
      files: z.array(z.object({ role: z.enum(['high-noise', 'low-noise']), path: z.string(), present: z.boolean() })),
      howToGet: z.string()
    })
  ),
  /** Attention backends installed and whether regional compilation works. */
  speedLevers: lenient(
    z.object({
      attentionBackends: z.array(z.string()),
      compile: z.object({ available: z.boolean(), reason: z.string().nullable() })
    })
  )
})
export type DiffusersDetails = z.infer<typeof diffusersDetailsSchema>

export function diffusersDetails(status: EngineStatus): DiffusersDetails {
  const engine = status.engines.find((candidate) => candidate.id === 'diffusers')
  return diffusersDetailsSchema.catch({}).parse(engine?.details ?? {})
}

/** The packages the real engine needs besides torch, in the order the checklist shows them. */
export const ENGINE_LIBRARIES = ['diffusers', 'transformers', 'torchao', 'accelerate'] as const

/** Each model's folder in the models folder, also its Hugging Face repo under Wan-AI/. */
export const MODEL_FOLDERS: Record<ModelId, string> = {
  't2v-a14b': 'Wan2.2-T2V-A14B-Diffusers',
  'ti2v-5b': 'Wan2.2-TI2V-5B-Diffusers'
}

/** Quotes a path with spaces or shell characters so the command can be pasted as is. */
function quoteForShell(path: string): string {
  return /[\s"'$`]/.test(path) ? `"${path.replace(/(["$`])/g, '\\$1')}"` : path
}

/** Where a model's weights go: the folder the sidecar reported, else inside the models folder. */
export function modelFolderPath(model: ModelId, weights: ModelWeights | undefined, modelsDir: string | null): string {
  if (weights?.path) return weights.path
  const root = modelsDir ?? '<models-folder>'
  const separator = root.includes('\\') && !root.includes('/') ? '\\' : '/'
  return `${root.replace(/[\\/]+$/, '')}${separator}${MODEL_FOLDERS[model]}`
}

/** The command that downloads a model into the models folder (the studio never downloads weights). */
export function downloadCommand(model: ModelId, folder: string): string {
  return `hf download Wan-AI/${MODEL_FOLDERS[model]} --local-dir ${quoteForShell(folder)}`
}
