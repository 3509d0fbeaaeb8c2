// Schemas of what the sidecar sends (resources/sidecar/PROTOCOL.md); anything else is a protocol fault.
import { z } from 'zod'

const id = z.union([z.number(), z.string(), z.null()])

export const rpcErrorSchema = z.object({
  code: z.number().int(),
  message: z.string(),
  data: z.unknown().optional()
})
export type RpcErrorObject = z.infer<typeof rpcErrorSchema>

export const responseSchema = z.union([
  z.object({ jsonrpc: z.literal('2.0'), id, result: z.unknown() }).strict(),
  z.object({ jsonrpc: z.literal('2.0'), id, error: rpcErrorSchema }).strict()
])

export const readyParamsSchema = z.object({
  version: z.string(),
  protocolVersion: z.number().int(),
  pid: z.number().int()
})

export const progressParamsSchema = z.object({
  requestId: id,
  shot: z.number().int(),
  segment: z.number().int(),
  step: z.number().int(),
  steps: z.number().int(),
  expert: z.string().nullable(),
  elapsedSeconds: z.number()
})
export type SidecarProgress = z.infer<typeof progressParamsSchema>

/** Image types a preview may carry; anything else would not decode in the viewer. */
export const PREVIEW_MIME_TYPES = ['image/jpeg'] as const

/** One frame of the denoised estimate so far (PROTOCOL.md, `preview`), base64 in `data`. */
export const previewParamsSchema = z.object({
  requestId: id,
  shot: z.number().int(),
  segment: z.number().int().min(0),
  step: z.number().int().min(0),
  steps: z.number().int().min(1),
  width: z.number().int().min(1).max(4096),
  height: z.number().int().min(1).max(4096),
  mime: z.enum(PREVIEW_MIME_TYPES),
  /** A 512-pixel JPEG is well under a megabyte; more is a fault, not a picture. */
  data: z.base64().min(1).max(4 * 1024 * 1024)
})
export type SidecarPreview = z.infer<typeof previewParamsSchema>

export const logParamsSchema = z.object({
  level: z.enum(['debug', 'info', 'warning', 'error']),
  message: z.string()
})

export const notificationSchema = z.discriminatedUnion('method', [
  z.object({ jsonrpc: z.literal('2.0'), method: z.literal('ready'), params: readyParamsSchema }),
  z.object({ jsonrpc: z.literal('2.0'), method: z.literal('progress'), params: progressParamsSchema }),
  z.object({ jsonrpc: z.literal('2.0'), method: z.literal('log'), params: logParamsSchema }),
  z.object({ jsonrpc: z.literal('2.0'), method: z.literal('preview'), params: previewParamsSchema })
])
export type SidecarNotification = z.infer<typeof notificationSchema>

export const engineReportSchema = z.object({
  id: z.string(),
  label: z.string(),
  available: z.boolean(),
  reason: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).optional()
})
export type EngineReport = z.infer<typeof engineReportSchema>

export const initializeResultSchema = z.object({
  version: z.string(),
  protocolVersion: z.number().int(),
  python: z.string(),
  engines: z.array(engineReportSchema)
})
export type InitializeResult = z.infer<typeof initializeResultSchema>

export const generateResultSchema = z
  .object({
    output: z.string(),
    frames: z.number().int(),
    width: z.number().int(),
    height: z.number().int(),
    fps: z.number().int(),
    engine: z.string(),
    elapsedSeconds: z.number(),
    secondsPerStep: z.number().nullable(),
    peakRamMiB: z.number().nullable().optional(),
    peakVramAllocatedMiB: z.number().nullable().optional(),
    peakVramReservedMiB: z.number().nullable().optional(),
    /** Seconds this call spent compiling (regional compilation's first segment); inside secondsPerStep. */
    compileSeconds: z.number().min(0).nullable().optional()
  })
  .loose()
export type GenerateResult = z.infer<typeof generateResultSchema>

export interface GenerateParams {
  engine: 'synthetic' | 'diffusers'
  shot: number
  segment: number
  prompt: string
  negativePrompt?: string | null
  seed: number
  frames: number
  width: number
  height: number
  fps: number
  steps: number
  output: string
  startFrame: number
  continueFrom?: { path: string; frames: number } | null
  options?: Record<string, unknown>
  /** Ask for `preview` notifications: one every `everySteps` steps and after the last, longest side <= maxSide. */
  preview?: PreviewRequest | null
}

export interface PreviewRequest {
  everySteps: number
  maxSide: number
}

/** Error codes of PROTOCOL.md. */
export const RpcCode = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internal: -32603,
  engine: -32000,
  cancelled: -32001,
  outOfMemory: -32002,
  engineUnavailable: -32003,
  busy: -32004,
  weightsMissing: -32005,
  notInitialized: -32010
} as const

export const cancelResultSchema = z.object({ cancelled: z.boolean() })
