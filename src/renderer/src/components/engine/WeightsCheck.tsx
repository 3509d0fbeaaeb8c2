// The checklist's line for one model's weights: found in the models folder, or how to download them;
// for the T2V-A14B also fast mode's two Lightning LoRA files.
import type { ReactElement } from 'react'
import type { ModelId } from '../../../../shared/plan'
import { downloadCommand, MODEL_FOLDERS, modelFolderPath, type DiffusersDetails } from '../../engineDetails'
import { CopyButton } from '../CopyButton'
import type { FoundWeights } from '../../../../shared/weights'
import { Check, type CheckState } from './Check'
import { WeightSources } from './WeightSources'
import { engineSourceText } from './weightSourceText'

const modelText: Record<ModelId, string> = { 't2v-a14b': 'T2V-A14B', 'ti2v-5b': 'TI2V-5B' }

const loraRoleText = { 'high-noise': 'high-noise expert (transformer)', 'low-noise': 'low-noise expert (transformer_2)' } as const

/** Fast mode's LoRA files as the sidecar reported them: each present or not, and how to get them. */
function FastModeFiles({ fastMode }: { fastMode: NonNullable<DiffusersDetails['fastMode']> }): ReactElement {
  return (
    <div className="fast-mode-files" data-testid="fast-mode-files">
      <div>
        Fast mode (Wan2.2-Lightning 4-step LoRAs):{' '}
        <strong data-testid="fast-mode-state">{fastMode.available ? 'available' : 'not available'}</strong>
        {!fastMode.available && fastMode.reason && <span className="muted"> · {fastMode.reason}</span>}
      </div>
      <ul className="engine-missing">
        {fastMode.files.map((file) => (
          <li key={file.role} className="mono value">
            {file.present ? '✓' : '✗'} {loraRoleText[file.role]}: {file.path}
          </li>
        ))}
      </ul>
      {fastMode.files.some((file) => !file.present) && (
        <span className="engine-command">
          <code className="value">{fastMode.howToGet}</code>
          <CopyButton text={fastMode.howToGet} label="Copy the command that gets the fast-mode LoRAs" />
        </span>
      )}
    </div>
  )
}

export function WeightsCheck({
  model,
  details,
  modelsDir,
  plannedModel,
  found
}: {
  model: ModelId
  details: DiffusersDetails
  modelsDir: string | null
  plannedModel: ModelId | null
  /** Every place some of this model was found (the system snapshot's weights). */
  found: FoundWeights[]
}): ReactElement {
  const weights = details.models?.[model]
  const source = engineSourceText(weights, found)
  const folder = modelFolderPath(model, weights, modelsDir)
  const command = downloadCommand(model, folder)
  const missing = weights?.missing ?? []
  const absentState: CheckState = plannedModel === null || plannedModel === model ? 'missing' : 'optional'
  const state: CheckState = !modelsDir ? absentState : weights?.complete === undefined ? 'unknown' : weights.complete ? 'ok' : absentState
  const download = (
    <>
      {weights?.present ? 'Download the rest (the same command resumes):' : 'Download it into the models folder:'}
      <span className="engine-command">
        <code className="value">{command}</code>
        <CopyButton text={command} label="Copy the download command" />
      </span>
    </>
  )
  return (
    <Check
      check={`weights-${model}`}
      label={`Weights: ${modelText[model]}`}
      state={state}
      fix={(state === 'missing' || state === 'optional') && download}
    >
      {plannedModel === model && <span className="badge badge-wan engine-check-badge">the plan uses it</span>}
      {!modelsDir ? (
        'choose the models folder first'
      ) : weights?.complete === undefined ? (
        'not reported by the sidecar'
      ) : weights.complete ? (
        <>
          complete <span className="muted">· {source ? `from the ${source}: ` : ''}</span>
          <span className="mono value muted" data-testid={`weights-${model}-path`}>
            {weights.source === 'modelFiles' ? 'single files' : folder}
          </span>
        </>
      ) : weights.present ? (
        <>
          incomplete: {missing.length} {missing.length === 1 ? 'file' : 'files'} missing or damaged in <span className="mono value">{MODEL_FOLDERS[model]}</span>
          {missing.length > 0 && (
            <ul className="engine-missing">
              {missing.slice(0, 3).map((path) => (
                <li key={path} className="mono value">
                  {path}
                </li>
              ))}
              {missing.length > 3 && <li className="muted">and {missing.length - 3} more</li>}
            </ul>
          )}
        </>
      ) : (
        <>
          not downloaded <span className="muted">(no {MODEL_FOLDERS[model]} folder)</span>
        </>
      )}
      <WeightSources found={found} usedPath={weights?.complete ? (weights.path ?? null) : null} />
      {model === 't2v-a14b' && details.fastMode && <FastModeFiles fastMode={details.fastMode} />}
    </Check>
  )
}
