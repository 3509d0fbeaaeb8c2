// Under the prompt: its language (live, as typed), the translate setting (the shot's, or the
// project's), and what the model receives: the accepted or edited text, or a forecast, with
// Translate and Extend offered as suggestions to accept or edit when a helper model is installed.
import { useId, useMemo, useState, type ReactElement } from 'react'
import { acceptedModelPrompt, type Shot, type TranslateMode } from '../../../../shared/project'
import { setProjectSettings, setShotField } from '../../../../shared/projectEdits'
import type { PromptSuggestion } from '../../../../shared/promptHelper'
import { detectPromptLanguage, languageLabel } from '../../../../shared/promptLanguage'
import { call } from '../../api'
import { useHelperModels } from '../../helperModels'
import { useStudio } from '../../store'
import { randomSeed } from '../../validation'
import { InspectorField } from '../InspectorField'
import { modelPromptForecast, TRANSLATE_MODE_TEXT } from './promptLanguageText'
import { TranslateModeOptions } from './TranslateModeOptions'
import '../../styles/PromptLanguage.css'
import { FieldError } from '../../components/shot/fields'

/** `typing`: the prompt field's text while it is being edited, so the label follows each keystroke. */
export function PromptLanguage({ shot, typing }: { shot: Shot; typing: string | null }): ReactElement {
  const text = typing ?? shot.prompt
  const label = useMemo(() => languageLabel(detectPromptLanguage(text)), [text])
  return (
    <div className="prompt-language" data-testid="prompt-language">
      <div className="field-hint" data-testid="prompt-language-label" aria-live="polite">
        Language: {label || 'type a prompt'}
      </div>
      <TranslateSetting shot={shot} />
      <ModelPrompt shot={shot} />
    </div>
  )
}

function TranslateSetting({ shot }: { shot: Shot }): ReactElement {
  const id = useId()
  const editProject = useStudio((s) => s.editProject)
  const settings = useStudio((s) => s.projectHistory.present.settings)
  const [error, setError] = useState<string | null>(null)
  const projectMode: TranslateMode = settings.translate ?? 'never'
  return (
    <div className="field-row">
      <div className="field">
        <label className="field-label" htmlFor={`${id}-shot`}>
          Translate into Chinese
        </label>
        <select
          id={`${id}-shot`}
          className="input select"
          data-testid="inspector-translate"
          value={shot.translate ?? ''}
          onChange={(event) => setError(editProject((project) => setShotField(project, shot.id, 'translate', (event.target.value || null) as TranslateMode | null)))}
        >
          <option value="">Project’s ({TRANSLATE_MODE_TEXT[projectMode]})</option>
          <TranslateModeOptions />
        </select>
      </div>
      <div className="field">
        <label className="field-label" htmlFor={`${id}-project`}>
          Project’s setting
        </label>
        <select
          id={`${id}-project`}
          className="input select"
          data-testid="project-translate"
          value={projectMode}
          onChange={(event) => setError(editProject((project) => setProjectSettings(project, { translate: event.target.value as TranslateMode })))}
        >
          <TranslateModeOptions />
        </select>
      </div>
      <FieldError message={error} />
    </div>
  )
}

function ModelPrompt({ shot }: { shot: Shot }): ReactElement {
  const editProject = useStudio((s) => s.editProject)
  const settings = useStudio((s) => s.projectHistory.present.settings)
  const { view } = useHelperModels()
  const [suggestion, setSuggestion] = useState<PromptSuggestion | null>(null)
  const [busy, setBusy] = useState<'translate' | 'extend' | null>(null)
  const [error, setError] = useState<string | null>(null)
  const accepted = acceptedModelPrompt(shot)
  const typed = shot.prompt.trim()
  const accept = (text: string): string | null => editProject((project) => setShotField(project, shot.id, 'modelPrompt', { text, typed }))

  const ask = async (task: 'translate' | 'extend'): Promise<void> => {
    setBusy(task)
    setError(null)
    try {
      if (task === 'translate') {
        setSuggestion(await call('prompt', 'translate', { prompt: accepted ?? typed }))
      } else {
        // The extension is seeded with the shot's seed, kept in the project, so it can be made again.
        let seed = shot.seed ?? shot.render?.seed ?? null
        if (seed === null) {
          seed = randomSeed()
          const refusal = editProject((project) => setShotField(project, shot.id, 'seed', seed))
          if (refusal) throw new Error(refusal)
        }
        setSuggestion(await call('prompt', 'extend', { prompt: typed, seed }))
      }
    } catch (failure) {
      setError((failure as Error).message)
    } finally {
      setBusy(null)
    }
  }

  return (
    <div className="field" data-testid="model-prompt">
      {accepted !== null ? (
        <>
          <InspectorField
            key={`model-prompt-${accepted}`}
            label="What the model receives"
            multiline
            value={accepted}
            testId="inspector-model-prompt"
            commit={(text) => (text.trim() === '' ? 'the model prompt is empty: use “Back to the prompt as typed” instead' : accept(text))}
          />
          <button type="button" className="link-button" onClick={() => setError(editProject((project) => setShotField(project, shot.id, 'modelPrompt', null)))}>
            Back to the prompt as typed
          </button>
        </>
      ) : (
        <>
          <div className="field-label">What the model receives</div>
          <div className="field-hint" data-testid="model-prompt-forecast">
            {modelPromptForecast(settings, shot, view ? view.ready : null)}
            {shot.modelPrompt ? ' (The text accepted earlier was for another prompt, so it is not used.)' : ''}
          </div>
        </>
      )}
      {suggestion && (
        <SuggestionField
          key={`${suggestion.task}-${suggestion.text}`}
          suggestion={suggestion}
          onAccept={(text) => {
            const refusal = accept(text)
            setError(refusal)
            if (!refusal) setSuggestion(null)
          }}
          onDiscard={() => setSuggestion(null)}
        />
      )}
      {view?.ready && (
        <div className="prompt-language-actions">
          <button type="button" className="btn btn-small" disabled={busy !== null || typed === ''} onClick={() => void ask('translate')} data-testid="translate-prompt">
            {busy === 'translate' ? 'Translating…' : 'Translate'}
          </button>
          <button type="button" className="btn btn-small" disabled={busy !== null || typed === ''} onClick={() => void ask('extend')} data-testid="extend-prompt">
            {busy === 'extend' ? 'Extending…' : 'Extend'}
          </button>
        </div>
      )}
      <FieldError message={error} />
    </div>
  )
}

function SuggestionField({ suggestion, onAccept, onDiscard }: { suggestion: PromptSuggestion; onAccept: (text: string) => void; onDiscard: () => void }): ReactElement {
  const id = useId()
  const [text, setText] = useState(suggestion.text)
  const what = suggestion.task === 'translate' ? 'Translation' : `Extension (seed ${suggestion.seed ?? '—'})`
  return (
    <div className="field" data-testid="prompt-suggestion">
      <label className="field-label" htmlFor={id}>
        {what} by {suggestion.model}: edit it, then accept
      </label>
      <textarea id={id} className="input textarea" rows={5} value={text} onChange={(event) => setText(event.target.value)} />
      <div className="prompt-language-actions">
        <button type="button" className="btn btn-small btn-primary" disabled={text.trim() === ''} onClick={() => onAccept(text)} data-testid="accept-suggestion">
          Accept
        </button>
        <button type="button" className="btn btn-small btn-ghost" onClick={onDiscard}>
          Discard
        </button>
      </div>
    </div>
  )
}
