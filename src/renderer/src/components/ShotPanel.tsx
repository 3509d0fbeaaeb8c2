// The left "Shot" panel: what to render, and the Generate / Cancel transport.
import { useId, useMemo, useState, type ReactElement } from 'react'
import { CLIP_FPS, MAX_CLIP_SECONDS } from '../../../shared/render'
import { IconChevron, IconDice, IconPlay, IconStop } from '../icons'
import { useStudio } from '../store'
import { EngineField } from './shot/EngineField'
import { generateHintFor } from './shot/generateHint'
import { LastSeed } from './shot/LastSeed'
import { Field, FieldError } from './shot/fields'
import { clipFrames, engineProblem, segmentCount, validateShot, type ShotField } from '../validation'

const PROMPT_LIMIT = 4000
const QUICK_LENGTHS = [5, 10, 15] as const

export function ShotPanel(): ReactElement {
  const form = useStudio((s) => s.form)
  const touched = useStudio((s) => s.touched)
  const showAllErrors = useStudio((s) => s.showAllErrors)
  const job = useStudio((s) => s.job)
  const info = useStudio((s) => s.system.snapshot?.info ?? null)
  const lastSeed = useStudio((s) => s.lastSeed)
  const setField = useStudio((s) => s.setField)
  const touch = useStudio((s) => s.touch)
  const rollSeed = useStudio((s) => s.rollSeed)
  const reuseLastSeed = useStudio((s) => s.reuseLastSeed)
  const generate = useStudio((s) => s.generate)
  const cancel = useStudio((s) => s.cancel)

  const [negativeOpen, setNegativeOpen] = useState(false)
  const ids = { prompt: useId(), negative: useId(), seconds: useId(), seed: useId(), steps: useId(), engine: useId() }

  const validation = useMemo(() => validateShot(form), [form])
  const errorFor = (field: ShotField): string | undefined =>
    showAllErrors || touched[field] ? validation.errors[field] : undefined
  /** Typing in a field (or picking a quick length) marks it touched, so its error shows at once. */
  const edit = (field: 'seconds' | 'seed' | 'steps', value: string): void => {
    setField(field, value)
    touch(field)
  }

  const seconds = Number(form.seconds)
  const secondsValid = !validation.errors.seconds && form.seconds.trim() !== ''
  const frames = secondsValid ? clipFrames(seconds) : 0
  const segments = secondsValid ? segmentCount(frames) : 0

  const engines = info?.engines ?? []
  const engineError = validation.errors.engine ?? engineProblem(form.engine, engines)

  const running = job !== null
  const problem = info?.problem ?? null
  const canGenerate = validation.ok && !engineError && !running && !problem
  const generateHint = generateHintFor({
    job: job?.status ?? null,
    problem: problem !== null,
    engineError: Boolean(engineError),
    valid: validation.ok,
    promptUntouched: Boolean(validation.errors.prompt) && !touched.prompt && !showAllErrors
  })

  const negativeSummary = form.negativePrompt.trim() ? `${form.negativePrompt.trim().length} characters` : 'engine default'

  return (
    <aside className="panel shot-panel" aria-label="Shot">
      <div className="panel-header">
        <span className="panel-title">Shot</span>
      </div>
      <form
        className="panel-body shot-form"
        onSubmit={(event) => {
          event.preventDefault()
          void generate()
        }}
      >
        <div className="field">
          <div className="field-label-row">
            <label htmlFor={ids.prompt} className="field-label">
              Prompt
            </label>
            <span className={`field-counter ${form.prompt.length > PROMPT_LIMIT ? 'is-over' : ''}`}>
              {form.prompt.length} / {PROMPT_LIMIT}
            </span>
          </div>
          <textarea
            id={ids.prompt}
            data-testid="prompt-input"
            className={`input textarea prompt-input ${errorFor('prompt') ? 'is-invalid' : ''}`}
            rows={7}
            value={form.prompt}
            placeholder="A slow dolly shot through a misty pine forest at dawn, shafts of light, cinematic"
            aria-invalid={errorFor('prompt') ? true : undefined}
            aria-describedby={errorFor('prompt') ? `${ids.prompt}-error` : undefined}
            onChange={(event) => setField('prompt', event.target.value)}
            onBlur={() => touch('prompt')}
            spellCheck
          />
          <FieldError id={`${ids.prompt}-error`} message={errorFor('prompt')} />
        </div>

        <div className="field">
          <button
            type="button"
            className="disclosure"
            data-testid="negative-prompt-toggle"
            aria-expanded={negativeOpen}
            aria-controls={ids.negative}
            onClick={() => setNegativeOpen((open) => !open)}
          >
            <IconChevron open={negativeOpen} size={14} />
            <span className="field-label">Negative prompt</span>
            <span className="disclosure-summary">{negativeSummary}</span>
          </button>
          {negativeOpen && (
            <>
              <textarea
                id={ids.negative}
                data-testid="negative-prompt-input"
                className={`input textarea ${errorFor('negativePrompt') ? 'is-invalid' : ''}`}
                rows={3}
                value={form.negativePrompt}
                placeholder="Leave blank for the engine's default negative prompt"
                onChange={(event) => setField('negativePrompt', event.target.value)}
                onBlur={() => touch('negativePrompt')}
              />
              <FieldError id={`${ids.negative}-error`} message={errorFor('negativePrompt')} />
            </>
          )}
          {!negativeOpen && validation.errors.negativePrompt && (
            <FieldError id={`${ids.negative}-error`} message={validation.errors.negativePrompt} />
          )}
        </div>

        <Field id={ids.seconds} label="Length">
          <div className="length-row">
            <div className={`input-affix ${errorFor('seconds') ? 'is-invalid' : ''}`}>
              <input
                id={ids.seconds}
                data-testid="seconds-input"
                className="input"
                type="number"
                inputMode="decimal"
                min={1 / CLIP_FPS}
                max={MAX_CLIP_SECONDS}
                step="any"
                value={form.seconds}
                aria-invalid={errorFor('seconds') ? true : undefined}
                onChange={(event) => edit('seconds', event.target.value)}
                onBlur={() => touch('seconds')}
                onWheel={(event) => event.currentTarget.blur()}
              />
              <span className="affix">s</span>
            </div>
            <div className="segmented" role="group" aria-label="Quick lengths">
              {QUICK_LENGTHS.map((length) => (
                <button
                  key={length}
                  type="button"
                  className={`segmented-button ${Number(form.seconds) === length ? 'is-active' : ''}`}
                  aria-pressed={Number(form.seconds) === length}
                  onClick={() => edit('seconds', String(length))}
                >
                  {length}s
                </button>
              ))}
            </div>
          </div>
          <FieldError id={`${ids.seconds}-error`} message={errorFor('seconds')} />
          {secondsValid && (
            <div className="field-hint">
              {frames} frames at {CLIP_FPS} fps · {segments} {segments === 1 ? 'segment' : 'segments'}
            </div>
          )}
        </Field>

        <div className="field-row">
          <Field id={ids.seed} label="Seed" className="seed-field">
            <div className={`input-group ${errorFor('seed') ? 'is-invalid' : ''}`}>
              <input
                id={ids.seed}
                data-testid="seed-input"
                className="input mono"
                type="text"
                inputMode="numeric"
                autoComplete="off"
                placeholder="random"
                value={form.seed}
                aria-invalid={errorFor('seed') ? true : undefined}
                onChange={(event) => edit('seed', event.target.value)}
              />
              <button type="button" className="icon-button" data-testid="seed-dice" title="Roll a random seed" aria-label="Roll a random seed" onClick={rollSeed}>
                <IconDice />
              </button>
            </div>
          </Field>
          <Field id={ids.steps} label="Steps" className="steps-field">
            <input
              id={ids.steps}
              data-testid="steps-input"
              className={`input mono ${errorFor('steps') ? 'is-invalid' : ''}`}
              type="text"
              inputMode="numeric"
              autoComplete="off"
              placeholder="default"
              value={form.steps}
              title="Denoising steps; blank uses the engine's default"
              onChange={(event) => edit('steps', event.target.value)}
            />
          </Field>
        </div>
        <FieldError id={`${ids.seed}-error`} message={errorFor('seed')} />
        <FieldError id={`${ids.steps}-error`} message={errorFor('steps')} />
        <LastSeed seed={lastSeed} onReuse={reuseLastSeed} />

        <EngineField id={ids.engine} engine={form.engine} engines={engines} error={engineError} onChange={(engine) => setField('engine', engine)} />

        <div className="transport">
          <div className="transport-buttons">
            <button type="submit" className="btn btn-primary btn-generate" data-testid="generate-button" disabled={!canGenerate}>
              <IconPlay size={14} />
              {running ? 'Rendering…' : 'Generate'}
            </button>
            <button
              type="button"
              className="btn btn-danger-outline"
              data-testid="cancel-button"
              disabled={!running || job.status === 'cancelling'}
              onClick={() => void cancel()}
            >
              <IconStop size={12} />
              {job?.status === 'cancelling' ? 'Cancelling…' : 'Cancel'}
            </button>
          </div>
          <div className="transport-hint">{generateHint}</div>
        </div>
      </form>
    </aside>
  )
}
