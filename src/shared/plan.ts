// The render plan: which GPU, model, precision and placement the real (diffusers) engine uses, with
// the planner's predictions. The planner (src/main/planner) makes it; the sidecar's `generate`
// receives it as options.plan; the renderer shows it.
import { z } from 'zod'

export const modelIdSchema = z.enum(['t2v-a14b', 'ti2v-5b'])
export type ModelId = z.infer<typeof modelIdSchema>

/** bf16: the official weights. fp8 / int8: 8-bit weight storage, bf16 compute (torchao weight-only). */
export const precisionSchema = z.enum(['bf16', 'fp8', 'int8'])
export type Precision = z.infer<typeof precisionSchema>

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

export const isFourNPlusOne = (frames: number): boolean => Number.isInteger(frames) && frames >= 1 && (frames - 1) % 4 === 0

export const planSchema = z
  .object({
    gpuIndex: z.number().int().min(0),
    /** nvidia-smi's UUID of the GPU (or of the MIG slice) the plan is for; stable where indices are not. */
    gpuUuid: z.string().optional(),
    model: modelIdSchema,
    precision: precisionSchema,
    placement: placementSchema,
    segmentFrames: z.number().int().refine(isFourNPlusOne, 'segmentFrames must be 4n+1'),
    width: z.number().int().positive(),
    height: z.number().int().positive(),
    predicted: z.object({
      peakVramMiB: z.number().min(0),
      peakRamMiB: z.number().min(0),
      secondsPerSegment: z.number().min(0)
    }),
    reasons: z.array(z.string())
  })
  .superRefine((plan, context) => {
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
