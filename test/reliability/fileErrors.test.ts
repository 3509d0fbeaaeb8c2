// Errors that name the real cause: a read-only data folder (not "ENOENT mkdir"), a full disk during
// an atomic write (the file named, no .tmp left), a calibration file that is a folder (a warning and
// defaults, no stack trace from the doctor).
import { execFile, execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { CALIBRATION_FILE, createCalibrationStore } from '../../src/main/planner/calibration'
import { createFolderSync, writeFileAtomic } from '../../src/main/project/atomicFile'
import { repoRoot, testEnv } from '../helpers/studio'

const scratch = mkdtempSync(join(tmpdir(), 'wan-file-errors-'))
const mounted: string[] = []

/** A tiny tmpfs (root only); null where this machine can't mount one. */
function tmpfs(name: string, options: string): string | null {
  const path = join(scratch, name)
  mkdirSync(path)
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', path], { stdio: 'ignore' })
  } catch {
    return null
  }
  mounted.push(path)
  return path
}

afterAll(() => {
  for (const path of mounted) execFileSync('umount', [path])
})

const fullDisk = tmpfs('full', 'size=64k')
const readOnly = tmpfs('read-only', 'size=64k,ro')

describe('file errors name their cause', () => {
  it.skipIf(fullDisk === null)('a write that fills the disk names the file and leaves the old one and no .tmp', async () => {
    const path = join(fullDisk!, 'job.json')
    writeFileSync(path, '{"old": true}\n')
    await expect(writeFileAtomic(path, 'x'.repeat(256 * 1024))).rejects.toThrow(`can't write ${path}: no space left on device (ENOSPC)`)
    expect(readdirSync(fullDisk!)).toEqual(['job.json'])
    expect(readFileSync(path, 'utf8')).toBe('{"old": true}\n')
  })

  it('a write into a missing folder names the file', async () => {
    const path = join(scratch, 'missing', 'queue.json')
    await expect(writeFileAtomic(path, '{}')).rejects.toMatchObject({ code: 'ENOENT', message: expect.stringContaining(`can't write ${path}`) as string })
  })

  it.skipIf(readOnly === null)('a folder on a read-only file system is reported as such, with the folder that refused', () => {
    const path = join(readOnly!, 'home', 'cli-work')
    expect(() => createFolderSync(path)).toThrow(`can't create the folder ${path}: ${readOnly}: read-only file system (EROFS)`)
  })

  it.skipIf(readOnly === null)('the CLI with a read-only data folder says so, without a stack trace', async () => {
    const env = testEnv({ WAN_STUDIO_HOME: join(readOnly!, 'home') })
    const args = [join(repoRoot, 'bin', 'wan-studio.cjs'), 'render', '--prompt', 'x', '--seconds', '1', '--engine', 'synthetic', '--out', join(scratch, 'x.mp4')]
    const stderr = await new Promise<string>((resolve) => execFile(process.execPath, args, { env }, (_error, _stdout, text) => resolve(text)))
    expect(stderr).toContain('read-only file system (EROFS)')
    expect(stderr).not.toMatch(/^\s+at /m)
  })

  it('a calibration file that is a folder: a warning naming it, defaults, and a doctor without a stack trace', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'wan-calibration-folder-'))
    mkdirSync(join(dataDir, CALIBRATION_FILE))
    const warnings: string[] = []
    expect(await createCalibrationStore(dataDir, () => new Date(), (message) => warnings.push(message)).load()).toEqual([])
    expect(warnings).toEqual([`${join(dataDir, CALIBRATION_FILE)} can't be read (it is a folder); the planner's own predictions are used instead`])

    const env = testEnv({ WAN_STUDIO_HOME: dataDir })
    const doctor = await new Promise<{ code: number; stderr: string }>((resolve) =>
      execFile(process.execPath, [join(repoRoot, 'bin', 'wan-studio.cjs'), 'doctor'], { env }, (error, _stdout, stderr) =>
        resolve({ code: typeof error?.code === 'number' ? error.code : 0, stderr })
      )
    )
    expect(doctor.stderr).toContain("can't be read (it is a folder)")
    expect(doctor.stderr).not.toMatch(/^\s+at /m)
  })
})
