// `wan-studio batch --mode`: the defaults it makes, the batch.json that keeps it, and the job's project.
import { describe, expect, it } from 'vitest'
import { batchManifestSchema, pendingRowOutcome, type BatchManifest, type BatchRow } from '../../src/main/batch/manifest'
import { rowProject } from '../../src/main/batch/queueBatch'
import { batchDefaultsFromFlags, type BatchFlags } from '../../src/main/cli/batchArgs'

const flags = (fields: Partial<BatchFlags>): BatchFlags => ({ outDir: '/tmp/out', engine: 'synthetic', mode: 'quality', format: 'h264', exportFps: '16', ...fields })

const ROW: BatchRow = {
  spec: { line: 2, name: null, prompt: 'a lighthouse at night', negativePrompt: null, seed: 9, seconds: 2, size: '1280x720', steps: null, warnings: [] },
  stem: 'a-lighthouse-at-night',
  output: '/tmp/out/a-lighthouse-at-night.mp4',
  metadataFile: '/tmp/out/a-lighthouse-at-night.wan-studio.json',
  renderJobId: null,
  ...pendingRowOutcome(),
  finishedAt: null
}

describe('batch --mode', () => {
  it('becomes every job’s render mode', () => {
    expect(batchDefaultsFromFlags(flags({ mode: 'fast' })).mode).toBe('fast')
    expect(batchDefaultsFromFlags(flags({})).mode).toBe('quality')
    expect(() => batchDefaultsFromFlags(flags({ mode: 'turbo' }))).toThrow(/^--mode: /)
    expect(rowProject(ROW, { engine: 'synthetic', mode: 'fast', translate: 'never' }).shots[0]).toMatchObject({ mode: 'fast', draft: false, engine: 'synthetic', seed: 9 })
  })

  it('is kept in batch.json; one written before render modes reads as quality', () => {
    const manifest: BatchManifest = {
      version: 1,
      createdAt: '2026-01-01T00:00:00Z',
      source: { file: '/tmp/list.txt', sha256: 'ab' },
      outDir: '/tmp/out',
      rendersDir: '/tmp/out/.wan-studio/renders',
      engine: 'synthetic',
      translate: 'never',
      extend: false,
      mode: 'fast',
      format: 'h264',
      fps: 16,
      rows: [ROW],
      rejected: [],
      warnings: []
    }
    expect(batchManifestSchema.parse(manifest).mode).toBe('fast')
    const { mode: _mode, ...older } = manifest
    expect(batchManifestSchema.parse(older).mode).toBe('quality')
  })
})
