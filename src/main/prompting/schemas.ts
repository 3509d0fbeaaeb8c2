// What the sidecar's prompt.* methods answer (resources/sidecar/PROMPTING.md); anything else is a protocol fault.
import { z } from 'zod'

export const HELPER_MODEL_IDS = ['qwen2.5-3b-instruct', 'qwen2.5-1.5b-instruct'] as const
export type HelperModelId = (typeof HELPER_MODEL_IDS)[number]
export const helperModelIdSchema = z.enum(HELPER_MODEL_IDS)

export const helperDeviceSchema = z.enum(['cpu', 'cuda'])
export type HelperDevice = z.infer<typeof helperDeviceSchema>

/** What loading a helper model measured (prompt.status, and a task's `load` when it loaded one). */
export const helperLoadSchema = z
  .object({
    model: helperModelIdSchema,
    device: helperDeviceSchema,
    loadSeconds: z.number().min(0),
    /** Resident memory the load added to the sidecar; null where the platform does not tell. */
    ramMiB: z.number().nullable(),
    /** CUDA memory the weights hold; null on the CPU. */
    vramMiB: z.number().min(0).nullable(),
    weightsMiB: z.number().min(0)
  })
  .strict()
export type HelperLoad = z.infer<typeof helperLoadSchema>

/** prompt.translate and prompt.extend. */
export const promptTaskResultSchema = z
  .object({
    task: z.enum(['translate', 'extend']),
    /** The language of `text`. */
    language: z.enum(['zh', 'en']),
    model: helperModelIdSchema,
    /** null for a translation (greedy decoding needs none). */
    seed: z.number().int().min(0).nullable(),
    /** Where the instruction comes from, e.g. "Wan2.2 wan/utils/system_prompt.py:T2V_A14B_ZH_SYS_PROMPT". */
    systemPrompt: z.string().min(1),
    text: z.string().min(1),
    cached: z.boolean(),
    /** Set when this request loaded the model. */
    load: helperLoadSchema.nullable(),
    elapsedSeconds: z.number().min(0)
  })
  .strict()
export type PromptTaskResult = z.infer<typeof promptTaskResultSchema>

export const promptUnloadResultSchema = z.object({ unloaded: helperLoadSchema.nullable() }).strict()
export const promptStatusResultSchema = z.object({ loaded: helperLoadSchema.nullable() }).strict()

export const helperModelInfoSchema = z
  .object({
    id: helperModelIdSchema,
    repo: z.string(),
    path: z.string(),
    parametersBillions: z.number().positive(),
    weightsMiB: z.number().int().positive(),
    license: z.string(),
    default: z.boolean(),
    complete: z.boolean(),
    /** Absent or damaged files (the folder itself when it is absent). */
    missing: z.array(z.string()),
    /** e.g. "hf download Qwen/Qwen2.5-3B-Instruct --local-dir <models>/Qwen2.5-3B-Instruct" */
    howToGet: z.string()
  })
  .strict()
export type HelperModelInfo = z.infer<typeof helperModelInfoSchema>

export const promptModelsResultSchema = z.object({ default: helperModelIdSchema, models: z.array(helperModelInfoSchema) }).strict()
export type PromptModelsResult = z.infer<typeof promptModelsResultSchema>
