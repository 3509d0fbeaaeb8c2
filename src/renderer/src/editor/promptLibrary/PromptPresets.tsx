// Presets: apply one to the shot (prompt, negative prompt, seconds, steps as one undo step), delete
// one, or save the shot's fields under a name (the same name replaces it).
import { useId, useState, type FormEvent, type ReactElement } from 'react'
import type { Shot } from '../../../../shared/project'
import { presetNameSchema, type PromptPreset } from '../../../../shared/promptLibrary'
import { useStudio } from '../../store'
import { applyPreset, presetFromShot } from './promptLibraryEdits'
import type { PromptLibraryState } from './usePromptLibrary'

export function PromptPresets({ shot, presets, library }: { shot: Shot; presets: readonly PromptPreset[]; library: PromptLibraryState }): ReactElement {
  const id = useId()
  const editProject = useStudio((s) => s.editProject)
  const [chosen, setChosen] = useState('')
  const [name, setName] = useState('')
  const [error, setError] = useState<string | null>(null)
  const preset = presets.find((known) => known.name === chosen)
  const replaces = presets.some((known) => known.name === name.trim())

  const apply = (): void => {
    if (preset) setError(editProject((project) => applyPreset(project, shot.id, preset)))
  }
  const remove = async (): Promise<void> => {
    // A deleted preset can't be undone: ask first.
    if (!preset || !window.confirm(`Delete the preset “${preset.name}”?`)) return
    if (await library.deletePreset(preset.name)) setChosen('')
  }
  const save = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    const parsed = presetNameSchema.safeParse(name)
    if (!parsed.success) return setError(parsed.error.issues[0]?.message ?? 'the preset name is not valid')
    setError(null)
    if (await library.savePreset(presetFromShot(shot, parsed.data))) {
      setName('')
      setChosen(parsed.data)
    }
  }

  return (
    <fieldset className="field prompt-presets" data-testid="prompt-presets">
      <legend className="field-label">Presets</legend>
      <div className="prompt-library-row">
        <label className="visually-hidden" htmlFor={`${id}-preset`}>
          Preset
        </label>
        <select id={`${id}-preset`} className="input select" data-testid="preset-select" value={chosen} onChange={(event) => setChosen(event.target.value)}>
          <option value="">{presets.length === 0 ? 'No presets yet' : 'Choose a preset'}</option>
          {presets.map((known) => (
            <option key={known.name} value={known.name}>
              {known.name}
            </option>
          ))}
        </select>
        <button type="button" className="btn btn-small" data-testid="preset-apply" disabled={!preset} onClick={apply} aria-label={preset ? `Apply preset ${preset.name}` : 'Apply preset'}>
          Apply
        </button>
        <button type="button" className="btn btn-small btn-ghost" disabled={!preset} onClick={() => void remove()} aria-label={preset ? `Delete preset ${preset.name}` : 'Delete preset'}>
          Delete
        </button>
      </div>
      <form className="prompt-library-row" onSubmit={(event) => void save(event)}>
        <label className="visually-hidden" htmlFor={`${id}-name`}>
          Preset name
        </label>
        <input
          id={`${id}-name`}
          className={`input ${error ? 'is-invalid' : ''}`}
          data-testid="preset-name"
          placeholder="Name for this shot's prompt"
          autoComplete="off"
          value={name}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : `${id}-hint`}
          onChange={(event) => setName(event.target.value)}
        />
        <button type="submit" className="btn btn-small" data-testid="preset-save">
          {replaces ? 'Replace' : 'Save'}
        </button>
      </form>
      {error || library.error ? (
        <div className="field-error" id={`${id}-error`} role="alert" data-testid="preset-error">
          {error ?? library.error}
        </div>
      ) : (
        <div className="field-hint" id={`${id}-hint`}>
          A preset keeps the prompt, negative prompt, seconds and steps.
        </div>
      )}
    </fieldset>
  )
}
