// The prompt library: named presets a shot's prompt fields can be set from, and the history of the
// prompts that were queued for rendering, newest first. Kept in the data folder by main
// (src/main/project/promptLibrary.ts); searched in the renderer (searchPrompts).
import { z } from 'zod'
import { promptTextSchema, shotSecondsSchema } from './render'
import { shotSchema } from './project'

export const PROMPT_LIBRARY_FORMAT_VERSION = 1
/** Prompts kept in the history; the oldest drop off. */
export const PROMPT_HISTORY_LIMIT = 200
export const PRESET_NAME_MAX = 80

export const presetNameSchema = z
  .string({ error: 'a preset name must be text' })
  .trim()
  .min(1, 'the preset needs a name')
  .max(PRESET_NAME_MAX, `a preset name is at most ${PRESET_NAME_MAX} characters`)

/** What a preset sets on a shot: the prompt fields, its length and steps (null steps: the engine's default). */
export const promptPresetSchema = z.object({
  name: presetNameSchema,
  prompt: promptTextSchema('prompt'),
  negativePrompt: shotSchema.shape.negativePrompt,
  seconds: shotSecondsSchema,
  steps: shotSchema.shape.steps,
  savedAt: z.string()
})
export type PromptPreset = z.infer<typeof promptPresetSchema>

export const promptHistoryEntrySchema = z.object({
  prompt: promptTextSchema('prompt'),
  negativePrompt: shotSchema.shape.negativePrompt,
  /** When it was last queued. */
  usedAt: z.string()
})
export type PromptHistoryEntry = z.infer<typeof promptHistoryEntrySchema>

export const promptLibrarySchema = z.object({
  formatVersion: z.literal(PROMPT_LIBRARY_FORMAT_VERSION),
  presets: z.array(promptPresetSchema),
  history: z.array(promptHistoryEntrySchema)
})
export type PromptLibrary = z.infer<typeof promptLibrarySchema>

/** The library as the renderer sees it, with what happened to a damaged file (null when none). */
export const promptLibraryViewSchema = promptLibrarySchema.extend({ notice: z.string().nullable() })
export type PromptLibraryView = z.infer<typeof promptLibraryViewSchema>

export const savePresetParamsSchema = promptPresetSchema.omit({ savedAt: true })
export type SavePresetParams = z.infer<typeof savePresetParamsSchema>

/**
 * History entries matching every word of `query` (case-insensitive) in the prompt or the negative
 * prompt, in history order; all of them for a blank query.
 */
export function searchPrompts(history: readonly PromptHistoryEntry[], query: string): PromptHistoryEntry[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean)
  if (words.length === 0) return [...history]
  return history.filter((entry) => {
    const text = `${entry.prompt}\n${entry.negativePrompt ?? ''}`.toLowerCase()
    return words.every((word) => text.includes(word))
  })
}
