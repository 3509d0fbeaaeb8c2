// The project the window had not saved when it closed: unsaved-project.json in the data folder,
// written (atomically) while the document differs from its file and removed once it is saved, so
// the next window can offer it back. A damaged or newer one is set aside with the reason.
import { readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { projectSchema, type Project } from '../../shared/project'
import { setAsideDamaged, writeJsonAtomic } from './atomicFile'

export const unsavedProjectSchema = z.object({
  /** Where the project's file is; null for one never saved. */
  path: z.string().min(1).nullable(),
  keptAt: z.string(),
  project: projectSchema
})
export type UnsavedProject = z.infer<typeof unsavedProjectSchema>

export function unsavedProjectFile(dataDir: string): string {
  return join(dataDir, 'unsaved-project.json')
}

export function keepUnsavedProject(dataDir: string, project: Project, path: string | null, now = new Date()): Promise<void> {
  return writeJsonAtomic(unsavedProjectFile(dataDir), { path, keptAt: now.toISOString(), project } satisfies UnsavedProject)
}

export async function dropUnsavedProject(dataDir: string): Promise<void> {
  await rm(unsavedProjectFile(dataDir), { force: true })
}

/** The kept project, or null; a file that fails its schema is moved aside and `problem` says so. */
export async function readUnsavedProject(dataDir: string): Promise<{ unsaved: UnsavedProject | null; problem: string | null }> {
  const file = unsavedProjectFile(dataDir)
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { unsaved: null, problem: null }
    throw new Error(`can't read the unsaved project ${file}: ${(error as Error).message}`, { cause: error })
  }
  let reason: string
  try {
    const parsed = unsavedProjectSchema.safeParse(JSON.parse(text))
    if (parsed.success) return { unsaved: parsed.data, problem: null }
    reason = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'file'}: ${issue.message}`).join('; ')
  } catch (error) {
    reason = `not JSON: ${(error as Error).message}`
  }
  const aside = await setAsideDamaged(file)
  return { unsaved: null, problem: `The project left unsaved last time could not be read (${reason}); it was moved to ${aside}.` }
}
