// The batch's prompt options: translate into Chinese (the inspector's list of modes) and extend every
// prompt first, each with what it will do, or why it can't without a helper model. Extend can always
// be unchecked, but not checked while no helper model is installed.
import { useId, type ReactElement } from 'react'
import type { TranslateMode } from '../../../shared/project'
import { TranslateModeOptions } from '../editor/promptLanguage/TranslateModeOptions'
import type { BatchPromptNotice } from './batchPromptText'
import type { BatchOptions } from './useBatch'

export function BatchPromptOptions(props: {
  options: BatchOptions
  setOptions: (options: Partial<BatchOptions>) => void
  notice: BatchPromptNotice
  helperReady: boolean | null
}): ReactElement {
  const { options, setOptions, notice } = props
  const id = useId()
  return (
    <div className="batch-prompt-options">
      <div className="batch-prompt-option">
        <label>
          Translate into Chinese
          <select
            className="input select"
            value={options.translate}
            aria-describedby={`${id}-translate`}
            data-testid="batch-translate"
            onChange={(event) => setOptions({ translate: event.target.value as TranslateMode })}
          >
            <TranslateModeOptions />
          </select>
        </label>
        <p id={`${id}-translate`} className={`batch-hint${notice.translate.warning ? ' is-warning' : ''}`}>
          {notice.translate.text}
        </p>
      </div>
      <div className="batch-prompt-option">
        <label className="batch-checkbox">
          <input
            type="checkbox"
            checked={options.extend}
            disabled={props.helperReady === false && !options.extend}
            aria-describedby={`${id}-extend`}
            data-testid="batch-extend"
            onChange={(event) => setOptions({ extend: event.target.checked })}
          />
          Extend prompts
        </label>
        <p id={`${id}-extend`} className={`batch-hint${notice.extend.warning ? ' is-warning' : ''}`}>
          {notice.extend.text}
        </p>
      </div>
    </div>
  )
}
