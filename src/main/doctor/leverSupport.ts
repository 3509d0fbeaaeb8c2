// The speed levers and fast mode the sidecar's diffusers engine reports in its availability details
// (PROTOCOL.md: details.speedLevers, details.fastMode), as the planner's LeverSupport.
import { z } from 'zod'
import { attentionBackendSchema, type LeverSupport } from '../../shared/plan'
import { NO_LEVERS } from '../planner/levers'

const reported = z.object({
  speedLevers: z
    .object({
      attentionBackends: z.array(z.string()),
      compile: z.object({ available: z.boolean(), reason: z.string().nullable() })
    })
    .optional(),
  fastMode: z.object({ available: z.boolean(), reason: z.string().nullable() }).optional()
})

/**
 * LeverSupport from the diffusers engine's details; what is missing (an older sidecar) or malformed
 * counts as unsupported, with a reason saying so. Backends this app doesn't know are left out.
 */
export function leverSupportFromDetails(details: unknown): LeverSupport {
  const parsed = reported.safeParse(details ?? {})
  if (!parsed.success) {
    const why = 'the engine’s report of its speed levers could not be read'
    return { attentionBackends: ['sdpa'], compile: { available: false, reason: why }, fastMode: { available: false, reason: why } }
  }
  const { speedLevers, fastMode } = parsed.data
  const known = (speedLevers?.attentionBackends ?? []).flatMap((name) => {
    const backend = attentionBackendSchema.safeParse(name)
    return backend.success ? [backend.data] : []
  })
  return {
    attentionBackends: known.includes('sdpa') ? known : ['sdpa', ...known],
    compile: speedLevers?.compile ?? NO_LEVERS.compile,
    fastMode: fastMode ? { available: fastMode.available, reason: fastMode.reason } : NO_LEVERS.fastMode
  }
}
