// Inspector parts for how a shot renders: its mode (quality or the 4-step fast mode, offered only
// where the engine has it) and whether it is a draft (Wan2.2's 480p for a quick look).
import { useId, useState, type ReactElement } from 'react'
import { DRAFT_SIZES, type Shot } from '../../../shared/project'
import { FAST_MODE_STEPS, type RenderMode } from '../../../shared/plan'
import { setShotField } from '../../../shared/projectEdits'
import { useStudio } from '../store'
import { fastModeAvailability } from './fastModeAvailability'
import { FieldError } from '../components/shot/fields'

const MODE_TEXT: Record<RenderMode, string> = { quality: 'Quality · 40 steps', fast: `Fast · ${FAST_MODE_STEPS} steps` }

function useFieldEdit(shot: Shot): { error: string | null; edit: <F extends 'mode' | 'draft'>(field: F, value: Shot[F]) => void } {
  const editProject = useStudio((s) => s.editProject)
  const [error, setError] = useState<string | null>(null)
  return { error, edit: (field, value) => setError(editProject((project) => setShotField(project, shot.id, field, value))) }
}

export function ModeField({ shot }: { shot: Shot }): ReactElement {
  const snapshot = useStudio((s) => s.system.snapshot)
  const fast = fastModeAvailability(shot.engine, snapshot)
  const { error, edit } = useFieldEdit(shot)
  const hintId = useId()
  return (
    <fieldset className="field inspector-mode" aria-describedby={hintId}>
      <legend className="field-label">Mode</legend>
      <div className="segmented" role="radiogroup" aria-label="Mode">
        {(['quality', 'fast'] as const).map((mode) => (
          <label key={mode} className={`radio ${mode === 'fast' && !fast.available ? 'is-disabled' : ''}`}>
            <input
              type="radio"
              name={`mode-${shot.id}`}
              checked={shot.mode === mode}
              // A fast shot whose LoRAs went missing can still be switched back, never to.
              disabled={mode === 'fast' && !fast.available && shot.mode !== 'fast'}
              onChange={() => edit('mode', mode)}
              data-testid={`mode-${mode}`}
            />{' '}
            {MODE_TEXT[mode]}
          </label>
        ))}
      </div>
      <div className={fast.available ? 'field-hint' : 'field-hint is-warning'} id={hintId} data-testid="mode-hint">
        {fast.available
          ? shot.mode === 'fast'
            ? 'The Wan2.2-Lightning distilled LoRAs: minutes instead of an hour, with less detail.'
            : 'The model’s full 40 steps with guidance. Fast mode takes 4.'
          : `Fast mode is not available: ${fast.reason}`}
      </div>
      <FieldError message={error} />
    </fieldset>
  )
}

export function DraftField({ shot }: { shot: Shot }): ReactElement {
  const size = useStudio((s) => s.projectHistory.present.settings.size)
  const { error, edit } = useFieldEdit(shot)
  const { width, height } = DRAFT_SIZES[size]
  const id = useId()
  return (
    <div className="field">
      <label className="checkbox" htmlFor={id}>
        <input id={id} type="checkbox" checked={shot.draft} onChange={(event) => edit('draft', event.target.checked)} data-testid="inspector-draft" aria-describedby={`${id}-hint`} /> Draft ({width}x{height} quick look)
      </label>
      <div className="field-hint" id={`${id}-hint`}>
        {shot.draft ? `Renders at ${width}x${height}. The export refuses drafts unless you choose to upscale them.` : `Render at ${width}x${height} first to judge the shot quickly.`}
      </div>
      <FieldError message={error} />
    </div>
  )
}
