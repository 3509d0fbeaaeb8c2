import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { CALIBRATION_FILE, createCalibrationStore, mergeMeasurement, planKey, type Measurement } from '../../src/main/planner/calibration'

const root = mkdtempSync(join(tmpdir(), 'wan-calibration-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
let folders = 0
const freshFolder = (): string => join(root, `store-${folders++}`)

const plan: Measurement['plan'] = {
  model: 't2v-a14b',
  precision: 'fp8',
  mode: 'quality',
  speed: { compile: false, attention: 'sdpa' },
  placement: { experts: 'stream', textEncoder: 'gpu', vaeTiling: false },
  width: 1280,
  height: 720,
  segmentFrames: 81
}
const measurement = (peakVramMiB: number, secondsPerStep: number): Measurement => ({ gpuName: 'NVIDIA GeForce RTX 4090', plan, peakVramMiB, secondsPerStep })
const clock = () => new Date('2025-06-01T12:00:00.000Z')

describe('calibration', () => {
  it('keys plans by everything that changes memory or speed', () => {
    expect(planKey(plan)).toBe('t2v-a14b/fp8/stream/umt5-gpu/vae-whole/1280x720/81')
    expect(planKey({ ...plan, placement: { ...plan.placement, vaeTiling: true } })).not.toBe(planKey(plan))
  })

  it('keeps the worst peak and a running mean of the speed', () => {
    let entries = mergeMeasurement([], measurement(12000, 60), clock())
    entries = mergeMeasurement(entries, measurement(11500, 50), clock())
    expect(entries).toEqual([
      { gpuName: 'NVIDIA GeForce RTX 4090', planKey: planKey(plan), peakVramMiB: 12000, secondsPerStep: 55, samples: 2, updatedAt: '2025-06-01T12:00:00.000Z' }
    ])
    const other = mergeMeasurement(entries, { ...measurement(9000, 80), gpuName: 'NVIDIA GeForce RTX 3090' }, clock())
    expect(other).toHaveLength(2)
  })

  it('takes a compiled segment’s compile time out of its seconds per step', () => {
    const compiled = { ...plan, speed: { compile: true, attention: 'sage' as const } }
    // 4 fast steps of 10 s each, the first also compiling for 60 s: the sidecar reports (60 + 40) / 4 = 25.
    const [entry] = mergeMeasurement([], { ...measurement(12000, 25), plan: compiled, compileSeconds: 60, steps: 4 }, clock())
    expect(entry).toMatchObject({ planKey: `${planKey(plan)}/compiled/attn-sage`, secondsPerStep: 10 })
    // A later segment that found the compiled code (compileSeconds 0 or null) counts as measured.
    expect(mergeMeasurement([], { ...measurement(12000, 10), compileSeconds: null, steps: 4 }, clock())[0]!.secondsPerStep).toBe(10)
    // Never below a tenth of the measured figure, whatever the compile time claims.
    expect(mergeMeasurement([], { ...measurement(12000, 25), compileSeconds: 500, steps: 4 }, clock())[0]!.secondsPerStep).toBe(2.5)
  })

  it('starts empty, writes a JSON file atomically, and reads it back', async () => {
    const folder = freshFolder()
    const store = createCalibrationStore(folder, clock)
    expect(await store.load()).toEqual([])
    await store.record(measurement(12000, 60))
    expect(readdirSync(folder)).toEqual([CALIBRATION_FILE]) // no temp file left behind
    expect(JSON.parse(readFileSync(join(folder, CALIBRATION_FILE), 'utf8'))).toMatchObject({ version: 1, entries: [{ peakVramMiB: 12000 }] })
    expect(await createCalibrationStore(folder).load()).toEqual(await store.load())
  })

  it('loses no measurement when records overlap', async () => {
    const store = createCalibrationStore(freshFolder(), clock)
    await Promise.all([1, 2, 3, 4, 5].map((step) => store.record(measurement(10000 + step, 50))))
    const [entry] = await store.load()
    expect(entry).toMatchObject({ samples: 5, peakVramMiB: 10005 })
  })

  it('treats a damaged file as empty and rewrites it on the next record', async () => {
    const folder = freshFolder()
    const store = createCalibrationStore(folder, clock)
    await store.record(measurement(12000, 60))
    writeFileSync(join(folder, CALIBRATION_FILE), '{"version": 1, "entries": [{"gpuName": ')
    expect(await store.load()).toEqual([])
    await store.record(measurement(9000, 40))
    expect(await store.load()).toMatchObject([{ peakVramMiB: 9000, samples: 1 }])
  })
})
