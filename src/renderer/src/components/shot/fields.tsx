// A labelled form field and its inline error, as the quick form lays them out.
import type { ReactElement, ReactNode } from 'react'

/** A field's inline error, announced as it appears; nothing when there is none. */
export function FieldError({ id, message, testId }: { id?: string; message: string | null | undefined; testId?: string }): ReactElement | null {
  if (!message) return null
  return (
    <div className="field-error" id={id} role="alert" data-testid={testId}>
      {message}
    </div>
  )
}

/** A labelled field: its label, then the control it names (`id`) and whatever goes with it. */
export function Field({ id, label, className, children }: { id: string; label: string; className?: string; children: ReactNode }): ReactElement {
  return (
    <div className={className ? `field ${className}` : 'field'}>
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      {children}
    </div>
  )
}
