// The prompt helper model in the plan: which one, where it loads, its memory and load time, and
// what it does to the video model's plan.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { doctorReportSchema } from '../../src/shared/doctor'
import { promptHelperPlanSchema, type Plan } from '../../src/shared/plan'
import { doctor } from '../../src/main/doctor/doctor'
import { formatDoctorReport } from '../../src/main/doctor/report'
import { CUDA_CONTEXT_MIB, PROCESS_RAM_MIB } from '../../src/main/planner/costModel'
import { HELPER_CONTEXT_TOKENS, HELPER_MODEL_SHAPES } from '../../src/main/planner/helperModels'
import { formatPromptHelperPlan } from '../../src/main/planner/helperPlanText'
import { planRender } from '../../src/main/planner/planner'
import { planPromptHelper, promptHelperDevice, type HelperModelFacts, type PromptHelperInputs } from '../../src/main/planner/promptHelperPlan'
import { fakeEnv } from '../gpu/fakeNvidiaSmi'
import { CARDS, RAM_128_GB, REQUEST_720P } from './hardware'

const MIB = 2 ** 20
// What prompt.models answers (resources/sidecar/PROMPTING.md), with the installed files' size.
const THREE_B: HelperModelFacts = {
  id: 'qwen2.5-3b-instruct',
  repo: 'Qwen/Qwen2.5-3B-Instruct',
  parametersBillions: 3.09,
  default: true,
  complete: true,
  installedBytes: 6_171_877_432,
  howToGet: 'hf download Qwen/Qwen2.5-3B-Instruct --local-dir /m/Qwen2.5-3B-Instruct'
}
const ONE_AND_A_HALF_B: HelperModelFacts = {
  id: 'qwen2.5-1.5b-instruct',
  repo: 'Qwen/Qwen2.5-1.5B-Instruct',
  parametersBillions: 1.54,
  default: false,
  complete: false,
  howToGet: 'hf download Qwen/Qwen2.5-1.5B-Instruct --local-dir /m/Qwen2.5-1.5B-Instruct'
}

function videoPlan(card: keyof typeof CARDS): Plan {
  const result = planRender([CARDS[card]], RAM_128_GB, REQUEST_720P)
  if (!result.plan) throw new Error(`expected a plan for ${card}: ${result.refusal}`)
  return result.plan
}

function helperPlan(overrides: Partial<PromptHelperInputs> = {}): ReturnType<typeof planPromptHelper> {
  const plan = planPromptHelper({
    models: [THREE_B, ONE_AND_A_HALF_B],
    cudaAvailable: true,
    gpus: [CARDS.rtx4090],
    ramTotalMiB: RAM_128_GB,
    videoPlan: videoPlan('rtx4090'),
    ...overrides
  })
  expect(promptHelperPlanSchema.parse(plan)).toEqual(plan)
  return plan
}

describe('planPromptHelper', () => {
  it('puts the installed 3B on an idle 24 GB GPU, sized by its files, and unloads it before the video model', () => {
    const plan = helperPlan()
    expect(plan).toMatchObject({ model: 'qwen2.5-3b-instruct', used: true, installed: true, placement: 'gpu', gpuIndex: 0, fitsGpu: true })
    expect({ weightsBytes: plan.weightsBytes, weightsFrom: plan.weightsFrom }).toEqual({ weightsBytes: 6_171_877_432, weightsFrom: 'installed' })
    // KV cache 36 KiB a token and the prefill's MLP temporaries over the planned context.
    const runningMiB = Math.ceil((36 * 1024 * HELPER_CONTEXT_TOKENS + 3 * HELPER_CONTEXT_TOKENS * 11008 * 2) / MIB)
    const weightsMiB = Math.ceil(6_171_877_432 / MIB)
    expect(plan.predicted.peakVramMiB).toBe(CUDA_CONTEXT_MIB + weightsMiB + runningMiB)
    expect(plan.predicted.peakRamMiB).toBe(PROCESS_RAM_MIB + weightsMiB)
    // 1 s of setup + 6.17 GB at 0.5 GB/s + the copy over PCIe 4.0 x16 (31.5 GB/s).
    expect(plan.predicted.loadSeconds).toBeCloseTo(1 + 6.171877432 / 0.5 + 6.171877432 / 31.504, 1)
    const text = plan.reasons.join('\n')
    expect(text).toMatch(/runs on GPU 0: .* within the .* usable/)
    expect(text).toMatch(/0\.5 GB\/s \(a SATA SSD/)
    expect(text).toMatch(/unloaded \(prompt\.unload\) before the first segment .* video model’s plan \(peak .*\) is unaffected/)
    expect(plan.warnings).toEqual([])
    expect(plan.others.map((other) => [other.model, other.installed, other.weightsFrom])).toEqual([['qwen2.5-1.5b-instruct', false, 'catalogue']])
  })

  it('sends the 3B to the CPU on an 8 GB GPU, where the 1.5B still fits', () => {
    const three = helperPlan({ gpus: [CARDS.rtx3070], videoPlan: null })
    expect(three).toMatchObject({ placement: 'cpu', fitsGpu: false, gpuIndex: 0 })
    expect(three.predicted.peakVramMiB).toBe(0)
    expect(three.reasons.join('\n')).toMatch(/runs on the CPU: on GPU 0 it would need .* more than the 6,257 MiB usable/)
    expect(three.reasons.join('\n')).toMatch(/memory-mapped/)

    const small = helperPlan({ models: [{ ...THREE_B, complete: false, installedBytes: null }, { ...ONE_AND_A_HALF_B, complete: true }], gpus: [CARDS.rtx3070], videoPlan: null })
    expect(small).toMatchObject({ model: 'qwen2.5-1.5b-instruct', placement: 'gpu', fitsGpu: true, weightsBytes: 3_080_000_000, weightsFrom: 'catalogue' })
    expect(small.others.map((other) => other.model)).toEqual(['qwen2.5-3b-instruct'])
  })

  it('runs on the CPU when PyTorch sees no CUDA, or there is no GPU', () => {
    expect(helperPlan({ cudaAvailable: false })).toMatchObject({ placement: 'cpu', fitsGpu: true })
    expect(helperPlan({ cudaAvailable: false }).reasons.join('\n')).toMatch(/sees no CUDA device/)
    const noGpu = helperPlan({ gpus: [], videoPlan: null })
    expect(noGpu).toMatchObject({ placement: 'cpu', gpuIndex: null, fitsGpu: false })
    expect(noGpu.predicted.peakRamMiB).toBeGreaterThan(PROCESS_RAM_MIB + 6_171_877_432 / MIB)
  })

  it('says when RAM is tight beside a running render, and when it would not fit at all', () => {
    const video = videoPlan('rtx4090')
    const plan = helperPlan({ videoPlan: video })
    const besideMiB = plan.predicted.besideRenderRamMiB!
    expect(besideMiB).toBeGreaterThan(video.predicted.peakRamMiB)
    expect(plan.reasons.join('\n')).toMatch(/runs on the CPU beside the video model/)

    // Inside the RAM but within its 10% margin: tight.
    const tight = helperPlan({ videoPlan: video, ramTotalMiB: besideMiB + 1000 })
    expect(tight.warnings).toHaveLength(1)
    expect(tight.warnings[0]).toMatch(/^Tight: queued while a render runs, the prompt helper model on the CPU and the render \(.*\) need about .* the system may swap/)
    // Past the RAM: won't fit, with what to do.
    const over = helperPlan({ videoPlan: video, ramTotalMiB: besideMiB - 1000 })
    expect(over.warnings.join('\n')).toMatch(/^Won't fit: queued while a render runs, .* use the smaller Qwen\/Qwen2\.5-1\.5B-Instruct, or prepare the prompts \(Translate, Extend\) before the first render\.$/)
    // The idle GPU load still fits; only the concurrent case is flagged.
    expect(over.warnings).toHaveLength(1)
  })

  it('warns about the helper model alone on a machine without the RAM for it', () => {
    const plan = helperPlan({ gpus: [], videoPlan: null, ramTotalMiB: 8 * 1024 })
    expect(plan.warnings).toEqual([expect.stringMatching(/^Won't fit: the prompt helper model needs about .* of RAM; this machine has 8,192 MiB: use the smaller Qwen\/Qwen2\.5-1\.5B-Instruct\.$/)])
    const small = helperPlan({ models: [{ ...ONE_AND_A_HALF_B, complete: true }], gpus: [], videoPlan: null, ramTotalMiB: 6 * 1024 })
    expect(small.warnings).toEqual([expect.stringMatching(/^Won't fit: .*: free RAM first\.$/)])
  })

  it('shows the default model as missing, with its download command and no memory warnings', () => {
    const plan = helperPlan({ models: [{ ...THREE_B, complete: false, installedBytes: null }, ONE_AND_A_HALF_B], ramTotalMiB: 8 * 1024, gpus: [] })
    expect(plan).toMatchObject({ model: 'qwen2.5-3b-instruct', used: false, installed: false, weightsBytes: 6_180_000_000, weightsFrom: 'catalogue' })
    expect(plan.reasons[0]).toMatch(/isn’t installed: prompts go to the video model as typed .* hf download Qwen\/Qwen2\.5-3B-Instruct/)
    expect(plan.warnings).toEqual([])
  })

  it('lists the catalogue, installation unchecked, when the sidecar was not asked (the CLI doctor)', () => {
    const plan = helperPlan({ models: null, cudaAvailable: null })
    expect(plan).toMatchObject({ model: 'qwen2.5-3b-instruct', installed: null, used: null, placement: 'gpu' })
    expect(plan.reasons.join('\n')).toMatch(/wasn’t checked/)
    expect(plan.reasons.join('\n')).toMatch(/assuming the engine’s PyTorch sees the GPU/)
    expect(plan.others).toEqual([expect.objectContaining({ model: 'qwen2.5-1.5b-instruct', installed: null })])
  })

  it('still warns about RAM when nobody looked whether the model is installed', () => {
    expect(helperPlan({ models: null, gpus: [], videoPlan: null, ramTotalMiB: 8 * 1024 }).warnings).toEqual([expect.stringMatching(/^Won't fit: /)])
  })
})

describe('promptHelperDevice: the Studio’s rule', () => {
  const idle = { cudaAvailable: true, rendering: false, videoModelCached: false, fitsGpu: true }
  it('uses the GPU only when idle, CUDA is there, no pipeline is cached and the model fits', () => {
    expect(promptHelperDevice(idle)).toBe('cuda')
    expect(promptHelperDevice({ ...idle, rendering: true })).toBe('cpu')
    expect(promptHelperDevice({ ...idle, videoModelCached: true })).toBe('cpu')
    expect(promptHelperDevice({ ...idle, cudaAvailable: false })).toBe('cpu')
    expect(promptHelperDevice({ ...idle, fitsGpu: false })).toBe('cpu')
  })
})

describe('the planner’s helper models', () => {
  it('agree with the sidecar’s catalogue (ids, repositories, parameters, default)', () => {
    const catalog = readFileSync(join(__dirname, '../../resources/sidecar/wan_sidecar/prompting/catalog.py'), 'utf8')
    const specs = [...catalog.matchAll(/HelperModelSpec\("([^"]+)", "([^"]+)", ([\d.]+),/g)].map(([, id, repo, params]) => ({ id, repo, parametersBillions: Number(params) }))
    const defaultId = /DEFAULT_HELPER_MODEL = "([^"]+)"/.exec(catalog)?.[1]
    expect(specs.length).toBeGreaterThan(0)
    expect(HELPER_MODEL_SHAPES.map(({ id, repo, parametersBillions }) => ({ id, repo, parametersBillions }))).toEqual(specs)
    expect(HELPER_MODEL_SHAPES.filter((shape) => shape.default).map((shape) => shape.id)).toEqual([defaultId])
  })
})

describe('formatPromptHelperPlan: the doctor’s text', () => {
  it('says which model, whether installed, where it runs, its memory, load time, reasons and warnings', () => {
    const video = videoPlan('rtx4090')
    const beside = helperPlan({ videoPlan: video }).predicted.besideRenderRamMiB!
    const lines = formatPromptHelperPlan(helperPlan({ videoPlan: video, ramTotalMiB: beside + 1000 }))
    expect(lines[0]).toBe('Prompt helper: Qwen/Qwen2.5-3B-Instruct (installed), 6.17 GB bf16 (its files)')
    expect(lines[1]).toMatch(/^ {2}predicted: on GPU 0, [\d,]+ MiB GPU memory, [\d,]+ MiB RAM, loads in about 14 s; beside a running render \(on the CPU\) [\d,]+ MiB RAM$/)
    expect(lines[2]).toBe('  also known: Qwen/Qwen2.5-1.5B-Instruct (missing), 3.08 GB bf16 (the catalogue)')
    expect(lines.filter((line) => line.startsWith('  - '))).toHaveLength(4)
    expect(lines.at(-1)).toMatch(/^ {2}! Tight: /)
    const unchecked = formatPromptHelperPlan(helperPlan({ models: null, cudaAvailable: false, videoPlan: null }))
    expect(unchecked.slice(0, 3)).toEqual([
      'Prompt helper: Qwen/Qwen2.5-3B-Instruct (installation not checked), 6.18 GB bf16 (the catalogue)',
      expect.stringMatching(/^ {2}predicted: on the CPU, [\d,]+ MiB RAM, loads in about 13 s$/),
      '  also known: Qwen/Qwen2.5-1.5B-Instruct (installation not checked), 3.08 GB bf16 (the catalogue)'
    ])
  })
})

describe('the doctor’s report carries the helper model', () => {
  it('plans it beside the doctor’s plan and prints it after the plan', async () => {
    const report = await doctor({ env: fakeEnv('rtx4090'), timeoutMs: 1000 })
    expect(doctorReportSchema.parse(report)).toEqual(report)
    expect(report.promptHelper).toMatchObject({ model: 'qwen2.5-3b-instruct', installed: null, placement: 'gpu', gpuIndex: 0 })
    // Weights (5,894 MiB) plus KV cache and prefill work (571 MiB) on top of the render's RAM.
    expect(report.promptHelper!.predicted.besideRenderRamMiB).toBe(Math.ceil(report.plan!.predicted.peakRamMiB) + 5894 + 571)
    const text = formatDoctorReport(report)
    expect(text.indexOf('Prompt helper: Qwen/Qwen2.5-3B-Instruct (installation not checked)')).toBeGreaterThan(text.indexOf('Plan (GPU 0'))
  })

  it('uses what the sidecar said: installed models and whether torch sees CUDA', async () => {
    const report = await doctor({ env: fakeEnv('rtx4090'), timeoutMs: 1000, helperModels: [THREE_B, ONE_AND_A_HALF_B], cudaAvailable: false })
    expect(report.promptHelper).toMatchObject({ installed: true, used: true, weightsFrom: 'installed', placement: 'cpu' })
  })
})
