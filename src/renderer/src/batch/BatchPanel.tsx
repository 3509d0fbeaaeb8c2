// Batch: open or drop a prompt list, check the preview (jobs, refused rows with their lines, total
// length, predicted time), queue it into a folder, and show that folder when every job is done.
//
// A dropped file's path is not readable from the sandboxed renderer, so its text is read here
// (File.text()) and sent with its name: nothing needs the source path once the rows are in batch.json.
//
// The panel folds to its header so the editor keeps the height: folded while the Project tab is open
// until the user opens it, open elsewhere; a drop opens it.
import { useId, useMemo, useState, type DragEvent, type ReactElement } from 'react'
import type { BatchJobSpec } from '../../../shared/batch'
import type { TranslateMode } from '../../../shared/project'
import type { BatchOptions } from './useBatch'
import { useBatch } from './useBatch'
import { BatchList } from './BatchList'
import { BatchPromptOptions } from './BatchPromptOptions'
import { batchPromptNotice, rowLanguageText } from './batchPromptText'
import { PagedList } from './PagedList'
import { formatDuration, plural } from '../format'
import { useHelperModels } from '../helperModels'
import { IconChevron } from '../icons'
import { useStudio } from '../store'
import './BatchPanel.css'

const ENGINES: BatchOptions['engine'][] = ['auto', 'synthetic', 'diffusers']
const FORMATS: BatchOptions['format'][] = ['h264', 'prores', 'dnxhr']
const FPS: BatchOptions['fps'][] = [16, 24, 30]

export function BatchPanel(): ReactElement {
  const { state, preview, start, setOptions, reveal, reset, act } = useBatch()
  const [path, setPath] = useState('')
  const [outDir, setOutDir] = useState('')
  const [dragging, setDragging] = useState(false)
  /** The user's choice; null follows the tab. */
  const [openChoice, setOpenChoice] = useState<boolean | null>(null)
  const editing = useStudio((s) => s.tab === 'project')
  const open = openChoice ?? !editing
  const bodyId = useId()
  const { options, status } = state
  const helperReady = useHelperModels().view?.ready ?? null
  const notice = batchPromptNotice(options.translate, options.extend, helperReady)
  // Folded, the header tells of the batch started here, else of one still running (re-attached after a restart).
  const headline = status ?? state.batches.find((batch) => batch.pending > 0) ?? null

  const openFile = async (file: File | undefined): Promise<void> => {
    if (file) await preview({ name: file.name, text: await file.text() }, options)
  }
  const onDrop = (event: DragEvent): void => {
    event.preventDefault()
    setDragging(false)
    setOpenChoice(true)
    void openFile(event.dataTransfer.files[0])
  }

  return (
    <section
      className={`panel batch-panel${dragging ? ' batch-dragging' : ''}`}
      aria-label="Batch"
      onDragOver={(event) => {
        event.preventDefault()
        setDragging(true)
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <header className="panel-header">
        <h2 className="panel-title batch-heading">
          <button type="button" className="disclosure batch-toggle" aria-expanded={open} aria-controls={bodyId} data-testid="batch-toggle" onClick={() => setOpenChoice(!open)}>
            <IconChevron open={open} size={14} />
            Batch
          </button>
        </h2>
        {!open && headline && (
          <span className="batch-folded-status">
            {headline.done} of {plural(headline.jobs, 'job')} done
          </span>
        )}
      </header>
      <div className="batch-body" id={bodyId} hidden={!open}>
        <form
          className="batch-source"
          onSubmit={(event) => {
            event.preventDefault()
            if (path.trim()) void preview({ path: path.trim() }, options)
          }}
        >
          <label>
            Prompt list (.txt, .csv, .jsonl)
            <input className="input" value={path} onChange={(event) => setPath(event.target.value)} placeholder="/path/to/prompts.csv, or drop a file here" />
          </label>
          <button type="submit" className="btn" disabled={state.busy || !path.trim()}>
            Preview
          </button>
          <label className="batch-file">
            Open…
            <input type="file" accept=".txt,.csv,.jsonl" onChange={(event) => void openFile(event.target.files?.[0])} />
          </label>
        </form>
        <div className="batch-options">
          <label>
            Engine
            <select className="input select" value={options.engine} onChange={(event) => setOptions({ engine: event.target.value as BatchOptions['engine'] })}>
              {ENGINES.map((engine) => (
                <option key={engine}>{engine}</option>
              ))}
            </select>
          </label>
          <label>
            Seconds (rows without)
            <input className="input" inputMode="decimal" value={options.seconds} onChange={(event) => setOptions({ seconds: event.target.value })} placeholder="5" />
          </label>
          <label>
            Format
            <select className="input select" value={options.format} onChange={(event) => setOptions({ format: event.target.value as BatchOptions['format'] })}>
              {FORMATS.map((format) => (
                <option key={format}>{format}</option>
              ))}
            </select>
          </label>
          <label>
            Frame rate
            <select className="input select" value={options.fps} onChange={(event) => setOptions({ fps: Number(event.target.value) as BatchOptions['fps'] })}>
              {FPS.map((fps) => (
                <option key={fps}>{fps}</option>
              ))}
            </select>
          </label>
        </div>
        <BatchPromptOptions options={options} setOptions={setOptions} notice={notice} helperReady={helperReady} />
        {state.error && (
          <p className="batch-error" role="alert">
            {state.error}
          </p>
        )}
        {state.preview && !status && (
          <Preview
            preview={state.preview}
            outDir={outDir}
            setOutDir={setOutDir}
            busy={state.busy}
            blocked={notice.blocked}
            translate={options.translate}
            helperReady={helperReady}
            onStart={() => void start(outDir.trim())}
          />
        )}
        {status && (
          <button type="button" className="btn batch-new" onClick={reset}>
            New batch
          </button>
        )}
        <BatchList batches={state.batches} act={(action, dir) => void act(action, dir)} reveal={reveal} />
      </div>
    </section>
  )
}

function Preview(props: {
  preview: NonNullable<ReturnType<typeof useBatch>['state']['preview']>
  outDir: string
  setOutDir: (dir: string) => void
  busy: boolean
  /** Why the batch can't be queued as its options are set, or null. */
  blocked: string | null
  /** What each row's language label says of translation. */
  translate: TranslateMode
  helperReady: boolean | null
  onStart: () => void
}): ReactElement {
  const { preview } = props
  const blockedId = useId()
  return (
    <div className="batch-preview">
      <p className="batch-summary">
        {plural(preview.jobs.length, 'job')}, {preview.rejected.length} rejected · {formatDuration(preview.totalSeconds)} of video ·{' '}
        {preview.predictedSeconds === null ? `no time prediction: ${preview.predictionNote ?? ''}` : `about ${formatDuration(preview.predictedSeconds)} to render (${preview.predictionNote ?? ''})`}
      </p>
      {preview.warnings.map((warning) => (
        <p key={`${warning.line}:${warning.message}`} className="batch-warning">
          {warning.file}:{warning.line}: {warning.message}
        </p>
      ))}
      {preview.rejected.length > 0 && (
        <>
          <h3>Rejected rows</h3>
          <PagedList
            items={preview.rejected}
            label="Rejected rows"
            render={(problem) => (
              <li key={`${problem.line}:${problem.message}`} className="batch-rejected">
                <span className="batch-line">
                  {problem.file}:{problem.line}
                </span>{' '}
                {problem.message}
              </li>
            )}
          />
        </>
      )}
      <h3>Jobs</h3>
      <PagedList
        items={preview.jobs}
        label="Jobs"
        render={(job) => <JobRow key={job.line} job={job} translate={props.translate} helperReady={props.helperReady} />}
      />
      <form
        className="batch-start"
        onSubmit={(event) => {
          event.preventDefault()
          props.onStart()
        }}
      >
        <label>
          Output folder
          <input className="input" value={props.outDir} onChange={(event) => props.setOutDir(event.target.value)} placeholder="/path/to/a/new/folder" />
        </label>
        <button
          type="submit"
          className="btn btn-primary"
          disabled={props.busy || preview.jobs.length === 0 || !props.outDir.trim() || props.blocked !== null}
          aria-describedby={props.blocked === null ? undefined : blockedId}
        >
          Queue {plural(preview.jobs.length, 'job')}
        </button>
        {props.blocked !== null && (
          <p id={blockedId} className="batch-hint is-warning" data-testid="batch-blocked">
            {props.blocked}
          </p>
        )}
      </form>
    </div>
  )
}

/** A previewed job: its line, its prompt's language (and whether it is translated) in a column, its prompt and warnings. */
function JobRow({ job, translate, helperReady }: { job: BatchJobSpec; translate: TranslateMode; helperReady: boolean | null }): ReactElement {
  // Detection takes up to half a millisecond a prompt: once per row and setting, not on every queue event.
  const language = useMemo(() => rowLanguageText(job.prompt, translate, helperReady), [job.prompt, translate, helperReady])
  return (
    <li className="batch-job">
      <span className="batch-line">line {job.line}</span>{' '}
      <span className="batch-language" data-testid="batch-row-language">
        <span className="visually-hidden">Language: </span>
        {language}
      </span>{' '}
      <span>
        {job.name ? <strong>{job.name}: </strong> : null}
        {job.prompt} <span className="batch-meta">({job.seconds} s{job.seed === null ? '' : `, seed ${job.seed}`})</span>
        {job.warnings.map((warning) => (
          <span key={warning} className="batch-warning">
            {' '}
            {warning}
          </span>
        ))}
      </span>
    </li>
  )
}
