import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { dropUnsavedProject, keepUnsavedProject, readUnsavedProject, unsavedProjectFile } from '../../src/main/project/unsavedProject'
import { newProject, newShot } from '../../src/shared/project'

const dataDir = (): string => mkdtempSync(join(tmpdir(), 'wan-unsaved-'))
const project = { ...newProject('Draft'), shots: [newShot('a', { prompt: 'a fox' })] }

describe('unsaved project', () => {
  it('keeps, reads back and drops the window’s unsaved project', async () => {
    const dir = dataDir()
    expect(await readUnsavedProject(dir)).toEqual({ unsaved: null, problem: null })
    await keepUnsavedProject(dir, project, '/films/a.wanproj', new Date('2026-01-01T00:00:00Z'))
    expect(await readUnsavedProject(dir)).toEqual({ unsaved: { path: '/films/a.wanproj', keptAt: '2026-01-01T00:00:00.000Z', project }, problem: null })
    expect(readdirSync(dir)).toEqual(['unsaved-project.json'])
    await dropUnsavedProject(dir)
    await dropUnsavedProject(dir)
    expect(existsSync(unsavedProjectFile(dir))).toBe(false)
  })

  it('sets a damaged or inconsistent one aside with the reason, never half-loaded', async () => {
    const dir = dataDir()
    writeFileSync(unsavedProjectFile(dir), JSON.stringify({ path: null, keptAt: '', project: { ...project, shots: [project.shots[0], project.shots[0]] } }))
    const read = await readUnsavedProject(dir)
    expect(read.unsaved).toBeNull()
    expect(read.problem).toMatch(/could not be read \(project\.shots.*moved to .*unsaved-project\.json\.damaged-/)
    writeFileSync(unsavedProjectFile(dir), '{')
    expect((await readUnsavedProject(dir)).problem).toMatch(/not JSON/)
    expect(readdirSync(dir).filter((name) => name.includes('damaged'))).toHaveLength(2)
  })
})
