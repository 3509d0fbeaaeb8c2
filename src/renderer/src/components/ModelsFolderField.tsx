// The models folder setting: typed and saved, or picked with the native folder dialog. Where there
// is no dialog (tests, some desktops) the error says so and the path field takes over.
import { useId, useRef, useState, type FormEvent, type ReactElement } from 'react'
import { useStudio } from '../store'
import { FieldError } from './shot/fields'

/** What the user typed, and the saved folder it was typed over: a new saved folder discards it. */
type Draft = { text: string; over: string | null }

export function ModelsFolderField(): ReactElement {
  const saved = useStudio((s) => s.system.snapshot?.settings.modelsDir ?? null)
  const saving = useStudio((s) => s.settings.saving === 'modelsDir')
  const busy = useStudio((s) => s.settings.saving !== null)
  const error = useStudio((s) => s.settings.modelsDirError)
  const saveModelsDir = useStudio((s) => s.saveModelsDir)
  const browseModelsDir = useStudio((s) => s.browseModelsDir)
  const [draft, setDraft] = useState<Draft | null>(null)
  const inputRef = useRef<HTMLInputElement>(null)
  const errorId = useId()

  const text = draft !== null && draft.over === saved ? draft.text : (saved ?? '')
  const typed = text.trim() || null
  const changed = typed !== saved

  const save = (event: FormEvent): void => {
    event.preventDefault()
    if (changed) void saveModelsDir(typed)
  }
  const browse = async (): Promise<void> => {
    await browseModelsDir()
    if (useStudio.getState().settings.modelsDirError) inputRef.current?.focus()
  }

  return (
    <form className="models-dir-form" onSubmit={save}>
      <div className="models-dir-row">
        <input
          ref={inputRef}
          className={`input mono ${error ? 'is-invalid' : ''}`}
          data-testid="models-dir-input"
          aria-label="Models folder"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          placeholder="/path/to/models (holds Wan2.2-T2V-A14B-Diffusers, …)"
          spellCheck={false}
          value={text}
          onChange={(event) => setDraft({ text: event.target.value, over: saved })}
        />
        <button type="button" className="btn btn-small" data-testid="models-dir-browse" disabled={busy} onClick={() => void browse()}>
          Browse…
        </button>
        <button
          type="submit"
          className="btn btn-small btn-primary"
          data-testid="models-dir-save"
          disabled={busy || !changed}
          title={typed === null && saved !== null ? 'Forget the models folder' : undefined}
        >
          {saving ? 'Saving…' : 'Save'}
        </button>
      </div>
      <FieldError id={errorId} message={error} testId="models-dir-error" />
    </form>
  )
}
