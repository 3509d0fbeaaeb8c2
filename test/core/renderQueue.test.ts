// The render queue with a scripted executor: order, slots, dependencies, pause/resume/cancel/
// reorder/retry, and persistence across a restart with jobs in every state.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { QueueError, RenderQueue, type JobContext, type JobExecutor } from '../../src/main/queue/renderQueue'
import { newProject } from '../../src/shared/project'
import type { ErrorInfo, JobPayload, JobResult, QueueJob } from '../../src/shared/queue'

/** A job per test step: it runs until the test says how it ends. */
class ScriptedExecutor implements JobExecutor {
  readonly started: string[] = []
  private readonly endings = new Map<string, { resolve: (result: JobResult) => void; reject: (error: Error) => void; context: JobContext }>()

  slotFor(payload: JobPayload): string {
    return payload.kind === 'render-shot' ? 'gpu:0' : 'cpu'
  }

  run(job: QueueJob, context: JobContext): Promise<JobResult> {
    this.started.push(job.title)
    return new Promise((resolve, reject) => {
      this.endings.set(job.title, { resolve, reject, context })
      context.signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true })
    })
  }

  describeError(error: unknown): ErrorInfo {
    return { code: 'failed', message: (error as Error).message, details: [] }
  }

  running(): string[] {
    return [...this.endings.keys()]
  }

  finish(title: string): void {
    const ending = this.endings.get(title)!
    this.endings.delete(title)
    ending.resolve(title.startsWith('export') ? exportResult : renderResult)
  }

  fail(title: string, message: string): void {
    const ending = this.endings.get(title)!
    this.endings.delete(title)
    ending.reject(new Error(message))
  }

  context(title: string): JobContext {
    return this.endings.get(title)!.context
  }
}

const renderResult: JobResult = {
  kind: 'render-shot',
  render: { renderKey: 'k', engine: 'synthetic', seed: 1, frames: 16, width: 1280, height: 720, fps: 16, model: 'synthetic', plan: 'synthetic', segments: [{ index: 0, path: '/x', frames: 17, skipHeadFrames: 0, takeFrames: 16 }], renderedAt: 'now' },
  renderedSegments: 1,
  reusedSegments: 0,
  stepDowns: [],
  seconds: 1,
  telemetry: null
}
const exportResult: JobResult = { kind: 'export', output: '/x.mp4', metadataFile: '/x.wan-studio.json', format: 'h264', fps: 16, frames: 16, width: 1280, height: 720, durationSeconds: 1, seconds: 1 }

function renderPayload(key: string): JobPayload {
  return {
    kind: 'render-shot',
    shotId: key,
    renderKey: key,
    rendersDir: '/renders',
    render: { prompt: key, negativePrompt: null, frames: 16, seed: 1, engine: 'synthetic', steps: 8, width: 1280, height: 720, maxSegmentFrames: 81, overlap: 5, gpuName: null, engineOptions: {}, continueFrom: null }
  }
}
const exportPayload: JobPayload = { kind: 'export', project: newProject('p'), shotJobs: {}, spec: { format: 'h264', fps: 16, output: '/x.mp4', overwrite: false, drafts: 'refuse' as const } }

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5))

async function openQueue(path = join(mkdtempSync(join(tmpdir(), 'wan-queue-')), 'queue.json')) {
  const executor = new ScriptedExecutor()
  const { queue, warning } = await RenderQueue.open(path, executor)
  queue.start()
  return { queue, executor, path, warning }
}

function states(queue: RenderQueue): Record<string, string> {
  return Object.fromEntries(queue.snapshot().jobs.map((job) => [job.title, job.state]))
}

describe('RenderQueue', () => {
  it('runs one render per GPU in queue order, with an export alongside on the CPU once its shots are done', async () => {
    const { queue, executor } = await openQueue()
    const a = queue.add({ title: 'a', payload: renderPayload('a') })
    const b = queue.add({ title: 'b', payload: renderPayload('b') })
    queue.add({ title: 'export', payload: exportPayload, dependsOn: [a.id, b.id] })
    await tick()
    expect(executor.running()).toEqual(['a'])
    expect(queue.snapshot().jobs.find((job) => job.title === 'export')!.note).toMatch(/waiting for "a"/)
    executor.finish('a')
    await tick()
    expect(executor.running()).toEqual(['b'])
    executor.finish('b')
    await tick()
    expect(executor.running()).toEqual(['export'])
    executor.finish('export')
    await tick()
    expect(states(queue)).toEqual({ a: 'done', b: 'done', export: 'done' })
    expect(executor.started).toEqual(['a', 'b', 'export'])
  })

  it('starts each runnable job exactly once when one dispatch pass finds several (a start dispatches again, nested)', async () => {
    const { queue, executor } = await openQueue()
    queue.setPaused(true)
    queue.add({ title: 'a', payload: renderPayload('a') })
    queue.add({ title: 'export', payload: exportPayload })
    queue.setPaused(false)
    await tick()
    expect([...executor.started].sort()).toEqual(['a', 'export'])
  })

  it('pauses, resumes, cancels, reorders and retries, each event carrying its job id', async () => {
    const { queue, executor } = await openQueue()
    const seen: string[] = []
    queue.on('job', (job) => seen.push(job.id))
    const a = queue.add({ title: 'a', payload: renderPayload('a') })
    const b = queue.add({ title: 'b', payload: renderPayload('b') })
    const c = queue.add({ title: 'c', payload: renderPayload('c') })
    await tick()
    queue.move(c.id, 0)
    expect(queue.snapshot().jobs.map((job) => job.title)).toEqual(['c', 'a', 'b'])
    queue.pause(a.id)
    await tick()
    expect(states(queue).a).toBe('paused')
    queue.cancel(b.id)
    expect(states(queue).b).toBe('cancelled')
    executor.fail('a', 'never started')
    await tick()
    // a was paused while running: it stops and stays paused, not failed.
    expect(states(queue)).toMatchObject({ a: 'paused' })
    expect(executor.running()).toEqual(['c'])
    executor.fail('c', 'out of luck')
    await tick()
    expect(queue.job(c.id)).toMatchObject({ state: 'failed', error: { code: 'failed', message: 'out of luck' } })
    expect(queue.retryFailed()).toBe(1)
    await tick()
    expect(executor.running()).toEqual(['c'])
    expect(queue.job(c.id)!.attempts).toBe(2)
    queue.resume(a.id)
    executor.finish('c')
    await tick()
    expect(executor.running()).toEqual(['a'])
    expect(() => queue.resume(b.id)).toThrow(QueueError)
    expect(() => queue.cancel('nope')).toThrow(/no job nope/)
    expect(new Set(seen)).toEqual(new Set([a.id, b.id, c.id]))
  })

  it('holds dispatch while paused; a failed dependency keeps its dependants waiting until a retry', async () => {
    const { queue, executor } = await openQueue()
    queue.setPaused(true)
    const a = queue.add({ title: 'a', payload: renderPayload('a') })
    queue.add({ title: 'export', payload: exportPayload, dependsOn: [a.id] })
    await tick()
    expect(executor.running()).toEqual([])
    queue.setPaused(false)
    await tick()
    executor.fail('a', 'boom')
    await tick()
    expect(states(queue)).toEqual({ a: 'failed', export: 'queued' })
    expect(queue.snapshot().jobs[1]!.note).toMatch(/waiting for "a" \(failed\)/)
    queue.retry(a.id)
    await tick()
    executor.finish('a')
    await tick()
    expect(executor.running()).toEqual(['export'])
  })

  it('comes back after a restart with jobs in every state; the running one is queued again to resume', async () => {
    const { queue, executor, path } = await openQueue()
    const done = queue.add({ title: 'done', payload: renderPayload('done') })
    await tick()
    executor.finish('done')
    await tick()
    const failed = queue.add({ title: 'failed', payload: renderPayload('failed') })
    await tick()
    executor.fail('failed', 'broken')
    await tick()
    const cancelled = queue.add({ title: 'cancelled', payload: renderPayload('cancelled') })
    queue.cancel(cancelled.id)
    const running = queue.add({ title: 'running', payload: renderPayload('running') })
    const paused = queue.add({ title: 'paused', payload: renderPayload('paused') })
    queue.pause(paused.id)
    const waiting = queue.add({ title: 'waiting', payload: renderPayload('waiting') })
    await tick()
    executor.context('running').onStepDown({ segment: 1, phase: 'denoise', kind: 'segment-length', from: '81-frame segments', to: '41-frame segments' })
    await queue.flush()
    // A crash: the process is gone without closing the queue.
    const restarted = new ScriptedExecutor()
    const { queue: again } = await RenderQueue.open(path, restarted)
    expect(states(again)).toEqual({ done: 'done', failed: 'failed', cancelled: 'cancelled', running: 'queued', paused: 'paused', waiting: 'queued' })
    expect(again.job(running.id)).toMatchObject({ note: /interrupted/, stepDowns: [{ kind: 'segment-length', to: '41-frame segments' }] })
    expect(again.job(failed.id)!.error).toMatchObject({ message: 'broken' })
    expect(again.job(done.id)!.result).toMatchObject({ kind: 'render-shot' })
    again.start()
    await tick()
    expect(restarted.running()).toEqual(['running'])
    expect(waiting.id).toBeTruthy()
  })

  it('a damaged queue file is set aside with a warning, never half-loaded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wan-queue-bad-'))
    const path = join(dir, 'queue.json')
    writeFileSync(path, '{"formatVersion": 1, "paused": false, "jobs": [{"id": 3}]}')
    const { queue, warning } = await openQueue(path)
    expect(warning).toMatch(/could not be read \(jobs\.0\.id: .*\); it was moved to .*queue\.json\.damaged-/)
    expect(queue.snapshot().jobs).toEqual([])
    expect(readdirSync(dir).some((name) => name.startsWith('queue.json.damaged-'))).toBe(true)
    await queue.flush()
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ formatVersion: 1, paused: false, jobs: [] })
  })

  it('close stops running jobs without failing them, so they resume next time', async () => {
    const { queue, executor, path } = await openQueue()
    queue.add({ title: 'long', payload: renderPayload('long') })
    await tick()
    expect(executor.running()).toEqual(['long'])
    await queue.close()
    const { queue: again } = await RenderQueue.open(path, new ScriptedExecutor())
    expect(states(again)).toEqual({ long: 'queued' })
  })
})
