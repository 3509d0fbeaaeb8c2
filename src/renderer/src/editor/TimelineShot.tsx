// One shot on the track: drawn to scale with its status; drag it to reorder, drag its edges to
// trim. Both stay local while the pointer is down and become one edit (one undo step) on release.
// The trim handles are sliders too: arrow keys move the edge, one undo step when the key comes up.
import { useState, type KeyboardEvent, type PointerEvent, type ReactElement } from 'react'
import { moveShot, trimShot } from '../../../shared/projectEdits'
import { CLIP_FPS } from '../../../shared/render'
import { useStudio } from '../store'
import { SHOT_STATUS_TEXT, type ShotStatus } from '../timeline/shotStatus'
import { dropIndex, type TrackItem, type TrackLayout } from '../timeline/trackLayout'
import { movedEdge, trimEdgeChange, trimKeyFrames, type TrimEdge } from '../timeline/trimKeys'
import { useShotThumbnail } from '../timeline/useShotThumbnail'
import { shotFrames, trimmedRange } from '../../../shared/project'

type Gesture = { kind: 'move' | 'trim-in' | 'trim-out'; startX: number; dx: number }

function framesOf(gesture: Gesture | null, pixelsPerFrame: number): number {
  return gesture ? Math.round(gesture.dx / pixelsPerFrame) : 0
}

export function TimelineShot({ item, layout, pixelsPerFrame, status, selected }: { item: TrackItem; layout: TrackLayout; pixelsPerFrame: number; status: ShotStatus; selected: boolean }): ReactElement {
  const editProject = useStudio((s) => s.editProject)
  const reportEdit = useStudio((s) => s.reportEdit)
  const selectShot = useStudio((s) => s.selectShot)
  const [gesture, setGesture] = useState<Gesture | null>(null)
  // Frames an arrow-key burst has moved a trim edge by, until the key comes up.
  const [keyTrim, setKeyTrim] = useState<{ edge: TrimEdge; delta: number } | null>(null)
  const { shot, index } = item
  const thumbnail = useShotThumbnail(shot.render?.segments[0]?.path ?? null)

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

  const range = trimmedRange(shot)
  const keyDown = (edge: TrimEdge) => (event: KeyboardEvent<HTMLElement>) => {
    const frames = trimKeyFrames(event.key, event.shiftKey)
    if (frames === null) return
    // The arrows step the playhead elsewhere; on a trim handle they are the handle's own.
    event.preventDefault()
    event.stopPropagation()
    // Held within the shot, so pressing past an end and back moves at once.
    setKeyTrim((pending) => ({ edge, delta: movedEdge(shot, edge, (pending?.edge === edge ? pending.delta : 0) + frames) - range[edge] }))
  }
  const commitKeyTrim = (): void => {
    if (!keyTrim) return
    setKeyTrim(null)
    if (movedEdge(shot, keyTrim.edge, keyTrim.delta) === range[keyTrim.edge]) return
    reportEdit(editProject((project) => trimShot(project, shot.id, trimEdgeChange(shot, keyTrim.edge, keyTrim.delta))))
  }
  const keyFrames = keyTrim ? movedEdge(shot, keyTrim.edge, keyTrim.delta) - range[keyTrim.edge] : 0
  const trimKind = gesture?.kind ?? (keyTrim ? (keyTrim.edge === 'in' ? 'trim-in' : 'trim-out') : null)
  const delta = (gesture ? framesOf(gesture, pixelsPerFrame) : keyFrames) * pixelsPerFrame
  const left = item.x + (gesture?.kind === 'move' ? gesture.dx : trimKind === 'trim-in' ? delta : 0)
  const width = Math.max(pixelsPerFrame, item.width + (trimKind === 'trim-in' ? -delta : trimKind === 'trim-out' ? delta : 0))
  const handle = (edge: TrimEdge): Record<string, unknown> => {
    const frame = keyTrim?.edge === edge ? movedEdge(shot, edge, keyTrim.delta) : range[edge]
    return {
      role: 'slider',
      tabIndex: 0,
      'aria-label': `Shot ${index + 1} ${edge === 'in' ? 'start' : 'end'} trim`,
      'aria-orientation': 'horizontal',
      'aria-valuemin': 0,
      'aria-valuemax': shotFrames(shot),
      'aria-valuenow': frame,
      'aria-valuetext': `${edge === 'in' ? 'starts' : 'ends'} at frame ${frame} of ${shotFrames(shot)} (${(frame / CLIP_FPS).toFixed(2)} s)`,
      onKeyDown: keyDown(edge),
      onKeyUp: commitKeyTrim,
      onBlur: commitKeyTrim
    }
  }
  const seconds = (item.frames / CLIP_FPS).toFixed(2)
  const label = `Shot ${index + 1}: ${shot.prompt.trim() || 'no prompt yet'}, ${seconds} s, ${SHOT_STATUS_TEXT[status.kind]}${shot.draft ? ', draft size' : ''}${shot.mode === 'fast' ? ', fast mode' : ''}`

  return (
    <div
      className={`timeline-shot status-${status.kind} ${selected ? 'is-selected' : ''} ${gesture || keyTrim ? 'is-dragging' : ''}`}
      style={{ left, width }}
      data-testid="timeline-shot"
      data-shot-id={shot.id}
      data-status={status.kind}
      onPointerMove={move}
      onPointerUp={end}
      onPointerCancel={() => setGesture(null)}
    >
      {thumbnail.url && <img className="timeline-shot-thumb" src={thumbnail.url} alt="" data-testid="shot-thumbnail" draggable={false} />}
      <button type="button" className="timeline-shot-body" aria-pressed={selected} title={thumbnail.problem ? `${label}. ${thumbnail.problem}` : label} onPointerDown={begin('move')} onClick={() => selectShot(shot.id)}>
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
      <span className="trim-handle trim-in" data-testid="trim-in" {...handle('in')} onPointerDown={begin('trim-in')} title="Drag or press the arrow keys to trim the start (Shift: a second; I trims at the playhead)" />
      <span className="trim-handle trim-out" data-testid="trim-out" {...handle('out')} onPointerDown={begin('trim-out')} title="Drag or press the arrow keys to trim the end (Shift: a second; O trims at the playhead)" />
    </div>
  )
}
