// The document slice without a DOM: edits as undo steps, refusals with reasons, UI state outside history.
import { describe, expect, it } from 'vitest'
import { newShot } from '../../src/shared/project'
import { addShot, moveShot, setShotField, trimShot } from '../../src/shared/projectEdits'
import { createStudio } from '../../src/renderer/src/store'
import { isUnsaved } from '../../src/renderer/src/store/projectSlice'

function studioWithShots(count: number): ReturnType<typeof createStudio> {
  const studio = createStudio()
  for (let index = 0; index < count; index++) {
    studio.getState().editProject((project) => addShot(project, newShot(`s${index}`, { prompt: `shot ${index}` })))
  }
  return studio
}

const ids = (studio: ReturnType<typeof createStudio>): string[] => studio.getState().projectHistory.present.shots.map((shot) => shot.id)

describe('project slice', () => {
  it('makes each edit one undo step and undoes them back to the empty project', () => {
    const studio = studioWithShots(3)
    expect(ids(studio)).toEqual(['s0', 's1', 's2'])
    expect(studio.getState().editProject((project) => moveShot(project, 's2', 0))).toBeNull()
    expect(ids(studio)).toEqual(['s2', 's0', 's1'])
    studio.getState().undo()
    expect(ids(studio)).toEqual(['s0', 's1', 's2'])
    studio.getState().redo()
    expect(ids(studio)).toEqual(['s2', 's0', 's1'])
    for (let step = 0; step < 4; step++) studio.getState().undo()
    expect(ids(studio)).toEqual([])
  })

  it('answers a refused edit with its reason and records nothing', () => {
    const studio = studioWithShots(1)
    const before = studio.getState().projectHistory
    const reason = studio.getState().editProject((project) => trimShot(project, 's0', { in: 500 }))
    expect(reason).toMatch(/trim/)
    expect(studio.getState().projectHistory).toBe(before)
  })

  it('keeps selection, playhead and zoom out of the history', () => {
    const studio = studioWithShots(2)
    const history = studio.getState().projectHistory
    studio.getState().selectShot('s1')
    studio.getState().setPlayhead(40)
    studio.getState().zoomBy(1)
    expect(studio.getState().projectHistory).toBe(history)
  })

  it('knows when the document differs from the one saved', () => {
    const studio = createStudio()
    expect(isUnsaved(studio.getState())).toBe(false)
    studio.getState().editProject((project) => addShot(project, newShot('a')))
    expect(isUnsaved(studio.getState())).toBe(true)
    studio.getState().undo()
    expect(isUnsaved(studio.getState())).toBe(false)
  })

  it('adopts what main learned without an undo step', () => {
    const studio = studioWithShots(1)
    const seeded = setShotField(studio.getState().projectHistory.present, 's0', 'seed', 7)
    if (!seeded.ok) throw new Error(seeded.reason)
    studio.getState().adoptProject(seeded.project)
    expect(studio.getState().projectHistory.present.shots[0]?.seed).toBe(7)
    studio.getState().undo()
    expect(ids(studio)).toEqual([])
  })
})
