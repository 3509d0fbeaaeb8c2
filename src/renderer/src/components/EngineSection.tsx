// The System tab's Engine checklist (the system snapshot's engineStatus): Python, the sidecar, torch and the GPU it
// sees, the engine's packages, the models folder and each model's weights, each missing piece with
// how to fix it, and the verdict: whether Wan2.2 can render now.
import type { ReactElement } from 'react'
import type { EngineStatus } from '../../../shared/ipc'
import type { ModelId } from '../../../shared/plan'
import { diffusersDetails } from '../engineDetails'
import { IconCheck, IconWarning } from '../icons'
import { useStudio } from '../store'
import { RepairEngine } from '../engineSetup/RepairEngine'
import { ComfyUiFoldersField } from './ComfyUiFoldersField'
import { ModelsFolderField } from './ModelsFolderField'
import { WeightDownloads } from './WeightDownloads'
import { Check } from './engine/Check'
import { SoftwareChecks } from './engine/SoftwareChecks'
import { WeightsCheck } from './engine/WeightsCheck'

function Verdict({ realEngine }: { realEngine: EngineStatus['realEngine'] }): ReactElement {
  const pinnedPlanWarned = useStudio((s) => (s.system.snapshot?.effectivePlan.warnings.length ?? 0) > 0)
  return (
    <div className={`engine-verdict ${realEngine.ready ? 'is-ready' : 'is-blocked'}`} data-testid="real-engine-verdict" data-ready={realEngine.ready}>
      {realEngine.ready ? <IconCheck size={15} /> : <IconWarning size={15} />}
      <span>
        {realEngine.ready ? (
          <>
            <strong>Wan2.2 ready</strong>
            {pinnedPlanWarned && <span className="muted">, but your pinned plan may not run on this machine (see Render plan below)</span>}
          </>
        ) : (
          <>
            <strong>Wan2.2 can’t render yet:</strong> {realEngine.reason ?? 'no reason given'}
          </>
        )}
      </span>
    </div>
  )
}

const checkedModels: readonly ModelId[] = ['t2v-a14b', 'ti2v-5b']

function Checklist({ status }: { status: EngineStatus }): ReactElement {
  const savedModelsDir = useStudio((s) => s.system.snapshot?.settings.modelsDir ?? null)
  const plannedModel = useStudio((s) => s.system.snapshot?.effectivePlan.plan?.model ?? null)
  const weightsFound = useStudio((s) => s.system.snapshot?.weights ?? null)
  const weightProblems = (weightsFound?.problems ?? []).filter((problem) => problem.kind === 'comfyui')
  const details = diffusersDetails(status)
  // The sidecar reports the folder it reads (WAN_STUDIO_MODELS_DIR wins over the setting).
  const modelsDir = details.modelsDir ?? savedModelsDir
  return (
    <>
      <h4 className="card-subtitle">Software</h4>
      <ul className="engine-checklist">
        <SoftwareChecks status={status} details={details} />
      </ul>
      <RepairEngine />
      <h4 className="card-subtitle">Models</h4>
      <ul className="engine-checklist">
        <Check
          check="models-dir"
          label="Models folder"
          state={modelsDir ? 'ok' : 'missing'}
          fix={!modelsDir && 'Choose the folder that holds (or will hold) the Wan2.2 model folders; downloads below go into it.'}
        >
          <ModelsFolderField />
          {details.modelsDir && details.modelsDir !== savedModelsDir && (
            <div className="muted">
              The engine reads <span className="mono value">{details.modelsDir}</span>
            </div>
          )}
        </Check>
        <Check check="comfyui-folders" label="ComfyUI folders" state={weightProblems.length ? 'warn' : 'ok'}>
          <ComfyUiFoldersField />
          {weightProblems.map((problem) => (
            <div key={`${problem.kind}:${problem.root}`} className="muted">
              {problem.problem}
            </div>
          ))}
        </Check>
        {checkedModels.map((model) => (
          <WeightsCheck key={model} model={model} details={details} modelsDir={modelsDir} plannedModel={plannedModel} found={weightsFound?.models[model] ?? []} />
        ))}
      </ul>
      <WeightDownloads />
    </>
  )
}

/** Refreshed, with the rest of the system snapshot, by the System tab's Refresh. */
export function EngineSection(): ReactElement {
  const report = useStudio((s) => s.system.snapshot?.engineStatus ?? null)
  const failed = useStudio((s) => s.system.status === 'error')
  return (
    <section className="card engine-section" data-testid="engine-section" aria-busy={!report && !failed}>
      <h3 className="card-title">Engine</h3>
      {report ? (
        <>
          <Verdict realEngine={report.realEngine} />
          <Checklist status={report} />
        </>
      ) : (
        !failed && <div className="engine-empty muted">Asking the sidecar what it has installed…</div>
      )}
    </section>
  )
}
