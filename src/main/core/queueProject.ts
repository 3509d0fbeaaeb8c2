// A project into queue jobs: one render job per shot, reusing an unfinished job for the same render,
// and an export that waits for them. Resolving is pure (resolveShot); only the queue is touched.
import { exportSpecSchema, type ExportSpecInput, type Project } from '../../shared/project'
import type { QueueJob } from '../../shared/queue'
import type { RenderQueue } from '../queue/renderQueue'
import { drawMissingSeeds, RenderRequestError, resolveShot, type RealEngineReadiness } from '../render/resolveShot'

export interface QueueProjectOptions {
  realEngine: RealEngineReadiness
  rendersDir: string
  drawSeed: () => number
  syntheticOptions: Record<string, unknown>
  /** Export the project once its shots are rendered; null renders only. */
  exportSpec: ExportSpecInput | null
  segmentFrames?: number
  overlap?: number
  /** Shot id -> what its model receives, when not the prompt as typed (core/shotPrompts.ts prepares them). */
  modelPrompts?: Record<string, string>
}

export interface QueuedProject {
  /** The project with every seed drawn: save it so a re-render is identical. */
  project: Project
  /** Shot id -> its render job. */
  shotJobs: Record<string, string>
  exportJobId: string | null
  /** Choices worth telling the user (the engine `auto` fell back to, say). */
  notes: string[]
}

export function queueProject(queue: RenderQueue, input: Project, options: QueueProjectOptions): QueuedProject {
  if (input.shots.length === 0) throw new RenderRequestError('the project has no shots to render')
  const spec = options.exportSpec ? exportSpecSchema.parse(options.exportSpec) : null
  const project: Project = { ...input, shots: drawMissingSeeds(input.shots, options.drawSeed) }
  // Resolve every shot before queueing any, so a bad shot queues nothing.
  let previous: { renderKey: string; index: number } | null = null
  const resolved = project.shots.map((shot, index) => {
    try {
      const result = resolveShot(shot, {
        size: project.settings.size,
        realEngine: options.realEngine,
        previous: previous ? { renderKey: previous.renderKey, jobId: null } : null,
        segmentFrames: options.segmentFrames,
        overlap: options.overlap,
        syntheticOptions: options.syntheticOptions,
        modelPrompt: options.modelPrompts?.[shot.id]
      })
      previous = { renderKey: result.renderKey, index }
      return result
    } catch (error) {
      if (error instanceof RenderRequestError) throw new RenderRequestError(`shot ${index + 1}: ${error.message}`)
      throw error
    }
  })

  const shotJobs: Record<string, string> = {}
  const notes = new Set<string>()
  let previousJob: QueueJob | null = null
  project.shots.forEach((shot, index) => {
    const { render, renderKey, notes: shotNotes } = resolved[index]!
    for (const note of shotNotes) notes.add(note)
    const continueFrom = render.continueFrom && previousJob ? { ...render.continueFrom, jobId: previousJob.id } : render.continueFrom
    const job =
      queue.findActive((candidate) => candidate.payload.kind === 'render-shot' && candidate.payload.renderKey === renderKey && candidate.payload.rendersDir === options.rendersDir) ??
      queue.add({
        title: `Shot ${index + 1}: ${shot.prompt.trim().slice(0, 60)}`,
        payload: { kind: 'render-shot', shotId: shot.id, render: { ...render, continueFrom }, renderKey, rendersDir: options.rendersDir },
        dependsOn: continueFrom && previousJob ? [previousJob.id] : []
      })
    shotJobs[shot.id] = job.id
    previousJob = job
  })

  let exportJobId: string | null = null
  if (spec) {
    const exportJob = queue.add({
      title: `Export "${project.name}" (${spec.format.toUpperCase()}, ${spec.fps} fps)`,
      payload: { kind: 'export', project, shotJobs, spec },
      dependsOn: [...new Set(Object.values(shotJobs))]
    })
    exportJobId = exportJob.id
  }
  return { project, shotJobs, exportJobId, notes: [...notes] }
}
