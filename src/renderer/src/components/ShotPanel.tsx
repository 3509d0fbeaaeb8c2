// The left "Shot" panel: what to render, and the Generate / Cancel transport.
import { useId, useMemo, useState, type ReactElement, type ReactNode } from 'react'
import { CLIP_FPS, MAX_CLIP_SECONDS, type EngineChoice } from '../../../shared/render'
import type { EngineInfo } from '../../../shared/ipc'
import { copyText } from '../api'
import { IconCheck, IconChevron, IconCopy, IconDice, IconPlay, IconStop } from '../icons'
import { useStudio } from '../store'
import { clipFrames, engineProblem, segmentCount, validateShot, type ShotField } from '../validation'

const PROMPT_LIMIT = 4000
const QUICK_LENGTHS = [5, 10, 15] as const

const isMac = typeof navigator !== 'undefined' && /Mac/i.test(navigator.platform)
export const GENERATE_KEYS = isMac ? '⌘↵' : 'Ctrl+Enter'

function optionText(engine: EngineInfo | undefined, fallback: string): string {
  if (!engine) return fallback
  return engine.available ? engine.label : `${engine.label} — unavailable: ${engine.reason ?? 'no reason given'}`
}

function FieldError({ id, message }: { id: string; message: string | undefined }): ReactElement | null {
  if (!message) return null
  return (
    <div className="field-error" id={id} role="alert">
      {message}
    </div>
  )
}

/** A labelled field: its label, then the control it names (`id`) and whatever goes with it. */
function Field({ id, label, className, children }: { id: string; label: string; className?: string; children: ReactNode }): ReactElement {
  return (
    <div className={className ? `field ${className}` : 'field'}>
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      {children}
    </div>
  )
}

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
  const [seedCopied, setSeedCopied] = useState(false)
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
  const synthetic = engines.find((e) => e.id === 'synthetic')
  const diffusers = engines.find((e) => e.id === 'diffusers')
  const engineError = validation.errors.engine ?? engineProblem(form.engine, engines)
  const engineHint: Record<EngineChoice, string> = {
    auto: info
      ? diffusers?.available
        ? `Auto renders with ${diffusers.label}.`
        : `Auto renders synthetic test frames: ${diffusers?.label ?? 'Wan2.2'} is unavailable.`
      : 'Auto picks Wan2.2 when it can run, otherwise synthetic test frames.',
    synthetic: 'Draws stamped test frames without a model. Its clips are labelled synthetic.',
    diffusers: 'Wan2.2 text-to-video through diffusers, on your GPU.'
  }

  const running = job !== null
  const problem = info?.problem ?? null
  const canGenerate = validation.ok && !engineError && !running && !problem
  const generateHint = running
    ? job.status === 'cancelling'
      ? 'Cancelling…'
      : 'A render is running.'
    : problem
      ? 'Rendering is unavailable (see the banner above).'
      : engineError
        ? 'Pick an available engine to enable Generate.'
        : !validation.ok
        ? validation.errors.prompt && !touched.prompt && !showAllErrors
          ? 'Describe the shot to enable Generate.'
          : 'Fix the fields marked in red to enable Generate.'
        : `${GENERATE_KEYS} to generate · Esc cancels`

  const onCopySeed = async (): Promise<void> => {
    if (lastSeed === null) return
    if (await copyText(String(lastSeed))) {
      setSeedCopied(true)
      window.setTimeout(() => setSeedCopied(false), 1400)
    }
  }

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
        <div className="last-seed" data-testid="last-seed">
          {lastSeed === null ? (
            <span className="muted">Blank seed picks a random one; the seed used is shown here.</span>
          ) : (
            <>
              <span className="muted">Last seed</span>
              <span className="mono last-seed-value" data-testid="last-seed-value">
                {lastSeed}
              </span>
              <button type="button" className="icon-button small" title="Copy the seed" aria-label="Copy the last seed" onClick={() => void onCopySeed()}>
                {seedCopied ? <IconCheck size={14} /> : <IconCopy size={14} />}
              </button>
              <button type="button" className="link-button" onClick={reuseLastSeed} title="Put this seed in the Seed field">
                Reuse
              </button>
            </>
          )}
        </div>

        <Field id={ids.engine} label="Engine">
          <select
            id={ids.engine}
            data-testid="engine-select"
            className="input select"
            value={form.engine}
            onChange={(event) => setField('engine', event.target.value as EngineChoice)}
          >
            <option value="auto">Auto</option>
            <option value="synthetic" disabled={synthetic !== undefined && !synthetic.available}>
              {optionText(synthetic, 'Synthetic (test frames)')}
            </option>
            <option value="diffusers" disabled={diffusers !== undefined && !diffusers.available}>
              {optionText(diffusers, 'Wan2.2 (diffusers)')}
            </option>
          </select>
          {engineError ? (
            <FieldError id={`${ids.engine}-error`} message={engineError} />
          ) : (
            <div className="field-hint">{engineHint[form.engine]}</div>
          )}
        </Field>

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
