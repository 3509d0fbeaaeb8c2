// A batch started in the app outlives the app: a studio closed mid-batch, a new one on the same data
// folder re-attaches the batch (its rows' states, the summary rewritten, the exports added) and the
// rows left render, while the finished row's file is left alone.
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { BATCH_REGISTRY } from '../../src/main/batch/batchRegistry'
import { createIpcHandlers, dispatchInvoke } from '../../src/main/core/ipcHandlers'
import type { Studio } from '../../src/main/core/studio'
import type { BatchStatus } from '../../src/shared/batch'
import { createTestStudio, testEnv } from '../helpers/studio'

const LIST = 'name,prompt,seconds\nfirst,a red fox in snow,1\nsecond,an owl at night,1\nthird,rain on a neon street,1\n'

async function invoke<T>(studio: Studio, method: string, params: unknown): Promise<T> {
  const outcome = await dispatchInvoke(createIpcHandlers(studio), 'batch', method, params)
  if (!outcome.ok) throw new Error(outcome.error.message)
  return outcome.value as T
}

type Summary = { jobs: { line: number; name: string; status: string; output: string | null }[]; errors: unknown[] }

function summaryOf(outDir: string): Summary | null {
  const file = join(outDir, 'batch-summary.json')
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Summary) : null
}

function rememberedBatches(dataDir: string): unknown[] {
  return (JSON.parse(readFileSync(join(dataDir, BATCH_REGISTRY), 'utf8')) as { batches: unknown[] }).batches
}

describe('batch re-attached after a restart', () => {
  const studios: Studio[] = []
  afterEach(async () => {
    await Promise.all(studios.splice(0).map((studio) => studio.close()))
  })

  it('a new studio on the same data folder follows the batch: the rows left render, the summary ends all done, the first output untouched', async () => {
    const env = testEnv()
    const outDir = join(mkdtempSync(join(tmpdir(), 'wan-batch-reattach-')), 'out')
    const first = createTestStudio(env)
    studios.push(first)
    // Nothing runs until the second and third rows are held, so exactly one row finishes before the close.
    const queue = await first.queue()
    queue.setPaused(true)
    const started = await invoke<BatchStatus>(first, 'start', { name: 'list.csv', text: LIST, defaults: { engine: 'synthetic' }, outDir })
    expect(started.rows.map((row) => [row.line, row.name, row.status, row.jobState])).toEqual([
      [2, 'first', 'pending', 'queued'],
      [3, 'second', 'pending', 'queued'],
      [4, 'third', 'pending', 'queued']
    ])
    for (const row of started.rows.slice(1)) queue.pause(row.jobId!)
    queue.setPaused(false)
    // The summary is written just after the job events (atomically): read until it shows the row.
    await expect.poll(() => summaryOf(outDir)?.jobs.length, { timeout: 120_000 }).toBe(1)
    const firstOutput = join(outDir, 'first.mp4')
    const before = { hash: sha256(firstOutput), mtime: statSync(firstOutput).mtimeMs }
    await first.close()
    studios.splice(0)

    const second = createTestStudio(env)
    studios.push(second)
    const [attached] = await invoke<BatchStatus[]>(second, 'list', undefined)
    expect(attached).toMatchObject({ outDir, jobs: 3, done: 1, pending: 2, failed: 0 })
    expect(attached!.rows.map((row) => [row.name, row.status, row.jobState])).toEqual([
      ['first', 'done', 'done'],
      ['second', 'pending', 'paused'],
      ['third', 'pending', 'paused']
    ])
    await invoke(second, 'resume', { outDir })
    await expect.poll(() => summaryOf(outDir)?.jobs.filter((job) => job.status === 'done').length, { timeout: 120_000 }).toBe(3)

    expect(summaryOf(outDir)).toEqual({
      jobs: ['first', 'second', 'third'].map((name, index) => ({ line: index + 2, name, prompt: expect.any(String), status: 'done', output: join(outDir, `${name}.mp4`), error: null })),
      errors: [],
      pending: 0
    })
    expect({ hash: sha256(firstOutput), mtime: statSync(firstOutput).mtimeMs }).toEqual(before)
    // Every row was rendered and exported once, across both studios (the queue file carried the jobs over).
    const jobs = (await second.queue()).snapshot().jobs
    expect(jobs.filter((job) => job.payload.kind === 'render-shot').map((job) => [job.state, job.attempts])).toEqual([['done', 1], ['done', 1], ['done', 1]])
    expect(jobs.flatMap((job) => (job.payload.kind === 'export' ? [job.payload.spec.output] : [])).sort()).toEqual(['first', 'second', 'third'].map((name) => join(outDir, `${name}.mp4`)))
    expect((JSON.parse(readFileSync(join(outDir, 'second.wan-studio.json'), 'utf8')) as { timings: { segmentsRendered: number } }).timings.segmentsRendered).toBeGreaterThan(0)
    // A finished batch is no longer re-attached at the next start.
    await expect.poll(() => rememberedBatches(env.WAN_STUDIO_HOME!)).toEqual([])
  }, 180_000)

  it('cancelled rows come back failed after a restart, and Retry queues them again though their jobs left the queue', async () => {
    const env = testEnv()
    const outDir = join(mkdtempSync(join(tmpdir(), 'wan-batch-retry-')), 'out')
    const first = createTestStudio(env)
    studios.push(first)
    ;(await first.queue()).setPaused(true)
    await invoke(first, 'start', { name: 'list.txt', text: 'a red fox in snow\nan owl at night\n', defaults: { engine: 'synthetic', seconds: 1 }, outDir })
    const cancelled = await invoke<BatchStatus>(first, 'cancel', { outDir })
    expect(cancelled).toMatchObject({ failed: 2, pending: 0 })
    await first.close()
    studios.splice(0)

    const second = createTestStudio(env)
    studios.push(second)
    const [attached] = await invoke<BatchStatus[]>(second, 'list', undefined)
    expect(attached!.rows.map((row) => [row.status, row.jobState, row.error])).toEqual([
      ['failed', 'cancelled', expect.stringMatching(/: cancelled$/)],
      ['failed', 'cancelled', expect.stringMatching(/: cancelled$/)]
    ])
    const queue = await second.queue()
    expect(queue.clearFinished()).toBe(2)
    const retried = await invoke<BatchStatus>(second, 'retryFailed', { outDir })
    expect(retried).toMatchObject({ failed: 0, pending: 2 })
    await expect(invoke(second, 'dismiss', { outDir })).rejects.toThrow(`the batch in ${outDir} still has rows to run: cancel it first`)
    queue.setPaused(false)
    await expect.poll(() => summaryOf(outDir)?.jobs.map((job) => job.status), { timeout: 120_000 }).toEqual(['done', 'done'])
    await invoke(second, 'dismiss', { outDir })
    expect(await invoke(second, 'list', undefined)).toEqual([])
  }, 180_000)

  it('a remembered batch whose folder is gone is forgotten with a warning; a damaged registry is set aside', async () => {
    const env = testEnv()
    const gone = join(mkdtempSync(join(tmpdir(), 'wan-batch-gone-')), 'never-made')
    writeFileSync(join(env.WAN_STUDIO_HOME!, BATCH_REGISTRY), JSON.stringify({ version: 1, batches: [{ outDir: gone, startedAt: new Date().toISOString() }] }))
    const studio = createTestStudio(env)
    studios.push(studio)
    expect(await invoke(studio, 'list', undefined)).toEqual([])
    expect(studio.sidecarLog().map((line) => line.message)).toContain(`the batch in ${gone} is gone (no batch.json there); it is no longer followed`)
    expect(rememberedBatches(env.WAN_STUDIO_HOME!)).toEqual([])
    await studio.close()
    studios.splice(0)

    writeFileSync(join(env.WAN_STUDIO_HOME!, BATCH_REGISTRY), '{"version": 1, "batches": [')
    const next = createTestStudio(env)
    studios.push(next)
    expect(await invoke(next, 'list', undefined)).toEqual([])
    expect(next.sidecarLog().map((line) => line.message).join('\n')).toMatch(/batches\.json is damaged \(not JSON: .*\); set aside as .*batches\.json\.damaged-\d+/)
  })
})

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex')
}
