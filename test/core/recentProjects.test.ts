import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readRecentProjects, RECENT_PROJECTS_LIMIT, rememberProject } from '../../src/main/project/recentProjects'

describe('recent projects', () => {
  it('keeps the newest first, once each, at most the limit', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'wan-recent-'))
    expect(await readRecentProjects(dataDir)).toEqual([])
    await rememberProject(dataDir, '/a.wanproj')
    await rememberProject(dataDir, '/b.wanproj')
    expect(await rememberProject(dataDir, '/a.wanproj')).toEqual(['/a.wanproj', '/b.wanproj'])
    for (let index = 0; index < RECENT_PROJECTS_LIMIT + 2; index++) await rememberProject(dataDir, `/p${index}.wanproj`)
    const list = await readRecentProjects(dataDir)
    expect(list).toHaveLength(RECENT_PROJECTS_LIMIT)
    expect(list[0]).toBe(`/p${RECENT_PROJECTS_LIMIT + 1}.wanproj`)
  })

  it('reads a damaged file as no recent projects', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'wan-recent-'))
    writeFileSync(join(dataDir, 'recent-projects.json'), '{not json')
    expect(await readRecentProjects(dataDir)).toEqual([])
  })
})
