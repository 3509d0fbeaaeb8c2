// The studio core against the real Python sidecar and ffmpeg: renders, checkpoints, cancel, crashes.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Studio } from '../../src/main/core/studio'
import { decodeStamps, verifyStampSequence } from '../../src/main/media/stamps'
import { segmentFileName } from '../../src/main/render/job'
import { planSegments } from '../../src/shared/segments'
import { groupAlive } from '../../src/main/sidecar/process'
import type { RenderFailure, RenderProgress } from '../../src/shared/render'
import { createTestStudio, expectedStampSegments, ffmpegFor, testEnv } from '../helpers/studio'

const studios: Studio[] = []
function studioWith(extra: NodeJS.ProcessEnv = {}) {
  const env = testEnv(extra)
  const studio = createTestStudio(env)
  studios.push(studio)
  return { studio, env }
}

afterEach(async () => {
  await Promise.all(studios.splice(0).map((studio) => studio.close()))
})

function processesInGroup(pgid: number): string[] {
  const out = execFileSync('ps', ['-eo', 'pid=,pgid=,comm='], { encoding: 'utf8' })
  return out.split('\n').filter((line) => line.trim().split(/\s+/)[1] === String(pgid))
}

function partialFiles(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String).filter((name) => name.endsWith('.partial')) : []
}

describe('Studio core', () => {
  it('reports the engines the sidecar can run', async () => {
    const { studio } = studioWith()
    const info = await studio.info()
    expect(info.problem).toBeNull()
    expect(info.sidecar.state).toBe('ready')
    expect(info.engines.find((engine) => engine.id === 'synthetic')).toMatchObject({ available: true })
    expect(info.engines.find((engine) => engine.id === 'diffusers')).toBeDefined()
  })

  it('renders segments with progress, then resumes a re-run entirely from checkpoints', async () => {
    const { studio, env } = studioWith()
    const progress: RenderProgress[] = []
    studio.on('progress', (p) => progress.push(p))
    const { finished } = await studio.startRender({ prompt: 'a lighthouse in a storm', seconds: 6, seed: 3, engine: 'synthetic' })
    const result = await finished
    expect(result).toMatchObject({ frames: 96, segments: 2, resumedSegments: 0, engine: 'synthetic', seed: 3 })
    expect(progress.some((p) => p.phase === 'rendering' && p.segment === 2 && p.step === 8)).toBe(true)
    expect(progress.at(-1)).toMatchObject({ phase: 'done', fraction: 1 })
    const fractions = progress.map((p) => p.fraction)
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b))

    const stamps = await decodeStamps({ ffmpeg: ffmpegFor(env), path: result.output })
    expect(verifyStampSequence(stamps, { shot: 0, segments: expectedStampSegments(planSegments(96)) })).toEqual({ ok: true })

    // Lose the clip and one segment: only that segment renders again.
    rmSync(result.output)
    rmSync(join(studio.rendersDir, result.jobId, segmentFileName(1)))
    const again = await (await studio.startRender({ prompt: 'a lighthouse in a storm', seconds: 6, seed: 3, engine: 'synthetic' })).finished
    expect(again).toMatchObject({ jobId: result.jobId, resumedSegments: 1, frames: 96 })
    expect(existsSync(again.output)).toBe(true)
    expect(await studio.listRenders()).toHaveLength(1)
  })

  it('auto falls back to the synthetic engine, and an explicit Wan2.2 request says what is missing', async () => {
    const { studio } = studioWith({ WAN_STUDIO_NVIDIA_SMI: join(__dirname, '..', 'fixtures', 'nvidia-smi', 'no-such-nvidia-smi') })
    const readiness = await studio.diffusersReadiness()
    expect(readiness.ready).toBe(false)
    await expect(studio.startRender({ prompt: 'fox', seconds: 1, engine: 'diffusers' })).rejects.toThrow(/Wan2.2 \(diffusers\) engine can't render: /)
    const resolved = await studio.resolveRequest({ prompt: 'fox', seconds: 1 })
    expect(resolved.engine).toBe('synthetic')
    const info = await studio.info()
    expect(info.engines.find((engine) => engine.id === 'diffusers')).toMatchObject({ available: false, reason: expect.any(String) })
  })

  it('with an H200 and an empty models folder, the real engine names the missing weights', async () => {
    const models = mkdtempSync(join(tmpdir(), 'wan-models-'))
    const { studio } = studioWith({
      WAN_STUDIO_NVIDIA_SMI: join(__dirname, '..', 'fixtures', 'nvidia-smi', 'fake-nvidia-smi.mjs'),
      FAKE_NVIDIA_SMI_CASE: 'h200',
      WAN_STUDIO_RAM_MIB: String(256 * 1024),
      WAN_STUDIO_MODELS_DIR: models
    })
    const readiness = await studio.diffusersReadiness()
    // Without torch in the engine environment the reason is the missing install instead.
    expect(readiness).toMatchObject({ ready: false, reason: expect.stringMatching(/t2v-a14b weights are not complete|not installed/) })
    const plan = await studio.effectivePlan()
    expect(plan).toMatchObject({ overridden: false, plan: { model: 't2v-a14b', precision: 'bf16' } })
    await studio.updateSettings({ planOverride: { model: null, precision: 'int8', experts: 'stream', textEncoder: null, vaeTiling: null, segmentFrames: null } })
    const pinned = await studio.effectivePlan()
    expect(pinned).toMatchObject({ overridden: true, plan: { precision: 'int8', placement: { experts: 'stream' } } })
    // The pinned plan carries its own predictions, not the automatic plan's.
    expect(pinned.plan!.predicted.peakVramMiB).toBeLessThan(plan.plan!.predicted.peakVramMiB)
    expect(pinned.plan!.reasons[0]).toMatch(/You pinned precision int8, experts stream/)
    await expect(studio.updateSettings({ modelsDir: join(models, 'missing') })).rejects.toThrow(/does not exist/)
    // Saving one setting keeps the others.
    await studio.updateSettings({ modelsDir: models })
    await studio.updateSettings({ planOverride: null })
    expect(await studio.settings()).toEqual({ modelsDir: models, planOverride: null })
  })

  it('rejects bad requests with what is wrong, writing nothing', async () => {
    const { studio } = studioWith()
    await expect(studio.startRender({ prompt: ' \n\t ', seconds: 5 })).rejects.toThrow(/prompt is empty/)
    await expect(studio.startRender({ prompt: 'fox', seconds: 0 })).rejects.toThrow(/greater than 0/)
    await expect(studio.startRender({ prompt: 'fox', seconds: Number.POSITIVE_INFINITY })).rejects.toThrow(/seconds must be a number/)
    await expect(studio.startRender({ prompt: 'fox', seconds: 301 })).rejects.toThrow(/at most 300/)
    await expect(studio.startRender({ prompt: 'fox', seconds: 5, engine: 'warp' as never })).rejects.toThrow(/engine/)
    await expect(studio.startRender({ prompt: 'fox', seconds: 5, seed: 1.5 })).rejects.toThrow(/whole number/)
    expect(existsSync(studio.rendersDir)).toBe(false)
  })

  it('cancels mid-segment: the job fails as cancelled and leaves no clip and no partial file', async () => {
    const { studio } = studioWith({ WAN_STUDIO_SYNTHETIC_SECONDS_PER_STEP: '0.3' })
    const failures: RenderFailure[] = []
    studio.on('failed', (failure) => failures.push(failure))
    const { jobId, finished } = await studio.startRender({ prompt: 'a quiet harbour', seconds: 4, engine: 'synthetic' })
    await new Promise<void>((resolve) => studio.on('progress', (p) => p.step >= 2 && resolve()))
    const started = Date.now()
    expect(studio.cancelRender(jobId)).toEqual({ cancelled: true })
    await expect(finished).rejects.toThrow()
    expect(Date.now() - started).toBeLessThan(3000)
    expect(failures).toEqual([{ jobId, kind: 'cancelled', message: 'Render cancelled', details: [] }])
    expect(existsSync(join(studio.rendersDir, jobId, 'clip.mp4'))).toBe(false)
    expect(partialFiles(studio.rendersDir)).toEqual([])
    expect(studio.cancelRender(jobId)).toEqual({ cancelled: false })
  })

  it('a cancelled render does not take the next one down: the sidecar stays once it stopped in time', async () => {
    const { studio } = studioWith({ WAN_STUDIO_SYNTHETIC_SECONDS_PER_STEP: '0.3' })
    const first = await studio.startRender({ prompt: 'first take', seconds: 2, engine: 'synthetic' })
    first.finished.catch(() => undefined)
    await new Promise<void>((resolve) => studio.on('progress', (p) => p.step >= 1 && resolve()))
    const pid = studio.sidecarPid
    studio.cancelRender(first.jobId)
    await expect(first.finished).rejects.toThrow()
    // The next render outlives the cancelled one's kill deadline (10 s) on the same sidecar.
    const second = await studio.startRender({ prompt: 'second take', seconds: 3, engine: 'synthetic', steps: 40 })
    const result = await second.finished
    expect(result.timings.totalSeconds).toBeGreaterThan(10)
    expect(studio.sidecarPid).toBe(pid)
  }, 90_000)

  it('a settings file it cannot read fails the render with where and why, and leaves no sidecar behind', async () => {
    const { studio, env } = studioWith()
    mkdirSync(env.WAN_STUDIO_HOME!, { recursive: true })
    writeFileSync(join(env.WAN_STUDIO_HOME!, 'settings.json'), '{"modelsDir": 5}')
    await expect(studio.startRender({ prompt: 'fox', seconds: 1, engine: 'synthetic' })).rejects.toThrow(/settings\.json: modelsDir/)
    expect(studio.sidecarPid).toBeUndefined()
    expect((await studio.info()).problem).toMatch(/settings\.json/)
  })

  it('stores models folders as absolute paths and keeps both of two settings saved together', async () => {
    const { studio } = studioWith()
    const models = mkdtempSync(join(tmpdir(), 'wan-models-'))
    const relativeToCwd = relative(process.cwd(), models)
    await Promise.all([
      studio.updateSettings({ modelsDir: relativeToCwd }),
      studio.updateSettings({ planOverride: { model: null, precision: 'int8', experts: null, textEncoder: null, vaeTiling: null, segmentFrames: null } })
    ])
    expect(await studio.settings()).toMatchObject({ modelsDir: models, planOverride: { precision: 'int8' } })
  })

  it('survives the sidecar dying mid-render: the render fails with its last lines, the next one starts a fresh sidecar', async () => {
    const { studio } = studioWith({ WAN_STUDIO_SYNTHETIC_SECONDS_PER_STEP: '0.3' })
    const failures: RenderFailure[] = []
    studio.on('failed', (failure) => failures.push(failure))
    const { finished } = await studio.startRender({ prompt: 'a train at night', seconds: 3, engine: 'synthetic' })
    await new Promise<void>((resolve) => studio.on('progress', (p) => p.step >= 1 && resolve()))
    const pid = studio.sidecarPid!
    process.kill(pid, 'SIGKILL')
    await expect(finished).rejects.toThrow(/sidecar exited during generate/)
    expect(failures[0]).toMatchObject({ kind: 'failed' })
    expect((await studio.info()).sidecar.state).toBe('ready')
    expect(studio.sidecarPid).not.toBe(pid)

    const retried = await (await studio.startRender({ prompt: 'a train at night', seconds: 1, engine: 'synthetic' })).finished
    expect(retried.frames).toBe(16)
  })

  it('closing during a render leaves no sidecar or ffmpeg process behind', async () => {
    const { studio } = studioWith({ WAN_STUDIO_SYNTHETIC_SECONDS_PER_STEP: '0.3' })
    const { finished } = await studio.startRender({ prompt: 'waves on rocks', seconds: 4, engine: 'synthetic' })
    finished.catch(() => undefined)
    await new Promise<void>((resolve) => studio.on('progress', (p) => p.step >= 1 && resolve()))
    const pid = studio.sidecarPid!
    expect(processesInGroup(pid).length).toBeGreaterThan(0)
    await studio.close()
    expect(groupAlive(pid)).toBe(false)
    expect(processesInGroup(pid)).toEqual([])
  })
})
