// The System tab's weights downloads: each model the app renders with, and fast mode's LoRAs, fetched
// from the Hugging Face Hub into the models folder with the size, free space, progress, pause, resume,
// cancel and the check of every file (src/main/models/downloads.ts). Live through models.download events.
import { useEffect, useState, type ReactElement } from 'react'
import type { DownloadId, DownloadStatus } from '../../../shared/modelDownloads'
import { call, errorMessage, studioApi } from '../api'
import '../styles/WeightDownloads.css'
import { downloadActions, downloadFraction, fileLine, progressLine, sizeLine, type DownloadAction } from './weightDownloadText'

const ACTION_LABELS: Record<DownloadAction, string> = { start: 'Download', pause: 'Pause', resume: 'Resume', cancel: 'Cancel' }
const ACTION_METHODS = { start: 'downloadStart', pause: 'downloadPause', resume: 'downloadResume', cancel: 'downloadCancel' } as const

function DownloadRow({ status, onError }: { status: DownloadStatus; onError: (message: string) => void }): ReactElement {
  const fraction = downloadFraction(status)
  const running = status.state === 'starting' || status.state === 'downloading' || status.state === 'checking'
  const act = (action: DownloadAction): void => {
    call('models', ACTION_METHODS[action], { id: status.id }).catch((error: unknown) => onError(errorMessage(error)))
  }
  const size = sizeLine(status)
  const progress = progressLine(status)
  const file = fileLine(status)
  const problems = Object.entries(status.problems)
  return (
    <li className={`weight-download is-${status.state}`} data-testid={`weight-download-${status.id}`} data-state={status.state}>
      <div className="weight-download-head">
        <strong>{status.label}</strong>
        <span className="muted mono">{status.repo}</span>
        <span className="weight-download-actions">
          {downloadActions(status.state).map((action) => (
            <button
              key={action}
              type="button"
              className={`btn btn-small ${action === 'start' || action === 'resume' ? 'btn-primary' : ''}`}
              data-testid={`weight-download-${status.id}-${action}`}
              disabled={action === 'start' && !status.targetDir}
              title={action === 'start' && !status.targetDir ? 'Choose a models folder first' : undefined}
              onClick={() => act(action)}
            >
              {status.state === 'failed' && action === 'start' ? 'Try again' : ACTION_LABELS[action]}
            </button>
          ))}
        </span>
      </div>
      {status.targetDir && <div className="muted mono weight-download-target">{status.targetDir}</div>}
      {size && <div className="muted">{size}</div>}
      {(running || status.state === 'paused') && fraction !== null && (
        <div className="progress-track" role="progressbar" aria-label={`${status.label} ${status.state === 'checking' ? 'checked' : 'downloaded'}`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(fraction * 100)}>
          <div className="progress-fill" style={{ width: `${Math.round(fraction * 100)}%` }} />
        </div>
      )}
      {progress && (
        <div className={status.state === 'failed' ? 'weight-download-error' : 'muted'} role={status.state === 'failed' ? 'alert' : 'status'}>
          {progress}
        </div>
      )}
      {file && <div className="muted mono weight-download-file">{file}</div>}
      {problems.length > 0 && (
        <ul className="weight-download-problems" aria-label="Files that failed the check">
          {problems.map(([path, problem]) => (
            <li key={path} className="mono">
              {path}: {problem}
            </li>
          ))}
        </ul>
      )}
    </li>
  )
}

export function WeightDownloads(): ReactElement | null {
  const [statuses, setStatuses] = useState<Partial<Record<DownloadId, DownloadStatus>>>({})
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    const api = studioApi()
    if (!api) return undefined
    const stop = api.events.models.download((status) => setStatuses((current) => ({ ...current, [status.id]: status })))
    call('models', 'downloads')
      .then((list) => setStatuses((current) => Object.fromEntries(list.map((status) => [status.id, current[status.id] ?? status]))))
      .catch((reason: unknown) => setError(errorMessage(reason)))
    return stop
  }, [])
  const rows = Object.values(statuses)
  if (rows.length === 0 && !error) return null
  return (
    <div className="weight-downloads" data-testid="weight-downloads">
      <h4 className="card-subtitle">Download from Hugging Face</h4>
      {error && (
        <div className="weight-download-error" role="alert">
          {error}
        </div>
      )}
      <ul className="weight-download-list">
        {rows.map((status) => (
          <DownloadRow key={status.id} status={status} onError={setError} />
        ))}
      </ul>
    </div>
  )
}
