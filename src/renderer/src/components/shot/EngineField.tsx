// The quick form's engine choice: each engine with why it is unavailable, and what Auto will pick.
import type { ReactElement } from 'react'
import type { EngineInfo } from '../../../../shared/ipc'
import type { EngineChoice } from '../../../../shared/render'
import { Field, FieldError } from './fields'

function optionText(engine: EngineInfo | undefined, fallback: string): string {
  if (!engine) return fallback
  return engine.available ? engine.label : `${engine.label} — unavailable: ${engine.reason ?? 'no reason given'}`
}

export function EngineField({ id, engine, engines, error, onChange }: { id: string; engine: EngineChoice; engines: readonly EngineInfo[]; error: string | undefined; onChange: (engine: EngineChoice) => void }): ReactElement {
  // No engines yet: the system snapshot hasn't arrived.
  const known = engines.length > 0
  const synthetic = engines.find((e) => e.id === 'synthetic')
  const diffusers = engines.find((e) => e.id === 'diffusers')
  const engineHint: Record<EngineChoice, string> = {
    auto: known
      ? diffusers?.available
        ? `Auto renders with ${diffusers.label}.`
        : `Auto renders synthetic test frames: ${diffusers?.label ?? 'Wan2.2'} is unavailable.`
      : 'Auto picks Wan2.2 when it can run, otherwise synthetic test frames.',
    synthetic: 'Draws stamped test frames without a model. Its clips are labelled synthetic.',
    diffusers: 'Wan2.2 text-to-video through diffusers, on your GPU.'
  }
  return (
    <Field id={id} label="Engine">
      <select
        id={id}
        data-testid="engine-select"
        className="input select"
        value={engine}
        onChange={(event) => onChange(event.target.value as EngineChoice)}
      >
        <option value="auto">Auto</option>
        <option value="synthetic" disabled={synthetic !== undefined && !synthetic.available}>
          {optionText(synthetic, 'Synthetic (test frames)')}
        </option>
        <option value="diffusers" disabled={diffusers !== undefined && !diffusers.available}>
          {optionText(diffusers, 'Wan2.2 (diffusers)')}
        </option>
      </select>
      {error ? (
        <FieldError id={`${id}-error`} message={error} />
      ) : (
        <div className="field-hint">{engineHint[engine]}</div>
      )}
    </Field>
  )
}
