// The sidecar and studio log (system.log, then events.system.log): the tail, errors highlighted.
import { useEffect, useLayoutEffect, useRef, useState, type ReactElement } from 'react'
import { copyText } from '../api'
import { formatLogTime } from '../format'
import { IconChevron, IconCopy, IconTerminal } from '../icons'
import { useStudio } from '../store'

/** Lines drawn at once; the whole log (up to LOG_LIMIT) is kept for Copy. */
const VISIBLE_LINES = 400

export function LogPanel(): ReactElement {
  const logs = useStudio((s) => s.logs)
  const dropped = useStudio((s) => s.logDropped)
  const open = useStudio((s) => s.logOpen)
  const setOpen = useStudio((s) => s.setLogOpen)
  const [errorsOnly, setErrorsOnly] = useState(false)
  const [copied, setCopied] = useState(false)
  const bodyRef = useRef<HTMLDivElement>(null)
  const followRef = useRef(true)

  const errorCount = logs.reduce((n, line) => n + (line.level === 'error' ? 1 : 0), 0)
  const warningCount = logs.reduce((n, line) => n + (line.level === 'warning' ? 1 : 0), 0)
  const numbered = logs.map((line, index) => ({ line, n: dropped + index }))
  const shown = (errorsOnly ? numbered.filter(({ line }) => line.level === 'error' || line.level === 'warning') : numbered).slice(-VISIBLE_LINES)

  // Keep the tail in view unless the reader scrolled up.
  useLayoutEffect(() => {
    const body = bodyRef.current
    if (body && open && followRef.current) body.scrollTop = body.scrollHeight
  }, [shown.length, logs, open])

  useEffect(() => {
    if (!copied) return
    const timer = window.setTimeout(() => setCopied(false), 1400)
    return () => window.clearTimeout(timer)
  }, [copied])

  const onCopy = async (): Promise<void> => {
    const text = logs.map((l) => `${l.time} ${l.level.toUpperCase()} [${l.source}] ${l.message}`).join('\n')
    if (await copyText(text)) setCopied(true)
  }

  return (
    <section className={`log-panel ${open ? 'is-open' : 'is-closed'}`} data-testid="log-panel" aria-label="Log">
      <div className="log-header">
        <button type="button" className="disclosure log-toggle" aria-expanded={open} data-testid="log-toggle" onClick={() => setOpen(!open)}>
          <IconChevron open={open} size={14} />
          <IconTerminal size={14} />
          <span className="panel-title">Log</span>
        </button>
        <span className="log-counts">
          {errorCount > 0 && <span className="count-chip is-error">{errorCount} {errorCount === 1 ? 'error' : 'errors'}</span>}
          {warningCount > 0 && <span className="count-chip is-warning">{warningCount} {warningCount === 1 ? 'warning' : 'warnings'}</span>}
          <span className="muted">{logs.length} lines</span>
        </span>
        {!open && logs.length > 0 && (
          <span className={`log-last level-${logs[logs.length - 1]?.level ?? 'info'}`}>{logs[logs.length - 1]?.message}</span>
        )}
        {open && (
          <span className="log-tools">
            <label className="check">
              <input type="checkbox" checked={errorsOnly} onChange={(event) => setErrorsOnly(event.target.checked)} />
              Problems only
            </label>
            <button type="button" className="btn btn-ghost btn-small" onClick={() => void onCopy()} disabled={logs.length === 0}>
              <IconCopy size={13} />
              {copied ? 'Copied' : 'Copy'}
            </button>
          </span>
        )}
      </div>
      {open && (
        <div
          className="log-body"
          ref={bodyRef}
          // Focusable so the log scrolls by keyboard too.
          tabIndex={0}
          role="region"
          aria-label="Log lines"
          onScroll={(event) => {
            const el = event.currentTarget
            followRef.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24
          }}
        >
          {shown.length === 0 ? (
            <div className="empty-note">{errorsOnly ? 'No warnings or errors.' : 'The sidecar has not logged anything yet.'}</div>
          ) : (
            shown.map(({ line, n }) => (
              <div key={n} className={`log-line level-${line.level}`} data-level={line.level}>
                <span className="log-time">{formatLogTime(line.time)}</span>
                <span className="log-level">{line.level}</span>
                <span className="log-source">{line.source}</span>
                <span className="log-message">{line.message}</span>
              </div>
            ))
          )}
        </div>
      )}
    </section>
  )
}
