import { describe, expect, it } from 'vitest'
import { newProject, newShot, type Project } from '../../src/shared/project'
import { applyHistoryEntry, applyPreset, presetFromShot } from '../../src/renderer/src/editor/promptLibrary/promptLibraryEdits'

const shot = newShot('s1', { prompt: 'old', negativePrompt: null, seconds: 2, steps: null })
const project: Project = { ...newProject('P'), shots: [shot] }
const preset = { name: 'Dusk', prompt: 'a harbour at dusk', negativePrompt: 'blur', seconds: 4, steps: 30, savedAt: '2026-01-01T00:00:00.000Z' }

describe('prompt library edits', () => {
  it('a preset sets prompt, negative prompt, seconds and steps together', () => {
    const result = applyPreset(project, 's1', preset)
    expect(result.ok && result.project.shots[0]).toMatchObject({ prompt: 'a harbour at dusk', negativePrompt: 'blur', seconds: 4, steps: 30 })
  })

  it('refuses the whole preset when one field is refused, and an unknown shot', () => {
    expect(applyPreset(project, 's1', { ...preset, seconds: 0 })).toEqual({ ok: false, reason: expect.stringMatching(/seconds/) })
    expect(applyPreset(project, 'nope', preset)).toEqual({ ok: false, reason: expect.stringMatching(/no shot with id "nope"/) })
  })

  it('a past prompt sets the prompt and negative prompt and keeps the length and steps', () => {
    const result = applyHistoryEntry({ ...project, shots: [{ ...shot, seconds: 3, steps: 12 }] }, 's1', { prompt: 'a crow', negativePrompt: null, usedAt: '' })
    expect(result.ok && result.project.shots[0]).toMatchObject({ prompt: 'a crow', negativePrompt: null, seconds: 3, steps: 12 })
  })

  it('a preset saved from a shot carries its fields and the trimmed name', () => {
    expect(presetFromShot({ ...shot, steps: 20 }, '  Mine ')).toEqual({ name: 'Mine', prompt: 'old', negativePrompt: null, seconds: 2, steps: 20 })
  })
})
