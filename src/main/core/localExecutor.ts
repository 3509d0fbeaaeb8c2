// Runs queue jobs on this machine: shot renders on the local GPU through the sidecar, exports with
// ffmpeg on the CPU. A cluster executor would implement the same JobExecutor.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { frameDimensions, type Project } from '../../shared/project'
import type { ErrorInfo, ExportPayload, JobPayload, JobResult, QueueJob, RenderShotPayload, ResolvedShot, StepDown } from '../../shared/queue'
import { exportProject } from '../media/export'
import type { JobContext, JobExecutor } from '../queue/renderQueue'
import { OutOfMemoryError } from '../render/errors'
import { RenderRequestError } from '../render/resolveShot'
import { stepDownPlacement } from '../render/placementStepDown'
import { runShotJob, type GenerateSegment } from '../render/shotJob'
import { segmentFileName } from '../render/manifest'
import { SidecarError, SidecarExitedError } from '../sidecar/client'
import type { JobTelemetry } from './jobTelemetry'

export interface LocalExecutorOptions {
  ffmpeg: () => string
  appVersion: string
  /** How to run a render's segments; the sidecar is prepared on the first segment, not before. */
  generatorFor: (render: ResolvedShot) => GenerateSegment
  /** Samples the GPU while a render runs; its summary goes into the result. */
  telemetryFor: () => JobTelemetry
  /** Told of what renders produce, for the metrics. */
  onSegmentRendered: (segment: { engine: string; seconds: number; secondsPerStep: number | null }) => void
  onStepDown: (stepDown: StepDown) => void
  log: (level: 'info' | 'warning' | 'error', message: string) => void
}

export class LocalExecutor implements JobExecutor {
  constructor(private readonly options: LocalExecutorOptions) {}

  /** One local GPU renders one segment at a time; exports only need ffmpeg and the CPU. */
  slotFor(payload: JobPayload): string {
    return payload.kind === 'render-shot' ? 'gpu:0' : 'cpu'
  }

  run(job: QueueJob, context: JobContext): Promise<JobResult> {
    return job.payload.kind === 'render-shot' ? this.renderShot(job.payload, context) : this.export(job.payload, context)
  }

  private async renderShot(payload: RenderShotPayload, context: JobContext): Promise<JobResult> {
    const { render, renderKey, rendersDir } = payload
    const previousShotTail = render.continueFrom ? await lastSegmentOf(rendersDir, render.continueFrom.renderKey) : null
    const telemetry = this.options.telemetryFor()
    telemetry.start()
    let result: Awaited<ReturnType<typeof runShotJob>>
    try {
      result = await runShotJob({
        render,
        renderKey,
        rendersDir,
        ffmpeg: this.options.ffmpeg(),
        generate: this.options.generatorFor(render),
        previousShotTail,
        placementStepDown: stepDownPlacement,
        onStepDown: (stepDown) => {
          context.onStepDown(stepDown)
          this.options.onStepDown(stepDown)
        },
        onSegmentRendered: (segment) => this.options.onSegmentRendered({ engine: render.engine, ...segment }),
        signal: context.signal,
        onProgress: context.onProgress,
        onPreview: (preview) => context.onPreview({ ...preview, shotId: payload.shotId }),
        onLog: (message) => this.options.log('warning', message)
      })
    } catch (error) {
      // A failed or cancelled render leaves no sampler running.
      await telemetry.stop()
      throw error
    }
    return { ...result, telemetry: await telemetry.stop() }
  }

  private async export(payload: ExportPayload, context: JobContext): Promise<JobResult> {
    const project = withRenders(payload, context)
    const started = performance.now()
    const result = await exportProject({
      ffmpeg: this.options.ffmpeg(),
      project,
      spec: payload.spec,
      appVersion: this.options.appVersion,
      signal: context.signal,
      onProgress: ({ fraction, frame, totalFrames }) =>
        context.onProgress({
          phase: 'exporting',
          segment: 0,
          segments: 0,
          step: 0,
          steps: 0,
          expert: null,
          fraction,
          elapsedSeconds: (performance.now() - started) / 1000,
          etaSeconds: null,
          reusedSegments: 0,
          message: `Exporting ${payload.spec.format.toUpperCase()} at ${payload.spec.fps} fps: frame ${frame} of ${totalFrames}`
        })
    })
    return {
      kind: 'export',
      output: result.output,
      metadataFile: result.metadataFile,
      format: payload.spec.format,
      fps: payload.spec.fps,
      frames: result.frames,
      ...frameDimensions(project.settings.size),
      durationSeconds: result.durationSeconds,
      seconds: (performance.now() - started) / 1000
    }
  }

  describeError(error: unknown): ErrorInfo {
    return describeJobError(error)
  }
}

/** The project with each shot's render taken from the job that rendered it. */
function withRenders(payload: ExportPayload, context: JobContext): Project {
  return {
    ...payload.project,
    shots: payload.project.shots.map((shot, index) => {
      const jobId = payload.shotJobs[shot.id]
      if (!jobId) return shot
      const result = context.job(jobId)?.result
      if (!result || result.kind !== 'render-shot') throw new Error(`shot ${index + 1} (${shot.id}) has no finished render to export`)
      return { ...shot, render: result.render }
    })
  }
}

/** The last segment of a finished render: where a `continue` join starts from. */
async function lastSegmentOf(rendersDir: string, renderKey: string): Promise<string> {
  const manifestPath = join(rendersDir, renderKey, 'job.json')
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8').catch(() => '{}')) as { segments?: { index: number }[]; done?: Record<string, unknown> }
  const last = manifest.segments?.at(-1)
  if (!last || !manifest.done?.[String(last.index)]) throw new Error(`the shot this one continues from (render ${renderKey}) is not finished`)
  return join(rendersDir, renderKey, segmentFileName(last.index))
}

/** Errors as data, with the sidecar's or ffmpeg's last lines as details. */
export function describeJobError(error: unknown): ErrorInfo {
  const message = error instanceof Error ? error.message : String(error)
  const tail = (error as { stderrTail?: unknown } | null)?.stderrTail
  const details = Array.isArray(tail) ? (tail as unknown[]).map(String).slice(-20) : []
  if (error instanceof OutOfMemoryError) return { code: 'out-of-memory', message, details }
  if (error instanceof RenderRequestError) return { code: 'invalid-request', message, details }
  if (error instanceof SidecarExitedError) return { code: 'sidecar-exited', message, details }
  if (error instanceof SidecarError) return { code: `sidecar-${error.code}`, message, details }
  return { code: 'failed', message, details }
}
