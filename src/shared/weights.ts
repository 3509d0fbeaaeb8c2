// Where each model's weights were found on this machine (src/main/models/weightSources.ts), for the
// System tab: every source that holds some of a model, complete or not, with what is missing.
import { z } from 'zod'

export const weightSourceKindSchema = z.enum(['models-folder', 'huggingface-cache', 'comfyui'])
export type WeightSourceKind = z.infer<typeof weightSourceKindSchema>

export const foundWeightsSchema = z.object({
  kind: weightSourceKindSchema,
  /** The models folder, the hub cache, or ComfyUI's models folder. */
  root: z.string().nullable(),
  /** The diffusers folder (null for ComfyUI files: see files). */
  path: z.string().nullable(),
  files: z.array(z.object({ component: z.string(), path: z.string() })),
  complete: z.boolean(),
  /** Absent or damaged files (diffusers folders), or ComfyUI components with the file names that would do. */
  missing: z.array(z.string()),
  unusable: z.array(z.object({ path: z.string(), reason: z.string() }))
})
export type FoundWeights = z.infer<typeof foundWeightsSchema>

export const weightsFoundSchema = z.object({
  /** Sources that could not be read at all (a bad HF_HOME, a ComfyUI folder without model folders). */
  problems: z.array(z.object({ kind: weightSourceKindSchema, root: z.string().nullable(), problem: z.string() })),
  /** Model id -> the sources holding some of it, in the order the app prefers them. */
  models: z.record(z.string(), z.array(foundWeightsSchema))
})
export type WeightsFound = z.infer<typeof weightsFoundSchema>
