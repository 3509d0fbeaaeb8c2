// Reruns a check (the System report, the Engine checklist); its icon spins while the check runs.
import type { ReactElement } from 'react'
import { IconRefresh } from '../icons'

export function RefreshButton({ testId, loading, onRefresh }: { testId: string; loading: boolean; onRefresh: () => void }): ReactElement {
  return (
    <button type="button" className="btn btn-small" data-testid={testId} onClick={onRefresh} disabled={loading}>
      <IconRefresh size={13} className={loading ? 'spin' : undefined} />
      Refresh
    </button>
  )
}
