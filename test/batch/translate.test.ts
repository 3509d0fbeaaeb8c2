// A batch's translate setting and --extend: from the flags into batch.json and every row's project;
// a batch.json from before translation resumes untranslated.
import { describe, expect, it } from 'vitest'
import { batchDefaultsFromFlags, type BatchFlags } from '../../src/main/cli/batchArgs'
import { batchManifestSchema, type BatchRow } from '../../src/main/batch/manifest'
import { rowProject } from '../../src/main/batch/queueBatch'

const flags = (fields: Partial<BatchFlags>): BatchFlags => ({ outDir: '/tmp/b', engine: 'synthetic', mode: 'quality', format: 'h264', exportFps: '16', ...fields })

describe('batch translate and extend', () => {
  it('take --translate and --extend, auto and no extension when not given, and name a bad value', () => {
    expect(batchDefaultsFromFlags(flags({}))).toMatchObject({ translate: 'auto', extend: false })
    expect(batchDefaultsFromFlags(flags({ translate: 'always', extend: true }))).toMatchObject({ translate: 'always', extend: true })
    expect(() => batchDefaultsFromFlags(flags({ translate: 'sometimes' }))).toThrow('--translate: translate must be auto, always or never')
  })

  it('give every row project the batch translate setting; an older batch.json means never', () => {
    const manifest = batchManifestSchema.parse({
      version: 1,
      createdAt: '2026-01-01T00:00:00.000Z',
      source: { file: '/tmp/p.txt', sha256: 'x' },
      outDir: '/tmp/b',
      rendersDir: '/tmp/b/.renders',
      engine: 'synthetic',
      format: 'h264',
      fps: 16,
      rows: [],
      rejected: [],
      warnings: []
    })
    expect(manifest).toMatchObject({ translate: 'never', extend: false })
    const row = { stem: 'fox', spec: { line: 1, name: null, prompt: 'a fox', negativePrompt: null, seed: 1, seconds: 1, size: '1280x720', steps: null, warnings: [] } } as unknown as BatchRow
    expect(rowProject(row, manifest).settings).toEqual({ size: '1280x720', translate: 'never' })
    expect(rowProject(row, { ...manifest, translate: 'always' }).settings).toEqual({ size: '1280x720', translate: 'always' })
  })
})
