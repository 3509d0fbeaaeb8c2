// The shot inspector: the selected shot's prompt, negative prompt, seed, length, steps, mode, draft and join,
// each edited through the document's edits so a refusal shows next to its field.
import { useState, type ReactElement } from 'react'
import { setShotField, type EditableShotField } from '../../../shared/projectEdits'
import { MAX_CROSSFADE_FRAMES, type Join, type Shot } from '../../../shared/project'
import { WAN_DEFAULT_NEGATIVE_PROMPT } from '../../../shared/settings'
import { copyText } from '../api'
import { useStudio } from '../store'
import { randomSeed } from '../validation'
import { FAST_MODE_STEPS } from '../../../shared/plan'
import { InspectorField } from './InspectorField'
import { PromptLibrary } from './promptLibrary/PromptLibrary'
import { PromptLanguage } from './promptLanguage/PromptLanguage'
import { DraftField, ModeField } from './RenderModeFields'
import { estimateTokens, UMT5_TOKEN_LIMIT } from './promptTokens'
import { parseSeconds, parseWholeOrBlank, type Parsed } from './shotFieldText'
import { FieldError } from '../components/shot/fields'

function useShotEdit(shot: Shot): <F extends EditableShotField>(field: F, value: Shot[F]) => string | null {
  const editProject = useStudio((s) => s.editProject)
  return (field, value) => editProject((project) => setShotField(project, shot.id, field, value))
}

function fromParsed<T>(parsed: Parsed<T>, apply: (value: T) => string | null): string | null {
  return parsed.ok ? apply(parsed.value) : parsed.reason
}

function SeedField({ shot }: { shot: Shot }): ReactElement {
  const edit = useShotEdit(shot)
  const [copied, setCopied] = useState(false)
  const used = shot.render?.seed ?? shot.seed
  return (
    <fieldset className="field inspector-seed">
      <legend className="field-label">Seed</legend>
      <div className="segmented" role="radiogroup" aria-label="Seed">
        <label className="radio">
          <input type="radio" name={`seed-${shot.id}`} checked={shot.seed === null} onChange={() => edit('seed', null)} data-testid="seed-random" /> Random
        </label>
        <label className="radio">
          <input type="radio" name={`seed-${shot.id}`} checked={shot.seed !== null} onChange={() => edit('seed', used ?? randomSeed())} data-testid="seed-fixed" /> Fixed
        </label>
      </div>
      {shot.seed !== null && (
        <InspectorField key={`seed-${shot.id}-${shot.seed}`} label="Fixed seed" value={String(shot.seed)} testId="inspector-seed" inputMode="numeric" commit={(text) => fromParsed(parseWholeOrBlank(text, 'the seed'), (value) => edit('seed', value))} />
      )}
      <div className="field-hint" data-testid="seed-used">
        {used === null ? 'Drawn when the shot is first queued, then kept.' : `Used: ${used}`}
        {used !== null && (
          <button
            type="button"
            className="link-button"
            aria-label={`Copy seed ${used}`}
            onClick={() => void copyText(String(used)).then((ok) => setCopied(ok))}
          >
            {copied ? 'Copied' : 'Copy'}
          </button>
        )}
      </div>
    </fieldset>
  )
}

function JoinField({ shot, first }: { shot: Shot; first: boolean }): ReactElement {
  const edit = useShotEdit(shot)
  const [error, setError] = useState<string | null>(null)
  const set = (join: Join): void => setError(edit('join', join))
  return (
    <div className="field">
      <label className="field-label" htmlFor={`join-${shot.id}`}>
        Join to the shot before
      </label>
      <select
        id={`join-${shot.id}`}
        className="input select"
        data-testid="inspector-join"
        value={shot.join.kind}
        disabled={first}
        onChange={(event) => set(event.target.value === 'crossfade' ? { kind: 'crossfade', frames: 8 } : { kind: event.target.value as 'cut' | 'continue' })}
      >
        <option value="cut">Cut</option>
        <option value="crossfade">Crossfade</option>
        <option value="continue">Continue (one take)</option>
      </select>
      {first && <div className="field-hint">The first shot always starts with a cut.</div>}
      {shot.join.kind === 'crossfade' && (
        <InspectorField
          key={`fade-${shot.id}-${shot.join.frames}`}
          label={`Crossfade frames (1–${MAX_CROSSFADE_FRAMES})`}
          value={String(shot.join.frames)}
          testId="inspector-crossfade"
          inputMode="numeric"
          commit={(text) => fromParsed(parseWholeOrBlank(text, 'crossfade frames'), (frames) => edit('join', { kind: 'crossfade', frames: frames ?? 0 }))}
        />
      )}
      <FieldError message={error} />
    </div>
  )
}

export function ShotInspector(): ReactElement {
  const shots = useStudio((s) => s.projectHistory.present.shots)
  const selectedShotId = useStudio((s) => s.selectedShotId)
  const index = shots.findIndex((shot) => shot.id === selectedShotId)
  const shot = shots[index]
  if (!shot) {
    return (
      <aside className="inspector" aria-label="Shot inspector">
        <p className="muted">Select a shot on the timeline to edit it.</p>
      </aside>
    )
  }
  return <ShotFields key={shot.id} shot={shot} index={index} />
}

function ShotFields({ shot, index }: { shot: Shot; index: number }): ReactElement {
  const edit = useShotEdit(shot)
  const tokens = estimateTokens(shot.prompt)
  const over = tokens > UMT5_TOKEN_LIMIT
  const [typing, setTyping] = useState<string | null>(null)
  return (
    <aside className="inspector" aria-label={`Shot ${index + 1} inspector`} data-testid="inspector">
      <h2 className="inspector-title">Shot {index + 1}</h2>
      <InspectorField
        key={`prompt-${shot.prompt}`}
        label="Prompt"
        multiline
        value={shot.prompt}
        testId="inspector-prompt"
        placeholder="What happens in this shot"
        commit={(text) => edit('prompt', text)}
        onDraft={setTyping}
        hint={
          <span className={over ? 'token-count is-over' : 'token-count'} data-testid="token-count">
            ≈{tokens} / {UMT5_TOKEN_LIMIT} umT5 tokens{over ? ': past the limit, the encoder drops the rest' : ''}
          </span>
        }
      />
      <InspectorField
        key={`negative-${shot.negativePrompt}`}
        label={shot.negativePrompt === null ? "Negative prompt (Wan's default)" : 'Negative prompt'}
        multiline
        value={shot.negativePrompt ?? WAN_DEFAULT_NEGATIVE_PROMPT}
        testId="inspector-negative"
        commit={(text) => edit('negativePrompt', text === WAN_DEFAULT_NEGATIVE_PROMPT ? null : text)}
      />
      {shot.negativePrompt !== null && (
        <button type="button" className="link-button" onClick={() => edit('negativePrompt', null)}>
          Back to Wan’s default negative prompt
        </button>
      )}
      <PromptLanguage shot={shot} typing={typing} />
      <PromptLibrary shot={shot} />
      <SeedField shot={shot} />
      <div className="field-row">
        <InspectorField key={`seconds-${shot.seconds}`} label="Seconds" value={String(shot.seconds)} testId="inspector-seconds" inputMode="decimal" commit={(text) => fromParsed(parseSeconds(text), (value) => edit('seconds', value))} />
        {shot.mode === 'fast' ? (
          <InspectorField key="steps-fast" label="Steps" value={String(FAST_MODE_STEPS)} testId="inspector-steps" disabled hint={`Fast mode always takes ${FAST_MODE_STEPS}: its LoRAs were distilled for them.`} commit={() => null} />
        ) : (
          <InspectorField key={`steps-${shot.steps}`} label="Steps" value={shot.steps === null ? '' : String(shot.steps)} placeholder="default" testId="inspector-steps" inputMode="numeric" commit={(text) => fromParsed(parseWholeOrBlank(text, 'steps'), (value) => edit('steps', value))} />
        )}
      </div>
      <ModeField shot={shot} />
      <DraftField shot={shot} />
      <JoinField shot={shot} first={index === 0} />
    </aside>
  )
}
