// The one IPC contract: every invoke channel's params and result, every event's payload.
// Main validates params against these schemas; the preload exposes exactly these methods.
import { z } from 'zod'
import { doctorReportSchema } from './doctor'
import { planSchema } from './plan'
import { settingsChangeSchema, studioSettingsSchema } from './settings'
import type { EventMethod, InvokeMethod } from './ipcChannels'
import {
  engineIdSchema,
  renderFailureSchema,
  renderProgressSchema,
  renderRequestSchema,
  renderResultSchema
} from './render'

export const engineInfoSchema = z.object({
  id: engineIdSchema,
  label: z.string(),
  available: z.boolean(),
  reason: z.string().nullable()
})
export type EngineInfo = z.infer<typeof engineInfoSchema>

export const sidecarStateSchema = z.enum(['stopped', 'starting', 'ready', 'crashed'])
export type SidecarState = z.infer<typeof sidecarStateSchema>

export const studioInfoSchema = z.object({
  version: z.string(),
  dataDir: z.string(),
  ffmpeg: z.object({ path: z.string(), source: z.string() }).nullable(),
  python: z.object({ path: z.string(), source: z.string() }).nullable(),
  sidecar: z.object({ state: sidecarStateSchema, lastError: z.string().nullable() }),
  engines: z.array(engineInfoSchema),
  /** Why the studio can't render at all (no ffmpeg, no Python), or null. */
  problem: z.string().nullable()
})
export type StudioInfo = z.infer<typeof studioInfoSchema>

export const logLineSchema = z.object({
  time: z.string(),
  level: z.enum(['debug', 'info', 'warning', 'error']),
  source: z.enum(['sidecar', 'studio']),
  message: z.string()
})
export type LogLine = z.infer<typeof logLineSchema>

/** The engines as the sidecar reports them, with what the real engine still needs. */
export const engineStatusSchema = z.object({
  python: z.object({ path: z.string(), source: z.string() }).nullable(),
  sidecar: z.object({ state: sidecarStateSchema, lastError: z.string().nullable() }),
  engines: z.array(
    engineInfoSchema.extend({ details: z.record(z.string(), z.unknown()) })
  ),
  /** Whether Wan2.2 can render right now, else what is missing and how to fix it. */
  realEngine: z.object({ ready: z.boolean(), reason: z.string().nullable() })
})
export type EngineStatus = z.infer<typeof engineStatusSchema>

export const effectivePlanSchema = z.object({
  plan: planSchema.nullable(),
  refusal: z.string().nullable(),
  warnings: z.array(z.string()),
  overridden: z.boolean()
})
export type EffectivePlanInfo = z.infer<typeof effectivePlanSchema>

const none = z.undefined()

export const invokeContract = {
  getStudioInfo: { params: none, result: studioInfoSchema },
  startRender: { params: renderRequestSchema, result: z.object({ jobId: z.string() }) },
  cancelRender: { params: z.object({ jobId: z.string() }), result: z.object({ cancelled: z.boolean() }) },
  listRenders: { params: none, result: z.array(renderResultSchema) },
  getSidecarLog: { params: none, result: z.array(logLineSchema) },
  runDoctor: { params: none, result: doctorReportSchema },
  getEngineStatus: { params: none, result: engineStatusSchema },
  getSettings: { params: none, result: studioSettingsSchema },
  updateSettings: { params: settingsChangeSchema, result: studioSettingsSchema },
  chooseModelsDir: { params: none, result: z.object({ path: z.string().nullable() }) },
  getEffectivePlan: { params: none, result: effectivePlanSchema }
} satisfies Record<InvokeMethod, { params: z.ZodType; result: z.ZodType }>

export const eventContract = {
  onRenderProgress: renderProgressSchema,
  onRenderDone: renderResultSchema,
  onRenderFailed: renderFailureSchema,
  onSidecarLog: logLineSchema
} satisfies Record<EventMethod, z.ZodType>

export type InvokeParams<M extends InvokeMethod> = z.input<(typeof invokeContract)[M]['params']>
export type InvokeResult<M extends InvokeMethod> = z.output<(typeof invokeContract)[M]['result']>
export type EventPayload<E extends EventMethod> = z.output<(typeof eventContract)[E]>

/** What main registers: one handler per invoke channel, given validated params. */
export type IpcHandlers = {
  [M in InvokeMethod]: (params: z.output<(typeof invokeContract)[M]['params']>) => Promise<InvokeResult<M>>
}

/** What the preload exposes on `window.wanStudio`. */
export type WanStudioApi = {
  [M in InvokeMethod]: InvokeParams<M> extends undefined
    ? () => Promise<InvokeResult<M>>
    : (params: InvokeParams<M>) => Promise<InvokeResult<M>>
} & {
  [E in EventMethod]: (listener: (payload: EventPayload<E>) => void) => () => void
}
