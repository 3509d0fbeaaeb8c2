// What the editor's parts derive, without a DOM: token estimate, typed numbers, export prediction, queue rows.
import { describe, expect, it } from 'vitest'
import type { QueueJob } from '../../src/shared/queue'
import { estimateExport } from '../../src/renderer/src/editor/exportEstimate'
import { estimateTokens, UMT5_TOKEN_LIMIT } from '../../src/renderer/src/editor/promptTokens'
import { queueRows } from '../../src/renderer/src/editor/queueRows'
import { parseSeconds, parseWholeOrBlank } from '../../src/renderer/src/editor/shotFieldText'
import { generateHintFor } from '../../src/renderer/src/components/shot/generateHint'

describe('editor parts', () => {
  it('estimates umT5 tokens high rather than low, and passes the limit on long prompts', () => {
    expect(estimateTokens('   ')).toBe(0)
    expect(estimateTokens('a red fox running through snow')).toBe(9)
    expect(estimateTokens('夕日の砂丘をゆっくり進むラクダの隊列')).toBeGreaterThan(10)
    expect(estimateTokens('word '.repeat(400))).toBeGreaterThan(UMT5_TOKEN_LIMIT)
  })

  it('reads typed numbers or says why not', () => {
    expect(parseWholeOrBlank(' ', 'steps')).toEqual({ ok: true, value: null })
    expect(parseWholeOrBlank('12', 'steps')).toEqual({ ok: true, value: 12 })
    expect(parseWholeOrBlank('1.5', 'steps')).toEqual({ ok: false, reason: 'steps must be a whole number (or blank)' })
    expect(parseSeconds('2.5')).toEqual({ ok: true, value: 2.5 })
    expect(parseSeconds('soon').ok).toBe(false)
  })

  it('predicts export size from frames and the format, scaled by frame size', () => {
    expect(estimateExport(160, 'h264', '1280x720')).toEqual({ bytes: 6_720_000, seconds: 160 / 120 })
    expect(estimateExport(160, 'prores', '720x1280').bytes).toBe(160 * 960_000)
  })

  it('lists unfinished jobs in queue order first, with what can be done to each', () => {
    const job = (id: string, state: QueueJob['state'], updatedAt = '1'): QueueJob =>
      ({ id, state, createdAt: '1', updatedAt, error: null, payload: { kind: 'render-shot', shotId: id, render: { prompt: `shot ${id}` } } }) as unknown as QueueJob
    const rows = queueRows({ a: job('a', 'done', '2'), b: job('b', 'queued'), c: job('c', 'running'), d: job('d', 'failed', '3') }, ['c', 'b'], { c: { fraction: 0.25, etaSeconds: 9 } as never })
    expect(rows.map((row) => row.job.id)).toEqual(['c', 'b', 'd', 'a'])
    expect(rows[0]).toMatchObject({ fraction: 0.25, etaSeconds: 9, canCancel: true, canPause: false })
    expect(rows[1]).toMatchObject({ canPause: true, canCancel: true })
    expect(rows[2]).toMatchObject({ canRetry: true, canCancel: false, title: 'Shot: shot d' })
  })
})

describe('quick form', () => {
  it('says why Generate is disabled, most pressing reason first', () => {
    const ready = { job: null, problem: false, engineError: false, valid: true, promptUntouched: false }
    expect(generateHintFor(ready)).toMatch(/to generate · Esc cancels/)
    expect(generateHintFor({ ...ready, job: 'cancelling', problem: true })).toBe('Cancelling…')
    expect(generateHintFor({ ...ready, problem: true, engineError: true })).toMatch(/unavailable/)
    expect(generateHintFor({ ...ready, valid: false, promptUntouched: true })).toBe('Describe the shot to enable Generate.')
    expect(generateHintFor({ ...ready, valid: false })).toBe('Fix the fields marked in red to enable Generate.')
  })
})
