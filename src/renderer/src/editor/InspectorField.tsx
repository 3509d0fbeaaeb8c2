// A labelled inspector field that edits the document when it is committed (blur or Enter), so typing
// is one undo step per field change, and shows the edit's refusal next to itself.
import { useId, useState, type ReactElement, type ReactNode } from 'react'

export type Commit = (text: string) => string | null

export function InspectorField({
  label,
  value,
  commit,
  multiline,
  testId,
  hint,
  placeholder,
  inputMode,
  disabled,
  onDraft
}: {
  label: string
  value: string
  commit: Commit
  multiline?: boolean
  testId: string
  hint?: ReactNode
  placeholder?: string
  inputMode?: 'numeric' | 'decimal'
  /** Shown but not editable; the hint should say why. */
  disabled?: boolean
  /** Told each edit of the text before it is committed (null once committed). */
  onDraft?: (text: string | null) => void
}): ReactElement {
  const id = useId()
  const [draft, setDraftState] = useState<string | null>(null)
  const setDraft = (text: string | null): void => {
    setDraftState(text)
    onDraft?.(text)
  }
  const [error, setError] = useState<string | null>(null)
  const shown = draft ?? value
  const apply = (): void => {
    if (draft === null) return
    const refusal = draft === value ? null : commit(draft)
    setError(refusal)
    if (!refusal) setDraft(null)
  }
  const common = {
    id,
    'data-testid': testId,
    className: `input ${multiline ? 'textarea' : 'mono'} ${error ? 'is-invalid' : ''}`,
    value: shown,
    placeholder,
    disabled,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? `${id}-error` : hint ? `${id}-hint` : undefined,
    onBlur: apply
  }
  return (
    <div className="field">
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      {multiline ? (
        <textarea {...common} rows={4} onChange={(event) => setDraft(event.target.value)} />
      ) : (
        <input {...common} type="text" inputMode={inputMode} autoComplete="off" onChange={(event) => setDraft(event.target.value)} onKeyDown={(event) => event.key === 'Enter' && apply()} />
      )}
      {error ? (
        <div className="field-error" id={`${id}-error`} role="alert" data-testid={`${testId}-error`}>
          {error}
        </div>
      ) : (
        hint && (
          <div className="field-hint" id={`${id}-hint`}>
            {hint}
          </div>
        )
      )}
    </div>
  )
}
