// What the System tab says about a plan's speed levers and mode, and which lever values the engine
// offers (the override form shows no backend the sidecar didn't report). Pure, for tests.
import { attentionBackendSchema, type AttentionBackend, type Plan } from '../../../../shared/plan'
import type { DiffusersDetails } from '../../engineDetails'
import { formatDuration } from '../../format'

export const modeText: Record<Plan['mode'], string> = { quality: 'quality (all steps, with guidance)', fast: 'fast (Lightning 4-step LoRAs)' }

export const attentionText: Record<AttentionBackend, string> = {
  sdpa: 'PyTorch SDPA',
  flash: 'FlashAttention-2',
  flash3: 'FlashAttention-3',
  sage: 'SageAttention (8-bit Q·K)'
}

/** "compile 1 min (10 s cached), LoRAs 10 s", or null when nothing is paid once. */
export function oneTimeText(oneTime: Plan['predicted']['oneTime']): string | null {
  if (!oneTime) return null
  const parts = [
    ...(oneTime.compileSeconds > 0 ? [`compile ${formatDuration(oneTime.compileSeconds)} (${formatDuration(oneTime.compileCachedSeconds)} cached)`] : []),
    ...(oneTime.loraLoadSeconds > 0 ? [`LoRAs ${formatDuration(oneTime.loraLoadSeconds)}`] : [])
  ]
  return parts.length > 0 ? parts.join(', ') : null
}

export type OfferedLevers = { attention: readonly AttentionBackend[]; compile: readonly boolean[] }

/** The attention backends the engine reported (SDPA always, unknown names dropped); compilation "on" only where it works. */
export function offeredLevers(details: DiffusersDetails): OfferedLevers {
  const reported = (details.speedLevers?.attentionBackends ?? []).flatMap((name) => {
    const backend = attentionBackendSchema.safeParse(name)
    return backend.success ? [backend.data] : []
  })
  return {
    attention: ['sdpa', ...reported.filter((backend) => backend !== 'sdpa')],
    compile: details.speedLevers?.compile.available ? [true, false] : [false]
  }
}
