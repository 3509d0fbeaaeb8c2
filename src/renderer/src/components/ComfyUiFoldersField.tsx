// The ComfyUI folders setting: folders whose single-file Wan2.2 weights are offered to the engine in
// place. A typed folder is checked here (absolute path) and by main (it must exist) before it is kept.
import { useId, useState, type FormEvent, type ReactElement } from 'react'
import { comfyUiFoldersSchema } from '../../../shared/settings'
import { call, errorMessage } from '../api'
import { useStudio } from '../store'
import { FieldError } from './shot/fields'

export function ComfyUiFoldersField(): ReactElement {
  const saved = useStudio((s) => s.system.snapshot?.settings.comfyUiFolders ?? [])
  const loadSystem = useStudio((s) => s.loadSystem)
  const [text, setText] = useState('')
  const [saving, setSaving] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const errorId = useId()

  const save = async (folders: string[]): Promise<boolean> => {
    const checked = comfyUiFoldersSchema.safeParse(folders)
    if (!checked.success) {
      setError(checked.error.issues[0]?.message ?? 'not a valid folder')
      return false
    }
    setSaving(true)
    setError(null)
    try {
      await call('system', 'updateSettings', { comfyUiFolders: checked.data })
      await loadSystem()
      return true
    } catch (caught) {
      setError(errorMessage(caught))
      return false
    } finally {
      setSaving(false)
    }
  }
  const add = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    if (text.trim() && (await save([...saved, text.trim()]))) setText('')
  }

  return (
    <div data-testid="comfyui-folders">
      {saved.length > 0 && (
        <ul className="engine-missing">
          {saved.map((folder) => (
            <li key={folder}>
              <span className="mono value">{folder}</span>{' '}
              <button type="button" className="btn btn-small" disabled={saving} aria-label={`Remove the ComfyUI folder ${folder}`} onClick={() => void save(saved.filter((other) => other !== folder))}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="models-dir-form" onSubmit={(event) => void add(event)}>
        <div className="models-dir-row">
          <input
            className={`input mono ${error ? 'is-invalid' : ''}`}
            data-testid="comfyui-folder-input"
            aria-label="Add a ComfyUI folder"
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? errorId : undefined}
            placeholder="/path/to/ComfyUI (or its models folder)"
            spellCheck={false}
            value={text}
            onChange={(event) => setText(event.target.value)}
          />
          <button type="submit" className="btn btn-small btn-primary" data-testid="comfyui-folder-add" disabled={saving || !text.trim()}>
            {saving ? 'Saving…' : 'Add'}
          </button>
        </div>
        <FieldError id={errorId} message={error} testId="comfyui-folder-error" />
      </form>
    </div>
  )
}
