// Facts about the clip in the monitor, and the GPU while its shots rendered.
import { useMemo, type ReactElement, type ReactNode } from 'react'
import type { Clip } from '../clips'
import { formatClipSeconds, formatDuration, plural } from '../format'
import { useStudio } from '../store'
import { clipTelemetry } from './telemetry/clipTelemetry'
import { TelemetrySummaryView } from './telemetry/TelemetrySummaryView'
import { CopyButton } from './CopyButton'
import { EngineBadge } from './EngineBadge'

/** The last folders of a path, enough to recognise the file: "…/wan-studio/exports/clip.mp4". */
function shortPath(path: string): string {
  const parts = path.split(/[\\/]/)
  return parts.length > 3 ? `…/${parts.slice(-3).join('/')}` : path
}

/** One labelled figure; `field` names it for tests (data-field). */
function Stat({ label, field, mono = true, title, children }: { label: string; field?: string; mono?: boolean; title?: string; children: ReactNode }): ReactElement {
  return (
    <div className="stat">
      <span className="stat-label">{label}</span>
      <span className={mono ? 'stat-value mono' : 'stat-value'} data-field={field} title={title}>
        {children}
      </span>
    </div>
  )
}

export function ResultInfo({ clip }: { clip: Clip }): ReactElement {
  const rendered = clip.segments - clip.reusedSegments
  const jobs = useStudio((s) => s.jobs)
  const telemetry = useMemo(() => clipTelemetry(clip.id, jobs), [clip.id, jobs])
  return (
    <section className="result-info" data-testid="result-info">
      <div className="result-stats">
        <Stat label="Frames" field="frames">{clip.frames}</Stat>
        <Stat label="FPS" field="fps">{clip.fps}</Stat>
        <Stat label="Size" field="size">{clip.width}×{clip.height}</Stat>
        <Stat label="Length">{formatClipSeconds(clip.frames, clip.fps)}</Stat>
        {clip.seed !== null && (
          <Stat label="Seed" field="seed">
            {clip.seed}
            <CopyButton text={String(clip.seed)} label="Copy the seed" />
          </Stat>
        )}
        {clip.engine && (
          <Stat label="Engine" field="engine" mono={false}>
            <EngineBadge engine={clip.engine} />
          </Stat>
        )}
        <Stat label="Render" mono={false} title={`rendering: ${formatDuration(clip.renderSeconds)}\nexport: ${formatDuration(clip.exportSeconds)}`}>
          {formatDuration(clip.renderSeconds + clip.exportSeconds)}
          <span className="muted">
            {' '}
            · {plural(clip.segments, 'segment')}
            {clip.reusedSegments > 0 ? ` (${clip.reusedSegments} reused, ${rendered} rendered)` : ''}
          </span>
        </Stat>
      </div>
      {telemetry && <TelemetrySummaryView summary={telemetry} />}
      <div className="result-path">
        <span className="result-prompt" title={clip.prompt}>
          {clip.prompt}
        </span>
        <span className="result-file mono" title={clip.output}>
          {shortPath(clip.output)}
        </span>
        <CopyButton text={clip.output} label="Copy the file path" />
      </div>
    </section>
  )
}
