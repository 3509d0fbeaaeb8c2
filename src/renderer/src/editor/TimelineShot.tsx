// One shot on the track: drawn to scale with its status; drag it to reorder, drag its edges to
// trim. Both stay local while the pointer is down and become one edit (one undo step) on release.
import { useState, type PointerEvent, type ReactElement } from 'react'
import { moveShot, trimShot } from '../../../shared/projectEdits'
import { CLIP_FPS } from '../../../shared/render'
import { useStudio } from '../store'
import { SHOT_STATUS_TEXT, type ShotStatus } from '../timeline/shotStatus'
import { dropIndex, type TrackItem, type TrackLayout } from '../timeline/trackLayout'

type Gesture = { kind: 'move' | 'trim-in' | 'trim-out'; startX: number; dx: number }

function framesOf(gesture: Gesture | null, pixelsPerFrame: number): number {
  return gesture ? Math.round(gesture.dx / pixelsPerFrame) : 0
}

export function TimelineShot({ item, layout, pixelsPerFrame, status, selected }: { item: TrackItem; layout: TrackLayout; pixelsPerFrame: number; status: ShotStatus; selected: boolean }): ReactElement {
  const editProject = useStudio((s) => s.editProject)
  const reportEdit = useStudio((s) => s.reportEdit)
  const selectShot = useStudio((s) => s.selectShot)
  const [gesture, setGesture] = useState<Gesture | null>(null)
  const { shot, index } = item

  const begin = (kind: Gesture['kind']) => (event: PointerEvent<HTMLElement>) => {
    if (event.button !== 0) return
    event.stopPropagation()
    event.currentTarget.setPointerCapture(event.pointerId)
    selectShot(shot.id)
    setGesture({ kind, startX: event.clientX, dx: 0 })
  }
  const move = (event: PointerEvent<HTMLElement>): void => {
    if (gesture) setGesture({ ...gesture, dx: event.clientX - gesture.startX })
  }
  const end = (): void => {
    if (!gesture) return
    const frames = framesOf(gesture, pixelsPerFrame)
    setGesture(null)
    if (gesture.kind === 'move') {
      if (Math.abs(gesture.dx) < 4) return
      const to = dropIndex(layout, shot.id, item.x + gesture.dx + item.width / 2)
      if (to !== index) reportEdit(editProject((project) => moveShot(project, shot.id, to)))
    } else if (frames !== 0) {
      const change = gesture.kind === 'trim-in' ? { in: shot.trim.in + frames } : { out: shot.trim.in + item.frames + frames }
      reportEdit(editProject((project) => trimShot(project, shot.id, change)))
    }
  }

  const delta = framesOf(gesture, pixelsPerFrame) * pixelsPerFrame
  const left = item.x + (gesture?.kind === 'move' ? (gesture.dx) : gesture?.kind === 'trim-in' ? delta : 0)
  const width = Math.max(pixelsPerFrame, item.width + (gesture?.kind === 'trim-in' ? -delta : gesture?.kind === 'trim-out' ? delta : 0))
  const seconds = (item.frames / CLIP_FPS).toFixed(2)
  const label = `Shot ${index + 1}: ${shot.prompt.trim() || 'no prompt yet'}, ${seconds} s, ${SHOT_STATUS_TEXT[status.kind]}${shot.draft ? ', draft size' : ''}${shot.mode === 'fast' ? ', fast mode' : ''}`

  return (
    <div
      className={`timeline-shot status-${status.kind} ${selected ? 'is-selected' : ''} ${gesture ? 'is-dragging' : ''}`}
      style={{ left, width }}
      data-testid="timeline-shot"
      data-shot-id={shot.id}
      data-status={status.kind}
      onPointerMove={move}
      onPointerUp={end}
      onPointerCancel={() => setGesture(null)}
    >
      <button type="button" className="timeline-shot-body" aria-pressed={selected} title={label} onPointerDown={begin('move')} onClick={() => selectShot(shot.id)}>
        <span className="timeline-shot-head">
          <span className="timeline-shot-number mono">
            <span className="visually-hidden">Shot </span>
            {index + 1}
          </span>
          {shot.draft && (
            <span className="timeline-shot-badge" data-testid="draft-badge">
              Draft
            </span>
          )}
          {shot.mode === 'fast' && (
            <span className="timeline-shot-badge" data-testid="fast-badge">
              Fast
            </span>
          )}
        </span>
        <span className="timeline-shot-prompt">{shot.prompt.trim() || 'Untitled shot'}</span>
        <span className="timeline-shot-meta mono">
          {seconds}s · {SHOT_STATUS_TEXT[status.kind]}
          {status.kind === 'rendering' ? ` ${Math.floor(status.fraction * 100)}%` : ''}
        </span>
      </button>
      {status.kind === 'rendering' && <span className="timeline-shot-progress" style={{ width: `${status.fraction * 100}%` }} aria-hidden />}
      <span className="trim-handle trim-in" data-testid="trim-in" aria-hidden onPointerDown={begin('trim-in')} title="Drag to trim the start (I trims at the playhead)" />
      <span className="trim-handle trim-out" data-testid="trim-out" aria-hidden onPointerDown={begin('trim-out')} title="Drag to trim the end (O trims at the playhead)" />
    </div>
  )
}
