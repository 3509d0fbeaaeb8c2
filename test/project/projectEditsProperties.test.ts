// Property-style checks: random valid documents, random edit sequences (valid and not), and the
// rules every edit keeps. Seeded, so a failure names a seed that reproduces it.
import { describe, expect, it } from 'vitest'
import { newProject, newShot, projectProblems, trimmedFrames, type Join, type Project, type Shot } from '../../src/shared/project'
import { addShot, duplicateShot, moveShot, removeShot, setShotField, splitShot, trimShot, type EditResult } from '../../src/shared/projectEdits'
import { deepFreeze, ids, sequentialIds } from './projectFixtures'

type Random = () => number

// mulberry32: a tiny seeded generator, good enough to vary test inputs.
function seeded(seed: number): Random {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32
  }
}

const between = (random: Random, min: number, max: number): number => min + Math.floor(random() * (max - min + 1))
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!

function randomShot(random: Random, id: string): Shot {
  const seconds = pick(random, [0.25, 0.5, 1, 2, 3.3, 5])
  const frames = Math.round(seconds * 16)
  const start = between(random, 0, frames - 1)
  const out = random() < 0.5 ? null : between(random, start + 1, frames)
  return newShot(id, { seconds, trim: { in: start, out } })
}

/** A document without problems: joins are chosen so that each one fits its neighbours. */
function randomProject(random: Random): Project {
  const shots: Shot[] = []
  const count = between(random, 0, 6)
  for (let index = 0; index < count; index++) {
    const shot = randomShot(random, `s${index}`)
    const previous = shots[index - 1]
    const options: Join[] = [{ kind: 'cut' }]
    if (previous && (previous.trim.out === null || previous.trim.out === Math.round(previous.seconds * 16))) options.push({ kind: 'continue' })
    if (previous) options.push({ kind: 'crossfade', frames: between(random, 1, Math.min(trimmedFrames(previous), trimmedFrames(shot))) })
    shots.push({ ...shot, join: pick(random, options) })
  }
  return { ...newProject(), shots }
}

type Edit = { name: string; id: string; result: EditResult; check: (after: Project) => void }

function randomEdit(random: Random, project: Project, newId: () => string): Edit {
  const id = random() < 0.1 || project.shots.length === 0 ? 'missing' : pick(random, ids(project))
  const index = ids(project).indexOf(id)
  const shot = project.shots[index]
  const frames = (after: Project): number => after.shots.reduce((sum, each) => sum + trimmedFrames(each), 0)
  switch (between(random, 0, 7)) {
    case 0: {
      const added = randomShot(random, newId())
      return { name: 'add', id, result: addShot(project, added, between(random, -1, project.shots.length + 1)), check: (after) => expect(after.shots).toContainEqual(expect.objectContaining({ id: added.id })) }
    }
    case 1:
      return { name: 'remove', id, result: removeShot(project, id), check: (after) => expect(ids(after)).toEqual(ids(project).filter((each) => each !== id)) }
    case 2: {
      const to = between(random, -1, project.shots.length)
      const expected = ids(project).toSpliced(index, 1).toSpliced(to, 0, id)
      return { name: 'move', id, result: moveShot(project, id, to), check: (after) => expect([ids(after), frames(after)]).toEqual([expected, frames(project)]) }
    }
    case 3: {
      const at = between(random, -1, 82)
      const check = (after: Project): void => {
        const [first, second] = after.shots.slice(index, index + 2)
        expect([first!.trim.out, second!.trim.in]).toEqual([at, at])
        expect(trimmedFrames(first!) + trimmedFrames(second!)).toBe(trimmedFrames(shot!))
        expect(frames(after)).toBe(frames(project))
      }
      return { name: 'split', id, result: splitShot(project, id, at, newId), check }
    }
    case 4: {
      const change = { in: random() < 0.5 ? undefined : between(random, -1, 82), out: random() < 0.5 ? null : between(random, 0, 82) }
      const check = (after: Project): void => expect(after.shots.filter((each, position) => each !== project.shots[position])).toHaveLength(1)
      return { name: 'trim', id, result: trimShot(project, id, change), check }
    }
    case 5: {
      const check = (after: Project): void => expect(after.shots[index + 1]).toEqual({ ...shot, id: after.shots[index + 1]!.id, join: { kind: 'cut' } })
      return { name: 'duplicate', id, result: duplicateShot(project, id, newId), check }
    }
    case 6: {
      const seconds = pick(random, [0, 0.25, 1, 3, 5, 400])
      return { name: 'seconds', id, result: setShotField(project, id, 'seconds', seconds), check: (after) => expect(after.shots[index]!.seconds).toBe(seconds) }
    }
    default: {
      const join = pick<Join>(random, [{ kind: 'cut' }, { kind: 'continue' }, { kind: 'crossfade', frames: between(random, 0, 70) }])
      return { name: 'join', id, result: setShotField(project, id, 'join', join), check: (after) => expect(after.shots[index]!.join).toEqual(join) }
    }
  }
}

/** Every continue follows the shot it followed before the edit, unless the edit split that shot. */
function continuesKeepTheirPredecessor(before: Project, after: Project, name: string): void {
  if (name === 'split' || name === 'join') return
  const predecessorBefore = new Map(before.shots.map((shot, index) => [shot.id, before.shots[index - 1]?.id]))
  after.shots.forEach((shot, index) => {
    if (shot.join.kind === 'continue' && predecessorBefore.has(shot.id)) expect(after.shots[index - 1]?.id).toBe(predecessorBefore.get(shot.id))
  })
}

describe('project edits on random documents', () => {
  it('generates documents without problems', () => {
    for (let seed = 1; seed <= 200; seed++) expect(projectProblems(randomProject(seeded(seed))), `seed ${seed}`).toEqual([])
  })

  it('keep every document valid, never touch their input, and do what they say', () => {
    const accepted = new Map<string, number>()
    const refusedFor = new Map<string, number>()
    for (let seed = 1; seed <= 40; seed++) {
      const random = seeded(seed)
      const newId = sequentialIds(`seed${seed}`)
      let project = deepFreeze(randomProject(random))
      for (let step = 0; step < 150; step++) {
        const snapshot = structuredClone(project)
        const edit = randomEdit(random, project, newId)
        const where = `seed ${seed}, step ${step}, ${edit.name} ${edit.id}`
        expect(project, where).toEqual(snapshot)
        if (!edit.result.ok) {
          expect(edit.result.reason, where).toMatch(/\w/)
          if (edit.name === 'duplicate' && edit.id !== 'missing') throw new Error(`${where}: refused (${edit.result.reason})`)
          if (['remove', 'move'].includes(edit.name) && edit.id !== 'missing') expect(edit.result.reason, where).toMatch(/crossfade|position/)
          refusedFor.set(edit.name, (refusedFor.get(edit.name) ?? 0) + 1)
          continue
        }
        expect(projectProblems(edit.result.project), where).toEqual([])
        edit.check(edit.result.project)
        continuesKeepTheirPredecessor(project, edit.result.project, edit.name)
        accepted.set(edit.name, (accepted.get(edit.name) ?? 0) + 1)
        project = deepFreeze(edit.result.project)
      }
    }
    // Both outcomes of every edit were exercised.
    for (const name of ['add', 'remove', 'move', 'split', 'trim', 'duplicate', 'seconds', 'join']) {
      expect(accepted.get(name), `${name} accepted`).toBeGreaterThan(5)
      expect(refusedFor.get(name), `${name} refused`).toBeGreaterThan(5)
    }
  })
})
