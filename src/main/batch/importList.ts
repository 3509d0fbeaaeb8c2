// Reads a prompt list (.txt, .csv, .jsonl) and validates every row: the jobs that will run and the
// rows refused, each with its file, line and reason. Good rows run whatever the others hold.
import { readFile } from 'node:fs/promises'
import { basename, extname } from 'node:path'
import { validateBatchRow, type BatchDefaults, type BatchJobSpec, type BatchProblem } from '../../shared/batch'
import { parseRows, type ListFormat } from './rows'

/** The list can't be read at all (missing, a folder, not UTF-8, an unknown extension): exit 2. */
export class BatchFileError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'BatchFileError'
  }
}

export interface ImportedList {
  file: string
  jobs: BatchJobSpec[]
  rejected: BatchProblem[]
  warnings: BatchProblem[]
}

const FORMATS: Record<string, ListFormat> = { '.txt': 'txt', '.csv': 'csv', '.jsonl': 'jsonl' }

export function listFormat(name: string): ListFormat {
  const format = FORMATS[extname(name).toLowerCase()]
  if (!format) throw new BatchFileError(`${name}: a prompt list is a .txt, .csv or .jsonl file`)
  return format
}

export async function readPromptList(path: string): Promise<string> {
  listFormat(path)
  let bytes: Buffer
  try {
    bytes = await readFile(path)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : (error as Error).message
    throw new BatchFileError(`can't read ${path}: ${reason}`)
  }
  return decodeUtf8(path, bytes)
}

/** Strict UTF-8: a Latin-1 or UTF-16 file is refused whole rather than read as garbage prompts. */
export function decodeUtf8(name: string, bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes)
  } catch {
    throw new BatchFileError(`${name} is not UTF-8 text: save it as UTF-8 and try again`)
  }
}

/** Parses and validates the text of a list named `name` (its extension picks the format). */
export function importList(name: string, text: string, defaults: BatchDefaults): ImportedList {
  const file = basename(name)
  const parsed = parseRows(listFormat(name), text)
  const jobs: BatchJobSpec[] = []
  const rejected: BatchProblem[] = parsed.rejected.map((problem) => ({ file, ...problem }))
  for (const row of parsed.rows) {
    const result = validateBatchRow(row, defaults)
    if ('job' in result) jobs.push(result.job)
    else rejected.push({ file, line: row.line, message: result.problem })
  }
  rejected.sort((a, b) => a.line - b.line)
  return { file, jobs, rejected, warnings: parsed.warnings.map((warning) => ({ file, ...warning })) }
}
