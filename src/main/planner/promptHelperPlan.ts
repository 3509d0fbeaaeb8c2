// The prompt helper model in the memory plan (docs/planner.md, "The prompt helper model"): which one
// queueing would use, where it loads, its peak RAM and GPU memory, its load time, and whether the
// video model's plan still holds. Pure: the caller passes what the sidecar and the models folder said.
import type { DoctorGpu } from '../../shared/doctor'
import type { HelperModelPlanEntry, Plan, PromptHelperPlan } from '../../shared/plan'
import { vramMarginMiB } from '../../shared/vramMargin'
import { CUDA_CONTEXT_MIB, PROCESS_RAM_MIB } from './costModel'
import { formatDuration, formatMiB } from './format'
import { gpuProfile, type GpuProfile } from './gpuProfile'
import { ramMarginMiB } from './planner'
import { HELPER_BYTES_PER_PARAM, HELPER_CONTEXT_TOKENS, HELPER_MODEL_SHAPES, helperShape, kvCacheBytesPerToken, prefillWorkBytes } from './helperModels'

const MIB = 2 ** 20

/**
 * Disk read speed the load time assumes: a SATA SSD's ~0.5 GB/s sequential read. An NVMe drive
 * reads 3-7 GB/s and a warm page cache faster still, so the estimate errs long; a hard disk
 * (~0.15 GB/s) takes about three times as long. No measured figure exists yet (docs/benchmarks.md
 * has no bench_prompt_helper.py run).
 */
export const HELPER_DISK_READ_GBPS = 0.5
/** Tokenizer, config and model setup: the 1.5B's shape loaded in 1.0 s from a warm cache (docs/prompting.md). */
export const HELPER_LOAD_SETUP_SECONDS = 1

/** A helper model as the sidecar's prompt.models lists it (HelperModelInfo fits), plus its files' size when installed. */
export type HelperModelFacts = {
  id: string
  repo: string
  parametersBillions: number
  default: boolean
  /** A complete copy is in the models folder; null when nobody looked. */
  complete: boolean | null
  /** The installed safetensors files' total size; absent or null when not installed or not measured. */
  installedBytes?: number | null
  /** The command that downloads it. */
  howToGet?: string | null
}

export type PromptHelperInputs = {
  /** The sidecar's helper models; null when it wasn't asked (the catalogue's, installation unknown). */
  models: readonly HelperModelFacts[] | null
  /** Whether the engine's torch sees CUDA; null when it wasn't asked (nvidia-smi's GPUs stand in). */
  cudaAvailable: boolean | null
  gpus: readonly DoctorGpu[]
  ramTotalMiB: number
  /** The video model's plan in effect: the helper must not change it; null when there is none. */
  videoPlan: Plan | null
}

/** What decides the device when a prompt is prepared: the Studio's rule, and the plan's. */
export type HelperDeviceNow = { cudaAvailable: boolean; rendering: boolean; videoModelCached: boolean; fitsGpu: boolean }

/** The GPU only while no render needs it, torch sees CUDA, no Wan2.2 pipeline is cached there and the model fits. */
export function promptHelperDevice(now: HelperDeviceNow): 'cuda' | 'cpu' {
  return now.cudaAvailable && !now.rendering && !now.videoModelCached && now.fitsGpu ? 'cuda' : 'cpu'
}

export function planPromptHelper(inputs: PromptHelperInputs): PromptHelperPlan {
  const facts = (inputs.models ?? catalogueFacts()).filter((model) => helperShape(model.id))
  if (facts.length === 0) throw new Error('planPromptHelper: no helper model the planner knows was listed')
  const ordered = [...facts].sort((a, b) => Number(b.default) - Number(a.default))
  const chosen = ordered.find((model) => model.complete === true) ?? ordered[0]!
  const shape = helperShape(chosen.id)!
  const entry = planEntry(chosen)
  const used = chosen.complete

  const weightsMiB = Math.ceil(entry.weightsBytes / MIB)
  const runningMiB = Math.ceil((kvCacheBytesPerToken(shape) * HELPER_CONTEXT_TOKENS + prefillWorkBytes(shape)) / MIB)
  const gpu = helperGpu(inputs.gpus)
  const gpuVramMiB = CUDA_CONTEXT_MIB + weightsMiB + runningMiB
  const usableVramMiB = gpu ? gpu.freeMiB - vramMarginMiB(gpu.totalMiB) : 0
  const fitsGpu = gpu !== null && gpuVramMiB <= usableVramMiB
  const onGpu = inputs.cudaAvailable !== false && fitsGpu
  const cpuRamMiB = PROCESS_RAM_MIB + weightsMiB + runningMiB
  // On the GPU the weights pass through RAM on their way (from_pretrained, then .to("cuda")).
  const peakRamMiB = onGpu ? PROCESS_RAM_MIB + weightsMiB : cpuRamMiB
  const copySeconds = onGpu && gpu ? entry.weightsBytes / (gpu.speed.pcieGBps * 1e9) : 0
  const loadSeconds = HELPER_LOAD_SETUP_SECONDS + entry.weightsBytes / (HELPER_DISK_READ_GBPS * 1e9) + copySeconds
  const besideRenderRamMiB = inputs.videoPlan ? Math.ceil(inputs.videoPlan.predicted.peakRamMiB) + cpuRamMiB - PROCESS_RAM_MIB : null

  const reasons: string[] = [whatItIs(entry, chosen)]
  const warnings: string[] = []
  const needs = `${formatMiB(gpuVramMiB)} (CUDA context ${formatMiB(CUDA_CONTEXT_MIB)}, weights ${formatMiB(weightsMiB)}, KV cache and prefill work ${formatMiB(runningMiB)} for ${HELPER_CONTEXT_TOKENS.toLocaleString('en-US')} tokens)`
  if (!gpu) reasons.push('It runs on the CPU: no GPU the engine can use.')
  else if (inputs.cudaAvailable === false) reasons.push('It runs on the CPU: the engine’s PyTorch sees no CUDA device.')
  else if (!fitsGpu) {
    reasons.push(`It runs on the CPU: on GPU ${gpu.index} it would need ${needs}, more than the ${formatMiB(usableVramMiB)} usable (${formatMiB(gpu.freeMiB)} free minus the safety margin).`)
  } else {
    const assumed = inputs.cudaAvailable === null ? ' (assuming the engine’s PyTorch sees the GPU nvidia-smi lists)' : ''
    reasons.push(`Queued with nothing rendering, it runs on GPU ${gpu.index}${assumed}: ${needs}, within the ${formatMiB(usableVramMiB)} usable.`)
  }
  reasons.push(
    `Loading takes about ${formatDuration(loadSeconds)}: ${(entry.weightsBytes / 1e9).toFixed(2)} GB read at an assumed ${HELPER_DISK_READ_GBPS} GB/s (a SATA SSD; NVMe or a warm page cache is faster), ` +
      `${HELPER_LOAD_SETUP_SECONDS} s of setup${onGpu ? ', and the copy to the GPU' : '; on the CPU the weights are memory-mapped and read as the first tokens need them'}.`
  )
  reasons.push(unloadReason(inputs.videoPlan))
  const smaller = HELPER_MODEL_SHAPES.filter((other) => other.parametersBillions < entry.parametersBillions).map((other) => other.repo)[0]
  const useSmaller = smaller ? `use the smaller ${smaller}` : 'free RAM first'
  if (used !== false) warnings.push(...ramWarnings(peakRamMiB, inputs.ramTotalMiB, 'the prompt helper model needs', useSmaller))
  if (besideRenderRamMiB !== null) {
    const videoRamMiB = inputs.videoPlan!.predicted.peakRamMiB
    const besideWarnings = used !== false
      ? ramWarnings(besideRenderRamMiB, inputs.ramTotalMiB, `queued while a render runs, the prompt helper model on the CPU and the render (${formatMiB(videoRamMiB)}) need`, `${useSmaller}, or prepare the prompts (Translate, Extend) before the first render`)
      : []
    warnings.push(...besideWarnings)
    if (besideWarnings.length === 0) {
      reasons.push(
        `Queued while a render runs, or after one (the Wan2.2 pipeline stays cached on the GPU), it runs on the CPU beside the video model ` +
          `and keeps its memory until the next job starts: ${formatMiB(besideRenderRamMiB)} of RAM with the render’s ${formatMiB(videoRamMiB)}, of ${formatMiB(inputs.ramTotalMiB)}.`
      )
    }
  }

  return {
    ...entry,
    used,
    placement: onGpu ? 'gpu' : 'cpu',
    gpuIndex: gpu ? gpu.index : null,
    fitsGpu,
    predicted: {
      peakVramMiB: onGpu ? gpuVramMiB : 0,
      peakRamMiB,
      loadSeconds: Math.round(loadSeconds * 10) / 10,
      besideRenderRamMiB
    },
    others: ordered.filter((model) => model !== chosen).map(planEntry),
    reasons,
    warnings
  }
}

/** The sidecar's "cuda" is its CUDA device 0: GPU 0 in nvidia-smi's order, which the sidecar keeps (PCI bus order). */
function helperGpu(gpus: readonly DoctorGpu[]): GpuProfile | null {
  const first = [...gpus].sort((a, b) => a.index - b.index)[0]
  if (!first) return null
  const profile = gpuProfile(first)
  return 'unusable' in profile ? null : profile
}

function catalogueFacts(): HelperModelFacts[] {
  return HELPER_MODEL_SHAPES.map((shape) => ({ id: shape.id, repo: shape.repo, parametersBillions: shape.parametersBillions, default: shape.default, complete: null }))
}

function planEntry(model: HelperModelFacts): HelperModelPlanEntry {
  const installed = model.complete === true && typeof model.installedBytes === 'number' && model.installedBytes > 0
  return {
    model: model.id,
    repo: model.repo,
    parametersBillions: model.parametersBillions,
    installed: model.complete,
    weightsBytes: installed ? Math.round(model.installedBytes!) : Math.round(model.parametersBillions * 1e9 * HELPER_BYTES_PER_PARAM),
    weightsFrom: installed ? 'installed' : 'catalogue'
  }
}

function whatItIs(entry: HelperModelPlanEntry, model: HelperModelFacts): string {
  const size = `${entry.parametersBillions} B parameters, ${(entry.weightsBytes / 1e9).toFixed(2)} GB of bf16 weights, ${entry.weightsFrom === 'installed' ? 'as installed' : '2 bytes a parameter'}`
  if (model.complete === true) {
    return `${entry.repo} (${size}) prepares prompts at queue time, before the video model: translation as each shot’s translate setting says (auto: prompts not in Chinese) and extension when asked.`
  }
  const download = model.howToGet ? ` Download it with: ${model.howToGet}` : ''
  if (model.complete === null) return `${entry.repo} (${size}): whether it is installed wasn’t checked here (the System tab asks the sidecar, which looks in the models folder); when it is, it prepares prompts at queue time.${download}`
  return `${entry.repo} (${size}) isn’t installed: prompts go to the video model as typed (translate auto), and translate always or extension is refused.${download}`
}

function unloadReason(videoPlan: Plan | null): string {
  const unloaded = 'It is unloaded (prompt.unload) before the first segment of every real-engine job'
  if (!videoPlan) return `${unloaded}, so the video model loads with the memory it had.`
  return `${unloaded}: the video model’s plan (peak ${formatMiB(videoPlan.predicted.peakVramMiB)} of GPU memory, ${formatMiB(videoPlan.predicted.peakRamMiB)} of RAM) is unaffected.`
}

/** "Won't fit: <who> about X of RAM; …" past the RAM, "Tight: …" inside its margin, else nothing. */
function ramWarnings(needMiB: number, totalMiB: number, who: string, remedy: string): string[] {
  if (needMiB > totalMiB) return [`Won't fit: ${who} about ${formatMiB(needMiB)} of RAM; this machine has ${formatMiB(totalMiB)}: ${remedy}.`]
  if (needMiB > totalMiB - ramMarginMiB(totalMiB)) return [`Tight: ${who} about ${formatMiB(needMiB)} of the ${formatMiB(totalMiB)} of RAM; the system may swap: ${remedy}.`]
  return []
}
