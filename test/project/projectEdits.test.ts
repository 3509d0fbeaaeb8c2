import { describe, expect, it } from 'vitest'
import { newProject, newShot, projectProblems, trimmedFrames, type Project } from '../../src/shared/project'
import {
  addShot,
  duplicateShot,
  moveShot,
  removeShot,
  renameProject,
  setProjectSettings,
  setShotField,
  splitShot,
  trimShot
} from '../../src/shared/projectEdits'
import { accepted, deepFreeze, ids, refused, RENDER, sequentialIds, threeShots } from './projectFixtures'

const CONTINUE = { kind: 'continue' } as const
const CUT = { kind: 'cut' } as const
const crossfade = (frames: number) => ({ kind: 'crossfade', frames }) as const

describe('addShot', () => {
  it('appends by default and inserts at a position, keeping the shot it was given', () => {
    const project = threeShots()
    expect(ids(accepted(addShot(project, newShot('d'))))).toEqual(['a', 'b', 'c', 'd'])
    const inserted = accepted(addShot(project, newShot('d', { join: crossfade(8) }), 1))
    expect(ids(inserted)).toEqual(['a', 'd', 'b', 'c'])
    expect(inserted.shots[1]!.join).toEqual(crossfade(8))
    expect(accepted(addShot(newProject(), newShot('first'))).shots).toHaveLength(1)
  })

  it('shares the shots it did not change and leaves the input alone', () => {
    const project = threeShots()
    const edited = accepted(addShot(project, newShot('d'), 1))
    expect(edited.shots[0]).toBe(project.shots[0])
    expect(edited.shots[2]).toBe(project.shots[1])
    expect(ids(project)).toEqual(['a', 'b', 'c'])
  })

  it('turns the join of a shot that continued from the shot before the new one into a cut', () => {
    const edited = accepted(addShot(threeShots({ c: { join: CONTINUE } }), newShot('d'), 2))
    expect(edited.shots.map((shot) => shot.join.kind)).toEqual(['cut', 'cut', 'cut', 'cut'])
  })

  it('refuses a position outside the timeline, a used id, a first shot that joins and an invalid shot', () => {
    const project = threeShots()
    expect(refused(addShot(project, newShot('d'), -1))).toBe("can't add a shot at position -1: positions go from 0 to 3")
    expect(refused(addShot(project, newShot('d'), 4))).toMatch(/position 4/)
    expect(refused(addShot(project, newShot('d'), 1.5))).toMatch(/position 1.5/)
    expect(refused(addShot(project, newShot('b')))).toBe('shot 4 id: shot id "b" is used twice')
    expect(refused(addShot(project, newShot('d', { join: CONTINUE }), 0))).toBe("shot 1 join: the first shot can't continue from a shot before it")
    expect(refused(addShot(project, newShot('d', { seconds: -1 })))).toBe('shot 4 seconds: seconds must be greater than 0')
    expect(refused(addShot(project, newShot('d', { seconds: 1, join: crossfade(20) }), 1))).toBe(
      'shot 2 join.frames: a crossfade of 20 frames is longer than a shot it joins (16 frames)'
    )
  })
})

describe('removeShot', () => {
  it('removes the shot and shares the rest', () => {
    const project = threeShots()
    const edited = accepted(removeShot(project, 'b'))
    expect(ids(edited)).toEqual(['a', 'c'])
    expect(edited.shots[1]).toBe(project.shots[2])
    expect(accepted(removeShot(edited, 'a')).shots.map((shot) => shot.id)).toEqual(['c'])
    expect(accepted(removeShot(newProjectWith('only'), 'only')).shots).toEqual([])
  })

  it('turns a join that continued from the removed shot into a cut', () => {
    const edited = accepted(removeShot(threeShots({ b: { join: CONTINUE }, c: { join: CONTINUE } }), 'b'))
    expect(edited.shots[1]!.join).toEqual(CUT)
  })

  it('makes the new first shot a cut and keeps a crossfade that still fits its new neighbour', () => {
    expect(accepted(removeShot(threeShots({ b: { join: crossfade(8) } }), 'a')).shots[0]!.join).toEqual(CUT)
    expect(accepted(removeShot(threeShots({ c: { join: crossfade(8) } }), 'b')).shots[1]!.join).toEqual(crossfade(8))
  })

  it('refuses an unknown id and a crossfade that no longer fits', () => {
    expect(refused(removeShot(threeShots(), 'zebra'))).toBe('there is no shot with id "zebra"')
    const project = threeShots({ a: { seconds: 1, render: null }, c: { join: crossfade(30) } })
    expect(refused(removeShot(project, 'b'))).toBe('shot 2 join.frames: a crossfade of 30 frames is longer than a shot it joins (16 frames)')
  })
})

describe('moveShot', () => {
  it('puts the shot at the position it should end up in', () => {
    const project = threeShots()
    expect(ids(accepted(moveShot(project, 'a', 2)))).toEqual(['b', 'c', 'a'])
    expect(ids(accepted(moveShot(project, 'c', 0)))).toEqual(['c', 'a', 'b'])
    expect(ids(accepted(moveShot(project, 'a', 1)))).toEqual(['b', 'a', 'c'])
    expect(accepted(moveShot(project, 'b', 1))).toEqual(project)
  })

  it('makes the new first shot a cut instead of refusing to move the first shot away', () => {
    const edited = accepted(moveShot(threeShots({ b: { join: crossfade(8) } }), 'a', 2))
    expect(edited.shots[0]).toMatchObject({ id: 'b', join: CUT })
  })

  it('cuts continues whose shot before changed, and keeps a crossfade that fits', () => {
    const project = threeShots({ b: { join: CONTINUE }, c: { join: crossfade(8) } })
    const bLast = accepted(moveShot(project, 'b', 2))
    expect(bLast.shots.map((shot) => [shot.id, shot.join.kind])).toEqual([['a', 'cut'], ['c', 'crossfade'], ['b', 'cut']])
    const aLast = accepted(moveShot(threeShots({ b: { join: CONTINUE } }), 'a', 2))
    expect(aLast.shots.map((shot) => shot.join.kind)).toEqual(['cut', 'cut', 'cut'])
  })

  it('refuses an unknown id, a position outside the timeline and a crossfade too long for the new neighbour', () => {
    const project = threeShots()
    expect(refused(moveShot(project, 'zebra', 0))).toBe('there is no shot with id "zebra"')
    expect(refused(moveShot(project, 'a', 3))).toBe("can't move a shot to position 3: positions go from 0 to 2")
    expect(refused(moveShot(project, 'a', -1))).toMatch(/position -1/)
    const long = threeShots({ b: { join: crossfade(40) } })
    expect(refused(moveShot(long, 'c', 1))).toMatch(/^shot 3 join.frames: a crossfade of 40 frames is longer than a shot it joins \(32 frames\)$/)
  })
})

describe('splitShot of a shot without a seed', () => {
  it('draws one seed for both halves, so they stay one take', () => {
    const project = { ...newProject(), shots: [newShot('a', { prompt: 'fox', seconds: 4 })] }
    const edited = accepted(splitShot(project, 'a', 20, sequentialIds(), () => 1234))
    expect(edited.shots.map((shot) => shot.seed)).toEqual([1234, 1234])
    const seeded = accepted(splitShot({ ...project, shots: [{ ...project.shots[0]!, seed: 7 }] }, 'a', 20, sequentialIds(), () => 1234))
    expect(seeded.shots.map((shot) => shot.seed)).toEqual([7, 7])
  })
})

describe('splitShot', () => {
  it('keeps [in, atFrame) on the first half and gives [atFrame, out) to a new second half with a cut', () => {
    const project = threeShots({ a: { trim: { in: 8, out: 72 } }, b: { join: crossfade(4) } })
    const edited = accepted(splitShot(project, 'b', 20, sequentialIds(), () => 99))
    expect(ids(edited)).toEqual(['a', 'b', 'new-1', 'c'])
    const seed = project.shots[1]!.seed ?? 99
    expect(edited.shots[1]).toEqual({ ...project.shots[1], seed, trim: { in: 0, out: 20 } })
    expect(edited.shots[2]).toEqual({ ...project.shots[1], seed, id: 'new-1', trim: { in: 20, out: null }, join: CUT })
    const trimmed = accepted(splitShot(project, 'a', 40, sequentialIds()))
    expect(trimmed.shots.slice(0, 2).map((shot) => shot.trim)).toEqual([{ in: 8, out: 40 }, { in: 40, out: 72 }])
    expect(trimmedFrames(trimmed.shots[0]!) + trimmedFrames(trimmed.shots[1]!)).toBe(trimmedFrames(project.shots[0]!))
  })

  it('lets both halves share the render and seed, and the next shot keep continuing from the second half', () => {
    const edited = accepted(splitShot(threeShots({ b: { join: CONTINUE } }), 'a', 30, sequentialIds()))
    expect(edited.shots[0]!.render).toBe(RENDER)
    expect(edited.shots[1]).toMatchObject({ render: RENDER, seed: 7, prompt: 'a fox in snow' })
    expect(edited.shots[2]).toMatchObject({ id: 'b', join: CONTINUE })
  })

  it('refuses a frame that is not strictly inside the trimmed range, and a 1-frame shot', () => {
    const project = threeShots({ a: { trim: { in: 8, out: 72 } } })
    const outside = "can't split shot 1 at frame 8: the split frame must be a whole frame from 9 to 71"
    expect(refused(splitShot(project, 'a', 8))).toBe(outside)
    expect(refused(splitShot(project, 'a', 72))).toMatch(/at frame 72: .* from 9 to 71/)
    expect(refused(splitShot(project, 'a', 100))).toMatch(/at frame 100/)
    expect(refused(splitShot(project, 'a', 20.5))).toMatch(/at frame 20.5/)
    expect(refused(splitShot(threeShots({ c: { trim: { in: 4, out: 5 } } }), 'c', 4))).toBe('shot 3 uses 1 frame, too few to split')
    expect(refused(splitShot(project, 'zebra', 20))).toBe('there is no shot with id "zebra"')
  })

  it('refuses when the next crossfade is longer than the second half', () => {
    const project = threeShots({ c: { join: crossfade(20) } })
    expect(refused(splitShot(project, 'b', 40, sequentialIds()))).toBe(
      'shot 4 join.frames: a crossfade of 20 frames is longer than a shot it joins (8 frames)'
    )
  })

  it('refuses a generated id that is already used', () => {
    expect(refused(splitShot(threeShots(), 'a', 40, () => 'c'))).toMatch(/shot id "c" is used twice/)
  })
})

describe('trimShot', () => {
  it('changes in, out or both, and out null means the last frame', () => {
    const project = threeShots()
    expect(accepted(trimShot(project, 'a', { in: 10 })).shots[0]!.trim).toEqual({ in: 10, out: null })
    expect(accepted(trimShot(project, 'a', { out: 80 })).shots[0]!.trim).toEqual({ in: 0, out: 80 })
    const both = accepted(trimShot(project, 'a', { in: 10, out: 20 }))
    expect(both.shots[0]!.trim).toEqual({ in: 10, out: 20 })
    expect(both.shots.slice(1)).toEqual(project.shots.slice(1))
    expect(both.shots[1]).toBe(project.shots[1])
    expect(accepted(trimShot(both, 'a', { out: null, in: undefined })).shots[0]!.trim).toEqual({ in: 10, out: null })
  })

  it('refuses a trim outside the shot, an empty range and fractional frames', () => {
    const project = threeShots()
    expect(refused(trimShot(project, 'a', { out: 81 }))).toBe("shot 1 trim.out: trim out 81 is past the shot's last frame (80 frames)")
    expect(refused(trimShot(project, 'a', { in: 80 }))).toBe('shot 1 trim: trim in 80 must be before trim out 80')
    expect(refused(trimShot(project, 'a', { in: 10, out: 10 }))).toMatch(/trim in 10 must be before trim out 10/)
    expect(refused(trimShot(project, 'a', { in: -1 }))).toBe('trim.in: trim in must be at least 0')
    expect(refused(trimShot(project, 'a', { out: 2.5 }))).toBe('trim.out: trim out must be a whole frame')
    expect(refused(trimShot(project, 'zebra', { in: 1 }))).toBe('there is no shot with id "zebra"')
  })

  it("refuses trimming the end of a shot the next one continues from, but not its start", () => {
    const project = threeShots({ b: { join: CONTINUE } })
    expect(refused(trimShot(project, 'a', { out: 70 }))).toMatch(/^shot 1 trim.out: the next shot continues from this shot's last frame/)
    expect(accepted(trimShot(project, 'a', { in: 10 })).shots[0]!.trim.in).toBe(10)
  })

  it('refuses a trim that makes the crossfade into the next shot too long', () => {
    const project = threeShots({ b: { join: crossfade(30) } })
    expect(refused(trimShot(project, 'a', { in: 60 }))).toBe('shot 2 join.frames: a crossfade of 30 frames is longer than a shot it joins (20 frames)')
  })
})

describe('duplicateShot', () => {
  it('puts a copy right after with a new id, the same settings and render, and a cut', () => {
    const project = threeShots({ b: { join: crossfade(4), trim: { in: 2, out: 40 } } })
    const edited = accepted(duplicateShot(project, 'b', sequentialIds()))
    expect(ids(edited)).toEqual(['a', 'b', 'new-1', 'c'])
    expect(edited.shots[2]).toEqual({ ...project.shots[1], id: 'new-1', join: CUT })
    expect(edited.shots[1]).toBe(project.shots[1])
  })

  it("turns the next shot's continue into a cut: it would follow the copy", () => {
    const edited = accepted(duplicateShot(threeShots({ b: { join: CONTINUE } }), 'a', sequentialIds()))
    expect(edited.shots.map((shot) => [shot.id, shot.join.kind])).toEqual([['a', 'cut'], ['new-1', 'cut'], ['b', 'cut'], ['c', 'cut']])
  })

  it('refuses an unknown id', () => {
    expect(refused(duplicateShot(threeShots(), 'zebra'))).toBe('there is no shot with id "zebra"')
  })

  it('makes random ids by default', () => {
    const edited = accepted(duplicateShot(accepted(duplicateShot(threeShots(), 'a')), 'a'))
    expect(new Set(ids(edited)).size).toBe(5)
    expect(edited.shots[1]!.id).toMatch(/^[0-9a-f-]{36}$/)
  })
})

describe('setShotField', () => {
  it('sets each editable field and shares the other shots', () => {
    const project = threeShots()
    const changes = [
      ['prompt', 'a wolf'],
      ['negativePrompt', ''],
      ['negativePrompt', null],
      ['seed', 2 ** 32 - 1],
      ['seed', null],
      ['seconds', 4.5],
      ['steps', 30],
      ['steps', null],
      ['engine', 'diffusers'],
      ['mode', 'fast'],
      ['mode', 'quality'],
      ['draft', true],
      ['draft', false],
      ['join', crossfade(16)],
      ['join', CONTINUE]
    ] as const
    for (const [field, value] of changes) {
      const edited = accepted(setShotField(project, 'b', field, value))
      expect(edited.shots[1]![field]).toEqual(value)
      expect(edited.shots[0]).toBe(project.shots[0])
    }
  })

  it('refuses an invalid value with a message that names the field', () => {
    const project = threeShots()
    expect(refused(setShotField(project, 'b', 'seed', -1))).toBe('seed: seed must be at least 0')
    expect(refused(setShotField(project, 'b', 'seed', 1.5))).toBe('seed: seed must be a whole number')
    expect(refused(setShotField(project, 'b', 'seconds', 0))).toBe('seconds: seconds must be greater than 0')
    expect(refused(setShotField(project, 'b', 'seconds', Number.NaN))).toMatch(/^seconds: /)
    expect(refused(setShotField(project, 'b', 'seconds', 301))).toBe('seconds: seconds must be at most 300')
    expect(refused(setShotField(project, 'b', 'steps', 0))).toBe('steps: steps must be at least 1')
    expect(refused(setShotField(project, 'b', 'engine', 'gpu' as 'auto'))).toMatch(/^engine: /)
    expect(refused(setShotField(project, 'b', 'mode', 'turbo' as 'fast'))).toMatch(/^mode: /)
    expect(refused(setShotField(project, 'b', 'draft', 'yes' as unknown as boolean))).toBe('draft: draft must be true or false')
    expect(refused(setShotField(project, 'b', 'prompt', 'x'.repeat(4001)))).toBe('prompt: prompt is longer than 4000 characters')
    expect(refused(setShotField(project, 'b', 'join', crossfade(0)))).toBe('join.frames: a crossfade needs at least 1 frame')
    expect(refused(setShotField(project, 'b', 'join', crossfade(60)))).toBe('shot 2 join.frames: a crossfade of 60 frames is longer than a shot it joins (48 frames)')
    expect(refused(setShotField(project, 'a', 'join', CONTINUE))).toBe("shot 1 join: the first shot can't continue from a shot before it")
    expect(refused(setShotField(project, 'zebra', 'seed', 1))).toBe('there is no shot with id "zebra"')
  })

  it('refuses fields that have their own edit or are not the user’s to set', () => {
    const project = threeShots()
    const sneaky = setShotField as (project: Project, id: string, field: string, value: unknown) => ReturnType<typeof setShotField>
    expect(refused(sneaky(project, 'a', 'trim', { in: 0, out: 1 }))).toBe("trim can't be set as a shot field")
    expect(refused(sneaky(project, 'a', 'id', 'b'))).toBe("id can't be set as a shot field")
  })

  it('clamps nothing when seconds shrink: a trim past the new end is refused with the reason', () => {
    const project = threeShots({ a: { trim: { in: 0, out: 72 } } })
    expect(refused(setShotField(project, 'a', 'seconds', 4))).toBe("shot 1 trim.out: trim out 72 is past the shot's last frame (64 frames)")
    expect(refused(setShotField(threeShots({ a: { trim: { in: 70, out: null } } }), 'a', 'seconds', 4))).toBe(
      'shot 1 trim: trim in 70 must be before trim out 64'
    )
    expect(accepted(setShotField(threeShots({ a: { trim: { in: 10, out: null } } }), 'a', 'seconds', 4)).shots[0]!.seconds).toBe(4)
  })
})

describe('project settings and name', () => {
  it('changes the frame size and keeps what was not given', () => {
    const project = threeShots()
    const edited = accepted(setProjectSettings(project, { size: '720x1280' }))
    // A new project translates prompts that aren't Chinese (auto); the size edit keeps that.
    expect(edited.settings).toEqual({ size: '720x1280', translate: 'auto' })
    expect(edited.shots).toBe(project.shots)
    expect(accepted(setProjectSettings(edited, { size: undefined })).settings).toEqual({ size: '720x1280', translate: 'auto' })
    expect(accepted(setProjectSettings(edited, { translate: 'never' })).settings).toEqual({ size: '720x1280', translate: 'never' })
    expect(refused(setProjectSettings(project, { size: '640x480' as '1280x720' }))).toMatch(/^settings.size: /)
  })

  it('renames without the spaces around the name and refuses a blank or overlong one', () => {
    const project = threeShots()
    expect(accepted(renameProject(project, '  Fox film, final  ')).name).toBe('Fox film, final')
    expect(refused(renameProject(project, '   '))).toBe('name: project name is empty')
    expect(refused(renameProject(project, 'x'.repeat(201)))).toBe('name: project name is longer than 200 characters')
  })
})

describe('problems a document already had', () => {
  it("don't block an unrelated edit, even after shots move; a new problem still does", () => {
    // Not a document an edit could make: a's trim runs past its end.
    const broken = deepFreeze({ ...threeShots(), shots: threeShots().shots.with(0, newShot('a', { seconds: 1, trim: { in: 0, out: 30 } })) })
    expect(projectProblems(broken)).toHaveLength(1)
    expect(accepted(renameProject(broken, 'Still broken')).name).toBe('Still broken')
    expect(ids(accepted(moveShot(broken, 'a', 2)))).toEqual(['b', 'c', 'a'])
    expect(refused(trimShot(broken, 'b', { out: 60 }))).toBe("shot 2 trim.out: trim out 60 is past the shot's last frame (48 frames)")
  })
})

function newProjectWith(id: string): Project {
  return deepFreeze({ ...newProject(), shots: [newShot(id)] })
}
