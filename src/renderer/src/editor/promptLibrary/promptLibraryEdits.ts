// What applying a preset or a past prompt does to the document: the fields change together, as one
// edit (one undo step), or not at all when one of them is refused.
import type { Project, Shot } from '../../../../shared/project'
import { setShotField, type EditResult } from '../../../../shared/projectEdits'
import type { PromptHistoryEntry, PromptPreset, SavePresetParams } from '../../../../shared/promptLibrary'

type Fields = Partial<Pick<Shot, 'prompt' | 'negativePrompt' | 'seconds' | 'steps'>>

function setShotFields(project: Project, shotId: string, fields: Fields): EditResult {
  let result: EditResult = { ok: true, project }
  for (const [field, value] of Object.entries(fields) as [keyof Fields, Shot[keyof Fields]][]) {
    if (!result.ok) return result
    result = setShotField(result.project, shotId, field, value)
  }
  return result
}

/** The preset's prompt, negative prompt, seconds and steps on the shot. */
export function applyPreset(project: Project, shotId: string, preset: PromptPreset): EditResult {
  const { prompt, negativePrompt, seconds, steps } = preset
  return setShotFields(project, shotId, { prompt, negativePrompt, seconds, steps })
}

/** A past prompt (and its negative prompt) on the shot; its length and steps stay. */
export function applyHistoryEntry(project: Project, shotId: string, entry: PromptHistoryEntry): EditResult {
  return setShotFields(project, shotId, { prompt: entry.prompt, negativePrompt: entry.negativePrompt })
}

/** What "Save as preset" sends for this shot. */
export function presetFromShot(shot: Shot, name: string): SavePresetParams {
  return { name: name.trim(), prompt: shot.prompt, negativePrompt: shot.negativePrompt, seconds: shot.seconds, steps: shot.steps }
}
