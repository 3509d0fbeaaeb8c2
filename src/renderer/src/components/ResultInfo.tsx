// Facts about the clip in the monitor.
import type { ReactElement, ReactNode } from 'react'
import type { RenderResult } from '../../../shared/render'
import { formatClipSeconds, formatDuration, plural } from '../format'
import { CopyButton } from './CopyButton'
import { EngineBadge } from './EngineBadge'

/** The last folders of a path, enough to recognise the file: "…/renders/ab12/shot.mp4". */
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

export function ResultInfo({ result }: { result: RenderResult }): ReactElement {
  const rendered = result.segments - result.resumedSegments
  return (
    <section className="result-info" data-testid="result-info">
      <div className="result-stats">
        <Stat label="Frames" field="frames">{result.frames}</Stat>
        <Stat label="FPS" field="fps">{result.fps}</Stat>
        <Stat label="Size" field="size">{result.width}×{result.height}</Stat>
        <Stat label="Length">{formatClipSeconds(result.frames, result.fps)}</Stat>
        <Stat label="Seed" field="seed">
          {result.seed}
          <CopyButton text={String(result.seed)} label="Copy the seed" />
        </Stat>
        <Stat label="Engine" field="engine" mono={false}>
          <EngineBadge engine={result.engine} />
        </Stat>
        <Stat label="Render" mono={false} title={result.timings.segmentSeconds.map((s, i) => `segment ${i + 1}: ${formatDuration(s)}`).join('\n')}>
          {formatDuration(result.timings.totalSeconds)}
          <span className="muted">
            {' '}
            · {plural(result.segments, 'segment')}
            {result.resumedSegments > 0 ? ` (${result.resumedSegments} resumed, ${rendered} rendered)` : ''}
          </span>
        </Stat>
      </div>
      <div className="result-path">
        <span className="result-prompt" title={result.prompt}>
          {result.prompt}
        </span>
        <span className="result-file mono" title={result.output}>
          {shortPath(result.output)}
        </span>
        <CopyButton text={result.output} label="Copy the file path" />
      </div>
    </section>
  )
}
