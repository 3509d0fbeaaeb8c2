// One line of the engine checklist: a mark for its state, a label, what was found and how to fix it.
import type { ReactElement, ReactNode } from 'react'
import { IconCheck, IconClose, IconWarning } from '../../icons'

/** ok: in place. missing: blocks the real engine. warn: works, with a caveat. optional: absent but not needed now. */
export type CheckState = 'ok' | 'missing' | 'warn' | 'optional' | 'unknown'

const checkStateText: Record<CheckState, string> = {
  ok: 'OK',
  missing: 'Missing',
  warn: 'Warning',
  optional: 'Not needed now',
  unknown: 'Unknown'
}

function CheckMark({ state }: { state: CheckState }): ReactElement {
  return (
    <span className="engine-check-mark" role="img" aria-label={checkStateText[state]} title={checkStateText[state]}>
      {state === 'ok' ? <IconCheck size={12} /> : state === 'missing' ? <IconClose size={12} /> : state === 'warn' ? <IconWarning size={12} /> : null}
    </span>
  )
}

export function Check({ check, label, state, fix, children }: { check: string; label: string; state: CheckState; fix?: ReactNode; children: ReactNode }): ReactElement {
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
