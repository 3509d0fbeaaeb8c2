// The timeline: toolbar, ruler with a scrubbable playhead, and the track of shots with their joins.
import { useMemo, useRef, type PointerEvent, type ReactElement } from 'react'
import { setShotField } from '../../../shared/projectEdits'
import type { Join } from '../../../shared/project'
import { CLIP_FPS } from '../../../shared/render'
import { useHelperModels } from '../helperModels'
import { useStudio } from '../store'
import { ZOOM_LEVELS } from '../store/uiSlice'
import { EDITOR_ACTIONS } from '../timeline/editorActions'
import { shotStatus, type ShotStatusContext } from '../timeline/shotStatus'
import { frameAtX, layoutTrack, rulerTicks } from '../timeline/trackLayout'
import { TimelineShot } from './TimelineShot'

const JOIN_TEXT: Record<Join['kind'], string> = { cut: 'Cut', crossfade: 'Crossfade', continue: 'Continue' }

/** The join a marker click moves to: cut, then a half-second crossfade, then continue. */
function nextJoin(join: Join): Join {
  if (join.kind === 'cut') return { kind: 'crossfade', frames: 8 }
  if (join.kind === 'crossfade') return { kind: 'continue' }
  return { kind: 'cut' }
}

function ToolbarButton({ action, label, testId }: { action: string; label?: string; testId?: string }): ReactElement {
  const found = EDITOR_ACTIONS.find((candidate) => candidate.id === action)!
  const title = `${found.label} (${found.keys.join(' or ')})`
  // A symbol (− +) is named by the action; a word is its own name, so voice control can say it.
  const symbol = label !== undefined && label.length === 1
  return (
    <button type="button" className="btn btn-small" title={title} aria-label={symbol ? title : undefined} data-testid={testId ?? `timeline-${action}`} onClick={() => found.run(useStudio.getState())}>
      {label ?? found.label}
    </button>
  )
}

export function Timeline(): ReactElement {
  const project = useStudio((s) => s.projectHistory.present)
  const canUndo = useStudio((s) => s.projectHistory.past.length > 0)
  const canRedo = useStudio((s) => s.projectHistory.future.length > 0)
  const zoomIndex = useStudio((s) => s.zoomIndex)
  const playheadFrame = useStudio((s) => s.playheadFrame)
  const selectedShotId = useStudio((s) => s.selectedShotId)
  const jobs = useStudio((s) => s.jobs)
  const jobProgress = useStudio((s) => s.jobProgress)
  const editNotice = useStudio((s) => s.editNotice)
  const setPlayhead = useStudio((s) => s.setPlayhead)
  const editProject = useStudio((s) => s.editProject)
  const reportEdit = useStudio((s) => s.reportEdit)
  const pixelsPerFrame = ZOOM_LEVELS[zoomIndex] ?? 2
  const layout = useMemo(() => layoutTrack(project.shots, pixelsPerFrame), [project.shots, pixelsPerFrame])
  const fractions = useMemo(() => Object.fromEntries(Object.entries(jobProgress).map(([id, progress]) => [id, progress.fraction])), [jobProgress])
  // Under auto, whether a prompt is translated when queued depends on a helper model being installed.
  const helperReady = useHelperModels().view?.ready ?? null
  const statusContext: ShotStatusContext = useMemo(() => ({ settings: project.settings, helperReady }), [project.settings, helperReady])
  const scrubbing = useRef(false)

  const scrub = (event: PointerEvent<HTMLDivElement>): void => {
    const box = event.currentTarget.getBoundingClientRect()
    setPlayhead(frameAtX(layout, event.clientX - box.left, pixelsPerFrame))
  }
  const contentWidth = Math.max(layout.width + 120, 400)

  return (
    <section className="timeline" aria-label="Timeline" data-testid="timeline">
      <div className="timeline-toolbar" role="toolbar" aria-label="Timeline tools">
        <ToolbarButton action="add" label="Add shot" testId="add-shot" />
        <ToolbarButton action="split" label="Split" />
        <ToolbarButton action="duplicate" label="Duplicate" />
        <ToolbarButton action="delete" label="Delete" />
        <span className="toolbar-gap" />
        <button type="button" className="btn btn-small" disabled={!canUndo} data-testid="undo" title="Undo (Ctrl+Z)" onClick={() => useStudio.getState().undo()}>
          Undo
        </button>
        <button type="button" className="btn btn-small" disabled={!canRedo} data-testid="redo" title="Redo (Ctrl+Shift+Z)" onClick={() => useStudio.getState().redo()}>
          Redo
        </button>
        <span className="toolbar-gap" />
        <ToolbarButton action="zoom-out" label="−" testId="zoom-out" />
        <span className="timeline-zoom mono" aria-live="polite">
          {pixelsPerFrame} px/frame
        </span>
        <ToolbarButton action="zoom-in" label="+" testId="zoom-in" />
        <span className="timeline-timecode mono" data-testid="playhead-timecode">
          {(playheadFrame / CLIP_FPS).toFixed(2)}s · frame {playheadFrame} / {layout.totalFrames}
        </span>
      </div>
      {editNotice && (
        <div className="timeline-notice" role="alert" data-testid="edit-notice">
          {editNotice}
        </div>
      )}
      <div className="timeline-scroll">
        <div className="timeline-content" style={{ width: contentWidth }}>
          <div
            className="timeline-ruler"
            role="slider"
            tabIndex={0}
            aria-label="Playhead"
            aria-valuemin={0}
            aria-valuemax={Math.max(0, layout.totalFrames - 1)}
            aria-valuenow={playheadFrame}
            aria-valuetext={`frame ${playheadFrame}, ${(playheadFrame / CLIP_FPS).toFixed(2)} seconds`}
            data-testid="timeline-ruler"
            onPointerDown={(event) => {
              scrubbing.current = true
              event.currentTarget.setPointerCapture(event.pointerId)
              scrub(event)
            }}
            onPointerMove={(event) => scrubbing.current && scrub(event)}
            onPointerUp={() => (scrubbing.current = false)}
          >
            {rulerTicks(layout.totalFrames, pixelsPerFrame, CLIP_FPS).map((tick) => (
              <span key={tick.frame} className="ruler-tick mono" style={{ left: tick.frame * pixelsPerFrame }}>
                {tick.label}
              </span>
            ))}
          </div>
          <div className="timeline-track" data-testid="timeline-track">
            {layout.items.length === 0 && <div className="timeline-empty">No shots yet: add one to start the film.</div>}
            {layout.items.map((item) => (
              <TimelineShot key={item.shot.id} item={item} layout={layout} pixelsPerFrame={pixelsPerFrame} status={shotStatus(item.shot, jobs, fractions, statusContext)} selected={item.shot.id === selectedShotId} />
            ))}
            {layout.items.slice(1).map((item) => (
              <button
                key={`join-${item.shot.id}`}
                type="button"
                className={`join-marker join-${item.join.kind}`}
                style={{ left: item.x }}
                data-testid="join-marker"
                aria-label={`Join before shot ${item.index + 1}: ${JOIN_TEXT[item.join.kind]}${item.join.kind === 'crossfade' ? ` of ${item.join.frames} frames` : ''}. Change it`}
                title={`${JOIN_TEXT[item.join.kind]}: click to change`}
                onClick={() => reportEdit(editProject((p) => setShotField(p, item.shot.id, 'join', nextJoin(item.join))))}
              >
                {item.join.kind === 'cut' ? '|' : item.join.kind === 'crossfade' ? '⨯' : '→'}
              </button>
            ))}
          </div>
          <div className="timeline-playhead" style={{ left: playheadFrame * pixelsPerFrame }} aria-hidden />
        </div>
      </div>
    </section>
  )
}
