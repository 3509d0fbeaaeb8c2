// What each shot's model receives, prepared before the shots are resolved (resolveShot is pure):
// the accepted model prompt, else the prompt translated (and extended, when asked) by the helper
// model as the shot's translate setting says, else the prompt as typed. docs/prompting.md. Which of
// them is modelPromptSource's rule, the one the editor's out-of-date marker follows too.
import { modelPromptSource } from '../../shared/modelPrompt'
import { shotTranslateMode, type Project } from '../../shared/project'
import { detectPromptLanguage, languageLabel } from '../../shared/promptLanguage'
import type { PreparedPrompt, PromptHelper } from '../prompting/promptHelper'
import { RenderRequestError } from '../render/resolveShot'

/** The helper to use, or why there is none (a sentence ending with the download command). */
export type HelperAvailability = { helper: PromptHelper } | { missing: string }

export interface ShotPromptOptions {
  /** Extend every shot's prompt first (Wan2.2's extension, seeded with the shot's seed): the CLI's --extend. */
  extend: boolean
  /** Asked only when some shot needs the helper model. */
  helper: () => Promise<HelperAvailability>
}

export interface PreparedShotPrompts {
  /** Shot id -> what its model receives, for shots where that is not the prompt as typed. */
  modelPrompts: Record<string, string>
  /** What was done, worth telling the user. */
  notes: string[]
  /** Prompts that go to the model untranslated because no helper model is present. */
  warnings: string[]
}

/** `project`'s shots must have their seeds drawn when `extend` is set (the extension is seeded with them). */
export async function prepareShotPrompts(project: Project, options: ShotPromptOptions): Promise<PreparedShotPrompts> {
  const modelPrompts: Record<string, string> = {}
  const notes: string[] = []
  const warnings: string[] = []
  let availability: Promise<HelperAvailability> | null = null
  for (const [index, shot] of project.shots.entries()) {
    const typed = shot.prompt.trim()
    if (typed === '') continue // resolveShot refuses it with its own message
    const source = modelPromptSource(project.settings, shot)
    if (source.from === 'accepted') {
      if (source.text !== typed) modelPrompts[shot.id] = source.text
      continue
    }
    if (source.from === 'typed' && !options.extend) continue
    const translate = shotTranslateMode(project.settings, shot)
    const language = detectPromptLanguage(typed)
    availability ??= options.helper()
    const found = await availability
    if ('missing' in found) {
      if (options.extend) throw new RenderRequestError(`shot ${index + 1}: --extend needs the helper model: ${found.missing}`)
      if (translate === 'always') throw new RenderRequestError(`shot ${index + 1}: translate is 'always', but ${found.missing}`)
      warnings.push(`shot ${index + 1}: the prompt (${languageLabel(language)}) goes to the model untranslated, because ${found.missing}`)
      continue
    }
    if (options.extend && shot.seed === null) throw new RenderRequestError(`shot ${index + 1} has no seed yet to extend its prompt with`)
    let prepared: PreparedPrompt
    try {
      prepared = await found.helper.prepare(typed, { translate, ...(options.extend && shot.seed !== null ? { extendSeed: shot.seed } : {}) })
    } catch (error) {
      // Asked for explicitly, a failure refuses the render; under auto the typed prompt still renders.
      const why = `the helper model failed: ${(error as Error).message}`
      if (options.extend || translate === 'always') throw new RenderRequestError(`shot ${index + 1}: ${why}`)
      warnings.push(`shot ${index + 1}: the prompt (${languageLabel(language)}) goes to the model untranslated, because ${why}`)
      continue
    }
    if (prepared.modelPrompt !== typed) {
      modelPrompts[shot.id] = prepared.modelPrompt
      const done = [prepared.extended ? 'extended' : null, prepared.translated ? 'translated into Chinese' : null].filter(Boolean).join(' and ')
      notes.push(`shot ${index + 1}: the prompt (${languageLabel(language)}) was ${done}; the model receives: ${prepared.modelPrompt}`)
    }
  }
  return { modelPrompts, notes, warnings }
}
