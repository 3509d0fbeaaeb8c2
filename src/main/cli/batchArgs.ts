// `wan-studio batch` flags: checked before anything is queued; a problem is a UsageError (exit 2).
import { existsSync, mkdirSync, statSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { batchDefaultsSchema, type BatchDefaults } from '../../shared/batch'
import { exportFormatSchema, exportFpsSchema } from '../../shared/project'
import { engineChoiceSchema } from '../../shared/render'
import { folderWriteProblem, parseDecimal, parseWholeNumber, UsageError } from './renderArgs'

export interface BatchFlags {
  outDir: string
  resume?: boolean
  engine: string
  mode: string
  /** auto | always | never (docs/prompting.md). */
  translate?: string
  extend?: boolean
  seconds?: string
  seed?: string
  format: string
  exportFps: string
  json?: boolean
}

/** The flags every row gets unless the row says otherwise. */
export function batchDefaultsFromFlags(flags: BatchFlags): BatchDefaults {
  const parsed = batchDefaultsSchema.safeParse({
    seconds: flags.seconds === undefined ? undefined : parseDecimal('seconds', flags.seconds),
    seed: flags.seed === undefined ? undefined : parseWholeNumber('seed', flags.seed),
    engine: engineChoiceSchema.parse(flags.engine),
    mode: flags.mode,
    translate: flags.translate,
    extend: flags.extend === true,
    format: exportFormatSchema.parse(flags.format),
    fps: exportFpsSchema.parse(parseWholeNumber('export-fps', flags.exportFps))
  })
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new UsageError(`--${String(issue.path[0] ?? 'flags')}: ${issue.message}`)
  }
  return parsed.data
}

/** The output folder, created when missing and checked writable by really writing in it. */
export function outputFolder(flag: string): string {
  const dir = resolve(flag)
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new UsageError(`--out-dir: ${dir} is not a folder`)
  try {
    makeFolders(dir)
  } catch (error) {
    throw new UsageError(`--out-dir: can't create ${dir}: ${(error as Error).message}`)
  }
  const unwritable = folderWriteProblem(dir)
  if (unwritable) throw new UsageError(`--out-dir: can't write in ${dir}: ${unwritable}`)
  return dir
}

/**
 * mkdir -p one level at a time: Node's recursive mkdir never returns on a virtual file system that
 * answers ENOENT for a folder it won't create (/proc).
 */
function makeFolders(dir: string): void {
  if (existsSync(dir)) return
  const parent = dirname(dir)
  if (parent !== dir) makeFolders(parent)
  mkdirSync(dir)
}
