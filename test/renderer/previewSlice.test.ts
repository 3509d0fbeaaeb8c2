// Live previews in the store without a DOM: the latest per job as a data: URL, the followed render's
// newest one, dropped when the job stops running or is removed; the caption the monitor shows.
import { describe, expect, it } from 'vitest'
import { previewCaption } from '../../src/renderer/src/components/livePreviewText'
import { createStudio } from '../../src/renderer/src/store'
import { latestPreview } from '../../src/renderer/src/store/previewSlice'
import type { JobPreview, QueueJob } from '../../src/shared/queue'

const preview = (jobId: string, step: number): JobPreview => ({ jobId, shotId: `shot-${jobId}`, segment: 1, step, steps: 40, width: 256, height: 144, mime: 'image/jpeg', data: `AAAA${step}` })

function job(id: string, state: QueueJob['state']): QueueJob {
  return {
    id,
    title: id,
    state,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:01.000Z',
    dependsOn: [],
    attempts: 1,
    note: null,
    payload: { kind: 'render-shot', shotId: `shot-${id}`, renderKey: id, rendersDir: '/r', render: { prompt: 'p', negativePrompt: null, frames: 16, seed: 1, engine: 'synthetic', steps: 40, width: 1280, height: 720, maxSegmentFrames: 81, overlap: 5, gpuName: null, engineOptions: {}, continueFrom: null } },
    result: null,
    error: null,
    stepDowns: []
  }
}

describe('preview slice', () => {
  it('keeps only the latest picture per job, as a data: URL', () => {
    const studio = createStudio()
    studio.getState().onPreview(preview('a', 4))
    studio.getState().onPreview(preview('a', 8))
    expect(Object.keys(studio.getState().previews)).toEqual(['a'])
    expect(studio.getState().previews.a).toMatchObject({ step: 8, src: 'data:image/jpeg;base64,AAAA8', width: 256, height: 144 })
  })

  it('shows the followed render\'s newest picture, whichever of its shots sent it', () => {
    const studio = createStudio()
    studio.getState().onPreview(preview('a', 40))
    studio.getState().onPreview(preview('b', 4))
    studio.getState().onPreview(preview('other', 12))
    expect(latestPreview(studio.getState().previews, ['a', 'b'])?.jobId).toBe('b')
    expect(latestPreview(studio.getState().previews, ['c'])).toBeNull()
  })

  it('drops a job\'s picture once it stops running or leaves the queue', () => {
    const studio = createStudio()
    studio.getState().onJob(job('a', 'running'))
    studio.getState().onPreview(preview('a', 4))
    studio.getState().onJob(job('a', 'running'))
    expect(studio.getState().previews.a).toBeDefined()
    studio.getState().onJob(job('a', 'cancelled'))
    expect(studio.getState().previews.a).toBeUndefined()
    studio.getState().onJob(job('b', 'running'))
    studio.getState().onPreview(preview('b', 4))
    studio.getState().onJobRemoved('b')
    expect(studio.getState().previews).toEqual({})
  })

  it('captions the segment only when there are several', () => {
    expect(previewCaption({ segment: 2, step: 12, steps: 40 }, 3)).toBe('Segment 2 of 3 · step 12 of 40')
    expect(previewCaption({ segment: 1, step: 3, steps: 4 }, 1)).toBe('step 3 of 4')
    expect(previewCaption({ segment: 1, step: 3, steps: 4 }, null)).toBe('step 3 of 4')
  })
})
