// A failed render (with its details) or a cancelled one, each dismissible.
import type { ReactElement } from 'react'
import { IconClose, IconWarning } from '../icons'
import { useStudio } from '../store'

export function RenderErrorBox(): ReactElement | null {
  const error = useStudio((s) => s.error)
  const dismiss = useStudio((s) => s.dismissError)
  const setLogOpen = useStudio((s) => s.setLogOpen)
  const retry = useStudio((s) => s.retry)
  const busy = useStudio((s) => s.job !== null)
  if (!error) return null
  const target = error.target
  return (
    <section className="render-error" data-testid="render-error" role="alert">
      <div className="render-error-head">
        <IconWarning size={16} />
        <span className="render-error-title">{error.title}</span>
        <span className="render-error-actions">
          {target && (
            <button
              type="button"
              className="btn btn-ghost btn-small"
              data-testid="render-retry"
              disabled={busy}
              title="Run the failed jobs again; finished segments are reused from their checkpoints"
              onClick={() => void retry(target)}
            >
              Retry
            </button>
          )}
          <button type="button" className="btn btn-ghost btn-small" onClick={() => setLogOpen(true)}>
            Show log
          </button>
          <button type="button" className="icon-button" data-testid="render-error-dismiss" aria-label="Dismiss the error" title="Dismiss" onClick={dismiss}>
            <IconClose size={14} />
          </button>
        </span>
      </div>
      <p className="render-error-message" data-code={error.code ?? undefined}>
        {error.message}
      </p>
      {error.details.length > 0 && (
        <pre className="render-error-details" data-testid="render-error-details">
          {error.details.join('\n')}
        </pre>
      )}
    </section>
  )
}
