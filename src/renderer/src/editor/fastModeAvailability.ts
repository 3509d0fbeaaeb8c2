// Whether a shot may be set to fast mode, from the cached system snapshot: the Wan2.2 engine offers
// it only with the Wan2.2-Lightning LoRAs in the models folder (its details.fastMode); the synthetic
// engine mimics it (4 steps), so a shot that renders there may always use it.
import type { SystemSnapshot } from '../../../shared/ipc'
import type { Shot } from '../../../shared/project'
import { diffusersDetails } from '../engineDetails'

export type FastModeAvailability = { available: true } | { available: false; reason: string }

export function fastModeAvailability(engine: Shot['engine'], snapshot: Pick<SystemSnapshot, 'engineStatus'> | null): FastModeAvailability {
  if (engine === 'synthetic') return { available: true }
  if (!snapshot) return { available: false, reason: 'the system check has not finished yet' }
  // Auto renders with the synthetic engine while Wan2.2 can't render.
  if (engine === 'auto' && !snapshot.engineStatus.realEngine.ready) return { available: true }
  const fastMode = diffusersDetails(snapshot.engineStatus).fastMode
  if (!fastMode) return { available: false, reason: 'the Wan2.2 engine did not report fast mode (System tab: Refresh)' }
  if (fastMode.available) return { available: true }
  const missing = fastMode.files.filter((file) => !file.present).map((file) => `${file.role} LoRA ${file.path}`)
  const why = fastMode.reason ?? 'the engine did not say why'
  return { available: false, reason: `${why}${missing.length > 0 ? ` (missing: ${missing.join('; ')})` : ''}. To get them: ${fastMode.howToGet}` }
}
