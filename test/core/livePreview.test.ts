// Live previews on their way from a shot render to the front ends: the request the shot job makes,
// the segment it stamps on each preview, and the queue's `preview` event, which is never persisted.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { RenderQueue, type JobContext, type JobExecutor } from '../../src/main/queue/renderQueue'
import { renderKeyFor } from '../../src/main/render/renderKey'
import { previewRequest, runShotJob, type GenerateSegment, type SegmentPreview, type SegmentRequest } from '../../src/main/render/shotJob'
import type { ErrorInfo, JobPayload, JobPreview, JobResult, QueueJob, ResolvedShot } from '../../src/shared/queue'
import { ffmpegFor, testEnv } from '../helpers/studio'

const ffmpeg = ffmpegFor(testEnv())
const JPEG = 'data-that-is-base64'

const render: ResolvedShot = {
  prompt: 'a test card',
  negativePrompt: null,
  frames: 96,
  seed: 1,
  engine: 'synthetic',
  steps: 40,
  width: 320,
  height: 176,
  maxSegmentFrames: 81,
  overlap: 5,
  gpuName: null,
  engineOptions: {},
  continueFrom: null
}

/** Writes the segment with ffmpeg's test card and sends a preview at each step the request asks for. */
const previewingEngine =
  (calls: SegmentRequest[]): GenerateSegment =>
  (request, _signal, onStep, onPreview) => {
    calls.push(request)
    const every = request.preview?.everySteps ?? 0
    for (let step = 1; step <= request.steps; step++) {
      onStep({ step, steps: request.steps, expert: null })
      if (every > 0 && (step % every === 0 || step === request.steps)) onPreview({ step, steps: request.steps, width: 256, height: 144, mime: 'image/jpeg', data: `${JPEG}${request.segment}` })
    }
    execFileSync(ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=${request.width}x${request.height}:rate=16`, '-frames:v', String(request.frames), '-pix_fmt', 'yuv420p', '-f', 'mp4', request.output])
    return Promise.resolve({ secondsPerStep: 0.1 })
  }

describe('shot render previews', () => {
  it('asks for about ten previews per quality segment and one every step in fast mode, at most 256 pixels', () => {
    expect(previewRequest(40)).toEqual({ everySteps: 4, maxSide: 256 })
    expect(previewRequest(4)).toEqual({ everySteps: 1, maxSide: 256 })
    expect(previewRequest(1)).toEqual({ everySteps: 1, maxSide: 256 })
    expect(previewRequest(25)).toEqual({ everySteps: 3, maxSide: 256 })
  })

  it('passes each preview on with its 1-based segment, as progress counts segments', async () => {
    const calls: SegmentRequest[] = []
    const previews: (SegmentPreview & { segment: number })[] = []
    await runShotJob({
      render,
      renderKey: renderKeyFor(render),
      rendersDir: mkdtempSync(join(tmpdir(), 'wan-preview-')),
      ffmpeg,
      generate: previewingEngine(calls),
      previousShotTail: null,
      signal: new AbortController().signal,
      onProgress: () => undefined,
      onPreview: (preview) => previews.push(preview),
      onLog: () => undefined
    })
    expect(calls.map((call) => call.preview)).toEqual([
      { everySteps: 4, maxSide: 256 },
      { everySteps: 4, maxSide: 256 }
    ])
    expect(previews.map(({ segment, step }) => [segment, step])).toEqual([
      ...[4, 8, 12, 16, 20, 24, 28, 32, 36, 40].map((step) => [1, step]),
      ...[4, 8, 12, 16, 20, 24, 28, 32, 36, 40].map((step) => [2, step])
    ])
    expect(previews[0]).toMatchObject({ steps: 40, width: 256, height: 144, mime: 'image/jpeg', data: `${JPEG}0` })
    expect(previews.at(-1)!.data).toBe(`${JPEG}1`)
  })
})

/** Runs every job to completion at once, sending two previews on the way. */
class PreviewingExecutor implements JobExecutor {
  slotFor(): string {
    return 'gpu:0'
  }

  run(_job: QueueJob, context: JobContext): Promise<JobResult> {
    for (const step of [1, 2]) context.onPreview({ shotId: 'shot-a', segment: 1, step, steps: 2, width: 64, height: 36, mime: 'image/jpeg', data: JPEG })
    return Promise.resolve({ kind: 'export', output: '/x.mp4', metadataFile: '/x.json', format: 'h264', fps: 16, frames: 16, width: 1280, height: 720, durationSeconds: 1, seconds: 1 })
  }

  describeError(error: unknown): ErrorInfo {
    return { code: 'failed', message: String(error), details: [] }
  }
}

describe('queue preview event', () => {
  it('carries the job id with each preview and leaves no picture in the queue file', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'wan-queue-')), 'queue.json')
    const { queue } = await RenderQueue.open(path, new PreviewingExecutor())
    const previews: JobPreview[] = []
    queue.on('preview', (preview) => previews.push(preview))
    const payload: JobPayload = { kind: 'render-shot', shotId: 'shot-a', renderKey: 'k', rendersDir: '/renders', render }
    const done = new Promise<void>((resolve) => queue.on('job', (job) => job.state === 'done' && resolve()))
    const job = queue.add({ title: 'a', payload })
    queue.start()
    await done
    await queue.close()
    expect(previews).toEqual([1, 2].map((step) => ({ jobId: job.id, shotId: 'shot-a', segment: 1, step, steps: 2, width: 64, height: 36, mime: 'image/jpeg', data: JPEG })))
    expect(readFileSync(path, 'utf8')).not.toContain(JPEG)
  })
})
