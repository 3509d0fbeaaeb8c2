// The projects opened or saved last, newest first: recent-projects.json in the data folder.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { writeJsonAtomic } from './atomicFile'

export const RECENT_PROJECTS_LIMIT = 10

function recentFile(dataDir: string): string {
  return join(dataDir, 'recent-projects.json')
}

/** The list, or an empty one when the file is missing or not a list of paths. */
export async function readRecentProjects(dataDir: string): Promise<string[]> {
  try {
    const value: unknown = JSON.parse(await readFile(recentFile(dataDir), 'utf8'))
    return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string').slice(0, RECENT_PROJECTS_LIMIT) : []
  } catch {
    return []
  }
}

/** Puts `path` first (once) and keeps the newest RECENT_PROJECTS_LIMIT. */
export async function rememberProject(dataDir: string, path: string): Promise<string[]> {
  const list = [path, ...(await readRecentProjects(dataDir)).filter((known) => known !== path)].slice(0, RECENT_PROJECTS_LIMIT)
  await writeJsonAtomic(recentFile(dataDir), list)
  return list
}
