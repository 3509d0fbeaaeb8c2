// The System tab's Engine checklist (the system snapshot's engineStatus): Python, the sidecar, torch and the GPU it
// sees, the engine's packages, the models folder and each model's weights, each missing piece with
// how to fix it, and the verdict: whether Wan2.2 can render now.
import type { ReactElement, ReactNode } from 'react'
import type { EngineStatus } from '../../../shared/ipc'
import type { ModelId } from '../../../shared/plan'
import { diffusersDetails, downloadCommand, ENGINE_LIBRARIES, MODEL_FOLDERS, modelFolderPath, type DiffusersDetails } from '../engineDetails'
import { IconCheck, IconClose, IconWarning } from '../icons'
import { useStudio } from '../store'
import { CopyButton } from './CopyButton'
import { ModelsFolderField } from './ModelsFolderField'

/** ok: in place. missing: blocks the real engine. warn: works, with a caveat. optional: absent but not needed now. */
type CheckState = 'ok' | 'missing' | 'warn' | 'optional' | 'unknown'

const checkStateText: Record<CheckState, string> = {
  ok: 'OK',
  missing: 'Missing',
  warn: 'Warning',
  optional: 'Not needed now',
  unknown: 'Unknown'
}

const sidecarStateText: Record<EngineStatus['sidecar']['state'], string> = {
  stopped: 'stopped',
  starting: 'starting…',
  ready: 'running',
  crashed: 'crashed'
}

const modelText: Record<ModelId, string> = { 't2v-a14b': 'T2V-A14B', 'ti2v-5b': 'TI2V-5B' }
const checkedModels: readonly ModelId[] = ['t2v-a14b', 'ti2v-5b']

const ENGINE_SETUP = <code>npm run engine:setup</code>

function CheckMark({ state }: { state: CheckState }): ReactElement {
  return (
    <span className="engine-check-mark" role="img" aria-label={checkStateText[state]} title={checkStateText[state]}>
      {state === 'ok' ? <IconCheck size={12} /> : state === 'missing' ? <IconClose size={12} /> : state === 'warn' ? <IconWarning size={12} /> : null}
    </span>
  )
}

function Check({ check, label, state, fix, children }: { check: string; label: string; state: CheckState; fix?: ReactNode; children: ReactNode }): ReactElement {
  return (
    <li className={`engine-check is-${state}`} data-testid={`engine-check-${check}`} data-state={state}>
      <CheckMark state={state} />
      <span className="engine-check-label">{label}</span>
      <div className="engine-check-value">
        {children}
        {fix && <div className="engine-check-fix">{fix}</div>}
      </div>
    </li>
  )
}

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

function SoftwareChecks({ status, details }: { status: EngineStatus; details: DiffusersDetails }): ReactElement {
  const { python, sidecar } = status
  const engine = status.engines.find((candidate) => candidate.id === 'diffusers')
  const versions = details.versions
  const unreported = sidecar.state === 'ready' ? 'not reported by the sidecar' : 'unknown until the sidecar runs'
  const torch = versions?.torch
  const librariesInstalled = ENGINE_LIBRARIES.every((name) => typeof versions?.[name] === 'string')
  // With every package installed, an unavailable engine that never got to ask CUDA failed importing torch.
  const torchImportFailed = typeof torch === 'string' && librariesInstalled && engine?.available === false && details.cudaAvailable === undefined
  const cpuOnlyTorch = details.cudaAvailable !== undefined && details.torchCuda === null

  const pinnedFix = (name: string): ReactNode => {
    const unpinned = details.unpinned?.[name]
    return unpinned ? (
      <>
        The studio is tested with {name} {unpinned.pinned}; {ENGINE_SETUP} installs it.
      </>
    ) : undefined
  }

  return (
    <>
      <Check
        check="python"
        label="Python"
        state={python ? 'ok' : 'missing'}
        fix={
          !python && (
            <>
              Run {ENGINE_SETUP} to create the studio’s engine environment, set <code>WAN_STUDIO_PYTHON</code> to a Python 3 interpreter, or install{' '}
              <code>python3</code>.
            </>
          )
        }
      >
        {python ? (
          <>
            <span className="mono value">{python.path}</span> <span className="muted">· {python.source}</span>
          </>
        ) : (
          'not found'
        )}
      </Check>
      <Check
        check="sidecar"
        label="Sidecar"
        state={sidecar.state === 'ready' ? 'ok' : sidecar.state === 'crashed' ? 'missing' : 'unknown'}
        fix={sidecar.state === 'crashed' && 'It restarts with the next render or Refresh; the log below says why it stopped.'}
      >
        {sidecarStateText[sidecar.state]}
        {sidecar.lastError && <span className="muted"> · {sidecar.lastError}</span>}
      </Check>
      <Check
        check="torch"
        label="torch"
        state={
          torch === undefined ? 'unknown' : torch === null || torchImportFailed ? 'missing' : cpuOnlyTorch || details.unpinned?.torch ? 'warn' : 'ok'
        }
        fix={
          torch === null ? (
            <>Run {ENGINE_SETUP}: it installs torch and the engine’s packages into the studio’s own Python environment.</>
          ) : torchImportFailed ? (
            (engine?.reason ?? <>torch is installed but fails to import; run {ENGINE_SETUP} again.</>)
          ) : cpuOnlyTorch ? (
            <>
              This is a CPU-only build. Run {ENGINE_SETUP} for the CUDA build (on Windows add <code>-- --torch-index https://download.pytorch.org/whl/&lt;cuda tag&gt;</code>).
            </>
          ) : (
            pinnedFix('torch')
          )
        }
      >
        {torch === undefined ? (
          unreported
        ) : torch === null ? (
          'not installed'
        ) : (
          <>
            <span className="mono">{torch}</span>
            {details.torchCuda !== undefined && (
              <span className="muted"> · {details.torchCuda === null ? 'CPU-only build' : `built for CUDA ${details.torchCuda}`}</span>
            )}
          </>
        )}
      </Check>
      <Check
        check="gpu"
        label="GPU visible to torch"
        state={details.cudaAvailable === undefined ? 'unknown' : details.cudaAvailable ? 'ok' : 'missing'}
        fix={
          details.cudaAvailable === false && (
            <>
              {details.note && <>{details.note}. </>}
              {cpuOnlyTorch ? (
                <>Install the CUDA build of torch (see torch above).</>
              ) : (
                <>
                  Check that the NVIDIA driver is loaded and <code>nvidia-smi</code> lists the GPU (the report below), and that{' '}
                  <code>CUDA_VISIBLE_DEVICES</code> doesn’t hide it.
                </>
              )}
            </>
          )
        }
      >
        {details.cudaAvailable === undefined
          ? torch === null
            ? 'needs torch'
            : unreported
          : details.cudaAvailable
            ? (details.gpus ?? []).join(', ') || 'yes'
            : 'no CUDA GPU'}
      </Check>
      {ENGINE_LIBRARIES.map((name) => {
        const version = versions?.[name]
        return (
          <Check
            key={name}
            check={name}
            label={name}
            state={version === undefined ? 'unknown' : version === null ? 'missing' : details.unpinned?.[name] ? 'warn' : 'ok'}
            fix={version === null ? <>Run {ENGINE_SETUP} to install it.</> : pinnedFix(name)}
          >
            {version === undefined ? unreported : version === null ? 'not installed' : <span className="mono">{version}</span>}
          </Check>
        )
      })}
    </>
  )
}

/** `plannedModel`: the model of the plan in effect; null without a plan, when either may be the one needed. */
function WeightsCheck({ model, details, modelsDir, plannedModel }: { model: ModelId; details: DiffusersDetails; modelsDir: string | null; plannedModel: ModelId | null }): ReactElement {
  const weights = details.models?.[model]
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
          complete <span className="muted">· </span>
          <span className="mono value muted">{folder}</span>
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
    </Check>
  )
}

function Checklist({ status }: { status: EngineStatus }): ReactElement {
  const savedModelsDir = useStudio((s) => s.system.snapshot?.settings.modelsDir ?? null)
  const plannedModel = useStudio((s) => s.system.snapshot?.effectivePlan.plan?.model ?? null)
  const details = diffusersDetails(status)
  // The sidecar reports the folder it reads (WAN_STUDIO_MODELS_DIR wins over the setting).
  const modelsDir = details.modelsDir ?? savedModelsDir
  return (
    <>
      <h4 className="card-subtitle">Software</h4>
      <ul className="engine-checklist">
        <SoftwareChecks status={status} details={details} />
      </ul>
      <h4 className="card-subtitle">Models</h4>
      <ul className="engine-checklist">
        <Check
          check="models-dir"
          label="Models folder"
          state={modelsDir ? 'ok' : 'missing'}
          fix={!modelsDir && 'Choose the folder that holds (or will hold) the Wan2.2 model folders; the studio never downloads weights itself.'}
        >
          <ModelsFolderField />
          {details.modelsDir && details.modelsDir !== savedModelsDir && (
            <div className="muted">
              The engine reads <span className="mono value">{details.modelsDir}</span>
            </div>
          )}
        </Check>
        {checkedModels.map((model) => (
          <WeightsCheck key={model} model={model} details={details} modelsDir={modelsDir} plannedModel={plannedModel} />
        ))}
      </ul>
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
