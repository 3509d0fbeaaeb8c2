// The export dialog: format, frame rate and destination, with the predicted size and time; then the
// export's progress and a cancel. A native modal <dialog>: the page behind is inert under a
// backdrop, Tab stays inside, Escape closes it, and focus goes back to what opened it.
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactElement } from 'react'
import { DRAFT_SIZES, EXPORT_EXTENSIONS, exportFpsSchema, type ExportFormat, type ExportFps } from '../../../shared/project'
import { buildTimeline } from '../../../shared/timeline'
import { call, errorMessage } from '../api'
import { formatMiB } from '../format'
import { useStudio } from '../store'
import { estimateExport } from './exportEstimate'
import { FieldError } from '../components/shot/fields'

const FORMAT_TEXT: Record<ExportFormat, string> = { h264: 'H.264 (.mp4)', prores: 'ProRes 422 HQ (.mov)', dnxhr: 'DNxHR HQ (.mov)' }

function defaultOutput(dataDir: string | undefined, name: string, format: ExportFormat): string {
  const base = name.replace(/[^\w.-]+/g, '-') || 'film'
  return `${dataDir ?? '.'}/exports/${base}${EXPORT_EXTENSIONS[format]}`
}

export function ExportDialog({ onClose }: { onClose: () => void }): ReactElement {
  const project = useStudio((s) => s.projectHistory.present)
  const dataDir = useStudio((s) => s.system.snapshot?.info.dataDir)
  const job = useStudio((s) => s.job)
  const fraction = useStudio((s) => s.progress?.fraction ?? 0)
  const error = useStudio((s) => s.error)
  const [format, setFormat] = useState<ExportFormat>('h264')
  const [fps, setFps] = useState<ExportFps>(16)
  const [output, setOutput] = useState(() => defaultOutput(dataDir, project.name, 'h264'))
  /** The destination of the export this dialog started, until it ends. */
  const [started, setStarted] = useState<string | null>(null)
  const [revealError, setRevealError] = useState<string | null>(null)
  const [upscaleDrafts, setUpscaleDrafts] = useState(false)
  const ids = { format: useId(), fps: useId(), output: useId(), title: useId(), drafts: useId() }
  const drafts = project.shots.flatMap((shot, index) => (shot.draft ? [index + 1] : []))
  const first = useRef<HTMLSelectElement>(null)
  const dialog = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const element = dialog.current
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null
    if (element && !element.open) element.showModal()
    first.current?.focus()
    return () => {
      element?.close()
      opener?.focus()
    }
  }, [])

  let frames = 0
  let layoutProblem: string | null = null
  try {
    frames = project.shots.length > 0 ? buildTimeline(project.shots, fps).frames : 0
  } catch (problem) {
    layoutProblem = problem instanceof Error ? problem.message : String(problem)
  }
  const estimate = estimateExport(frames, format, project.settings.size)
  const done = started !== null && !job && !error

  return (
    <dialog
      ref={dialog}
      className="dialog"
      aria-labelledby={ids.title}
      data-testid="export-dialog"
      onKeyDown={keepTabInside}
      onCancel={(event) => {
        // Escape: closed by unmounting, so the opener gets focus back.
        event.preventDefault()
        onClose()
      }}
    >
      <h2 id={ids.title} className="dialog-title">
        Export the film
      </h2>
      <div className="field">
        <label className="field-label" htmlFor={ids.format}>
          Format
        </label>
        <select
          ref={first}
          id={ids.format}
          className="input select"
          data-testid="export-format"
          value={format}
          onChange={(event) => {
            const next = event.target.value as ExportFormat
            setFormat(next)
            setOutput((path) => path.replace(/\.(mp4|mov)$/, EXPORT_EXTENSIONS[next]))
          }}
        >
          {(Object.keys(FORMAT_TEXT) as ExportFormat[]).map((value) => (
            <option key={value} value={value}>
              {FORMAT_TEXT[value]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label className="field-label" htmlFor={ids.fps}>
          Frame rate
        </label>
        <select id={ids.fps} className="input select" data-testid="export-fps" value={fps} onChange={(event) => setFps(exportFpsSchema.parse(Number(event.target.value)))}>
          {[16, 24, 30].map((value) => (
            <option key={value} value={value}>
              {value} fps
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label className="field-label" htmlFor={ids.output}>
          Destination
        </label>
        <input id={ids.output} className="input mono" data-testid="export-output" value={output} onChange={(event) => setOutput(event.target.value)} />
      </div>
      {drafts.length > 0 && (
        <div className="field">
          <label className="checkbox" htmlFor={ids.drafts}>
            <input id={ids.drafts} type="checkbox" data-testid="export-upscale-drafts" checked={upscaleDrafts} onChange={(event) => setUpscaleDrafts(event.target.checked)} aria-describedby={`${ids.drafts}-hint`} /> Upscale drafts
          </label>
          <div className="field-hint" id={`${ids.drafts}-hint`} data-testid="export-drafts-hint">
            {drafts.length === 1 ? `Shot ${drafts[0]} is a draft` : `Shots ${drafts.join(', ')} are drafts`} ({DRAFT_SIZES[project.settings.size].width}x{DRAFT_SIZES[project.settings.size].height}).{' '}
            {upscaleDrafts ? `They are scaled up to ${project.settings.size} (lanczos): softer than a full render.` : 'Tick to scale them up, or turn Draft off and render them at full size; otherwise the export is refused.'}
          </div>
        </div>
      )}
      <p className="dialog-estimate" data-testid="export-estimate">
        {layoutProblem ?? `${frames} frames · about ${formatMiB(estimate.bytes / 2 ** 20)} · about ${Math.max(1, Math.ceil(estimate.seconds))} s to encode once every shot is rendered`}
      </p>
      {started !== null && job && (
        <div className="dialog-progress" role="status" data-testid="export-progress">
          <progress max={1} value={fraction} aria-label="Export progress" /> {Math.floor(fraction * 100)}%
        </div>
      )}
      <FieldError message={started !== null && error ? `${error.title}: ${error.message}` : null} />
      {done && (
        <p className="dialog-done" role="status" data-testid="export-done">
          Exported to <span className="mono">{started}</span>{' '}
          <button
            type="button"
            className="link-button"
            data-testid="export-reveal"
            // The file manager call is the batch view's (NativeDialogs.revealInFolder): one way to show a file.
            onClick={() => void call('batch', 'reveal', { path: started }).catch((failure: unknown) => setRevealError(errorMessage(failure)))}
          >
            Show in folder
          </button>
        </p>
      )}
      <FieldError message={revealError} />
      <div className="dialog-buttons">
        {job ? (
          <button type="button" className="btn btn-danger-outline" data-testid="export-cancel" onClick={() => void useStudio.getState().cancel()}>
            Cancel export
          </button>
        ) : (
          <button
            type="button"
            className="btn btn-primary"
            data-testid="export-start"
            disabled={frames === 0 || !output.trim()}
            onClick={() => {
              setStarted(output.trim())
              void useStudio.getState().exportProject({ format, fps, output: output.trim(), drafts: upscaleDrafts ? 'upscale' : 'refuse' })
            }}
          >
            Export
          </button>
        )}
        <button type="button" className="btn" data-testid="export-close" onClick={onClose}>
          Close
        </button>
      </div>
    </dialog>
  )
}

const FOCUSABLE = 'button:not(:disabled), input:not(:disabled), select:not(:disabled), textarea:not(:disabled), [href], [tabindex]:not([tabindex="-1"])'

/** Tab from the last control goes to the first and Shift+Tab from the first to the last. */
function keepTabInside(event: KeyboardEvent<HTMLDialogElement>): void {
  if (event.key !== 'Tab') return
  const controls = [...event.currentTarget.querySelectorAll<HTMLElement>(FOCUSABLE)]
  const edge = event.shiftKey ? controls[0] : controls.at(-1)
  if (!edge || document.activeElement !== edge) return
  event.preventDefault()
  ;(event.shiftKey ? controls.at(-1) : controls[0])?.focus()
}
