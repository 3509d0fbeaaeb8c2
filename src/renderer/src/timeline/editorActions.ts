// The editor's keyboard actions, defined once as data: the keys, a label (the help and the buttons'
// titles read it) and what it does to the store. useEditorKeys matches a key press to one of them.
import { duplicateShot, moveShot, removeShot, splitShot, trimShot } from '../../../shared/projectEdits'
import type { Studio } from '../store'
import { layoutTrack, projectFrames, shotAtFrame } from './trackLayout'

/** A key as pressed: `key` as KeyboardEvent.key reports it, lower-cased for letters. */
export type KeyPress = { key: string; ctrl: boolean; shift: boolean; alt: boolean }

export type EditorAction = {
  id: string
  label: string
  /** Keys as written for people: "Ctrl+Shift+Z"; Ctrl also matches Cmd. */
  keys: readonly string[]
  run: (studio: Studio) => void
}

const SHUTTLE_FRAMES = 16

function present(studio: Studio): Studio['projectHistory']['present'] {
  return studio.projectHistory.present
}

function movePlayhead(studio: Studio, by: number): void {
  const last = Math.max(0, projectFrames(present(studio)) - 1)
  studio.setPlayhead(Math.min(last, Math.max(0, studio.playheadFrame + by)))
}

/** The selected shot's trim at the playhead: `in` starts the shot there, `out` ends it there. */
function trimAtPlayhead(studio: Studio, edge: 'in' | 'out'): void {
  const at = shotAtFrame(layoutTrack(present(studio).shots, 1), studio.playheadFrame)
  if (!at) return
  const frame = edge === 'in' ? at.shotFrame : at.shotFrame + 1
  studio.editProject((project) => trimShot(project, at.item.shot.id, edge === 'in' ? { in: frame } : { out: frame }))
}

/** Moves the selected shot one place; the keyboard's drag. */
function moveSelected(studio: Studio, by: -1 | 1): void {
  withSelected(studio, (id) => {
    const index = present(studio).shots.findIndex((shot) => shot.id === id)
    const to = index + by
    if (to >= 0 && to < present(studio).shots.length) studio.reportEdit(studio.editProject((project) => moveShot(project, id, to)))
  })
}

function withSelected(studio: Studio, act: (id: string) => void): void {
  if (studio.selectedShotId) act(studio.selectedShotId)
}

export const EDITOR_ACTIONS: readonly EditorAction[] = [
  { id: 'play', label: 'Play or pause', keys: ['Space', 'K'], run: (s) => s.setPlaying(!s.playing) },
  { id: 'back', label: 'Back one second', keys: ['J'], run: (s) => movePlayhead(s, -SHUTTLE_FRAMES) },
  { id: 'forward', label: 'Forward one second', keys: ['L'], run: (s) => movePlayhead(s, SHUTTLE_FRAMES) },
  { id: 'previous-frame', label: 'Previous frame', keys: ['ArrowLeft'], run: (s) => movePlayhead(s, -1) },
  { id: 'next-frame', label: 'Next frame', keys: ['ArrowRight'], run: (s) => movePlayhead(s, 1) },
  { id: 'start', label: 'Go to the start', keys: ['Home'], run: (s) => s.setPlayhead(0) },
  { id: 'end', label: 'Go to the end', keys: ['End'], run: (s) => movePlayhead(s, Number.MAX_SAFE_INTEGER) },
  { id: 'trim-in', label: 'Trim the shot to start at the playhead', keys: ['I'], run: (s) => trimAtPlayhead(s, 'in') },
  { id: 'trim-out', label: 'Trim the shot to end at the playhead', keys: ['O'], run: (s) => trimAtPlayhead(s, 'out') },
  {
    id: 'split',
    label: 'Split the shot at the playhead',
    keys: ['S'],
    run: (s) => {
      const at = shotAtFrame(layoutTrack(present(s).shots, 1), s.playheadFrame)
      if (at) s.reportEdit(s.editProject((project) => splitShot(project, at.item.shot.id, at.shotFrame)))
    }
  },
  {
    id: 'delete',
    label: 'Delete the shot',
    keys: ['Delete', 'Backspace'],
    run: (s) =>
      withSelected(s, (id) => {
        const next = present(s).shots.find((shot, index, shots) => shots[index - 1]?.id === id) ?? null
        if (s.editProject((project) => removeShot(project, id)) === null) s.selectShot(next?.id ?? present(s).shots.at(-1)?.id ?? null)
      })
  },
  { id: 'duplicate', label: 'Duplicate the shot', keys: ['Ctrl+D'], run: (s) => withSelected(s, (id) => s.reportEdit(s.editProject((project) => duplicateShot(project, id)))) },
  { id: 'move-earlier', label: 'Move the shot earlier', keys: ['Alt+ArrowLeft'], run: (s) => moveSelected(s, -1) },
  { id: 'move-later', label: 'Move the shot later', keys: ['Alt+ArrowRight'], run: (s) => moveSelected(s, 1) },
  { id: 'add', label: 'Add a shot', keys: ['Ctrl+Shift+N'], run: (s) => s.addShot() },
  { id: 'undo', label: 'Undo', keys: ['Ctrl+Z'], run: (s) => s.undo() },
  { id: 'redo', label: 'Redo', keys: ['Ctrl+Shift+Z', 'Ctrl+Y'], run: (s) => s.redo() },
  { id: 'zoom-in', label: 'Zoom in', keys: ['='], run: (s) => s.zoomBy(1) },
  { id: 'zoom-out', label: 'Zoom out', keys: ['-'], run: (s) => s.zoomBy(-1) }
]

function parseKeys(keys: string): KeyPress {
  const parts = keys.split('+')
  const key = parts.at(-1)!
  return { key: key === 'Space' ? ' ' : key.length === 1 ? key.toLowerCase() : key, ctrl: parts.includes('Ctrl'), shift: parts.includes('Shift'), alt: parts.includes('Alt') }
}

/** The action a key press triggers, if any. */
export function actionFor(press: KeyPress, actions: readonly EditorAction[] = EDITOR_ACTIONS): EditorAction | null {
  const key = press.key.length === 1 ? press.key.toLowerCase() : press.key
  return (
    actions.find((action) =>
      action.keys.some((keys) => {
        const wanted = parseKeys(keys)
        return wanted.key === key && wanted.ctrl === press.ctrl && wanted.shift === press.shift && wanted.alt === press.alt
      })
    ) ?? null
  )
}
