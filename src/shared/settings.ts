import { z } from 'zod'
import { attentionBackendSchema, precisionSchema } from './plan'

/** Wan2.2's default negative prompt (official shared_config.py, sample_neg_prompt); users may edit it. */
export const WAN_DEFAULT_NEGATIVE_PROMPT =
  '色调艳丽，过曝，静态，细节模糊不清，字幕，风格，作品，画作，画面，静止，整体发灰，最差质量，低质量，JPEG压缩残留，丑陋的，残缺的，多余的手指，画得不好的手部，画得不好的脸部，畸形的，毁容的，形态畸形的肢体，手指融合，静止不动的画面，杂乱的背景，三条腿，背景人很多，倒着走'

/** What a user pinned in the System panel over the planner's choice; null fields stay automatic. */
export const planOverrideSchema = z.object({
  model: z.enum(['t2v-a14b', 'ti2v-5b']).nullable().default(null),
  precision: precisionSchema.nullable().default(null),
  experts: z.enum(['resident', 'swap', 'stream']).nullable().default(null),
  textEncoder: z.enum(['gpu', 'cpu']).nullable().default(null),
  vaeTiling: z.boolean().nullable().default(null),
  segmentFrames: z
    .number()
    .int()
    .min(9, 'segments need at least 9 frames (5 of them continue the previous segment)')
    .max(121)
    .refine((frames) => (frames - 1) % 4 === 0, 'segment frames must be 4n+1')
    .nullable()
    .default(null),
  /** Regional compilation on or off; null: the planner decides from what the sidecar reported. */
  compile: z.boolean().nullable().default(null),
  /** One of the attention backends the sidecar reported; null: the planner's choice. */
  attention: attentionBackendSchema.nullable().default(null)
})
export type PlanOverride = z.infer<typeof planOverrideSchema>

/** The metrics endpoint's address and port, checked where they are typed (the System tab, settings.json). */
const metricsHostSchema = z
  .string()
  .trim()
  .min(1, 'the metrics address is empty')
  .regex(/^[^\s/]*$/, 'the metrics address is a host name or IP address, without a scheme, path or spaces')
const metricsPortSchema = z.number().int('the metrics port is a whole number').min(1, 'the metrics port is 1 to 65535').max(65535, 'the metrics port is 1 to 65535')

/** The opt-in Prometheus endpoint (docs/telemetry.md): off by default; 127.0.0.1 unless the user chooses another address. */
export const metricsSettingsSchema = z.object({ enabled: z.boolean(), host: metricsHostSchema, port: metricsPortSchema }).strict()
export type MetricsSettings = z.infer<typeof metricsSettingsSchema>
export const DEFAULT_METRICS_SETTINGS: MetricsSettings = { enabled: false, host: '127.0.0.1', port: 9464 }

/** A ComfyUI folder (its root or its models/ folder): absolute, as typed in the System tab or settings.json. */
const comfyUiFolderSchema = z
  .string()
  .trim()
  .min(1, 'the ComfyUI folder path is empty')
  .regex(/^(\/|[A-Za-z]:[\\/]|\\\\|~)/, 'the ComfyUI folder must be an absolute path')
export const comfyUiFoldersSchema = z.array(comfyUiFolderSchema).max(20, 'at most 20 ComfyUI folders')

export const studioSettingsSchema = z.object({
  /** Folder holding Wan2.2-T2V-A14B-Diffusers etc.; the studio never downloads weights itself. */
  modelsDir: z.string().min(1, 'the models folder path is empty').nullable().default(null),
  planOverride: planOverrideSchema.nullable().default(null),
  metrics: metricsSettingsSchema.default(DEFAULT_METRICS_SETTINGS),
  /** ComfyUI folders whose single-file Wan2.2 weights are offered as a source (never copied). */
  comfyUiFolders: comfyUiFoldersSchema.default([])
})
export type StudioSettings = z.infer<typeof studioSettingsSchema>

/**
 * A change to some settings. Not `studioSettingsSchema.partial()`: zod 4 still applies the inner
 * defaults there, so saving one setting would reset the others to null.
 */
export const settingsChangeSchema = z
  .object({
    modelsDir: z.string().min(1, 'the models folder path is empty').nullable().optional(),
    planOverride: planOverrideSchema.nullable().optional(),
    metrics: metricsSettingsSchema.optional(),
    comfyUiFolders: comfyUiFoldersSchema.optional()
  })
  .strict()
export type SettingsChange = z.infer<typeof settingsChangeSchema>
