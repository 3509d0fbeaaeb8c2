import { z } from 'zod'

export const studioSettingsSchema = z.object({
  /** Folder holding Wan2.2-T2V-A14B-Diffusers etc.; the studio never downloads weights itself. */
  modelsDir: z.string().min(1).nullable().default(null)
})
export type StudioSettings = z.infer<typeof studioSettingsSchema>

/** Wan2.2's default negative prompt (official shared_config.py, sample_neg_prompt); users may edit it. */
export const WAN_DEFAULT_NEGATIVE_PROMPT =
  '色调艳丽，过曝，静态，细节模糊不清，字幕，风格，作品，画作，画面，静止，整体发灰，最差质量，低质量，JPEG压缩残留，丑陋的，残缺的，多余的手指，画得不好的手部，画得不好的脸部，畸形的，毁容的，形态畸形的肢体，手指融合，静止不动的画面，杂乱的背景，三条腿，背景人很多，倒着走'
