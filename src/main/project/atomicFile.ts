import { randomBytes } from 'node:crypto'
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs'
import { open, rename, rm } from 'node:fs/promises'
import { dirname } from 'node:path'

const CAUSES: Record<string, string> = {
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  ENOTDIR: 'a parent is not a folder',
  EISDIR: 'it is a folder'
}

/** A write or folder creation that failed, naming the file and the cause; `code` is the system's. */
export class FileWriteError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly path: string,
    /** The cause alone, without the path: "no space left on device (ENOSPC)". */
    readonly reason: string,
    options?: { cause?: unknown }
  ) {
    super(message, options)
    this.name = 'FileWriteError'
  }
}

function describedFailure(verb: string, path: string, error: unknown, blockedAt?: string): FileWriteError {
  const code = (error as NodeJS.ErrnoException).code
  const known = code ? CAUSES[code] : undefined
  const reason = known ? `${known} (${code})` : (error as Error).message
  const where = blockedAt ? `${blockedAt}: ` : ''
  return new FileWriteError(`can't ${verb} ${path}: ${where}${reason}`, code, path, reason, { cause: error })
}

/**
 * mkdir -p that names the real cause: Node's recursive mkdir answers ENOENT when an ancestor is on
 * a read-only file system or not writable, so that ancestor is asked.
 */
export function createFolderSync(path: string): void {
  try {
    mkdirSync(path, { recursive: true })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw describedFailure('create the folder', path, error)
    let ancestor = dirname(path)
    while (!existsSync(ancestor) && dirname(ancestor) !== ancestor) ancestor = dirname(ancestor)
    try {
      accessSync(ancestor, constants.W_OK)
    } catch (ancestorError) {
      throw describedFailure('create the folder', path, ancestorError, ancestor)
    }
    throw describedFailure('create the folder', path, error)
  }
}

/**
 * Writes via a temp file in the same folder, fsyncs, then renames: readers never see half a file,
 * and a failed write (disk full, rename refused) leaves the old file as it was and no temp file.
 * Failures name the file and the cause.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temp = `${path}.${randomBytes(4).toString('hex')}.tmp`
  try {
    const handle = await open(temp, 'wx')
    try {
      try {
        await handle.writeFile(data)
        await handle.sync()
      } finally {
        await handle.close()
      }
      await rename(temp, path)
    } catch (error) {
      await rm(temp, { force: true })
      throw error
    }
  } catch (error) {
    throw describedFailure('write', path, error)
  }
}

export function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  return writeFileAtomic(path, JSON.stringify(value, null, 2) + '\n')
}

/**
 * Moves a file that could not be read out of the way (`<path>.damaged-<time>-<random>`), so it is
 * never half-loaded or overwritten and the user can still recover it; returns where it went. The
 * random part keeps two files set aside in the same millisecond apart.
 */
export async function setAsideDamaged(path: string): Promise<string> {
  const aside = `${path}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`
  await rename(path, aside)
  return aside
}
