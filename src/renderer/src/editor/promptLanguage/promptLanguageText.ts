// Words the inspector shows about a prompt's language and what the model will receive. Pure, so
// tested without a window; detection itself is src/shared/promptLanguage.ts.
import { translatesPrompt } from '../../../../shared/modelPrompt'
import { shotTranslateMode, type ProjectSettings, type Shot, type TranslateMode } from '../../../../shared/project'

/** The words of each translate mode, in every select that offers them (inspector, batch panel). */
export const TRANSLATE_MODE_TEXT: Record<TranslateMode, string> = {
  auto: 'Auto: when not in Chinese',
  always: 'Always',
  never: 'Never'
}

/** What the model receives, in words, when the user has accepted no model prompt. */
export function modelPromptForecast(settings: ProjectSettings, shot: Pick<Shot, 'prompt' | 'translate'>, helperReady: boolean | null): string {
  const mode = shotTranslateMode(settings, shot)
  if (!translatesPrompt(shot.prompt, mode)) return 'The prompt as typed.'
  if (helperReady === false) {
    return mode === 'always'
      ? 'Nothing yet: translation is set to always, and no helper model is installed (the System tab has the download command), so the render will be refused.'
      : 'The prompt as typed: no helper model is installed to translate it (the System tab has the download command).'
  }
  return 'Its Chinese translation, made by the local helper model when the shot is queued. Translate now to see and edit it.'
}
