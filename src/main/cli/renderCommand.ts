// `wan-studio render`: shots from flags (or a saved project) through the render queue into one
// export. Segments, the queue and the project live in a work folder, so the same command with the
// same work folder resumes and renders no finished segment again.
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Project } from '../../shared/project'
import { detectPromptLanguage, languageLabel } from '../../shared/promptLanguage'
import type { QueueJob, RenderShotResult } from '../../shared/queue'
import type { RenderQueue } from '../queue/renderQueue'
import { draftRefusal } from '../media/exportDrafts'
import { createFolderSync, FileWriteError } from '../project/atomicFile'
import { defaultDataDir } from '../project/dataDir'
import { loadProject, ProjectFileError, saveProject } from '../project/projectFile'
import { RenderRequestError } from '../render/resolveShot'
import { cliOutput, type CliOutput } from './cliOutput'
import { createWorkStudio, handleInterrupts } from './cliSession'
import { exportSpecFromFlags, folderWriteProblem, metricsAddress, projectFromFlags, segmentOptions, translateFromFlag, UsageError, type RenderFlags } from './renderArgs'

const EXIT_OK = 0
const EXIT_FAILED = 1

export async function renderCommand(flags: RenderFlags): Promise<number> {
  const spec = exportSpecFromFlags(flags)
  const workDir = resolve(flags.workDir ?? join(defaultDataDir(), 'cli-work', createHash('sha256').update(spec.output).digest('hex').slice(0, 16)))
  try {
    createFolderSync(workDir)
  } catch (error) {
    // Found before any GPU time is spent, like an unwritable --out folder.
    throw error instanceof FileWriteError ? new UsageError(error.message) : error
  }
  const unwritable = folderWriteProblem(workDir)
  if (unwritable) throw new UsageError(`--work-dir: can't write in ${workDir}: ${unwritable}`)
  if (flags.project && flags.modelPrompt?.length) throw new UsageError("--model-prompt goes with --prompt shots; a project keeps each shot's model prompt (edit it in the app's inspector)")
  const projectFile = flags.project ? resolve(flags.project) : join(workDir, 'project.wanproj')
  const translate = translateFromFlag(flags)
  const loaded = flags.project ? await loadProjectFlag(projectFile) : null
  const project = loaded
    ? translate
      ? { ...loaded, settings: { ...loaded.settings, translate } }
      : loaded
    : withSeedsOf(projectFromFlags(flags), projectFile)
  // Refused before any GPU time is spent; the export checks again.
  const drafts = draftRefusal(project, spec)
  if (drafts) throw new UsageError(drafts)
  const segments = segmentOptions(flags)
  const metrics = metricsAddress(flags)

  const studio = createWorkStudio(workDir)
  const output = cliOutput(flags.json === true)
  studio.on('log', (line) => {
    if (line.level === 'warning' || line.level === 'error') output.say(line.level, line.message)
  })
  const stop = handleInterrupts(studio, 'run the same command to resume')
  try {
    if (metrics) output.say('info', `Prometheus metrics at ${await studio.serveMetrics(metrics.host, metrics.port)}`)
    // This work folder's unfinished jobs from an earlier run are superseded by this one; their
    // finished segments are found again by render key.
    const queue = await studio.queue()
    output.follow(studio, (jobId) => queue.job(jobId)?.title ?? jobId)
    for (const job of queue.snapshot().jobs) if (job.state === 'queued' || job.state === 'paused') queue.cancel(job.id)
    const queued = await studio.queueProject(project, { exportSpec: spec, rendersDir: join(workDir, 'renders'), extend: flags.extend === true, ...segments }).catch((error: unknown) => {
      throw error instanceof RenderRequestError ? new UsageError(error.message) : error
    })
    queue.clearFinished()
    await saveProject(projectFile, queued.project)
    for (const shot of queued.project.shots) {
      output.say('info', `shot ${shot.id}: seed ${shot.seed}, prompt language: ${languageLabel(detectPromptLanguage(shot.prompt))}`)
      const payload = queue.job(queued.shotJobs[shot.id] ?? '')?.payload
      if (payload?.kind === 'render-shot' && payload.render.typedPrompt !== undefined) output.say('info', `shot ${shot.id}: the model receives: ${payload.render.prompt}`)
    }
    await studio.startQueue()
    const exported = await untilExportedOrStuck(queue, queued.exportJobId!, Object.values(queued.shotJobs))
    const shotJobs = Object.values(queued.shotJobs).map((id) => queue.job(id)!)
    if (exported.state !== 'done' || exported.result?.kind !== 'export') return reportFailure(output, exported, shotJobs, stop.interrupted, workDir)
    await saveProject(projectFile, withRenders(queued.project, queued.shotJobs, shotJobs))
    const summary = renderSummary(exported, queued.project, queued.shotJobs, shotJobs, projectFile, workDir)
    if (flags.json) process.stdout.write(JSON.stringify(summary, null, 2) + '\n')
    else output.say('info', `wrote ${summary.output}: ${summary.frames} frames at ${summary.fps} fps, ${summary.segmentsRendered} segments rendered, ${summary.segmentsReused} reused`)
    return EXIT_OK
  } finally {
    // Still listening while the sidecar shuts down: a second Ctrl+C then must stop it at once.
    await studio.close()
    stop.dispose()
  }
}

/**
 * The export job once it is finished, or as soon as one of its shots failed or was cancelled (the
 * app's queue keeps such an export waiting for a retry; a command has nothing to wait for).
 */
function untilExportedOrStuck(queue: RenderQueue, exportJobId: string, shotJobIds: string[]): Promise<QueueJob> {
  return new Promise((resolve) => {
    const check = (): void => {
      const exported = queue.job(exportJobId)!
      const stuck = shotJobIds.some((id) => ['failed', 'cancelled'].includes(queue.job(id)?.state ?? ''))
      if (exported.state === 'done' || exported.state === 'failed' || exported.state === 'cancelled' || stuck) {
        queue.off('job', check)
        resolve(exported)
      }
    }
    queue.on('job', check)
    check()
  })
}

async function loadProjectFlag(path: string): Promise<Project> {
  try {
    return await loadProject(path)
  } catch (error) {
    if (error instanceof ProjectFileError) throw new UsageError(`--project: ${error.message}`)
    throw error
  }
}

/**
 * Seeds drawn by an earlier run of the same command (kept in the work folder's project), so the
 * re-run renders the same frames and reuses their segments. Only shots left without --seed, and
 * only when everything else about the shot is unchanged.
 */
function withSeedsOf(project: Project, previousFile: string): Project {
  if (!existsSync(previousFile)) return project
  let previous: Partial<Project>
  try {
    previous = JSON.parse(readFileSync(previousFile, 'utf8')) as Partial<Project>
  } catch {
    return project
  }
  return {
    ...project,
    shots: project.shots.map((shot, index) => {
      const before = previous.shots?.[index]
      const same = before && before.prompt === shot.prompt && before.seconds === shot.seconds && before.negativePrompt === shot.negativePrompt && before.steps === shot.steps && before.engine === shot.engine
      return shot.seed === null && same && typeof before.seed === 'number' ? { ...shot, seed: before.seed } : shot
    })
  }
}

function withRenders(project: Project, shotJobs: Record<string, string>, jobs: QueueJob[]): Project {
  return {
    ...project,
    shots: project.shots.map((shot) => {
      const result = jobs.find((job) => job.id === shotJobs[shot.id])?.result
      return result?.kind === 'render-shot' ? { ...shot, render: result.render } : shot
    })
  }
}

function renderSummary(exported: QueueJob, project: Project, shotJobs: Record<string, string>, jobs: QueueJob[], projectFile: string, workDir: string) {
  const result = exported.result as Extract<QueueJob['result'], { kind: 'export' }>
  const shots = project.shots.map((shot) => {
    const job = jobs.find((candidate) => candidate.id === shotJobs[shot.id])!
    const render = job.result as RenderShotResult
    return {
      id: shot.id,
      prompt: shot.prompt,
      /** The typed prompt's detected language: an ISO 639-1 code, 'mixed' or 'unknown'. */
      promptLanguage: detectPromptLanguage(shot.prompt).label,
      /** What the model received (a translation or extension), else the prompt trimmed. */
      modelPrompt: render.render.modelPrompt ?? shot.prompt.trim(),
      seed: shot.seed,
      engine: render.render.engine,
      renderKey: render.render.renderKey,
      frames: render.render.frames,
      segments: render.render.segments.length,
      segmentsRendered: render.renderedSegments,
      segmentsReused: render.reusedSegments,
      stepDowns: job.stepDowns
    }
  })
  return {
    output: result.output,
    metadataFile: result.metadataFile,
    format: result.format,
    fps: result.fps,
    frames: result.frames,
    width: result.width,
    height: result.height,
    durationSeconds: result.durationSeconds,
    segmentsRendered: shots.reduce((sum, shot) => sum + shot.segmentsRendered, 0),
    segmentsReused: shots.reduce((sum, shot) => sum + shot.segmentsReused, 0),
    stepDowns: shots.flatMap((shot) => shot.stepDowns.map((stepDown) => ({ shot: shot.id, ...stepDown }))),
    shots,
    projectFile,
    workDir,
    exportSeconds: result.seconds
  }
}

function reportFailure(output: CliOutput, exported: QueueJob, jobs: QueueJob[], interrupted: boolean, workDir: string): number {
  const failed = [...jobs, exported].find((job) => job.state === 'failed')
  if (interrupted || !failed) {
    output.say('error', `render cancelled; finished segments are kept in ${workDir}: run the same command to resume`)
    return EXIT_FAILED
  }
  const details = failed.error?.details.length ? `\n${failed.error.details.slice(-10).join('\n')}` : ''
  output.say('error', `render failed: ${failed.title}: ${failed.error?.message ?? 'unknown error'}${details}`)
  output.say('info', `finished segments are kept in ${workDir}: run the same command to resume`)
  return EXIT_FAILED
}
