// Where the prompt a shot's model receives comes from, decided from the project alone: the one rule
// main follows when it prepares each shot's model prompt (core/shotPrompts.ts: the render key hashes
// the result) and the editor follows when it tells whether a render is out of date. docs/prompting.md.
import { acceptedModelPrompt, shotTranslateMode, type ProjectSettings, type Shot, type TranslateMode } from './project'
import { detectPromptLanguage, isChinesePrompt } from './promptLanguage'

/** Whether `mode` translates `prompt`: always, or auto when it is not Chinese throughout; never a blank one. */
export function translatesPrompt(prompt: string, mode: TranslateMode): boolean {
  if (prompt.trim() === '' || mode === 'never') return false
  return mode === 'always' || !isChinesePrompt(detectPromptLanguage(prompt))
}

/**
 * `accepted`: the model prompt the user accepted or edited, as it is; `typed`: the prompt as typed;
 * `translation`: the helper model's translation of the prompt, made when the shot is queued (greedy
 * decoding, so the same prompt and model give the same text), or the prompt as typed under `auto`
 * when no helper model is installed.
 */
export type ModelPromptSource = { from: 'accepted'; text: string } | { from: 'typed' } | { from: 'translation'; mode: 'auto' | 'always' }

export function modelPromptSource(settings: ProjectSettings, shot: Pick<Shot, 'prompt' | 'modelPrompt' | 'translate'>): ModelPromptSource {
  const accepted = acceptedModelPrompt(shot)
  if (accepted !== null) return { from: 'accepted', text: accepted }
  const mode = shotTranslateMode(settings, shot)
  return mode !== 'never' && translatesPrompt(shot.prompt, mode) ? { from: 'translation', mode } : { from: 'typed' }
}
