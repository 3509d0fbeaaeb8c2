// Finished clips as the Renders list and the monitor show them: a done export job of the queue,
// with what its shot jobs rendered (engine, seed, segments).
import type { EngineId } from '../../shared/render'
import type { QueueJob } from '../../shared/queue'

export type Clip = {
  /** The export job's id. */
  id: string
  output: string
  mediaUrl: string
  /** The shots' prompts, in order (one for the quick path). */
  prompt: string
  /** The first shot's seed. */
  seed: number | null
  /** Synthetic when any shot is synthetic (its clips are always labelled); null when unknown. */
  engine: EngineId | null
  frames: number
  fps: number
  width: number
  height: number
  /** Segments the shots consist of, and how many of them came from checkpoints of earlier runs. */
  segments: number
  reusedSegments: number
  renderSeconds: number
  exportSeconds: number
  /** When the export finished (ISO). */
  finishedAt: string
}

/** The clip a done export job made, or null when it isn't one the front end can play. */
export function clipOf(exportJob: QueueJob, jobs: Readonly<Record<string, QueueJob>>): Clip | null {
  const { payload, result } = exportJob
  if (exportJob.state !== 'done' || payload.kind !== 'export' || result?.kind !== 'export' || !result.mediaUrl) return null
  const shots = payload.project.shots.map((shot) => {
    const jobId = payload.shotJobs[shot.id]
    const job = jobId ? jobs[jobId] : undefined
    const renderPayload = job?.payload.kind === 'render-shot' ? job.payload : null
    const rendered = job?.result?.kind === 'render-shot' ? job.result : null
    return {
      shot,
      engine: renderPayload?.render.engine ?? rendered?.render.engine ?? (shot.engine === 'auto' ? null : shot.engine),
      seed: rendered?.render.seed ?? renderPayload?.render.seed ?? shot.seed,
      rendered
    }
  })
  const engines = new Set(shots.map((shot) => shot.engine))
  return {
    id: exportJob.id,
    output: result.output,
    mediaUrl: result.mediaUrl,
    prompt: shots.map(({ shot }) => shot.prompt.trim()).join(' / ') || payload.project.name,
    seed: shots[0]?.seed ?? null,
    engine: engines.has('synthetic') ? 'synthetic' : engines.has('diffusers') ? 'diffusers' : null,
    frames: result.frames,
    fps: result.fps,
    width: result.width,
    height: result.height,
    segments: shots.reduce((sum, { rendered }) => sum + (rendered ? rendered.renderedSegments + rendered.reusedSegments : 0), 0),
    reusedSegments: shots.reduce((sum, { rendered }) => sum + (rendered?.reusedSegments ?? 0), 0),
    renderSeconds: shots.reduce((sum, { rendered }) => sum + (rendered?.seconds ?? 0), 0),
    exportSeconds: result.seconds,
    finishedAt: exportJob.updatedAt
  }
}

/** Every playable clip in the queue, newest first. */
export function clipsOf(jobs: Readonly<Record<string, QueueJob>>): Clip[] {
  return Object.values(jobs)
    .flatMap((job) => {
      const clip = job.payload.kind === 'export' ? clipOf(job, jobs) : null
      return clip ? [clip] : []
    })
    .sort((a, b) => b.finishedAt.localeCompare(a.finishedAt))
}
