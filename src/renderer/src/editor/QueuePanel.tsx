// Every job of the queue with its progress and time left; pause, resume, cancel, reorder and retry.
import { useMemo, useState, type ReactElement } from 'react'
import { call, errorMessage } from '../api'
import { formatEta } from '../format'
import { useStudio } from '../store'
import { queueRows, type QueueRow } from './queueRows'
import { FieldError } from '../components/shot/fields'

function JobRow({ row, index, count, act }: { row: QueueRow; index: number; count: number; act: (run: () => Promise<unknown>) => void }): ReactElement {
  const { job } = row
  const jobId = job.id
  return (
    <li className={`queue-row state-${job.state}`} data-testid="queue-row" data-state={job.state}>
      <div className="queue-row-title" title={row.title}>
        {row.title}
      </div>
      <div className="queue-row-state mono">
        {job.state}
        {row.etaSeconds !== null && ` · ${formatEta(row.etaSeconds)} left`}
        {job.error && ` · ${job.error.message}`}
      </div>
      <progress className="queue-row-progress" max={1} value={row.fraction} aria-label={`${row.title} progress`} />
      <div className="queue-row-actions">
        {row.canPause && <button type="button" className="btn btn-small" onClick={() => act(() => call('queue', 'pause', { jobId }))} aria-label={`Pause ${row.title}`}>Pause</button>}
        {row.canResume && <button type="button" className="btn btn-small" onClick={() => act(() => call('queue', 'resume', { jobId }))} aria-label={`Resume ${row.title}`}>Resume</button>}
        {row.canRetry && <button type="button" className="btn btn-small" onClick={() => act(() => call('queue', 'retry', { jobId }))} aria-label={`Retry ${row.title}`}>Retry</button>}
        {row.canCancel && <button type="button" className="btn btn-small" onClick={() => act(() => call('queue', 'cancel', { jobId }))} aria-label={`Cancel ${row.title}`}>Cancel</button>}
        {row.canCancel && index > 0 && <button type="button" className="btn btn-small" onClick={() => act(() => call('queue', 'move', { jobId, toIndex: index - 1 }))} aria-label={`Move ${row.title} up`}>↑</button>}
        {row.canCancel && index < count - 1 && <button type="button" className="btn btn-small" onClick={() => act(() => call('queue', 'move', { jobId, toIndex: index + 1 }))} aria-label={`Move ${row.title} down`}>↓</button>}
      </div>
    </li>
  )
}

export function QueuePanel(): ReactElement {
  const jobs = useStudio((s) => s.jobs)
  const jobOrder = useStudio((s) => s.jobOrder)
  const progress = useStudio((s) => s.jobProgress)
  const [error, setError] = useState<string | null>(null)
  const rows = useMemo(() => queueRows(jobs, jobOrder, progress), [jobs, jobOrder, progress])
  const unfinished = rows.filter((row) => row.canCancel).length
  // Every action answers with the jobs' events; a move also changes the order, which the snapshot has.
  const act = (run: () => Promise<unknown>): void => {
    setError(null)
    void run()
      .then(() => useStudio.getState().loadJobs())
      .catch((failure: unknown) => setError(errorMessage(failure)))
  }
  return (
    <section className="queue-panel" aria-label="Render queue" data-testid="queue-panel">
      <div className="queue-toolbar" role="toolbar" aria-label="Queue">
        <span className="muted">
          {rows.length} jobs · {unfinished} to run
        </span>
        <button type="button" className="btn btn-small" onClick={() => act(() => call('queue', 'retryFailed'))}>
          Retry failed
        </button>
        <button type="button" className="btn btn-small" onClick={() => act(() => call('queue', 'clearFinished'))}>
          Clear finished
        </button>
      </div>
      <FieldError message={error} />
      <ol className="queue-list">
        {rows.map((row, index) => (
          <JobRow key={row.job.id} row={row} index={index} count={unfinished} act={act} />
        ))}
      </ol>
    </section>
  )
}
