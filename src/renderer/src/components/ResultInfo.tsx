// Facts about the clip in the monitor.
import type { ReactElement } from 'react'
import type { RenderResult } from '../../../shared/render'
import { formatClipSeconds, formatDuration, plural } from '../format'
import { CopyButton } from './CopyButton'
import { EngineBadge } from './EngineBadge'

/** The last folders of a path, enough to recognise the file: "…/renders/ab12/shot.mp4". */
function shortPath(path: string): string {
  const parts = path.split(/[\\/]/)
  return parts.length > 3 ? `…/${parts.slice(-3).join('/')}` : path
}

export function ResultInfo({ result }: { result: RenderResult }): ReactElement {
  const rendered = result.segments - result.resumedSegments
  return (
    <section className="result-info" data-testid="result-info">
      <div className="result-stats">
        <div className="stat">
          <span className="stat-label">Frames</span>
          <span className="stat-value mono" data-field="frames">
            {result.frames}
          </span>
        </div>
        <div className="stat">
          <span className="stat-label">FPS</span>
          <span className="stat-value mono" data-field="fps">
            {result.fps}
          </span>
        </div>
        <div className="stat">
          <span className="stat-label">Size</span>
          <span className="stat-value mono" data-field="size">
            {result.width}×{result.height}
          </span>
        </div>
        <div className="stat">
          <span className="stat-label">Length</span>
          <span className="stat-value mono">{formatClipSeconds(result.frames, result.fps)}</span>
        </div>
        <div className="stat">
          <span className="stat-label">Seed</span>
          <span className="stat-value mono" data-field="seed">
            {result.seed}
            <CopyButton text={String(result.seed)} label="Copy the seed" />
          </span>
        </div>
        <div className="stat">
          <span className="stat-label">Engine</span>
          <span className="stat-value" data-field="engine">
            <EngineBadge engine={result.engine} />
          </span>
        </div>
        <div className="stat">
          <span className="stat-label">Render</span>
          <span className="stat-value" title={result.timings.segmentSeconds.map((s, i) => `segment ${i + 1}: ${formatDuration(s)}`).join('\n')}>
            {formatDuration(result.timings.totalSeconds)}
            <span className="muted">
              {' '}
              · {plural(result.segments, 'segment')}
              {result.resumedSegments > 0 ? ` (${result.resumedSegments} resumed, ${rendered} rendered)` : ''}
            </span>
          </span>
        </div>
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
