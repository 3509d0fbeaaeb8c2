// "Adjust plan": the choices a user pins over the planner's (settings.planOverride); each left on
// Automatic stays the planner's. Applying saves them and shows the plan the real engine will use.
import { useState, type FormEvent, type ReactElement } from 'react'
import type { Plan } from '../../../shared/plan'
import type { PlanOverride } from '../../../shared/settings'
import { diffusersDetails } from '../engineDetails'
import { useStudio } from '../store'
import { offeredLevers } from './system/planLevers'

type OverrideField = keyof PlanOverride
type OverrideValue<K extends OverrideField> = NonNullable<PlanOverride[K]>

type OverrideSpec<K extends OverrideField> = {
  label: string
  testId: string
  choices: readonly { value: OverrideValue<K>; label: string }[]
  /** What the plan in effect uses for this field. */
  inPlan: (plan: Plan) => OverrideValue<K>
}

/** Choices shown by their own value: 'fp8' as "fp8", 81 as "81". */
function plainChoices<V extends string | number>(values: readonly V[]): { value: V; label: string }[] {
  return values.map((value) => ({ value, label: String(value) }))
}

/** Choices shown by a label each, in the order given: { gpu: 'GPU', cpu: 'CPU' }. */
function labelledChoices<V extends string>(labels: Record<V, string>): { value: V; label: string }[] {
  return (Object.keys(labels) as V[]).map((value) => ({ value, label: labels[value] }))
}

const overrideSpecs: { [K in OverrideField]: OverrideSpec<K> } = {
  model: {
    label: 'Model',
    testId: 'override-model',
    choices: labelledChoices({ 't2v-a14b': 'T2V-A14B', 'ti2v-5b': 'TI2V-5B' }),
    inPlan: (plan) => plan.model
  },
  precision: {
    label: 'Precision',
    testId: 'override-precision',
    choices: plainChoices(['bf16', 'fp16', 'fp8', 'int8']),
    inPlan: (plan) => plan.precision
  },
  experts: {
    label: 'Experts',
    testId: 'override-experts',
    choices: labelledChoices({ resident: 'Resident', swap: 'Swap', stream: 'Stream' }),
    inPlan: (plan) => plan.placement.experts
  },
  textEncoder: {
    label: 'umT5',
    testId: 'override-text-encoder',
    choices: labelledChoices({ gpu: 'GPU', cpu: 'CPU' }),
    inPlan: (plan) => plan.placement.textEncoder
  },
  vaeTiling: {
    label: 'VAE tiling',
    testId: 'override-vae-tiling',
    choices: [
      { value: true, label: 'On' },
      { value: false, label: 'Off' }
    ],
    inPlan: (plan) => plan.placement.vaeTiling
  },
  segmentFrames: {
    label: 'Segment frames',
    testId: 'override-segment-frames',
    choices: plainChoices([81, 65, 49, 33, 17]),
    inPlan: (plan) => plan.segmentFrames
  },
  compile: {
    label: 'Compile blocks',
    testId: 'override-compile',
    choices: [
      { value: true, label: 'On' },
      { value: false, label: 'Off' }
    ],
    inPlan: (plan) => plan.speed.compile
  },
  attention: {
    label: 'Attention',
    testId: 'override-attention',
    choices: labelledChoices({ sdpa: 'SDPA', flash: 'FlashAttention 2', flash3: 'FlashAttention 3', sage: 'SageAttention' }),
    inPlan: (plan) => plan.speed.attention
  }
}

const overrideFields = Object.keys(overrideSpecs) as OverrideField[]

const AUTOMATIC = 'auto'

const automaticOverride: PlanOverride = {
  model: null,
  precision: null,
  experts: null,
  textEncoder: null,
  vaeTiling: null,
  segmentFrames: null,
  compile: null,
  attention: null
}

function sameOverride(a: PlanOverride, b: PlanOverride): boolean {
  return overrideFields.every((field) => a[field] === b[field])
}

function isAutomatic(override: PlanOverride): boolean {
  return sameOverride(override, automaticOverride)
}

/** "model ti2v-5b, VAE tiling off". */
function describeOverride(override: PlanOverride): string {
  return overrideFields
    .filter((field) => override[field] !== null)
    .map((field) => {
      const spec = overrideSpecs[field] as OverrideSpec<OverrideField>
      const choice = spec.choices.find((candidate) => candidate.value === override[field])
      return `${spec.label} ${choice?.label ?? String(override[field])}`
    })
    .join(', ')
}


function OverrideSelect<K extends OverrideField>({
  field,
  value,
  planValue,
  offered,
  disabled,
  onChange
}: {
  field: K
  value: PlanOverride[K]
  /** The choices to show (a pinned value is shown even when no longer offered); all when undefined. */
  offered: readonly OverrideValue<K>[] | undefined
  /** The plan in effect's value while this field is automatic, for "Automatic (fp8)". */
  planValue: OverrideValue<K> | null
  disabled: boolean
  onChange: (value: PlanOverride[K]) => void
}): ReactElement {
  const spec = overrideSpecs[field] as OverrideSpec<K>
  const labelOf = (choice: OverrideValue<K>): string => spec.choices.find((candidate) => candidate.value === choice)?.label ?? String(choice)
  const choices = spec.choices.filter((choice) => !offered || offered.includes(choice.value) || choice.value === value)
  return (
    <label className="field">
      <span className="field-label">{spec.label}</span>
      <select
        className={`input select ${value !== null ? 'is-pinned' : ''}`}
        data-testid={spec.testId}
        value={value === null ? AUTOMATIC : String(value)}
        disabled={disabled}
        onChange={(event) => onChange(choices.find((choice) => String(choice.value) === event.target.value)?.value ?? null)}
      >
        <option value={AUTOMATIC}>{planValue === null ? 'Automatic' : `Automatic (${labelOf(planValue)})`}</option>
        {choices.map((choice) => (
          <option key={String(choice.value)} value={String(choice.value)}>
            {choice.label}
          </option>
        ))}
      </select>
    </label>
  )
}

/** What the user picked, and the saved override it was picked over: a new saved override discards it. */
type Draft = { override: PlanOverride; over: PlanOverride }

export function PlanOverrideForm({ planInEffect }: { planInEffect: Plan | null }): ReactElement {
  const saved = useStudio((s) => s.system.snapshot?.settings.planOverride ?? null) ?? automaticOverride
  const saving = useStudio((s) => s.settings.saving === 'planOverride')
  const busy = useStudio((s) => s.settings.saving !== null)
  const loaded = useStudio((s) => s.system.snapshot !== null)
  const error = useStudio((s) => s.settings.planOverrideError)
  const savePlanOverride = useStudio((s) => s.savePlanOverride)
  const engineStatus = useStudio((s) => s.system.snapshot?.engineStatus ?? null)
  const [draft, setDraft] = useState<Draft | null>(null)
  // Only what the engine reported for the lever fields; every choice for the others.
  const offered: { [K in OverrideField]?: readonly OverrideValue<K>[] } = offeredLevers(engineStatus ? diffusersDetails(engineStatus) : {})

  const override = draft !== null && sameOverride(draft.over, saved) ? draft.override : saved
  const changed = !sameOverride(override, saved)
  const pinned = !isAutomatic(saved)

  const apply = (event: FormEvent): void => {
    event.preventDefault()
    if (changed) void savePlanOverride(isAutomatic(override) ? null : override)
  }

  return (
    <form className="plan-override" data-testid="plan-override-form" onSubmit={apply}>
      <h4 className="card-subtitle">Adjust plan</h4>
      <p className="field-hint">
        {pinned ? (
          <>
            In effect: <strong className="plan-mode-pinned">your pinned choices</strong> ({describeOverride(saved)}); the planner picks the rest.
          </>
        ) : (
          <>In effect: the planner’s automatic plan. Pin a choice to override it; the rest stays automatic.</>
        )}
      </p>
      <div className="override-fields">
        {overrideFields.map((field) => (
          <OverrideSelect
            key={field}
            field={field}
            value={override[field]}
            planValue={planInEffect && saved[field] === null ? overrideSpecs[field].inPlan(planInEffect) : null}
            offered={offered[field] as readonly OverrideValue<typeof field>[] | undefined}
            disabled={!loaded || busy}
            onChange={(value) => setDraft({ override: { ...override, [field]: value }, over: saved })}
          />
        ))}
      </div>
      <div className="override-actions">
        <button type="submit" className="btn btn-small btn-primary" data-testid="override-apply" disabled={!loaded || busy || !changed}>
          {saving ? 'Applying…' : 'Apply'}
        </button>
        <button
          type="button"
          className="btn btn-small"
          data-testid="override-reset"
          disabled={!loaded || busy || (!pinned && !changed)}
          onClick={() => {
            setDraft(null)
            if (pinned) void savePlanOverride(null)
          }}
        >
          Reset to automatic
        </button>
        {error && (
          <span className="field-error" role="alert" data-testid="override-error">
            {error}
          </span>
        )}
      </div>
    </form>
  )
}
