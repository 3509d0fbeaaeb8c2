// The batches the studio follows (started here, or re-attached after a restart): each one's counts,
// its rows with their states a page at a time, and what can be done with it now.
import type { ReactElement } from 'react'
import type { BatchRowView, BatchStatus } from '../../../shared/batch'
import { plural } from '../format'
import { PagedList } from './PagedList'
import type { BatchAction } from './useBatch'

export function BatchList({ batches, act, reveal }: { batches: BatchStatus[]; act: (action: BatchAction, outDir: string) => void; reveal: (path: string) => void }): ReactElement | null {
  if (batches.length === 0) return null
  return (
    <div className="batch-followed">
      {batches.map((batch) => (
        <BatchCard key={batch.outDir} batch={batch} act={(action) => act(action, batch.outDir)} reveal={reveal} />
      ))}
    </div>
  )
}

function BatchCard({ batch, act, reveal }: { batch: BatchStatus; act: (action: BatchAction) => void; reveal: (path: string) => void }): ReactElement {
  const unfinished = batch.rows.filter((row) => row.status === 'pending')
  const canPause = unfinished.some((row) => row.jobState === 'queued' || row.jobState === 'running')
  const canResume = unfinished.some((row) => row.jobState === 'paused')
  return (
    <div className="batch-status" role="status" aria-label={`Batch in ${batch.outDir}`}>
      <p>
        {batch.done} of {plural(batch.jobs, 'job')} done{batch.failed ? `, ${batch.failed} failed` : ''}
        {batch.pending ? ` — ${batch.pending} still in the queue` : ''} · {batch.outDir}
      </p>
      <div className="batch-actions">
        {canPause && (
          <button type="button" className="btn" onClick={() => act('pause')}>
            Pause
          </button>
        )}
        {canResume && (
          <button type="button" className="btn" onClick={() => act('resume')}>
            Resume
          </button>
        )}
        {batch.pending > 0 && (
          <button type="button" className="btn" onClick={() => act('cancel')}>
            Cancel the rest
          </button>
        )}
        {batch.failed > 0 && (
          <button type="button" className="btn" onClick={() => act('retryFailed')}>
            Retry {plural(batch.failed, 'failed row')}
          </button>
        )}
        {batch.pending === 0 && (
          <>
            <button type="button" className="btn" onClick={() => reveal(batch.summaryFile)}>
              Show the folder
            </button>
            <button type="button" className="btn" onClick={() => act('dismiss')}>
              Dismiss
            </button>
          </>
        )}
      </div>
      <PagedList
        items={batch.rows}
        label={`Rows of the batch in ${batch.outDir}`}
        render={(row) => (
          <li key={row.line}>
            <span className="batch-line">line {row.line}</span> {row.name} <span className="batch-meta">{rowState(row)}</span>
            {row.error && <span className="batch-error"> {row.error}</span>}
          </li>
        )}
      />
    </div>
  )
}

/** Done and failed from batch.json; an unfinished row's word is its job's state in the queue. */
function rowState(row: BatchRowView): string {
  if (row.status !== 'pending') return row.status
  if (row.jobState === null) return 'waiting for its job'
  return row.jobState === 'done' ? 'rendered; its export is next' : row.jobState
}
