// Exports a project as one film in an editor's format: one ffmpeg run into a temporary file beside
// the destination, verified with ffprobe, then renamed into place. A lock on the destination lets
// one export write it at a time, and lets that export remove temporary files left by dead ones.
import { randomBytes } from 'node:crypto'
import { lstat, open, readdir, rename, rm } from 'node:fs/promises'
import { basename, dirname, extname, join } from 'node:path'
import { EXPORT_EXTENSIONS, frameDimensions, type ExportFormat, type ExportSpec, type Project } from '../../shared/project'
import { buildTimeline, type Timeline } from '../../shared/timeline'
import { writeJsonAtomic } from '../project/atomicFile'
import { lockPath } from './pathLock'
import { buildExportArgs, EXPORT_ENCODINGS } from './exportArgs'
import { draftRefusal, draftShots } from './exportDrafts'
import { containerTags, describeExport, exportChapters, ffmetadataDocument, metadataFilePath, type ExportChapter } from './exportMetadata'
import { FfmpegError, runFfmpeg } from './ffmpeg'
import { probeVideo } from './probe'

export type ExportProgress = { fraction: number; frame: number; totalFrames: number; speed: number | null }

export type ExportOptions = {
  ffmpeg: string
  /** As probeVideo's: undefined looks next to ffmpeg and on PATH, null verifies with ffmpeg alone. */
  ffprobe?: string | null
  project: Project
  spec: ExportSpec
  appVersion: string
  signal?: AbortSignal
  onProgress?: (progress: ExportProgress) => void
}

export type ExportResult = {
  output: string
  frames: number
  fps: number
  format: ExportFormat
  durationSeconds: number
  chapters: ExportChapter[]
  /** The same description as the file's wan_studio tag, as JSON beside the export. */
  metadataFile: string
  /** Wall time of the export. */
  seconds: number
}

/** A refusal or failure whose message names the cause and the path, fit to show as it is. */
export class ExportError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'ExportError'
  }
}

const FOLDER_ERRORS: Record<string, string> = {
  ENOENT: 'does not exist',
  ENOTDIR: 'is not a folder',
  EACCES: 'is not writable (permission denied)',
  EPERM: 'is not writable (operation not permitted)',
  EROFS: 'is on a read-only file system',
  ENOSPC: 'is on a full disk (no space left on device)',
  EDQUOT: 'is over its disk quota'
}

async function folderError(folder: string, error: unknown): Promise<Error> {
  const code = (error as NodeJS.ErrnoException).code ?? ''
  // Virtual file systems (/proc) answer ENOENT for a new file in a folder that does exist.
  const folderExists = code === 'ENOENT' && (await lstat(folder).catch(() => null))?.isDirectory()
  const reason = folderExists ? 'does not accept new files' : FOLDER_ERRORS[code]
  return reason ? new ExportError(`can't export into ${folder}: the folder ${reason} (${code})`, { cause: error }) : (error as Error)
}

async function refuseExisting(output: string, overwrite: boolean): Promise<void> {
  const existing = await lstat(output).catch(() => null)
  if (existing?.isDirectory()) throw new ExportError(`can't export to ${output}: it is a folder`)
  if (existing && !overwrite) throw new ExportError(`${output} already exists; choose another name or allow overwriting`)
}

const PARTIAL_SUFFIX_LENGTH = 12

function partialPattern(output: string, extension: string): RegExp {
  const name = basename(output, extension).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return new RegExp(`^\\.${name}\\.[0-9a-f]{${PARTIAL_SUFFIX_LENGTH}}\\.partial${extension.replace('.', '\\.')}$`)
}

/**
 * Takes the destination's lock (a hidden folder beside it): a second export to the same file waits
 * for the first, or is refused once the wait is over.
 */
async function lockDestination(output: string, extension: string): Promise<() => Promise<void>> {
  const folder = dirname(output)
  try {
    return await lockPath({
      lockPath: join(folder, `.${basename(output, extension)}${extension}.export-lock`),
      busyMessage: `another export is writing ${output}; try again when it has finished`
    })
  } catch (error) {
    throw await folderError(folder, error)
  }
}

/** Under the destination's lock, a temporary file for it can only be left by an export that died. */
async function removeDeadPartials(output: string, extension: string): Promise<void> {
  const pattern = partialPattern(output, extension)
  for (const name of await readdir(dirname(output))) {
    if (pattern.test(name)) await rm(join(dirname(output), name), { force: true })
  }
}

/**
 * Creates the temporary output exclusively (a fresh name, never an existing file or a symlink's
 * target); doing so is also the check that the folder exists and is writable.
 */
async function createPartialFile(output: string, extension: string): Promise<string> {
  const folder = dirname(output)
  const partial = join(folder, `.${basename(output, extension)}.${randomBytes(PARTIAL_SUFFIX_LENGTH / 2).toString('hex')}.partial${extension}`)
  try {
    await (await open(partial, 'wx')).close()
  } catch (error) {
    throw await folderError(folder, error)
  }
  return partial
}

function ffmpegFailure(error: unknown, output: string): unknown {
  if (error instanceof FfmpegError && error.stderrTail.some((line) => /No space left on device/i.test(line))) {
    return new ExportError(`can't export ${output}: no space left on device in ${dirname(output)}`, { cause: error })
  }
  return error
}

/** ffprobe's view of the written file must match the timeline exactly before it replaces anything. */
async function verifyExport(options: ExportOptions, path: string, timeline: Timeline): Promise<void> {
  const probe = await probeVideo({ ffmpeg: options.ffmpeg, ffprobe: options.ffprobe, path, signal: options.signal })
  const encoding = EXPORT_ENCODINGS[options.spec.format]
  const { width, height } = frameDimensions(options.project.settings.size)
  const problems: string[] = []
  if (probe.codec !== encoding.codecName) problems.push(`codec ${probe.codec}, expected ${encoding.codecName}`)
  if (probe.pixFmt !== encoding.pixFmt) problems.push(`pixel format ${probe.pixFmt}, expected ${encoding.pixFmt}`)
  if (probe.width !== width || probe.height !== height) problems.push(`size ${probe.width}x${probe.height}, expected ${width}x${height}`)
  if (probe.frames !== timeline.frames) problems.push(`${probe.frames} frames, expected ${timeline.frames}`)
  // Containers round durations (chapters to milliseconds); half a frame is the tolerance.
  if (Math.abs(probe.durationSeconds - timeline.durationSeconds) > 0.5 / timeline.fps) {
    problems.push(`duration ${probe.durationSeconds} s, expected ${timeline.durationSeconds.toFixed(3)} s`)
  }
  if (problems.length > 0) throw new ExportError(`the exported file failed its check (${problems.join('; ')}); nothing was replaced`)
}

/**
 * Writes the project's film to spec.output. The destination is untouched unless the whole export
 * succeeds and checks out; on failure or cancel the temporary file is removed.
 */
export async function exportProject(options: ExportOptions): Promise<ExportResult> {
  const started = performance.now()
  const { project, spec } = options
  const extension = EXPORT_EXTENSIONS[spec.format]
  if (extname(spec.output).toLowerCase() !== extension) {
    throw new ExportError(`${spec.format} exports are ${extension} files; ${spec.output} has the wrong extension`)
  }
  const refusal = draftRefusal(project, spec)
  if (refusal) throw new ExportError(`can't export ${spec.output}: ${refusal}`)
  const timeline = buildTimeline(project.shots, spec.fps)
  const description = describeExport(project, timeline, spec, options.appVersion)
  const chapters = exportChapters(description, timeline)
  await refuseExisting(spec.output, spec.overwrite)
  const unlock = await lockDestination(spec.output, extension)
  try {
    await removeDeadPartials(spec.output, extension)
    await writeVerifiedExport(options, timeline, description, chapters, extension)
  } finally {
    await unlock()
  }

  const metadataFile = metadataFilePath(spec.output, extension)
  await writeJsonAtomic(metadataFile, description).catch((error: unknown) => {
    throw new ExportError(`${spec.output} was exported, but its description ${metadataFile} could not be written: ${(error as Error).message}`, { cause: error })
  })
  return {
    output: spec.output,
    frames: timeline.frames,
    fps: timeline.fps,
    format: spec.format,
    durationSeconds: timeline.durationSeconds,
    chapters,
    metadataFile,
    seconds: (performance.now() - started) / 1000
  }
}

async function writeVerifiedExport(
  options: ExportOptions,
  timeline: Timeline,
  description: ReturnType<typeof describeExport>,
  chapters: ExportChapter[],
  extension: string
): Promise<void> {
  const { project, spec, signal, onProgress } = options
  const partial = await createPartialFile(spec.output, extension)
  try {
    await runFfmpeg({
      ffmpeg: options.ffmpeg,
      args: buildExportArgs({ timeline, frameSize: project.settings.size, format: spec.format, partialOutput: partial, upscaled: new Set(draftShots(project).map((shot) => shot.id)) }),
      stdin: Buffer.from(ffmetadataDocument({ tags: containerTags(description), chapters, fps: timeline.fps })),
      signal,
      onProgress: onProgress
        ? (progress) =>
            onProgress({
              fraction: progress.done ? 1 : Math.min(1, progress.frame / timeline.frames),
              frame: progress.frame,
              totalFrames: timeline.frames,
              speed: progress.speed
            })
        : undefined
    }).catch((error: unknown) => {
      throw ffmpegFailure(error, spec.output)
    })
    await verifyExport(options, partial, timeline)
    // Checked again: the file may have appeared while ffmpeg ran.
    await refuseExisting(spec.output, spec.overwrite)
    await rename(partial, spec.output)
  } catch (error) {
    await rm(partial, { force: true })
    throw error
  }
}
