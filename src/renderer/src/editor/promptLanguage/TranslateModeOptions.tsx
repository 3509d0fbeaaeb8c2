// The one list of translate modes every select offers (the inspector's shot and project settings,
// the batch panel), with the same words.
import type { ReactElement } from 'react'
import { TRANSLATE_MODES } from '../../../../shared/project'
import { TRANSLATE_MODE_TEXT } from './promptLanguageText'

export function TranslateModeOptions(): ReactElement {
  return (
    <>
      {TRANSLATE_MODES.map((mode) => (
        <option key={mode} value={mode}>
          {TRANSLATE_MODE_TEXT[mode]}
        </option>
      ))}
    </>
  )
}
