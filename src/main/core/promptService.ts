// The Studio's helper model: translation and extension through the sidecar's prompt.* methods
// (resources/sidecar/PROMPTING.md), with the cache in <data>/prompting/ (inside the sidecar's
// allowedRoots). The first complete helper model, the default first, is the one used.
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { PromptHelper, PromptHelperError, type SidecarCall } from '../prompting/promptHelper'
import type { HelperDevice, PromptModelsResult, PromptTaskResult } from '../prompting/schemas'
import { describeSidecarError, type SidecarSupervisor } from '../sidecar/supervisor'
import type { HelperAvailability } from './shotPrompts'

export interface PromptServiceOptions {
  sidecar: SidecarSupervisor
  dataDir: string
  modelsDir: () => Promise<string | null>
  /** Where the helper model loads now (the GPU only while no render needs it). */
  device: () => HelperDevice
  log: (level: 'info' | 'warning', message: string) => void
}

/** The folder the prompt cache lives in; the sidecar must be allowed to write there. */
export function promptCacheDir(dataDir: string): string {
  return join(dataDir, 'prompting')
}

export class PromptService {
  private readonly call: SidecarCall

  constructor(private readonly options: PromptServiceOptions) {
    this.call = async (method, params) => {
      await mkdir(promptCacheDir(options.dataDir), { recursive: true })
      const client = await options.sidecar.ensure()
      return client.request(method, params, z.unknown())
    }
  }

  private helperFor(model?: PromptModelsResult['default']): PromptHelper {
    return new PromptHelper({
      call: this.call,
      modelsDir: this.options.modelsDir,
      cacheFile: join(promptCacheDir(this.options.dataDir), 'prompt-cache.json'),
      device: this.options.device,
      ...(model ? { model } : {})
    })
  }

  /** Every helper model, complete or not, with its download command; null when no models folder is set. */
  async models(): Promise<PromptModelsResult | null> {
    if (!(await this.options.modelsDir())) return null
    return this.helperFor().models()
  }

  /** A helper over the first complete helper model, or why there is none (ending with the download command). */
  async availability(): Promise<HelperAvailability> {
    const models = await this.models()
    if (!models) return { missing: 'no models folder is set, and the helper model lives there (Settings, or WAN_STUDIO_MODELS_DIR)' }
    const ordered = [...models.models].sort((a, b) => Number(b.default) - Number(a.default))
    const complete = ordered.find((model) => model.complete)
    if (complete) return { helper: this.helperFor(complete.id) }
    const wanted = ordered[0]
    if (!wanted) return { missing: 'the sidecar knows no helper model' }
    return { missing: `the helper model ${wanted.repo} is not in ${wanted.path}; download it with: ${wanted.howToGet}` }
  }

  async translate(prompt: string): Promise<PromptTaskResult> {
    return (await this.requireHelper()).translate(prompt)
  }

  async extend(prompt: string, seed: number): Promise<PromptTaskResult> {
    return (await this.requireHelper()).extend(prompt, seed)
  }

  /** Frees the helper model's memory before the video model needs it; a sidecar not running holds none. */
  async unload(): Promise<void> {
    if (this.options.sidecar.state !== 'ready') return
    try {
      const unloaded = await this.helperFor().unload()
      if (unloaded) this.options.log('info', `unloaded the helper model ${unloaded.model} (${unloaded.device}, ${Math.round(unloaded.weightsMiB)} MiB) before the video model loads`)
    } catch (error) {
      this.options.log('warning', `could not unload the helper model: ${describeSidecarError(error)}`)
    }
  }

  private async requireHelper(): Promise<PromptHelper> {
    const found = await this.availability()
    if ('missing' in found) throw new PromptHelperError(found.missing)
    return found.helper
  }
}
