// The `prompt` IPC domain over the Studio's helper model: its weights check, and a prompt's
// translation and extension offered to the user (the language itself is detected in the renderer).
import type { IpcHandlers } from '../../shared/ipc'
import type { PromptSuggestion } from '../../shared/promptHelper'
import type { PromptTaskResult } from '../prompting/schemas'
import { describeSidecarError } from '../sidecar/supervisor'
import type { PromptService } from './promptService'

function suggestion(result: PromptTaskResult): PromptSuggestion {
  return { task: result.task, text: result.text, model: result.model, seed: result.seed, cached: result.cached, elapsedSeconds: result.elapsedSeconds }
}

export function createPromptModelHandlers(prompts: PromptService): IpcHandlers['prompt'] {
  return {
    models: async () => {
      try {
        const listed = await prompts.models()
        if (!listed) return { models: [], ready: false, problem: 'no models folder is set: the helper model lives there (Settings, or WAN_STUDIO_MODELS_DIR)' }
        return { models: listed.models, ready: listed.models.some((model) => model.complete), problem: null }
      } catch (error) {
        return { models: [], ready: false, problem: `the helper models could not be listed: ${describeSidecarError(error)}` }
      }
    },
    translate: async ({ prompt }) => suggestion(await prompts.translate(prompt)),
    extend: async ({ prompt, seed }) => suggestion(await prompts.extend(prompt, seed))
  }
}
