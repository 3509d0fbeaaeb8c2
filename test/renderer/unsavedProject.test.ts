// The offer of a project the last window left unsaved, without a DOM: the bridge is a stub.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { newProject, newShot } from '../../src/shared/project'
import { useStudio } from '../../src/renderer/src/store'
import { isUnsaved } from '../../src/renderer/src/store/projectSlice'
import { checkUnsavedProject, discardUnsavedProject, restoreUnsavedProject, useUnsavedProject } from '../../src/renderer/src/editor/unsavedProject'

const kept = { path: '/films/a.wanproj', keptAt: '2026-01-01T00:00:00.000Z', project: { ...newProject('Kept'), shots: [newShot('k1', { prompt: 'a fox' })] } }
let calls: string[] = []

function stubBridge(answer: unknown): void {
  const ok = (value: unknown): Promise<unknown> => Promise.resolve({ ok: true, value })
  ;(globalThis as { window?: unknown }).window = {
    wanStudio: {
      project: {
        unsaved: () => (calls.push('unsaved'), ok(answer)),
        dropUnsaved: () => (calls.push('dropUnsaved'), ok(undefined))
      }
    }
  }
}

describe('unsaved project offer', () => {
  beforeEach(() => {
    calls = []
    useUnsavedProject.setState({ status: 'unchecked', offer: null, problem: null, kept: false })
  })
  afterEach(() => {
    delete (globalThis as { window?: unknown }).window
  })

  it('asks main once per window, and Restore makes the kept project the unsaved document at its path', async () => {
    stubBridge({ unsaved: kept, problem: null })
    await checkUnsavedProject()
    await checkUnsavedProject()
    expect(calls).toEqual(['unsaved'])
    expect(useUnsavedProject.getState()).toMatchObject({ status: 'offered', offer: kept })
    restoreUnsavedProject()
    const studio = useStudio.getState()
    expect(studio.projectHistory.present).toBe(kept.project)
    expect(studio.projectHistory.past).toEqual([])
    expect(studio.projectPath).toBe('/films/a.wanproj')
    expect(studio.selectedShotId).toBe('k1')
    expect(isUnsaved(studio)).toBe(true)
    expect(useUnsavedProject.getState()).toMatchObject({ status: 'settled', offer: null })
  })

  it('Discard drops the kept file and settles; none kept settles at once; a damaged one is reported', async () => {
    stubBridge({ unsaved: kept, problem: null })
    await checkUnsavedProject()
    discardUnsavedProject()
    expect(calls).toEqual(['unsaved', 'dropUnsaved'])
    expect(useUnsavedProject.getState().status).toBe('settled')

    useUnsavedProject.setState({ status: 'unchecked' })
    stubBridge({ unsaved: null, problem: 'it was moved to x.damaged' })
    await checkUnsavedProject()
    expect(useUnsavedProject.getState()).toMatchObject({ status: 'settled', offer: null, problem: 'it was moved to x.damaged' })
  })
})
