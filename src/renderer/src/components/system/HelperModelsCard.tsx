// The weights check's helper models (prompt translation and extension, docs/prompting.md): each
// model, whether it is complete, what is missing and the command that downloads it.
import type { ReactElement } from 'react'
import { formatMiB } from '../../format'
import { useHelperModels } from '../../helperModels'
import { CopyButton } from '../CopyButton'
import '../../styles/PromptLanguage.css'

export function HelperModelsCard(): ReactElement {
  const { view, refresh } = useHelperModels()
  return (
    <section className="card card-wide" data-testid="system-helper-models">
      <h3 className="card-title">Prompt helper models (translation, extension)</h3>
      {view === null && <p className="muted">Looking in the models folder…</p>}
      {view?.problem && <p data-testid="helper-models-problem">{view.problem}</p>}
      {view && view.models.length > 0 && (
        <ul className="helper-models-list">
          {view.models.map((model) => (
            <li key={model.id} data-testid={`helper-model-${model.id}`}>
              <div>
                <strong>{model.repo}</strong> {model.default ? '(default)' : ''}: {model.complete ? 'installed' : 'missing'} ·{' '}
                <span className="mono">{formatMiB(model.weightsMiB)}</span> · {model.parametersBillions} B parameters · licence {model.license}
              </div>
              <div className="muted mono">{model.path}</div>
              {!model.complete && (
                <>
                  {model.missing.length > 0 && <div className="muted">Missing or damaged: {model.missing.join(', ')}</div>}
                  <div className="prompt-language-actions">
                    <code className="mono">{model.howToGet}</code>
                    <CopyButton text={model.howToGet} label={`Copy the command that downloads ${model.repo}`} />
                  </div>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {view && !view.ready && !view.problem && <p className="muted">Without one, prompts go to the model as typed; translation set to “always” refuses to render.</p>}
      <button type="button" className="btn btn-small btn-ghost" onClick={refresh}>
        Look again
      </button>
    </section>
  )
}
