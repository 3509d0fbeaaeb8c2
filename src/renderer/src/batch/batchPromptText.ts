// Words the batch panel shows about what its jobs' model receives: the translate setting and the
// extension, the same rules as the inspector (docs/prompting.md), and why a batch can't be queued
// when they need a helper model that isn't installed. Pure, so tested without a window.
import { translatesPrompt } from '../../../shared/modelPrompt'
import type { TranslateMode } from '../../../shared/project'
import { detectPromptLanguage, languageLabel } from '../../../shared/promptLanguage'

const DOWNLOAD = 'the System tab has the download command'

export type BatchPromptNotice = {
  translate: { text: string; warning: boolean }
  extend: { text: string; warning: boolean }
  /** Why the batch can't be queued as set (every job would be refused), or null. */
  blocked: string | null
}

/** `helperReady`: whether a helper model is installed; null while that is not known yet. */
export function batchPromptNotice(translate: TranslateMode, extend: boolean, helperReady: boolean | null): BatchPromptNotice {
  const missing = helperReady === false
  const blocked =
    missing && translate === 'always'
      ? `Translate is set to always, but no helper model is installed (${DOWNLOAD}): every job would be refused. Choose Auto or Never.`
      : missing && extend
        ? `Extend prompts needs a helper model, and none is installed (${DOWNLOAD}).`
        : null
  return {
    translate: translateText(translate, missing),
    extend: missing
      ? { text: `Needs a helper model: none is installed (${DOWNLOAD}).`, warning: true }
      : { text: 'Each prompt is extended first with Wan2.2’s own instructions by the local helper model, seeded with its job’s seed.', warning: false },
    blocked
  }
}

function translateText(translate: TranslateMode, missing: boolean): { text: string; warning: boolean } {
  if (translate === 'never') return { text: 'Prompts go to the model as typed.', warning: false }
  if (missing) {
    return translate === 'always'
      ? { text: `No helper model is installed (${DOWNLOAD}), so nothing can be translated.`, warning: true }
      : { text: `No helper model is installed (${DOWNLOAD}): prompts go to the model as typed.`, warning: true }
  }
  return translate === 'always'
    ? { text: 'Every prompt is translated into Chinese by the local helper model when its job is queued.', warning: false }
    : { text: 'Prompts not in Chinese are translated into Chinese by the local helper model when their job is queued.', warning: false }
}

/** A previewed row's language, and whether the batch's setting translates it: "English, translated". */
export function rowLanguageText(prompt: string, translate: TranslateMode, helperReady: boolean | null): string {
  const label = languageLabel(detectPromptLanguage(prompt)) || 'Unknown language'
  return helperReady !== false && translatesPrompt(prompt, translate) ? `${label}, translated` : label
}
