// The render plan: which GPU, model, precision and placement the real (diffusers) engine uses, with
// the planner's predictions. The planner (src/main/planner) makes it; the sidecar's `generate`
// receives it as options.plan; the renderer shows it.
import { z } from 'zod'

export const modelIdSchema = z.enum(['t2v-a14b', 'ti2v-5b'])
export type ModelId = z.infer<typeof modelIdSchema>

/**
 * bf16: the official weights. fp8 / int8: 8-bit weight storage, bf16 compute (torchao weight-only).
 * fp16: weights and compute in float16, for GPUs without bf16 (compute capability < 8.0).
 */
export const precisionSchema = z.enum(['bf16', 'fp8', 'int8', 'fp16'])
export type Precision = z.infer<typeof precisionSchema>

/** quality: the model's own steps with classifier-free guidance. fast: Wan2.2-Lightning's 4-step LoRAs, no CFG. */
export const renderModeSchema = z.enum(['quality', 'fast'])
export type RenderMode = z.infer<typeof renderModeSchema>

/** Attention kernels: PyTorch SDPA (always there), FlashAttention 2, FlashAttention 3 (Hopper), SageAttention. */
export const attentionBackendSchema = z.enum(['sdpa', 'flash', 'flash3', 'sage'])
export type AttentionBackend = z.infer<typeof attentionBackendSchema>

/** compile: torch.compile of the repeated transformer block (diffusers compile_repeated_blocks). */
export const speedLeversSchema = z.object({ compile: z.boolean(), attention: attentionBackendSchema })
export type SpeedLevers = z.infer<typeof speedLeversSchema>

export const DEFAULT_SPEED_LEVERS: SpeedLevers = { compile: false, attention: 'sdpa' }

/** What the sidecar reported it can do (diffusers engine details); the planner takes it as input. */
export const leverSupportSchema = z.object({
  attentionBackends: z.array(attentionBackendSchema),
  compile: z.object({ available: z.boolean(), reason: z.string().nullable() }),
  fastMode: z.object({ available: z.boolean(), reason: z.string().nullable() })
})
export type LeverSupport = z.infer<typeof leverSupportSchema>

/** resident: every expert on the GPU; swap: only the running expert on the GPU, the other in RAM;
 *  stream: transformer blocks stream from RAM as they run (diffusers group offload). */
export const expertPlacementSchema = z.enum(['resident', 'swap', 'stream'])
export type ExpertPlacement = z.infer<typeof expertPlacementSchema>

export const placementSchema = z.object({
  experts: expertPlacementSchema,
  /** Where umT5 computes; outside "resident" it leaves the GPU after encoding. */
  textEncoder: z.enum(['gpu', 'cpu']),
  vaeTiling: z.boolean()
})
export type Placement = z.infer<typeof placementSchema>

/** Longest segment each model renders in one call: its native clip length. */
export const MAX_SEGMENT_FRAMES: Record<ModelId, number> = { 't2v-a14b': 81, 'ti2v-5b': 121 }
/** Width and height must be multiples of this: VAE stride x patch size (8 x 2, and 16 x 2 for the 5B). */
export const SIZE_MULTIPLE: Record<ModelId, number> = { 't2v-a14b': 16, 'ti2v-5b': 32 }
/** Frames per second each model was trained at and renders (the official configs' sample_fps). */
export const NATIVE_FPS: Record<ModelId, number> = { 't2v-a14b': 16, 'ti2v-5b': 24 }
/** The Lightning 4-step LoRAs exist for the T2V-A14B's two experts only. */
export const FAST_MODE_MODELS: readonly ModelId[] = ['t2v-a14b']
/** Fast mode runs the steps the Lightning LoRAs were trained for; generate.steps must be this. */
export const FAST_MODE_STEPS = 4

export const isFourNPlusOne = (frames: number): boolean => Number.isInteger(frames) && frames >= 1 && (frames - 1) % 4 === 0

export const planSchema = z
  .object({
    gpuIndex: z.number().int().min(0),
    /** nvidia-smi's UUID of the GPU (or of the MIG slice) the plan is for; stable where indices are not. */
    gpuUuid: z.string().optional(),
    model: modelIdSchema,
    precision: precisionSchema,
    mode: renderModeSchema,
    speed: speedLeversSchema,
    /** The model's native frame rate (NATIVE_FPS): 16 for T2V-A14B, 24 for TI2V-5B. */
    fps: z.number().int().positive(),
    placement: placementSchema,
    segmentFrames: z.number().int().refine(isFourNPlusOne, 'segmentFrames must be 4n+1'),
    width: z.number().int().positive(),
    height: z.number().int().positive(),
    predicted: z.object({
      peakVramMiB: z.number().min(0),
      peakRamMiB: z.number().min(0),
      secondsPerSegment: z.number().min(0),
      /**
       * Paid once per engine load, on the first segment, on top of secondsPerSegment: loading the
       * fast-mode LoRAs, compiling the repeated block (compileCachedSeconds: the same compile from
       * torch's on-disk cache on a later run). Absent in plans made before #10.
       */
      oneTime: z
        .object({ loraLoadSeconds: z.number().min(0), compileSeconds: z.number().min(0), compileCachedSeconds: z.number().min(0) })
        .optional()
    }),
    reasons: z.array(z.string())
  })
  .superRefine((plan, context) => {
    if (plan.fps !== NATIVE_FPS[plan.model]) {
      context.addIssue({ code: 'custom', path: ['fps'], message: `${plan.model} renders at ${NATIVE_FPS[plan.model]} fps` })
    }
    if (plan.mode === 'fast' && !FAST_MODE_MODELS.includes(plan.model)) {
      context.addIssue({ code: 'custom', path: ['mode'], message: `fast mode (the Lightning 4-step LoRAs) exists for ${FAST_MODE_MODELS.join(', ')} only` })
    }
    if (plan.segmentFrames > MAX_SEGMENT_FRAMES[plan.model]) {
      context.addIssue({
        code: 'custom',
        path: ['segmentFrames'],
        message: `${plan.model} renders at most ${MAX_SEGMENT_FRAMES[plan.model]} frames per segment`
      })
    }
    for (const side of ['width', 'height'] as const) {
      if (plan[side] % SIZE_MULTIPLE[plan.model] !== 0) {
        context.addIssue({
          code: 'custom',
          path: [side],
          message: `${plan.model} needs a ${side} that is a multiple of ${SIZE_MULTIPLE[plan.model]}`
        })
      }
    }
  })
export type Plan = z.infer<typeof planSchema>

/** Where the prompt helper model would load: the sidecar's `device` param is "cuda" for the GPU. */
export const helperPlacementSchema = z.enum(['gpu', 'cpu'])

/** One helper model the studio knows (the sidecar's catalogue), as the plan lists it. */
export const helperModelPlanEntrySchema = z.object({
  /** The sidecar's id, e.g. "qwen2.5-3b-instruct". */
  model: z.string(),
  /** The Hugging Face repository, e.g. "Qwen/Qwen2.5-3B-Instruct". */
  repo: z.string(),
  parametersBillions: z.number().positive(),
  /** A complete copy is in the models folder; null when nobody looked (no models folder, the CLI's doctor). */
  installed: z.boolean().nullable(),
  weightsBytes: z.number().int().positive(),
  /** installed: the sum of its safetensors files; catalogue: 2 bytes a parameter (bf16). */
  weightsFrom: z.enum(['installed', 'catalogue'])
})
export type HelperModelPlanEntry = z.infer<typeof helperModelPlanEntrySchema>

/**
 * The prompt helper model (translation and extension, docs/prompting.md) in the memory plan: it runs
 * at queue time, before the video model, and is unloaded before the video model's first segment.
 * The planner's planPromptHelper makes it (src/main/planner/promptHelperPlan.ts).
 */
export const promptHelperPlanSchema = helperModelPlanEntrySchema.extend({
  /**
   * Whether queueing uses it: a complete copy is installed (each shot's translate setting then says
   * whether it runs); null when nobody looked.
   */
  used: z.boolean().nullable(),
  /** Where it loads when queued with nothing rendering and no Wan2.2 pipeline cached. */
  placement: helperPlacementSchema,
  /** The GPU the sidecar's "cuda" means (its CUDA device 0); null without a usable GPU. */
  gpuIndex: z.number().int().min(0).nullable(),
  /** It fits on that GPU inside the safety margin: the Studio loads it there only then. */
  fitsGpu: z.boolean(),
  predicted: z.object({
    /** On the GPU: the CUDA context, weights, KV cache and prefill work; 0 on the CPU. */
    peakVramMiB: z.number().min(0),
    /** The sidecar process while it loads and runs (the weights pass through RAM on their way to the GPU). */
    peakRamMiB: z.number().min(0),
    /** Reading the weights at the assumed disk speed, plus setup (and the copy to the GPU). */
    loadSeconds: z.number().min(0),
    /** RAM with it on the CPU beside a running render (queued while one runs); null without a video plan. */
    besideRenderRamMiB: z.number().min(0).nullable()
  }),
  /** Every other helper model the studio knows, installed or not. */
  others: z.array(helperModelPlanEntrySchema),
  reasons: z.array(z.string()),
  /** Memory that may not suffice ("Tight: …", "Won't fit: …"). */
  warnings: z.array(z.string())
})
export type PromptHelperPlan = z.infer<typeof promptHelperPlanSchema>
