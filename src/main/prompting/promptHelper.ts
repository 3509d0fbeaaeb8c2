// The studio's side of prompt handling: a prompt's language (pure, src/shared/promptLanguage.ts), and
// its translation and extension by the sidecar's helper model (prompt.* methods, PROMPTING.md).
// The sidecar call comes in as a function, so this layer needs neither the sidecar nor the Studio.
import type { z } from 'zod'
import type { TranslateMode } from '../../shared/project'
import { translatesPrompt } from '../../shared/modelPrompt'
import { detectPromptLanguage, type PromptLanguage } from '../../shared/promptLanguage'
import {
  promptModelsResultSchema,
  promptStatusResultSchema,
  promptTaskResultSchema,
  promptUnloadResultSchema,
  type HelperDevice,
  type HelperLoad,
  type HelperModelId,
  type PromptModelsResult,
  type PromptTaskResult
} from './schemas'

/** auto: translate when the prompt (after extension) is not Chinese throughout; always; never. */
export { TRANSLATE_MODES, type TranslateMode } from '../../shared/project'

/** Sends one request to the sidecar and resolves with its raw result, or rejects with its error. */
export type SidecarCall = (method: string, params: Record<string, unknown>) => Promise<unknown>

export interface PromptHelperOptions {
  call: SidecarCall
  /** The models folder the helper model lives in; null when none is set. */
  modelsDir: () => Promise<string | null>
  /** Absolute path of the JSON cache, in a folder the sidecar's initialize allows. */
  cacheFile: string
  /** Which helper model; the sidecar's default (Qwen2.5-3B-Instruct) when absent. */
  model?: HelperModelId
  /** Where to load it now: the caller knows whether the GPU is free. */
  device?: () => HelperDevice
  /** Longest answer in tokens; the sidecar's default (512, as Wan2.2's extender) when absent. */
  maxNewTokens?: number
}

export interface PromptPreparation {
  translate: TranslateMode
  /** Extend the prompt with this seed first (Wan2.2's extension, into Chinese); no extension when absent. */
  extendSeed?: number
}

export interface PreparedPrompt {
  typed: string
  /** The language of the prompt as typed. */
  language: PromptLanguage
  extended: PromptTaskResult | null
  translated: PromptTaskResult | null
  /** What the video model receives: the translation, else the extension, else the prompt as typed. */
  modelPrompt: string
}

export class PromptHelperError extends Error {}

export class PromptHelper {
  constructor(private readonly options: PromptHelperOptions) {}

  detect(prompt: string): PromptLanguage {
    return detectPromptLanguage(prompt)
  }

  /** Whether `mode` translates `prompt` (the shared rule: src/shared/modelPrompt.ts). */
  needsTranslation(prompt: string, mode: TranslateMode): boolean {
    return translatesPrompt(prompt, mode)
  }

  /** The prompt in Simplified Chinese (greedy decoding: one answer per prompt and model). */
  async translate(prompt: string): Promise<PromptTaskResult> {
    return this.task('prompt.translate', { prompt })
  }

  /** Wan2.2's extension of the prompt, in `language`, reproducible from `seed`. */
  async extend(prompt: string, seed: number, language: 'zh' | 'en' = 'zh'): Promise<PromptTaskResult> {
    return this.task('prompt.extend', { prompt, seed, language })
  }

  /** Extension (when asked), then translation (as `translate` says), and what the model will receive. */
  async prepare(typed: string, preparation: PromptPreparation): Promise<PreparedPrompt> {
    const extended = preparation.extendSeed === undefined ? null : await this.extend(typed, preparation.extendSeed)
    const candidate = extended?.text ?? typed
    const translated = this.needsTranslation(candidate, preparation.translate) ? await this.translate(candidate) : null
    return {
      typed,
      language: detectPromptLanguage(typed),
      extended,
      translated,
      modelPrompt: translated?.text ?? candidate
    }
  }

  /** Frees the helper model's memory (before the video model needs it); what was loaded, or null. */
  async unload(): Promise<HelperLoad | null> {
    return parse('prompt.unload', promptUnloadResultSchema, await this.options.call('prompt.unload', {})).unloaded
  }

  async loaded(): Promise<HelperLoad | null> {
    return parse('prompt.status', promptStatusResultSchema, await this.options.call('prompt.status', {})).loaded
  }

  /** Every helper model the sidecar knows, with what is missing and its download command (the weights check). */
  async models(): Promise<PromptModelsResult> {
    const modelsDir = await this.requireModelsDir()
    return parse('prompt.models', promptModelsResultSchema, await this.options.call('prompt.models', { modelsDir }))
  }

  private async task(method: 'prompt.translate' | 'prompt.extend', params: Record<string, unknown>): Promise<PromptTaskResult> {
    const request: Record<string, unknown> = {
      ...params,
      modelsDir: await this.requireModelsDir(),
      cacheFile: this.options.cacheFile,
      device: this.options.device?.() ?? 'cpu'
    }
    if (this.options.model) request.model = this.options.model
    if (this.options.maxNewTokens) request.maxNewTokens = this.options.maxNewTokens
    return parse(method, promptTaskResultSchema, await this.options.call(method, request))
  }

  private async requireModelsDir(): Promise<string> {
    const dir = await this.options.modelsDir()
    if (!dir) throw new PromptHelperError('no models folder is set: the helper model for translation and extension lives there (Settings, or WAN_STUDIO_MODELS_DIR)')
    return dir
  }
}

function parse<S extends z.ZodType>(method: string, schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value)
  if (!parsed.success) {
    const [issue] = parsed.error.issues
    const detail = issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : parsed.error.message
    throw new PromptHelperError(`the sidecar answered ${method} with an unexpected result: ${detail}`)
  }
  return parsed.data
}
