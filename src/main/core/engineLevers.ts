// What the diffusers engine says it can do beyond plain rendering (its availability details
// `fastMode` and `speedLevers`, PROTOCOL.md), as the planner's LeverSupport. A sidecar that doesn't
// report them (an older one) or reports them malformed offers SDPA only, no compilation, no fast mode.
import { z } from 'zod'
import { attentionBackendSchema, type AttentionBackend, type LeverSupport } from '../../shared/plan'
import type { FastModeFiles } from '../render/shotPlan'

const reasonSchema = z.string().nullable()

const fastModeDetailsSchema = z.object({
  available: z.boolean(),
  reason: reasonSchema,
  files: z.array(z.object({ role: z.enum(['high-noise', 'low-noise']), path: z.string(), present: z.boolean() })),
  howToGet: z.string()
})

const speedLeversDetailsSchema = z.object({
  // Names this version doesn't know are left out rather than refusing the whole report.
  attentionBackends: z.array(z.string()),
  compile: z.object({ available: z.boolean(), reason: reasonSchema })
})

export type EngineLevers = { levers: LeverSupport; fastModeFiles: FastModeFiles | null }

export function engineLevers(details: Record<string, unknown> | undefined): EngineLevers {
  const fastMode = parseDetail(fastModeDetailsSchema, details?.fastMode, 'fastMode')
  const speed = parseDetail(speedLeversDetailsSchema, details?.speedLevers, 'speedLevers')
  const backends = speed.ok ? speed.value.attentionBackends.filter((name): name is AttentionBackend => attentionBackendSchema.safeParse(name).success) : []
  return {
    levers: {
      // SDPA is PyTorch's own and always there.
      attentionBackends: backends.includes('sdpa') ? backends : ['sdpa', ...backends],
      compile: speed.ok ? speed.value.compile : { available: false, reason: speed.reason },
      fastMode: fastMode.ok ? { available: fastMode.value.available, reason: fastMode.value.reason } : { available: false, reason: fastMode.reason }
    },
    fastModeFiles: fastMode.ok ? { files: fastMode.value.files, howToGet: fastMode.value.howToGet } : null
  }
}

function parseDetail<T>(schema: z.ZodType<T>, value: unknown, name: string): { ok: true; value: T } | { ok: false; reason: string } {
  if (value === undefined) return { ok: false, reason: `the inference sidecar does not report ${name} (it predates it)` }
  const parsed = schema.safeParse(value)
  if (parsed.success) return { ok: true, value: parsed.data }
  const issue = parsed.error.issues[0]
  return { ok: false, reason: `the inference sidecar's ${name} report can't be read (${[name, ...(issue?.path ?? []).map(String)].join('.')}: ${issue?.message ?? 'invalid'})` }
}
