// `wan-studio render` flags into a project and an export spec. Everything here is checked before
// any GPU time is spent; a problem is a UsageError (exit 2) that names the flag.
import { randomBytes } from 'node:crypto'
import { closeSync, existsSync, openSync, readdirSync, rmSync, statSync } from 'node:fs'
import { dirname, extname, join, resolve } from 'node:path'
import { renderModeSchema } from '../../shared/plan'
import {
  DRAFT_SIZES,
  EXPORT_EXTENSIONS,
  exportFormatSchema,
  exportFpsSchema,
  frameSizeSchema,
  newShot,
  projectSchema,
  PROJECT_FORMAT_VERSION,
  TRANSLATE_MODES,
  type ExportSpec,
  type FrameSize,
  type Join,
  type Project,
  type TranslateMode
} from '../../shared/project'
import { engineChoiceSchema } from '../../shared/render'

export class UsageError extends Error {}

export interface RenderFlags {
  prompt?: string[]
  seconds?: string[]
  negativePrompt?: string[]
  seed?: string[]
  steps?: string
  engine: string
  mode: string
  /** auto | always | never: the project's translate setting (docs/prompting.md). */
  translate?: string
  /** Extend every prompt with the helper model first (Wan2.2's extension, seeded with the shot's seed). */
  extend?: boolean
  /** What the model receives instead of each shot's prompt (an edited translation); once per shot, '' for none. */
  modelPrompt?: string[]
  transition?: string[]
  transitionFrames?: string
  segmentFrames?: string
  overlap?: string
  exportFps: string
  format: string
  size: string
  out: string
  overwrite?: boolean
  /** Scale draft shots up to the frame size in the export (else a draft shot is refused). */
  upscaleDrafts?: boolean
  workDir?: string
  project?: string
  json?: boolean
  metricsPort?: string
  metricsHost: string
}

/** Whole decimal numbers only: `0x10` or `1e3` is a typo here, not a number to guess at. */
export function parseWholeNumber(flag: string, value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new UsageError(`--${flag}: "${value}" is not a whole decimal number`)
  return Number(value.trim())
}

export function parseDecimal(flag: string, value: string): number {
  if (!/^-?\d+(\.\d+)?$/.test(value.trim())) throw new UsageError(`--${flag}: "${value}" is not a number`)
  return Number(value.trim())
}

/** One value per shot: a flag given once applies to every shot, else it needs one value per shot. */
function perShot<T>(flag: string, values: string[] | undefined, count: number, parse: (value: string) => T, each = 'shot'): (T | undefined)[] {
  if (!values || values.length === 0) return Array<undefined>(count).fill(undefined)
  if (values.length === 1) return Array<T>(count).fill(parse(values[0]!))
  if (values.length !== count) throw new UsageError(`--${flag} is given ${values.length} times for ${count} ${each}${count === 1 ? '' : 's'}: give it once, or once per ${each}`)
  return values.map(parse)
}

function choice<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) throw new UsageError(`--${flag}: "${value}" is not one of ${allowed.join(', ')}`)
  return value as T
}

/** The project the flags describe; shot ids are stable (`shot-1`...) so a re-run finds the same shots. */
export function projectFromFlags(flags: RenderFlags): Project {
  const prompts = flags.prompt ?? []
  if (prompts.length === 0) throw new UsageError("required option '--prompt <text>' not specified (or pass --project FILE)")
  if (!flags.seconds?.length) throw new UsageError("required option '--seconds <n>' not specified")
  const count = prompts.length
  const seconds = perShot('seconds', flags.seconds, count, (value) => parseDecimal('seconds', value))
  const negative = perShot('negative-prompt', flags.negativePrompt, count, (value) => value)
  const seeds = perShot('seed', flags.seed, count, (value) => parseWholeNumber('seed', value))
  const steps = flags.steps === undefined ? null : parseWholeNumber('steps', flags.steps)
  const engine = choice('engine', flags.engine, engineChoiceSchema.options)
  const mode = choice('mode', flags.mode, renderModeSchema.options)
  const { size, draft } = sizeFromFlag(flags.size)
  const joins = joinsFromFlags(flags, count)
  const modelPrompts = modelPromptsFromFlags(flags, count)
  const project: Project = {
    formatVersion: PROJECT_FORMAT_VERSION,
    name: prompts[0]!.trim().slice(0, 60) || 'wan-studio render',
    // A new project: auto unless the flag says otherwise (without a helper model it renders the prompt as typed, with a warning).
    settings: { size, translate: translateFromFlag(flags) ?? 'auto' },
    shots: prompts.map((prompt, index) =>
      newShot(`shot-${index + 1}`, {
        prompt,
        negativePrompt: negative[index] ?? null,
        seed: seeds[index] ?? null,
        seconds: seconds[index]!,
        steps,
        engine,
        mode,
        draft,
        join: index === 0 ? { kind: 'cut' } : joins[index - 1]!,
        ...(modelPrompts[index] ? { modelPrompt: { text: modelPrompts[index], typed: prompt.trim() } } : {})
      })
    )
  }
  const parsed = projectSchema.safeParse(project)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    const where = issue.path[0] === 'shots' && typeof issue.path[1] === 'number' && count > 1 ? `shot ${issue.path[1] + 1}: ` : ''
    throw new UsageError(`${where}${issue.message}`)
  }
  return parsed.data
}

/** --model-prompt: one per shot, as --prompt is given (a shared one would make every shot the same). */
function modelPromptsFromFlags(flags: RenderFlags, count: number): (string | null)[] {
  const given = flags.modelPrompt ?? []
  if (given.length === 0) return Array<null>(count).fill(null)
  if (given.length !== count) throw new UsageError(`--model-prompt is given ${given.length} times for ${count} shot${count === 1 ? '' : 's'}: give it once per --prompt ('' leaves that shot to --translate)`)
  return given.map((text) => (text.trim() === '' ? null : text))
}

/** The --translate value, or undefined when the flag is not given. */
export function translateFromFlag(flags: Pick<RenderFlags, 'translate'>): TranslateMode | undefined {
  return flags.translate === undefined ? undefined : choice('translate', flags.translate, TRANSLATE_MODES)
}

/** The --size values: the project sizes, and the draft sizes (that project, every shot a draft). */
export const SIZE_FLAG_VALUES = [...frameSizeSchema.options, ...frameSizeSchema.options.map((size) => draftSizeName(size))]

function draftSizeName(size: FrameSize): string {
  return `${DRAFT_SIZES[size].width}x${DRAFT_SIZES[size].height}`
}

export function sizeFromFlag(value: string): { size: FrameSize; draft: boolean } {
  const size = frameSizeSchema.options.find((candidate) => candidate === value || draftSizeName(candidate) === value)
  if (!size) throw new UsageError(`--size: "${value}" is not one of ${SIZE_FLAG_VALUES.join(', ')}`)
  return { size, draft: size !== value }
}

function joinsFromFlags(flags: RenderFlags, count: number): Join[] {
  const kinds = perShot('transition', flags.transition, Math.max(count - 1, 0), (value) => choice('transition', value, ['cut', 'crossfade', 'continue'] as const), 'join')
  const frames = flags.transitionFrames === undefined ? 8 : parseWholeNumber('transition-frames', flags.transitionFrames)
  if (flags.transition && count < 2) throw new UsageError('--transition needs at least two --prompt shots to join')
  return kinds.map((kind): Join => (kind === 'crossfade' ? { kind, frames } : { kind: kind ?? 'cut' }))
}

export function segmentOptions(flags: RenderFlags): { segmentFrames?: number; overlap?: number } {
  const segmentFrames = flags.segmentFrames === undefined ? undefined : parseWholeNumber('segment-frames', flags.segmentFrames)
  if (segmentFrames !== undefined && (segmentFrames < 9 || (segmentFrames - 1) % 4 !== 0)) {
    throw new UsageError(`--segment-frames: ${segmentFrames} must be 4n+1 and at least 9 (Wan2.2 renders 4n+1 frames)`)
  }
  const overlap = flags.overlap === undefined ? undefined : parseWholeNumber('overlap', flags.overlap)
  if (overlap !== undefined && overlap > 16) throw new UsageError(`--overlap: ${overlap} frames is more than 16`)
  if (overlap !== undefined && segmentFrames !== undefined && overlap >= segmentFrames - 1) {
    throw new UsageError(`--overlap: ${overlap} frames leaves nothing new in ${segmentFrames}-frame segments`)
  }
  return { segmentFrames, overlap }
}

/** The export spec, with the destination checked: right extension, folder writable, no silent overwrite. */
export function exportSpecFromFlags(flags: RenderFlags): ExportSpec {
  const format = choice('format', flags.format, exportFormatSchema.options)
  const fps = parseWholeNumber('export-fps', flags.exportFps)
  const parsedFps = exportFpsSchema.safeParse(fps)
  if (!parsedFps.success) throw new UsageError(`--export-fps: ${fps} is not one of 16, 24, 30`)
  const output = resolve(flags.out)
  const extension = EXPORT_EXTENSIONS[format]
  if (extname(output).toLowerCase() !== extension) throw new UsageError(`--out: ${flags.out} must end in ${extension} for --format ${format}`)
  const dir = dirname(output)
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--out: folder ${dir} does not exist`)
  const unwritable = folderWriteProblem(dir)
  if (unwritable) throw new UsageError(`--out: can't write in ${dir}: ${unwritable}`)
  if (existsSync(output)) {
    if (statSync(output).isDirectory()) throw new UsageError(`--out: ${flags.out} is a folder`)
    if (!flags.overwrite) throw new UsageError(`--out: ${output} already exists; pass --overwrite to replace it`)
  }
  // A draft --size asks for drafts, so the export scales them up rather than refusing them.
  const drafts = flags.upscaleDrafts || sizeFromFlag(flags.size).draft ? 'upscale' : 'refuse'
  return { format, fps: parsedFps.data, output, overwrite: flags.overwrite ?? false, drafts }
}

const WRITE_CHECK_PREFIX = '.wan-studio-write-check-'

/**
 * Probes left by a check that was killed between creating and removing its file. A live probe
 * exists for microseconds, so removing one another command is using costs it nothing: its own
 * removal is forced.
 */
function removeStaleWriteChecks(dir: string): void {
  for (const name of readdirSync(dir)) if (name.startsWith(WRITE_CHECK_PREFIX)) rmSync(join(dir, name), { force: true })
}

/**
 * Why nothing can be written in `dir`, or null. It really creates (and removes) a file: permission
 * bits say nothing of a read-only file system, /proc, or root.
 */
export function folderWriteProblem(dir: string): string | null {
  const probe = join(dir, `${WRITE_CHECK_PREFIX}${randomBytes(4).toString('hex')}`)
  try {
    removeStaleWriteChecks(dir)
    closeSync(openSync(probe, 'wx'))
    rmSync(probe, { force: true })
    return null
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const reasons: Record<string, string> = {
      EROFS: 'the file system is read-only',
      EACCES: 'permission denied',
      EPERM: 'permission denied',
      ENOSPC: 'the disk is full',
      ENOENT: 'files can\'t be created there'
    }
    return reasons[code ?? ''] ?? (error as Error).message
  }
}

/** Where to serve Prometheus metrics, or null when --metrics-port is not given (off by default). */
export function metricsAddress(flags: { metricsPort?: string; metricsHost: string }): { host: string; port: number } | null {
  if (flags.metricsPort === undefined) return null
  const port = parseWholeNumber('metrics-port', flags.metricsPort)
  if (port < 1 || port > 65535) throw new UsageError(`--metrics-port: ${port} is not a port (1..65535)`)
  return { host: flags.metricsHost, port }
}
