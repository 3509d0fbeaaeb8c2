// The followed render's rules, on hand-made queue jobs.
import { describe, expect, it } from 'vitest'
import type { QueueJob } from '../../src/shared/queue'
import { renderOf, renderOutcome, wholeFraction } from '../../src/renderer/src/store/renderProgress'
import { capLog, joinInitialLog, LOG_LIMIT } from '../../src/renderer/src/store/logLines'
import { mergeJobSnapshot } from '../../src/renderer/src/store/jobsSlice'

function job(id: string, state: QueueJob['state'], kind: 'render-shot' | 'export' = 'render-shot', extra: Partial<QueueJob> = {}): QueueJob {
  const payload = kind === 'export' ? { kind, shotJobs: { a: 'shot' } } : { kind, shotId: id }
  return { id, state, payload, dependsOn: kind === 'export' ? ['shot'] : [], updatedAt: '2026-01-01T00:00:00Z', error: null, result: null, ...extra } as unknown as QueueJob
}

describe('render progress', () => {
  const ids = { shots: ['shot'], export: 'exp' }

  it('weighs the export a tenth of a shot and counts a done job whole', () => {
    expect(wholeFraction(ids, { shot: 0.5 }, {})).toBeCloseTo(0.5 / 1.1)
    expect(wholeFraction(ids, {}, { shot: job('shot', 'done') })).toBeCloseTo(1 / 1.1)
  })

  it('finds the export a running shot belongs to', () => {
    const jobs = { shot: job('shot', 'running'), exp: job('exp', 'queued', 'export') }
    expect(renderOf('shot', jobs)).toEqual(ids)
    expect(renderOf('missing', jobs)).toBeNull()
  })

  it('cancels the rest of a render when one job failed, then reports the failure', () => {
    const failing = { shot: job('shot', 'failed', 'render-shot', { error: { code: 'oom', message: 'out of memory', details: [] } }), exp: job('exp', 'queued', 'export') }
    expect(renderOutcome({ ids, request: null }, failing)).toEqual({ kind: 'cancel-rest', jobIds: ['exp'] })
    const settled = { ...failing, exp: job('exp', 'cancelled', 'export') }
    const outcome = renderOutcome({ ids, request: null }, settled)
    expect(outcome.kind).toBe('failed')
    expect(outcome.kind === 'failed' && outcome.error.message).toBe('out of memory')
  })

  it('says a shots-only render is rendered once every shot is done', () => {
    const target = { ids: { shots: ['a', 'b'], export: null }, request: null }
    expect(renderOutcome(target, { a: job('a', 'done') }).kind).toBe('running')
    expect(renderOutcome(target, { a: job('a', 'done'), b: job('b', 'done') }).kind).toBe('rendered')
  })
})

describe('jobs and log', () => {
  it('keeps a job that changed after the snapshot was taken', () => {
    const newer = job('a', 'done', 'render-shot', { updatedAt: '2026-01-02T00:00:00Z' })
    const merged = mergeJobSnapshot({ a: newer, b: job('b', 'running') }, [job('a', 'running'), job('c', 'queued')])
    expect(merged.a).toBe(newer)
    expect(Object.keys(merged).sort()).toEqual(['a', 'b', 'c'])
  })

  it('caps the log and counts the lines dropped', () => {
    const line = (n: number) => ({ time: String(n), level: 'info' as const, source: 'studio' as const, message: `line ${n}` })
    const capped = capLog(Array.from({ length: LOG_LIMIT + 3 }, (_, n) => line(n)), 10)
    expect(capped.logs).toHaveLength(LOG_LIMIT)
    expect(capped.logDropped).toBe(13)
    expect(joinInitialLog([line(1), line(2)], [line(2), line(3)]).map((l) => l.message)).toEqual(['line 1', 'line 2', 'line 3'])
  })
})
