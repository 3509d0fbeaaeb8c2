// Timeline edits without a DOM: the track's layout, snapping, split at the playhead, the keyboard
// actions and the shot statuses, on a real store.
import { describe, expect, it } from 'vitest'
import { newShot, type Shot } from '../../src/shared/project'
import { addShot, setShotField } from '../../src/shared/projectEdits'
import type { QueueJob } from '../../src/shared/queue'
import { createStudio } from '../../src/renderer/src/store'
import { withDrawnSeeds, withFinishedRender } from '../../src/renderer/src/store/renderResults'
import { actionFor, EDITOR_ACTIONS } from '../../src/renderer/src/timeline/editorActions'
import { shotStatus, type ShotStatusContext } from '../../src/renderer/src/timeline/shotStatus'
import { dropIndex, layoutTrack, rulerTicks, shotAtFrame } from '../../src/renderer/src/timeline/trackLayout'

const shots = (): Shot[] => [newShot('a', { seconds: 2 }), newShot('b', { seconds: 1, join: { kind: 'crossfade', frames: 4 } }), newShot('c', { seconds: 1 })]

function studioWith(list: Shot[]): ReturnType<typeof createStudio> {
  const studio = createStudio()
  for (const shot of list) studio.getState().editProject((project) => addShot(project, shot))
  return studio
}

function press(studio: ReturnType<typeof createStudio>, key: string, modifiers: { ctrl?: boolean; shift?: boolean } = {}): void {
  const action = actionFor({ key, ctrl: modifiers.ctrl ?? false, shift: modifiers.shift ?? false, alt: false })
  if (!action) throw new Error(`no action for ${key}`)
  action.run(studio.getState())
}

describe('track layout', () => {
  it('lays shots to scale, a crossfade overlapping the shot before', () => {
    const layout = layoutTrack(shots(), 2)
    expect(layout.items.map((item) => [item.startFrame, item.frames, item.x, item.width])).toEqual([
      [0, 32, 0, 64],
      [28, 16, 56, 32],
      [44, 16, 88, 32]
    ])
    expect(layout.totalFrames).toBe(60)
  })

  it('snaps a dragged shot to the nearest gap', () => {
    const layout = layoutTrack(shots(), 1)
    expect(dropIndex(layout, 'c', 0)).toBe(0)
    expect(dropIndex(layout, 'c', 20)).toBe(1)
    expect(dropIndex(layout, 'a', 200)).toBe(2)
  })

  it('finds the shot and its own frame under the playhead', () => {
    const layout = layoutTrack(shots(), 1)
    expect(shotAtFrame(layout, 30)).toMatchObject({ item: { shot: { id: 'b' } }, shotFrame: 2 })
    expect(shotAtFrame(layout, 59)).toMatchObject({ item: { shot: { id: 'c' } }, shotFrame: 15 })
  })

  it('labels the ruler at least 60 px apart', () => {
    expect(rulerTicks(160, 1, 16).map((tick) => tick.label)).toEqual(['0s', '5s', '10s'])
    expect(rulerTicks(48, 4, 16).map((tick) => tick.frame)).toEqual([0, 16, 32, 48])
  })
})

describe('editor keys', () => {
  it('define each key once', () => {
    const keys = EDITOR_ACTIONS.flatMap((action) => action.keys)
    expect(new Set(keys).size).toBe(keys.length)
  })

  it('split at the playhead, duplicate, delete and undo each as one step', () => {
    const studio = studioWith([newShot('a', { seconds: 2, seed: 1 })])
    studio.getState().selectShot('a')
    studio.getState().setPlayhead(10)
    press(studio, 's')
    const split = studio.getState().projectHistory.present.shots
    expect(split.map((shot) => shot.trim)).toEqual([{ in: 0, out: 10 }, { in: 10, out: null }])
    press(studio, 'd', { ctrl: true })
    expect(studio.getState().projectHistory.present.shots).toHaveLength(3)
    press(studio, 'Delete')
    expect(studio.getState().projectHistory.present.shots).toHaveLength(2)
    press(studio, 'z', { ctrl: true })
    expect(studio.getState().projectHistory.present.shots).toHaveLength(3)
    press(studio, 'Z', { ctrl: true, shift: true })
    expect(studio.getState().projectHistory.present.shots).toHaveLength(2)
  })

  it('steps the playhead by a frame and a second within the film, and trims at it', () => {
    const studio = studioWith([newShot('a', { seconds: 2 })])
    press(studio, 'ArrowRight')
    press(studio, 'l')
    expect(studio.getState().playheadFrame).toBe(17)
    press(studio, 'ArrowLeft')
    press(studio, 'j')
    press(studio, 'j')
    expect(studio.getState().playheadFrame).toBe(0)
    studio.getState().setPlayhead(4)
    press(studio, 'i')
    studio.getState().setPlayhead(20)
    press(studio, 'o')
    expect(studio.getState().projectHistory.present.shots[0]?.trim).toEqual({ in: 4, out: 25 })
  })

  it('plays and pauses with Space and K without touching the history', () => {
    const studio = studioWith([])
    const history = studio.getState().projectHistory
    press(studio, ' ')
    expect(studio.getState().playing).toBe(true)
    press(studio, 'k')
    expect(studio.getState().playing).toBe(false)
    expect(studio.getState().projectHistory).toBe(history)
  })
})

describe('shot status and render results', () => {
  // Prompts as typed (translation is test/renderer/shotOutOfDate.test.ts).
  const asTyped: ShotStatusContext = { settings: { size: '1280x720', translate: 'never' }, helperReady: null }
  const shot = newShot('a', { prompt: 'fox', seconds: 1, seed: 5 })
  const made = { prompt: 'fox', negativePrompt: null, seed: 5, frames: 16, steps: 8, engine: 'synthetic' as const, mode: 'quality', fps: 16, width: 1280, height: 720 }
  const render = { renderKey: 'k1', engine: 'synthetic' as const, seed: 5, frames: 16, width: 1280, height: 720, fps: 16, model: 'synthetic', plan: '', segments: [{ index: 0, path: '/x.mp4', frames: 16, skipHeadFrames: 0, takeFrames: 16 }], renderedAt: '' }
  const jobOf = (state: QueueJob['state']): QueueJob =>
    ({ id: 'j1', state, createdAt: '1', updatedAt: '1', dependsOn: [], error: null, payload: { kind: 'render-shot', shotId: 'a', render: made, renderKey: 'k1', rendersDir: '/r' }, result: state === 'done' ? { kind: 'render-shot', render, renderedSegments: 1, reusedSegments: 0, stepDowns: [], seconds: 1 } : null }) as unknown as QueueJob

  it('follows the shot job: queued, rendering with progress, done, then out of date after an edit', () => {
    expect(shotStatus(shot, {}, {}, asTyped)).toEqual({ kind: 'draft' })
    expect(shotStatus(shot, { j1: jobOf('queued') }, {}, asTyped)).toEqual({ kind: 'queued' })
    expect(shotStatus(shot, { j1: jobOf('running') }, { j1: 0.5 }, asTyped)).toEqual({ kind: 'rendering', fraction: 0.5 })
    expect(shotStatus({ ...shot, render }, { j1: jobOf('done') }, {}, asTyped)).toEqual({ kind: 'done' })
    expect(shotStatus({ ...shot, render, prompt: 'wolf' }, { j1: jobOf('done') }, {}, asTyped)).toEqual({ kind: 'stale' })
    expect(shotStatus({ ...shot, render, seconds: 2 }, {}, {}, asTyped)).toEqual({ kind: 'stale' })
  })

  it('is out of date after switching mode or draft, and in date for a 24 fps render of the same seconds', () => {
    const rendered = { ...shot, render }
    const done = (fields: Record<string, unknown>): QueueJob => {
      const job = jobOf('done') as unknown as { payload: { render: Record<string, unknown> } }
      return { ...job, payload: { ...job.payload, render: { ...made, ...fields } } } as unknown as QueueJob
    }
    expect(shotStatus({ ...rendered, mode: 'fast' }, { j1: jobOf('done') }, {}, asTyped)).toEqual({ kind: 'stale' })
    expect(shotStatus({ ...rendered, draft: true }, { j1: jobOf('done') }, {}, asTyped)).toEqual({ kind: 'stale' })
    expect(shotStatus({ ...rendered, draft: true }, { j1: done({ width: 832, height: 480 }) }, {}, asTyped)).toEqual({ kind: 'done' })
    expect(shotStatus({ ...rendered, mode: 'fast', steps: 30 }, { j1: done({ mode: 'fast', steps: 4 }) }, {}, asTyped)).toEqual({ kind: 'done' })
    expect(shotStatus(rendered, { j1: done({ fps: 24, frames: 24 }) }, {}, asTyped)).toEqual({ kind: 'done' })
    expect(shotStatus({ ...rendered, render: { ...render, fps: 24, frames: 24 } }, {}, {}, asTyped)).toEqual({ kind: 'done' })
  })

  it('adopts a finished render and drawn seeds, but not into a shot edited since', () => {
    const studio = studioWith([{ ...shot, seed: null }])
    const project = studio.getState().projectHistory.present
    const seeded = withDrawnSeeds(project, { ...project, shots: [{ ...shot }] })
    expect(seeded.shots[0]?.seed).toBe(5)
    expect(withFinishedRender(seeded, jobOf('done')).shots[0]?.render?.renderKey).toBe('k1')
    const edited = setShotField(seeded, 'a', 'prompt', 'wolf')
    if (!edited.ok) throw new Error(edited.reason)
    expect(withFinishedRender(edited.project, jobOf('done'))).toBe(edited.project)
  })
})
