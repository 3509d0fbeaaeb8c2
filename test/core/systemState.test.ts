// The cached system state carries what planning each shot needs: the GPUs and RAM the doctor saw,
// the calibration, the user's pins and what the engine reported it can do. The sidecar is a stub
// here (the real one needs torch and weights to call the diffusers engine available).
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { computeSystemState } from '../../src/main/core/systemState'
import type { SidecarSupervisor } from '../../src/main/sidecar/supervisor'
import { resolveShot } from '../../src/main/render/resolveShot'
import { newShot } from '../../src/shared/project'
import type { PlanOverride } from '../../src/shared/settings'
import { sourcePaths, testEnv } from '../helpers/studio'

const fixtures = join(__dirname, '..', 'fixtures', 'nvidia-smi')

const FAST_MODE = {
  available: true,
  reason: null,
  files: [
    { role: 'high-noise', path: '/models/Wan2.2-Lightning/high.safetensors', present: true },
    { role: 'low-noise', path: '/models/Wan2.2-Lightning/low.safetensors', present: true }
  ],
  howToGet: 'hf download lightx2v/Wan2.2-Lightning'
}

function stubSidecar(details: Record<string, unknown>): SidecarSupervisor {
  const engines = [{ id: 'diffusers', label: 'Wan2.2 (diffusers)', available: true, reason: null, details }]
  return { ensure: () => Promise.resolve(), refreshModelsDir: () => Promise.resolve(), initialized: { engines }, state: 'ready', lastError: null } as unknown as SidecarSupervisor
}

const PIN: PlanOverride = { model: null, precision: 'int8', experts: null, textEncoder: null, vaeTiling: null, segmentFrames: null, compile: null, attention: null }

async function stateWith(details: Record<string, unknown>, modelsDir: string | null = '/models') {
  const env = testEnv({ WAN_STUDIO_NVIDIA_SMI: join(fixtures, 'fake-nvidia-smi.mjs'), FAKE_NVIDIA_SMI_CASE: 'rtx4090', WAN_STUDIO_RAM_MIB: String(128 * 1024) })
  return computeSystemState({
    version: 'test',
    dataDir: env.WAN_STUDIO_HOME!,
    paths: sourcePaths(env),
    env,
    sidecar: stubSidecar(details),
    settings: () => Promise.resolve({ modelsDir, planOverride: PIN, metrics: { enabled: false, host: '127.0.0.1', port: 9464 }, comfyUiFolders: [] }),
    calibration: () => Promise.resolve([]),
    modelsDir: () => Promise.resolve(modelsDir),
    refreshModelsDir: false
  })
}

describe('computeSystemState', () => {
  it('makes the real engine ready with the planning inputs of every shot', async () => {
    const models = { 't2v-a14b': { complete: true, path: '/models/a14b' }, 'ti2v-5b': { complete: false, path: '/models/5b', missing: ['vae'] } }
    const speedLevers = { attentionBackends: ['sdpa', 'flash'], compile: { available: true, reason: null } }
    const { readiness, snapshot } = await stateWith({ models, fastMode: FAST_MODE, speedLevers })
    if (!readiness.ready) throw new Error(`not ready: ${readiness.reason}`)
    expect(readiness.modelsDir).toBe('/models')
    expect(snapshot.doctor.ramTotalMiB).toBe(128 * 1024)
    expect(readiness.planning).toMatchObject({
      ramTotalMiB: 128 * 1024,
      calibration: [],
      planOverride: PIN,
      levers: { attentionBackends: ['sdpa', 'flash'], compile: { available: true, reason: null }, fastMode: { available: true, reason: null } },
      fastModeFiles: { files: FAST_MODE.files, howToGet: FAST_MODE.howToGet },
      completeModels: ['t2v-a14b']
    })
    expect(readiness.planning.gpus.map((gpu) => gpu.name)).toEqual(['NVIDIA GeForce RTX 4090'])
    // The System tab's plan is made with the same levers: compilation pays off over a 720p segment.
    expect(snapshot.effectivePlan.plan?.speed.compile).toBe(true)
    // A fast draft resolves from it alone: planned for 832x480 in fast mode with the pinned precision.
    const { render } = resolveShot(newShot('s', { prompt: 'a kite over dunes', seed: 1, seconds: 2, mode: 'fast', draft: true }), { size: '1280x720', realEngine: readiness, previous: null })
    expect(render).toMatchObject({ engine: 'diffusers', mode: 'fast', steps: 4, width: 832, height: 480, gpuName: 'NVIDIA GeForce RTX 4090' })
    expect(render.engineOptions.plan).toMatchObject({ model: 't2v-a14b', mode: 'fast', precision: 'int8' })
  })

  it('renders from weights in a Hugging Face cache with no models folder chosen, and says what to do when none are found', async () => {
    const snapshotDir = '/home/u/.cache/huggingface/hub/models--Wan-AI--Wan2.2-T2V-A14B-Diffusers/snapshots/abc'
    const { readiness } = await stateWith({ models: { 't2v-a14b': { complete: true, path: snapshotDir, source: 'modelDirs' } } }, null)
    if (!readiness.ready) throw new Error(`not ready: ${readiness.reason}`)
    expect(readiness.modelsDir).toBeNull()
    const { render } = resolveShot(newShot('s', { prompt: 'a kite over dunes', seed: 1, seconds: 2 }), { size: '1280x720', realEngine: readiness, previous: null })
    expect(render.engine).toBe('diffusers')
    expect(render.engineOptions).not.toHaveProperty('modelsDir')

    const nowhere = await stateWith({ models: {} }, null)
    expect(nowhere.readiness).toEqual({
      ready: false,
      reason: 'no t2v-a14b weights were found: choose a models folder (System panel, or WAN_STUDIO_MODELS_DIR), or add a ComfyUI folder'
    })
  })

  it('tolerates a sidecar that reports no levers: SDPA only, no fast mode', async () => {
    const { readiness, snapshot } = await stateWith({ models: { 't2v-a14b': { complete: true } } })
    if (!readiness.ready) throw new Error(`not ready: ${readiness.reason}`)
    expect(readiness.planning.levers).toMatchObject({ attentionBackends: ['sdpa'], fastMode: { available: false } })
    expect(readiness.planning.fastModeFiles).toBeNull()
    expect(snapshot.effectivePlan.plan?.speed).toEqual({ compile: false, attention: 'sdpa' })
  })
})
