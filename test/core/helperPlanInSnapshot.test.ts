// The prompt helper model reaches the System tab's plan: the sidecar's list with the installed files'
// size, planned beside the plan in effect (the user's pins included) and the engine's CUDA report.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { helperModelFacts } from '../../src/main/core/helperModelFacts'
import { computeSystemState } from '../../src/main/core/systemState'
import type { PromptModelsResult } from '../../src/main/prompting/schemas'
import type { SidecarSupervisor } from '../../src/main/sidecar/supervisor'
import type { PlanOverride } from '../../src/shared/settings'
import { sourcePaths, testEnv } from '../helpers/studio'

const folders: string[] = []
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true })
})

function modelsFolder(): string {
  const root = mkdtempSync(join(tmpdir(), 'helper-facts-'))
  folders.push(root)
  return root
}

function listed(root: string, complete: boolean): PromptModelsResult {
  const model = (id: 'qwen2.5-3b-instruct' | 'qwen2.5-1.5b-instruct', repo: string, parametersBillions: number, isDefault: boolean) => ({
    id,
    repo,
    path: join(root, repo.split('/')[1]!),
    parametersBillions,
    weightsMiB: Math.round((parametersBillions * 2e9) / 2 ** 20),
    license: 'test',
    default: isDefault,
    complete: isDefault && complete,
    missing: isDefault && complete ? [] : [join(root, repo.split('/')[1]!)],
    howToGet: `hf download ${repo} --local-dir ${join(root, repo.split('/')[1]!)}`
  })
  return {
    default: 'qwen2.5-3b-instruct',
    models: [model('qwen2.5-3b-instruct', 'Qwen/Qwen2.5-3B-Instruct', 3.09, true), model('qwen2.5-1.5b-instruct', 'Qwen/Qwen2.5-1.5B-Instruct', 1.54, false)]
  }
}

describe('helperModelFacts', () => {
  it('sizes an installed model by its safetensors files and leaves the missing one to the catalogue', async () => {
    const root = modelsFolder()
    const folder = join(root, 'Qwen2.5-3B-Instruct')
    mkdirSync(folder)
    writeFileSync(join(folder, 'model-00001-of-00002.safetensors'), Buffer.alloc(3000))
    writeFileSync(join(folder, 'model-00002-of-00002.safetensors'), Buffer.alloc(1000))
    writeFileSync(join(folder, 'config.json'), '{}')
    const facts = await helperModelFacts(listed(root, true))
    expect(facts?.map((fact) => [fact.id, fact.complete, fact.installedBytes])).toEqual([
      ['qwen2.5-3b-instruct', true, 4000],
      ['qwen2.5-1.5b-instruct', false, null]
    ])
    expect(await helperModelFacts(null)).toBeNull()
  })

  it('gives no size for a complete model whose folder has no safetensors files or cannot be read', async () => {
    const root = modelsFolder()
    const facts = await helperModelFacts(listed(root, true))
    expect(facts?.[0]).toMatchObject({ complete: true, installedBytes: null })
  })
})

describe('computeSystemState: the helper model in the snapshot', () => {
  const stubSidecar = (cudaAvailable: boolean): SidecarSupervisor => {
    const engines = [{ id: 'diffusers', label: 'Wan2.2 (diffusers)', available: true, reason: null, details: { cudaAvailable } }]
    return { ensure: () => Promise.resolve(), refreshModelsDir: () => Promise.resolve(), initialized: { engines }, state: 'ready', lastError: null } as unknown as SidecarSupervisor
  }

  async function snapshotWith(options: { cudaAvailable: boolean; planOverride: PlanOverride | null }) {
    const env = testEnv({
      WAN_STUDIO_NVIDIA_SMI: join(__dirname, '..', 'fixtures', 'nvidia-smi', 'fake-nvidia-smi.mjs'),
      FAKE_NVIDIA_SMI_CASE: 'rtx4090',
      WAN_STUDIO_RAM_MIB: String(128 * 1024)
    })
    const root = modelsFolder()
    const { snapshot } = await computeSystemState({
      version: 'test',
      dataDir: env.WAN_STUDIO_HOME!,
      paths: sourcePaths(env),
      env,
      sidecar: stubSidecar(options.cudaAvailable),
      settings: () => Promise.resolve({ modelsDir: root, planOverride: options.planOverride, metrics: { enabled: false, host: '127.0.0.1', port: 9464 }, comfyUiFolders: [] }),
      calibration: () => Promise.resolve([]),
      modelsDir: () => Promise.resolve(root),
      refreshModelsDir: false,
      helperModels: () => helperModelFacts(listed(root, false))
    })
    return snapshot
  }

  it('plans the missing default helper on the GPU the engine sees, beside the planner’s plan', async () => {
    const snapshot = await snapshotWith({ cudaAvailable: true, planOverride: null })
    const helper = snapshot.doctor.promptHelper!
    expect(helper).toMatchObject({ model: 'qwen2.5-3b-instruct', installed: false, used: false, placement: 'gpu', fitsGpu: true })
    expect(helper.reasons[0]).toMatch(/isn’t installed: .* hf download Qwen\/Qwen2\.5-3B-Instruct/)
    expect(helper.predicted.besideRenderRamMiB).toBe(Math.ceil(snapshot.effectivePlan.plan!.predicted.peakRamMiB) + 5894 + 571)
  })

  it('follows the engine’s CUDA report and the pinned plan’s RAM', async () => {
    const pin: PlanOverride = { model: 'ti2v-5b', precision: null, experts: null, textEncoder: null, vaeTiling: null, segmentFrames: null, compile: null, attention: null }
    const snapshot = await snapshotWith({ cudaAvailable: false, planOverride: pin })
    const helper = snapshot.doctor.promptHelper!
    expect(helper.placement).toBe('cpu')
    expect(snapshot.effectivePlan.plan!.model).toBe('ti2v-5b')
    expect(helper.predicted.besideRenderRamMiB).toBe(Math.ceil(snapshot.effectivePlan.plan!.predicted.peakRamMiB) + 5894 + 571)
  })
})
