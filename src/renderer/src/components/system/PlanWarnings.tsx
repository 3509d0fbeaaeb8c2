// A plan's memory warnings (each starts "Won't fit:" or "Tight:") under a title that says whose plan.
import type { ReactElement } from 'react'
import { IconWarning } from '../../icons'

export function PlanWarnings({ title, warnings, testId }: { title: string; warnings: string[]; testId: string }): ReactElement {
  return (
    <div className="override-warnings" role="alert" data-testid={testId}>
      <div className="override-warnings-title">
        <IconWarning size={15} />
        {title}
      </div>
      <ul>
        {warnings.map((warning, i) => (
          <li key={i}>{warning}</li>
        ))}
      </ul>
    </div>
  )
}
