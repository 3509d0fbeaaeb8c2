// The prompts domain's handlers over the prompt library in the data folder, and the history's
// recording of what was queued. Recording never fails a render: a history that could not be saved
// is reported by the next prompts.library answer's notice.
import type { IpcHandlers } from '../../shared/ipc'
import type { Shot } from '../../shared/project'
import { deletePreset, readPromptLibrary, rememberPrompts, savePreset } from '../project/promptLibrary'

export type PromptHandlers = {
  handlers: IpcHandlers['prompts']
  /** Puts the queued shots' prompts first in the history. */
  remember: (shots: readonly Shot[]) => Promise<void>
}

export function createPromptHandlers(dataDir: string): PromptHandlers {
  let historyProblem: string | null = null
  return {
    handlers: {
      library: async () => {
        const library = await readPromptLibrary(dataDir)
        return { ...library, notice: library.notice ?? historyProblem }
      },
      savePreset: (preset) => savePreset(dataDir, preset),
      deletePreset: ({ name }) => deletePreset(dataDir, name)
    },
    remember: async (shots) => {
      try {
        await rememberPrompts(dataDir, shots)
        historyProblem = null
      } catch (error) {
        historyProblem = `The prompt history could not be saved: ${(error as Error).message}`
      }
    }
  }
}
