// What the app asks of the helper model over IPC (the `prompt` domain): the helper models and what
// is missing of them (the weights check), a prompt's translation, and its extension. The sidecar's
// own answers are checked in src/main/prompting/schemas.ts; these are what cross to the renderer.
import { z } from 'zod'

export const helperModelViewSchema = z.object({
  id: z.string(),
  /** The Hugging Face repository, e.g. Qwen/Qwen2.5-3B-Instruct. */
  repo: z.string(),
  /** Where the studio looks for it: <models folder>/<name>. */
  path: z.string(),
  parametersBillions: z.number(),
  weightsMiB: z.number(),
  license: z.string(),
  default: z.boolean(),
  complete: z.boolean(),
  /** Absent or damaged files (the folder itself when it is absent). */
  missing: z.array(z.string()),
  /** The download command. */
  howToGet: z.string()
})
export type HelperModelView = z.infer<typeof helperModelViewSchema>

export const helperModelsViewSchema = z.object({
  models: z.array(helperModelViewSchema),
  /** Whether a complete helper model is there: Translate and Extend are offered only then. */
  ready: z.boolean(),
  /** Why the models can't be listed (no models folder, the sidecar failed), or null. */
  problem: z.string().nullable()
})
export type HelperModelsView = z.infer<typeof helperModelsViewSchema>

const promptParam = z.string().max(4000, 'prompt is longer than 4000 characters').refine((text) => text.trim().length > 0, 'prompt is empty')

export const translateParamsSchema = z.object({ prompt: promptParam })
export const extendParamsSchema = z.object({
  prompt: promptParam,
  /** The same seed gives the same extension (the shot's seed, so a re-render agrees). */
  seed: z.number().int('seed must be a whole number').min(0, 'seed must be at least 0').max(2 ** 32 - 1, 'seed must be below 2^32')
})

/** A translation or an extension, offered to the user to accept or edit. */
export const promptSuggestionSchema = z.object({
  task: z.enum(['translate', 'extend']),
  text: z.string(),
  model: z.string(),
  seed: z.number().int().nullable(),
  cached: z.boolean(),
  elapsedSeconds: z.number()
})
export type PromptSuggestion = z.infer<typeof promptSuggestionSchema>
