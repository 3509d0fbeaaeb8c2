// What a rendering command tells the person (or program) watching it, on stderr: plain lines by
// default; with --json one JSON object per line, each with a `type` (stdout keeps the one summary).
//   {"type":"progress", jobId, title, phase, segment, segments, step, steps, expert, fraction, elapsedSeconds, etaSeconds, reusedSegments, message}
//   {"type":"preview", jobId, shotId, segment, step, steps, width, height, mime, data}   (data: base64 of the image)
//   {"type":"log", level, message}
import type { JobPreview, JobProgress } from '../../shared/queue'
import type { Studio } from '../core/studio'
import { formatDuration } from '../planner/format'

export type MessageLevel = 'info' | 'warning' | 'error'

export type JsonLine =
  | ({ type: 'progress'; title: string } & JobProgress)
  | ({ type: 'preview' } & JobPreview)
  | { type: 'log'; level: MessageLevel; message: string }

export interface CliOutput {
  /** A message; in text mode warnings and errors are prefixed with their level. */
  say(level: MessageLevel, message: string): void
  /** Reports the studio's job progress (and, with --json, its previews) until the returned stop. */
  follow(studio: Studio, titleOf: (jobId: string) => string): () => void
}

type Write = (text: string) => void

const writeStderr: Write = (text) => {
  process.stderr.write(text)
}

export function cliOutput(json: boolean, write: Write = writeStderr): CliOutput {
  const line = (value: JsonLine): void => write(JSON.stringify(value) + '\n')
  return {
    say: (level, message) => (json ? line({ type: 'log', level, message }) : write(level === 'info' ? `${message}\n` : `${level}: ${message}\n`)),
    follow: (studio, titleOf) => {
      const onProgress = json ? jsonProgress(line, titleOf) : textProgress(write, titleOf)
      const onPreview = ({ jobId, shotId, segment, step, steps, width, height, mime, data }: JobPreview): void =>
        line({ type: 'preview', jobId, shotId, segment, step, steps, width, height, mime, data })
      studio.on('progress', onProgress)
      if (json) studio.on('preview', onPreview)
      return () => {
        studio.off('progress', onProgress)
        studio.off('preview', onPreview)
      }
    }
  }
}

/** Every progress event that says something new about its job. */
function jsonProgress(line: (value: JsonLine) => void, titleOf: (jobId: string) => string): (progress: JobProgress) => void {
  const last = new Map<string, string>()
  return (progress) => {
    const key = `${progress.phase}/${progress.segment}/${progress.step}/${progress.message}`
    if (last.get(progress.jobId) === key) return
    last.set(progress.jobId, key)
    const { jobId, ...rest } = progress
    line({ type: 'progress', jobId, title: titleOf(jobId), ...rest })
  }
}

/** One line per phase, job or segment change, at most one a second in between. */
function textProgress(write: Write, titleOf: (jobId: string) => string): (progress: JobProgress) => void {
  let lastLine = ''
  let lastPrinted = 0
  return (progress) => {
    const percent = `${Math.round(progress.fraction * 100)}%`.padStart(4)
    const eta = progress.etaSeconds === null || progress.phase === 'done' ? '' : `, about ${formatDuration(progress.etaSeconds)} left`
    const now = Date.now()
    const changed = progress.phase === 'starting' || progress.phase === 'done' || (progress.phase === 'rendering' && progress.step <= 1)
    if (!changed && now - lastPrinted < 1000) return
    lastPrinted = now
    const text = `[${percent}] ${titleOf(progress.jobId)}: ${progress.message}${eta}`
    if (text === lastLine) return
    lastLine = text
    write(text + '\n')
  }
}
