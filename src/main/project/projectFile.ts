// The project file: the project document as pretty JSON. Saving writes a temp file and renames it
// over the old one, so a crash leaves the old file or the new one, never half of either. Loading
// refuses, whole, anything it can't vouch for, and the message names the file and the place; files
// of an older format are migrated step by step (MIGRATIONS) and written in the current format the
// next time the project is saved.
import { readFile } from 'node:fs/promises'
import { z } from 'zod'
import { PROJECT_FORMAT_VERSION, projectProblems, projectSchema, projectShapeSchema, type Project } from '../../shared/project'
import { renderRequestSchema } from '../../shared/render'
import { FileWriteError, writeJsonAtomic } from './atomicFile'
import { jsonSyntaxErrorOffset, lineAndColumn } from './jsonPosition'

export const PROJECT_FILE_EXTENSION = '.wanproj'

export class ProjectFileError extends Error {
  constructor(
    readonly path: string,
    message: string,
    options?: ErrorOptions
  ) {
    super(message, options)
  }
}

type Document = Record<string, unknown>

/** Format 0: today's single-shot render request (src/shared/render.ts) with `formatVersion: 0`. */
const formatZeroSchema = renderRequestSchema.extend({ formatVersion: z.literal(0) })

/**
 * Turns a document of format N into one of format N+1, for every N below PROJECT_FORMAT_VERSION.
 * A migration may throw a ZodError about the fields of its own format.
 */
export const MIGRATIONS: Record<number, (old: Document) => Document> = {
  // No release wrote format 0 files: it is here so the migration path is exercised by tests, and so
  // a render request a script saved opens as a one-shot project. Spelled out rather than built with
  // newProject/newShot, which follow the current format, not format 1.
  0: (old) => {
    const request = formatZeroSchema.parse(old)
    const shot = {
      id: 'shot-1',
      prompt: request.prompt,
      negativePrompt: request.negativePrompt ?? null,
      seed: request.seed ?? null,
      seconds: request.seconds,
      steps: request.steps ?? null,
      engine: request.engine,
      trim: { in: 0, out: null },
      join: { kind: 'cut' },
      render: null
    }
    // A render request always rendered 1280x720.
    return { formatVersion: 1, name: 'Untitled', settings: { size: '1280x720' }, shots: [shot] }
  },
  // Format 2 gave shots a render mode and the draft size; every format 1 shot rendered in quality
  // mode at the project's size. Only the shots are looked at; the rest is checked as format 2.
  1: (old) => {
    const { shots } = formatOneShotsSchema.parse(old)
    return { ...old, formatVersion: 2, shots: shots.map((shot) => ({ ...shot, mode: 'quality', draft: false })) }
  }
}

/** Just enough of format 1 to migrate it: shots are objects; their fields are checked once they are format 2. */
const formatOneShotsSchema = z.object({ shots: z.array(z.record(z.string(), z.unknown()), { error: 'shots must be a list of shots' }) })

/** Checks the project, then replaces the file at `path` atomically with it as pretty JSON. */
export async function saveProject(path: string, project: Project): Promise<void> {
  const checked = projectSchema.safeParse(project)
  if (!checked.success) throw new ProjectFileError(path, `${path}: not saved, the project is invalid: ${describeIssues(checked.error.issues)}`)
  try {
    await writeJsonAtomic(path, checked.data)
  } catch (error) {
    throw new ProjectFileError(path, `${path}: not saved: ${saveFailure(error)}`, { cause: error })
  }
}

/** Reads, migrates and checks the project file; throws ProjectFileError for anything less than a valid project. */
export async function loadProject(path: string): Promise<Project> {
  let bytes: Uint8Array
  try {
    bytes = await readFile(path)
  } catch (error) {
    throw new ProjectFileError(path, `${path}: ${readFailure(error)}`, { cause: error })
  }
  const document = migrate(path, parseDocument(path, bytes))
  const shape = projectShapeSchema.safeParse(document)
  if (!shape.success) throw new ProjectFileError(path, `${path}: invalid fields: ${describeIssues(shape.error.issues)}`)
  const problems = projectProblems(shape.data)
  if (problems.length > 0) throw new ProjectFileError(path, `${path}: inconsistent: ${describeIssues(problems)}`)
  return shape.data
}

function parseDocument(path: string, bytes: Uint8Array): Document {
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes) // drops a leading BOM
  } catch {
    throw new ProjectFileError(path, `${path}: not UTF-8 text, so not a Wan Studio project`)
  }
  if (text.trim() === '') throw new ProjectFileError(path, `${path}: the file is empty`)
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    const message = (error as Error).message
    const offset = jsonSyntaxErrorOffset(text, message)
    // V8's own position and its quote of the text are replaced by a line and column.
    const what = message.split(/ in JSON at position|, (?:\.\.\.)?".*" is not valid JSON/s)[0]
    const place = offset === null ? null : lineAndColumn(text, offset)
    const where = place ? ` at line ${place.line}, column ${place.column}` : ''
    throw new ProjectFileError(path, `${path}: not valid JSON${where} (${what})`)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const found = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`
    throw new ProjectFileError(path, `${path}: holds ${found}, not a Wan Studio project`)
  }
  return value as Document
}

function migrate(path: string, document: Document): Document {
  if (!('formatVersion' in document)) throw new ProjectFileError(path, `${path}: no formatVersion, so not a Wan Studio project`)
  let version = document.formatVersion
  if (typeof version !== 'number' || !Number.isInteger(version)) {
    throw new ProjectFileError(path, `${path}: formatVersion ${JSON.stringify(version)} is not a format number`)
  }
  if (version > PROJECT_FORMAT_VERSION) {
    throw new ProjectFileError(path, `${path}: written by a newer Wan Studio (format ${version}); this version reads up to format ${PROJECT_FORMAT_VERSION}`)
  }
  let current = document
  for (; version < PROJECT_FORMAT_VERSION; version++) {
    const migration = MIGRATIONS[version]
    if (!migration) throw new ProjectFileError(path, `${path}: format ${version} is unknown; this version reads formats 0 to ${PROJECT_FORMAT_VERSION}`)
    try {
      current = migration(current)
    } catch (error) {
      if (!(error instanceof z.ZodError)) throw error
      throw new ProjectFileError(path, `${path}: invalid format ${version} fields: ${describeIssues(error.issues)}`)
    }
  }
  return current
}

const MOST_ISSUES_LISTED = 5

/** "shots[2].trim.out: trim out must be at least 1; name: ..." with the first few issues. */
function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  const listed = issues.slice(0, MOST_ISSUES_LISTED).map((issue) => `${jsonPath(issue.path)}: ${issue.message}`)
  const more = issues.length - listed.length
  return listed.join('; ') + (more > 0 ? ` (and ${more} more)` : '')
}

function jsonPath(path: readonly PropertyKey[]): string {
  return path.map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`)).join('')
}

function readFailure(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return 'not found'
    case 'EISDIR':
      return 'a folder, not a project file'
    case 'EACCES':
    case 'EPERM':
      return "can't be read: permission denied"
    default:
      return `can't be read: ${(error as Error).message}`
  }
}

function saveFailure(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return "its folder doesn't exist"
    case 'EISDIR':
      return 'a folder has that name'
    case 'EACCES':
    case 'EPERM':
      return 'permission denied'
    default:
      return error instanceof FileWriteError ? error.reason : (error as Error).message
  }
}
