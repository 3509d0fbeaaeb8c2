import { z } from 'zod'

/** Wan2.2 A14B renders 16 fps; the final clip keeps it so no frame is invented. */
export const CLIP_FPS = 16
export const CLIP_WIDTH = 1280
export const CLIP_HEIGHT = 720
/** Longest segment one `generate` call renders (Wan2.2's native 81 frames, ~5 s). */
export const MAX_SEGMENT_FRAMES = 81
/** Frames of the previous segment a continued segment starts from; the stitcher drops them. */
export const CONTINUITY_OVERLAP_FRAMES = 5
/** Longer shots are almost certainly a typo (300 s is 60 A14B segments, hours of GPU time). */
export const MAX_CLIP_SECONDS = 300

export const engineChoiceSchema = z.enum(['auto', 'synthetic', 'diffusers'])
export type EngineChoice = z.infer<typeof engineChoiceSchema>
export const engineIdSchema = z.enum(['synthetic', 'diffusers'])
export type EngineId = z.infer<typeof engineIdSchema>

export const renderRequestSchema = z.object({
  prompt: z
    .string({ error: 'prompt must be text' })
    .max(4000, 'prompt is longer than 4000 characters')
    .refine((text) => text.trim().length > 0, 'prompt is empty: describe the shot to render'),
  negativePrompt: z.string().max(4000, 'negative prompt is longer than 4000 characters').optional(),
  seconds: z
    .number({ error: 'seconds must be a number' })
    .refine(Number.isFinite, 'seconds must be a finite number')
    .refine((s) => s > 0, 'seconds must be greater than 0')
    .refine((s) => s <= MAX_CLIP_SECONDS, `seconds must be at most ${MAX_CLIP_SECONDS}`)
    .refine((s) => Math.round(s * CLIP_FPS) >= 1, `seconds must cover at least one frame at ${CLIP_FPS} fps`),
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
