import { z } from 'zod'

/** Wan2.2 A14B renders 16 fps: the timeline's rate (exports convert per shot, see timeline.ts). */
export const CLIP_FPS = 16
/** Longest segment one `generate` call renders (Wan2.2's native 81 frames, ~5 s). */
export const MAX_SEGMENT_FRAMES = 81
/** Frames of the previous segment a continued segment starts from; the export drops them. */
export const CONTINUITY_OVERLAP_FRAMES = 5
/** Longer shots are almost certainly a typo (300 s is 60 A14B segments, hours of GPU time). */
export const MAX_CLIP_SECONDS = 300

export const engineChoiceSchema = z.enum(['auto', 'synthetic', 'diffusers'])
export type EngineChoice = z.infer<typeof engineChoiceSchema>
export const engineIdSchema = z.enum(['synthetic', 'diffusers'])
export type EngineId = z.infer<typeof engineIdSchema>

/**
 * Why text can't go to the text encoder, with where: NUL and other control characters (tab and
 * newline are fine) and lone UTF-16 surrogates, which no tokenizer can encode. Null when it can.
 */
export function promptTextProblem(text: string): string | null {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index)
    if (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) return `control character U+${hex(code)} at position ${index + 1}`
    if (code === 0x7f) return `control character U+007F at position ${index + 1}`
    const high = code >= 0xd800 && code <= 0xdbff
    const low = code >= 0xdc00 && code <= 0xdfff
    if (high && index + 1 < text.length && isLowSurrogate(text.charCodeAt(index + 1))) {
      index++
      continue
    }
    if (high || low) return `a lone surrogate U+${hex(code)} at position ${index + 1}`
  }
  return null
}

function hex(code: number): string {
  return code.toString(16).toUpperCase().padStart(4, '0')
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff
}

/** Text a prompt field accepts: at most `max` characters, nothing a tokenizer can't encode. */
export function promptTextSchema(what: string, max = 4000) {
  return z
    .string({ error: `${what} must be text` })
    .max(max, `${what} is longer than ${max} characters`)
    .superRefine((text, context) => {
      const problem = promptTextProblem(text)
      if (problem) context.addIssue({ code: 'custom', message: `${what} has ${problem}` })
    })
}

/** A shot's length: positive, finite, at most MAX_CLIP_SECONDS, at least one frame. */
export const shotSecondsSchema = z
  .number({ error: 'seconds must be a number' })
  .refine(Number.isFinite, 'seconds must be a finite number')
  .refine((s) => s > 0, 'seconds must be greater than 0')
  .refine((s) => s <= MAX_CLIP_SECONDS, `seconds must be at most ${MAX_CLIP_SECONDS}`)
  .refine((s) => Math.round(s * CLIP_FPS) >= 1, `seconds must cover at least one frame at ${CLIP_FPS} fps`)

export const renderRequestSchema = z.object({
  prompt: promptTextSchema('prompt').refine((text) => text.trim().length > 0, 'prompt is empty: describe the shot to render'),
  negativePrompt: promptTextSchema('negative prompt').optional(),
  seconds: shotSecondsSchema,
  seed: z
    .number({ error: 'seed must be a number' })
    .int('seed must be a whole number')
    .min(0, 'seed must be at least 0')
    .max(2 ** 32 - 1, 'seed must be below 2^32')
    .optional(),
  engine: engineChoiceSchema.default('auto'),
  /** Denoising steps; each engine has its own default. */
  steps: z.number().int().min(1).max(200).optional()
})
export type RenderRequestInput = z.input<typeof renderRequestSchema>
export type RenderRequest = z.output<typeof renderRequestSchema>
