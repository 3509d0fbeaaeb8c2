// The engine folder's layout and the switch from one environment to the next.
//
//   <engineDir>/venv            the current environment: a link (symlink; a junction on Windows) to envs/<id>,
//                               or a plain folder left by an older set-up. Everything that runs Python uses this path.
//   <engineDir>/envs/<id>       environments; a set-up builds a new one here beside the current one
//   <engineDir>/venv.next-<id>  the new link, made before it replaces venv
//   <engineDir>/venv.old-<id>   the previous venv while a switch replaces it (Windows, or an older plain folder)
//
// A set-up never touches the current environment until the new one is verified. On Linux and macOS
// the switch is one rename of the new link over the old one, so venv always names a working
// environment. Windows can't rename over an existing entry: venv is moved aside, then the new link
// moved in; a crash between the two leaves venv.old-<id>, which the next set-up moves back first.
import { lstat, mkdir, readdir, readFile, readlink, rename, rm, symlink, unlink } from 'node:fs/promises'
import { isAbsolute, join, resolve } from 'node:path'
import { writeJsonAtomic } from '../project/atomicFile'

export function currentLink(engineDir: string): string {
  return join(engineDir, 'venv')
}

export function environmentsDir(engineDir: string): string {
  return join(engineDir, 'envs')
}

export function venvPython(venv: string, platform: NodeJS.Platform = process.platform): string {
  return platform === 'win32' ? join(venv, 'Scripts', 'python.exe') : join(venv, 'bin', 'python')
}

async function entryKind(path: string): Promise<'link' | 'folder' | 'other' | null> {
  try {
    const stats = await lstat(path)
    return stats.isSymbolicLink() ? 'link' : stats.isDirectory() ? 'folder' : 'other'
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
}

/** The folder the current environment lives in (the link's target), or null without one. */
export async function currentEnvironmentDir(engineDir: string): Promise<string | null> {
  const link = currentLink(engineDir)
  const kind = await entryKind(link)
  if (kind === 'link') {
    const target = await readlink(link)
    return isAbsolute(target) ? target : resolve(engineDir, target)
  }
  return kind === 'folder' ? link : null
}

/** A fresh folder name for the next environment; sortable by time. */
export function newEnvironmentId(now: Date = new Date()): string {
  return `${now.toISOString().replace(/[-:.]/g, '').replace('T', '-').replace('Z', '')}-${process.pid}`
}

/** Puts back a venv that a switch moved aside and never replaced (a crash in the Windows window). */
export async function recoverInterruptedSwitch(engineDir: string): Promise<string | null> {
  if ((await entryKind(currentLink(engineDir))) !== null) return null
  const aside = (await listNames(engineDir)).filter((name) => name.startsWith('venv.old-')).sort()
  const newest = aside.at(-1)
  if (!newest) return null
  await rename(join(engineDir, newest), currentLink(engineDir))
  return newest
}

/**
 * Removes what earlier runs left: environments that aren't current (a set-up that failed, was
 * cancelled or crashed), and stray links. Call with the set-up lock held.
 */
export async function removeStaleEnvironments(engineDir: string): Promise<string[]> {
  const current = await currentEnvironmentDir(engineDir)
  const removed: string[] = []
  for (const name of await listNames(environmentsDir(engineDir))) {
    const dir = join(environmentsDir(engineDir), name)
    if (current !== null && resolve(dir) === resolve(current)) continue
    await rm(dir, { recursive: true, force: true })
    removed.push(dir)
  }
  for (const name of await listNames(engineDir)) {
    if (!name.startsWith('venv.next-') && !name.startsWith('venv.old-')) continue
    await removeEntry(join(engineDir, name))
    removed.push(join(engineDir, name))
  }
  return removed
}

/**
 * Makes `environmentDir` (under envs/) the current environment. Returns the previous environment's
 * folder, still on disk: whoever runs Python from it stops first, then removePrevious deletes it.
 */
export async function switchTo(engineDir: string, environmentDir: string, platform: NodeJS.Platform = process.platform): Promise<{ previous: string | null }> {
  const link = currentLink(engineDir)
  const id = environmentDir.split(/[\\/]/).at(-1)!
  const nextLink = join(engineDir, `venv.next-${id}`)
  await mkdir(engineDir, { recursive: true })
  // Relative on POSIX, so the engine folder can move; a junction needs an absolute target.
  if (platform === 'win32') await symlink(resolve(environmentDir), nextLink, 'junction')
  else await symlink(join('envs', id), nextLink, 'dir')

  const previousTarget = await currentEnvironmentDir(engineDir)
  const previousKind = await entryKind(link)
  // One rename replaces a link on POSIX; a plain folder (an older set-up's) or Windows needs two.
  const aside = previousKind !== null && (platform === 'win32' || previousKind !== 'link') ? join(engineDir, `venv.old-${id}`) : null
  if (aside !== null) await rename(link, aside)
  await rename(nextLink, link)

  if (previousKind === 'folder') return { previous: aside }
  if (aside !== null) await removeEntry(aside)
  return { previous: previousTarget !== null && resolve(previousTarget) !== resolve(environmentDir) ? previousTarget : null }
}

export async function removePrevious(previous: string): Promise<void> {
  await removeEntry(previous)
}

/** switchTo, then removePrevious at once: for callers with nothing running from the previous one. */
export async function makeCurrent(engineDir: string, environmentDir: string, platform: NodeJS.Platform = process.platform): Promise<{ previous: string | null }> {
  const switched = await switchTo(engineDir, environmentDir, platform)
  if (switched.previous !== null) await removePrevious(switched.previous)
  return switched
}

/** A link is unlinked (never followed); a folder is removed with its contents. */
async function removeEntry(path: string): Promise<void> {
  const kind = await entryKind(path)
  // libuv's unlink removes a directory symlink or a junction itself, never what it points to.
  if (kind === 'link') await unlink(path)
  else if (kind !== null) await rm(path, { recursive: true, force: true })
}

async function listNames(dir: string): Promise<string[]> {
  try {
    return await readdir(dir)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
}

/** What a set-up wrote into the environment it built, so Repair can build the same kind again. */
export type EnvironmentRecord = { syntheticOnly: boolean; withTestTools: boolean; createdAt: string; uvVersion: string }
const RECORD_FILE = 'wan-studio-environment.json'

export async function writeEnvironmentRecord(environmentDir: string, record: EnvironmentRecord): Promise<void> {
  await writeJsonAtomic(join(environmentDir, RECORD_FILE), record)
}

/** The current environment's kind: null without one, unknown for one an older set-up made (no record). */
export async function currentEnvironmentKind(engineDir: string): Promise<'full' | 'synthetic' | 'unknown' | null> {
  const dir = await currentEnvironmentDir(engineDir)
  if (dir === null) return null
  try {
    const record = JSON.parse(await readFile(join(dir, RECORD_FILE), 'utf8')) as Partial<EnvironmentRecord>
    return typeof record.syntheticOnly === 'boolean' ? (record.syntheticOnly ? 'synthetic' : 'full') : 'unknown'
  } catch {
    return 'unknown'
  }
}
