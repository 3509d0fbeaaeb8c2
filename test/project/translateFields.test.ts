// The translate setting (project and shot) and the accepted model prompt: additive fields of format 2.
// A format 2 file written before them opens with translation off, so its renders don't change.
import { mkdtempSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadProject, saveProject } from '../../src/main/project/projectFile'
import { acceptedModelPrompt, newProject, newShot, shotTranslateMode } from '../../src/shared/project'

const folder = mkdtempSync(join(tmpdir(), 'wan-translate-fields-'))

describe('translate fields in the project file', () => {
  it('open a format 2 file from before translation with every shot untranslated, and save it unchanged', async () => {
    const fixture = join(import.meta.dirname, 'fixtures', 'format-2.wanproj')
    const original = JSON.parse(await readFile(fixture, 'utf8')) as Record<string, unknown>
    const project = await loadProject(fixture)
    expect(project.shots.map((shot) => shotTranslateMode(project.settings, shot))).toEqual(['never', 'never', 'never'])
    expect(project.shots.map((shot) => acceptedModelPrompt(shot))).toEqual([null, null, null])
    const file = join(folder, 'saved.wanproj')
    await saveProject(file, project)
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(original)
  })

  it('start a new project at auto; a shot overrides it, null follows it', () => {
    const project = newProject()
    expect(shotTranslateMode(project.settings, newShot('a'))).toBe('auto')
    expect(shotTranslateMode(project.settings, newShot('b', { translate: 'never' }))).toBe('never')
    expect(shotTranslateMode({ size: '1280x720', translate: 'always' }, newShot('c', { translate: null }))).toBe('always')
  })

  it('keep the settings and the accepted model prompt through a save and a load', async () => {
    const shot = newShot('s1', { prompt: ' a fox in snow ', seed: 1, translate: 'always', modelPrompt: { text: '雪地里的一只狐狸', typed: 'a fox in snow' } })
    const project = { ...newProject('Fox'), shots: [shot] }
    const file = join(folder, 'fox.wanproj')
    await saveProject(file, project)
    const loaded = await loadProject(file)
    expect(loaded).toEqual(project)
    expect(acceptedModelPrompt(loaded.shots[0]!)).toBe('雪地里的一只狐狸')
  })

  it('drop an accepted model prompt once the prompt it was made from changes', () => {
    const shot = newShot('s1', { prompt: 'a wolf in snow', modelPrompt: { text: '雪地里的一只狐狸', typed: 'a fox in snow' } })
    expect(acceptedModelPrompt(shot)).toBeNull()
  })

  it('refuse a bad translate value and an empty model prompt, naming where', async () => {
    const file = join(folder, 'bad.wanproj')
    const project = { ...newProject('Bad'), settings: { size: '1280x720', translate: 'sometimes' }, shots: [newShot('s1', { prompt: 'x', modelPrompt: { text: ' ', typed: 'x' } })] }
    await writeFile(file, JSON.stringify(project))
    await expect(loadProject(file)).rejects.toThrow(
      `${file}: invalid fields: settings.translate: translate must be auto, always or never; shots[0].modelPrompt.text: model prompt is empty`
    )
  })
})
