// The studio core against the real Python sidecar and ffmpeg: the queue renders projects and exports
// them, reuses checkpoints, cancels, survives crashes, and serves the system state from a cache.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Studio } from '../../src/main/core/studio'
import { decodeStamps } from '../../src/main/media/stamps'
import { groupAlive } from '../../src/main/sidecar/process'
import { newProject, newShot, type Project, type Shot } from '../../src/shared/project'
import type { JobProgress, QueueJob } from '../../src/shared/queue'
import { createTestStudio, ffmpegFor, testEnv } from '../helpers/studio'

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

const fixtures = join(__dirname, '..', 'fixtures', 'nvidia-smi')

function oneShot(fields: Partial<Shot>): Project {
  return { ...newProject('test'), shots: [newShot('s1', { engine: 'synthetic', ...fields })] }
}

async function settled(studio: Studio, jobId: string): Promise<QueueJob> {
  return (await studio.queue()).whenSettled(jobId)
}

function untilProgress(studio: Studio, predicate: (progress: JobProgress) => boolean): Promise<JobProgress> {
  return new Promise((resolve) => {
    const listener = (progress: JobProgress): void => {
      if (!predicate(progress)) return
      studio.off('progress', listener)
      resolve(progress)
    }
    studio.on('progress', listener)
  })
}

function processesInGroup(pgid: number): string[] {
  const out = execFileSync('ps', ['-eo', 'pid=,pgid=,comm='], { encoding: 'utf8' })
  return out.split('\n').filter((line) => line.trim().split(/\s+/)[1] === String(pgid))
}

function partialFiles(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String).filter((name) => name.endsWith('.partial')) : []
}

describe('Studio core', () => {
  it('serves the system state from one cached snapshot: asking again spawns neither nvidia-smi nor a sidecar', async () => {
    const calls = join(mkdtempSync(join(tmpdir(), 'wan-smi-calls-')), 'calls.log')
    const { studio } = studioWith({ WAN_STUDIO_NVIDIA_SMI: join(fixtures, 'fake-nvidia-smi.mjs'), FAKE_NVIDIA_SMI_CASE: 'rtx4090', FAKE_NVIDIA_SMI_CALL_LOG: calls })
    const first = await studio.systemSnapshot()
    expect(first.info).toMatchObject({ problem: null, sidecar: { state: 'ready' } })
    expect(first.info.engines.find((engine) => engine.id === 'synthetic')).toMatchObject({ available: true })
    expect(first.doctor.gpus[0]).toMatchObject({ name: expect.stringMatching(/4090/) })
    const spawned = readFileSync(calls, 'utf8').split('\n').filter(Boolean).length
    const pid = studio.sidecarPid
    for (let query = 0; query < 6; query++) expect(await studio.systemSnapshot()).toBe(first)
    expect(readFileSync(calls, 'utf8').split('\n').filter(Boolean)).toHaveLength(spawned)
    expect(studio.sidecarPid).toBe(pid)
    // Refresh probes again, once.
    const refreshed = await studio.refreshSystem()
    expect(refreshed.takenAt >= first.takenAt).toBe(true)
    expect(readFileSync(calls, 'utf8').split('\n').filter(Boolean)).toHaveLength(2 * spawned)
  })

  it('renders a project through the queue and exports it; the same project again renders nothing', async () => {
    const { studio, env } = studioWith()
    const progress: JobProgress[] = []
    studio.on('progress', (p) => progress.push(p))
    const out = join(mkdtempSync(join(tmpdir(), 'wan-export-')), 'lighthouse.mp4')
    const project = oneShot({ prompt: 'a lighthouse in a storm', seconds: 6, seed: 3 })
    const queued = await studio.queueProject(project, { exportSpec: { output: out } })
    const exported = await settled(studio, queued.exportJobId!)
    expect(exported).toMatchObject({ state: 'done', result: { kind: 'export', output: out, frames: 96, fps: 16, width: 1280, height: 720 } })
    const shotJob = (await studio.queue()).job(queued.shotJobs.s1!)!
    expect(shotJob.result).toMatchObject({ kind: 'render-shot', renderedSegments: 2, reusedSegments: 0, render: { frames: 96, seed: 3 } })
    // Progress names its job and runs forward within it.
    const shotProgress = progress.filter((p) => p.jobId === shotJob.id)
    expect(shotProgress.some((p) => p.phase === 'rendering' && p.segment === 2 && p.step === 8)).toBe(true)
    const fractions = shotProgress.map((p) => p.fraction)
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b))
    expect(progress.some((p) => p.jobId === exported.id && p.phase === 'exporting')).toBe(true)

    const stamps = await decodeStamps({ ffmpeg: ffmpegFor(env), path: out })
    expect(stamps).toHaveLength(96)
    expect(stamps.map((stamp) => stamp.segment)).toEqual([...Array<number>(53).fill(0), ...Array<number>(43).fill(1)])

    const again = await studio.queueProject(queued.project, { exportSpec: { output: out, overwrite: true } })
    await settled(studio, again.exportJobId!)
    expect((await studio.queue()).job(again.shotJobs.s1!)!.result).toMatchObject({ renderedSegments: 0, reusedSegments: 2 })
  })

  it('a change of trim or join renders nothing again: only the export runs', async () => {
    const { studio } = studioWith()
    const dir = mkdtempSync(join(tmpdir(), 'wan-export-'))
    const project: Project = { ...newProject('two'), shots: [newShot('a', { prompt: 'a kite', seconds: 2, seed: 1, engine: 'synthetic' }), newShot('b', { prompt: 'a gull', seconds: 2, seed: 2, engine: 'synthetic' })] }
    const first = await studio.queueProject(project, { exportSpec: { output: join(dir, 'one.mp4') } })
    expect(await settled(studio, first.exportJobId!)).toMatchObject({ state: 'done', result: { frames: 64 } })
    const edited: Project = {
      ...first.project,
      shots: [{ ...first.project.shots[0]!, trim: { in: 4, out: 28 } }, { ...first.project.shots[1]!, join: { kind: 'crossfade', frames: 6 } }]
    }
    const second = await studio.queueProject(edited, { exportSpec: { output: join(dir, 'two.mp4') } })
    expect(await settled(studio, second.exportJobId!)).toMatchObject({ state: 'done', result: { frames: 24 + 32 - 6 } })
    const queue = await studio.queue()
    for (const id of Object.values(second.shotJobs)) expect(queue.job(id)!.result).toMatchObject({ renderedSegments: 0, reusedSegments: 1 })
  })

  it('an export whose destination went away fails with the path, keeps every segment, and succeeds on retry', async () => {
    const { studio } = studioWith()
    const parent = mkdtempSync(join(tmpdir(), 'wan-export-'))
    const dir = join(parent, 'gone')
    mkdirSync(dir)
    const queue = await studio.queue()
    queue.setPaused(true)
    const queued = await studio.queueProject(oneShot({ prompt: 'a comet', seconds: 2, seed: 4 }), { exportSpec: { output: join(dir, 'comet.mp4') } })
    rmSync(dir, { recursive: true })
    queue.setPaused(false)
    const failed = await settled(studio, queued.exportJobId!)
    expect(failed).toMatchObject({ state: 'failed', error: { message: expect.stringContaining(dir) } })
    const shot = queue.job(queued.shotJobs.s1!)!
    expect(shot).toMatchObject({ state: 'done', result: { renderedSegments: 1 } })
    mkdirSync(dir)
    queue.retry(queued.exportJobId!)
    expect(await settled(studio, queued.exportJobId!)).toMatchObject({ state: 'done', attempts: 2, result: { output: join(dir, 'comet.mp4') } })
  })

  it('auto falls back to the synthetic engine, and an explicit Wan2.2 request says what is missing', async () => {
    const { studio } = studioWith({ WAN_STUDIO_NVIDIA_SMI: join(fixtures, 'no-such-nvidia-smi') })
    expect((await studio.realEngineReadiness()).ready).toBe(false)
    await expect(studio.queueProject(oneShot({ prompt: 'fox', seconds: 1, engine: 'diffusers' }), { exportSpec: null })).rejects.toThrow(
      /shot 1: the Wan2.2 \(diffusers\) engine can't render: /
    )
    const queued = await studio.queueProject(oneShot({ prompt: 'fox', seconds: 1, engine: 'auto' }), { exportSpec: null })
    expect((await studio.queue()).job(queued.shotJobs.s1!)!.payload).toMatchObject({ render: { engine: 'synthetic' } })
    const snapshot = await studio.systemSnapshot()
    expect(snapshot.info.engines.find((engine) => engine.id === 'diffusers')).toMatchObject({ available: false, reason: expect.any(String) })
  })

  it('with an H200 and an empty models folder, the real engine names the missing weights', async () => {
    const models = mkdtempSync(join(tmpdir(), 'wan-models-'))
    const { studio } = studioWith({
      WAN_STUDIO_NVIDIA_SMI: join(fixtures, 'fake-nvidia-smi.mjs'),
      FAKE_NVIDIA_SMI_CASE: 'h200',
      WAN_STUDIO_RAM_MIB: String(256 * 1024),
      WAN_STUDIO_MODELS_DIR: models
    })
    // Without torch in the engine environment the reason is the missing install instead.
    expect(await studio.realEngineReadiness()).toMatchObject({ ready: false, reason: expect.stringMatching(/t2v-a14b weights are not complete|not installed/) })
    const plan = await studio.effectivePlan()
    expect(plan).toMatchObject({ overridden: false, plan: { model: 't2v-a14b', precision: 'bf16' } })
    await studio.updateSettings({ planOverride: { model: null, precision: 'int8', experts: 'stream', textEncoder: null, vaeTiling: null, segmentFrames: null, compile: null, attention: null } })
    await studio.refreshSystem()
    const pinned = await studio.effectivePlan()
    expect(pinned).toMatchObject({ overridden: true, plan: { precision: 'int8', placement: { experts: 'stream' } } })
    // The pinned plan carries its own predictions, not the automatic plan's.
    expect(pinned.plan!.predicted.peakVramMiB).toBeLessThan(plan.plan!.predicted.peakVramMiB)
    expect(pinned.plan!.reasons[0]).toMatch(/You pinned precision int8, experts stream/)
    await expect(studio.updateSettings({ modelsDir: join(models, 'missing') })).rejects.toThrow(/does not exist/)
    // Saving one setting keeps the others.
    await studio.updateSettings({ modelsDir: models })
    await studio.updateSettings({ planOverride: null })
    expect(await studio.settings()).toEqual({ modelsDir: models, planOverride: null, metrics: { enabled: false, host: '127.0.0.1', port: 9464 }, comfyUiFolders: [] })
  })

  it('refuses a shot it cannot render with what is wrong, queueing nothing', async () => {
    const { studio } = studioWith()
    await expect(studio.queueProject(oneShot({ prompt: ' \n\t ', seconds: 5 }), { exportSpec: null })).rejects.toThrow(/shot 1: .*prompt is empty/)
    await expect(studio.queueProject(newProject('empty'), { exportSpec: null })).rejects.toThrow(/no shots/)
    expect((await studio.queue()).snapshot().jobs).toEqual([])
    expect(existsSync(studio.rendersDir)).toBe(false)
  })

  it('cancels mid-segment: the job is cancelled, leaves no partial file, and the export waits', async () => {
    const { studio } = studioWith({ WAN_STUDIO_SYNTHETIC_SECONDS_PER_STEP: '0.3' })
    const out = join(mkdtempSync(join(tmpdir(), 'wan-export-')), 'harbour.mp4')
    const queued = await studio.queueProject(oneShot({ prompt: 'a quiet harbour', seconds: 4 }), { exportSpec: { output: out } })
    await untilProgress(studio, (p) => p.step >= 2)
    const started = Date.now()
    const queue = await studio.queue()
    queue.cancel(queued.shotJobs.s1!)
    const cancelled = await settled(studio, queued.shotJobs.s1!)
    expect(Date.now() - started).toBeLessThan(3000)
    expect(cancelled).toMatchObject({ state: 'cancelled', error: null })
    expect(queue.job(queued.exportJobId!)).toMatchObject({ state: 'queued', note: expect.stringMatching(/waiting for .*cancelled/) })
    expect(existsSync(out)).toBe(false)
    expect(partialFiles(studio.rendersDir)).toEqual([])
  })

  it('a damaged settings file is set aside with a warning and never blocks a render', async () => {
    const { studio, env } = studioWith()
    mkdirSync(env.WAN_STUDIO_HOME!, { recursive: true })
    writeFileSync(join(env.WAN_STUDIO_HOME!, 'settings.json'), '{"modelsDir": 5}')
    const warnings: string[] = []
    studio.on('log', (line) => line.level === 'warning' && warnings.push(line.message))
    const queued = await studio.queueProject(oneShot({ prompt: 'fox', seconds: 1 }), { exportSpec: null })
    expect(await settled(studio, queued.shotJobs.s1!)).toMatchObject({ state: 'done' })
    expect(warnings.join('\n')).toMatch(/settings\.json: modelsDir: .*moved to .*settings\.json\.damaged-.* default settings are used/)
    expect(readdirSync(env.WAN_STUDIO_HOME!).some((name) => name.startsWith('settings.json.damaged-'))).toBe(true)
  })

  it('stores models folders as absolute paths and keeps both of two settings saved together', async () => {
    const { studio } = studioWith()
    const models = mkdtempSync(join(tmpdir(), 'wan-models-'))
    const relativeToCwd = relative(process.cwd(), models)
    await Promise.all([
      studio.updateSettings({ modelsDir: relativeToCwd }),
      studio.updateSettings({ planOverride: { model: null, precision: 'int8', experts: null, textEncoder: null, vaeTiling: null, segmentFrames: null, compile: null, attention: null } })
    ])
    expect(await studio.settings()).toMatchObject({ modelsDir: models, planOverride: { precision: 'int8' } })
  })

  it('survives the sidecar dying mid-render: the job fails with its last lines, a retry starts a fresh sidecar and reuses the finished segment', async () => {
    const { studio } = studioWith({ WAN_STUDIO_SYNTHETIC_SECONDS_PER_STEP: '0.2' })
    const queued = await studio.queueProject(oneShot({ prompt: 'a train at night', seconds: 6 }), { exportSpec: null })
    const jobId = queued.shotJobs.s1!
    await untilProgress(studio, (p) => p.segment === 2 && p.step >= 1)
    const pid = studio.sidecarPid!
    process.kill(pid, 'SIGKILL')
    const failed = await settled(studio, jobId)
    expect(failed).toMatchObject({ state: 'failed', error: { code: 'sidecar-exited', message: expect.stringMatching(/sidecar exited during generate/) } })
    const queue = await studio.queue()
    queue.retry(jobId)
    const retried = await settled(studio, jobId)
    expect(retried).toMatchObject({ state: 'done', attempts: 2, result: { renderedSegments: 1, reusedSegments: 1 } })
    expect(studio.sidecarPid).not.toBe(pid)
  })

  it('closing during a render leaves no sidecar or ffmpeg process behind, and the job resumes next time', async () => {
    const { studio, env } = studioWith({ WAN_STUDIO_SYNTHETIC_SECONDS_PER_STEP: '0.3' })
    const queued = await studio.queueProject(oneShot({ prompt: 'waves on rocks', seconds: 4 }), { exportSpec: null })
    await untilProgress(studio, (p) => p.step >= 1)
    const pid = studio.sidecarPid!
    expect(processesInGroup(pid).length).toBeGreaterThan(0)
    await studio.close()
    expect(groupAlive(pid)).toBe(false)
    expect(processesInGroup(pid)).toEqual([])
    const reopened = createTestStudio(env)
    studios.push(reopened)
    const job = await settled(reopened, queued.shotJobs.s1!)
    expect(job).toMatchObject({ state: 'done', attempts: 2 })
  })
})
