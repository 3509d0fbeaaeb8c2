// `wan-studio prompt TEXT`: a prompt's language, and with --translate / --extend what the local
// helper model makes of it, so a translation or an extension can be read and edited before a render
// uses it (`render --model-prompt`). Nothing leaves the machine: the helper model runs in the sidecar.
import { randomInt } from 'node:crypto'
import { join } from 'node:path'
import { detectPromptLanguage, isChinesePrompt, languageLabel } from '../../shared/promptLanguage'
import { promptTextSchema } from '../../shared/render'
import { describeSidecarError } from '../sidecar/supervisor'
import type { PromptTaskResult } from '../prompting/schemas'
import { defaultDataDir } from '../project/dataDir'
import { createWorkStudio } from './cliSession'
import { parseWholeNumber, UsageError } from './renderArgs'

const EXIT_OK = 0
const EXIT_FAILED = 1
const MAX_SEED = 2 ** 32 - 1

export interface PromptFlags {
  translate?: boolean
  extend?: boolean
  seed?: string
  json?: boolean
}

function checkedPrompt(text: string): string {
  const parsed = promptTextSchema('prompt').safeParse(text)
  if (!parsed.success) throw new UsageError(parsed.error.issues[0]!.message)
  if (parsed.data.trim() === '') throw new UsageError('the prompt is empty')
  return parsed.data
}

function describeTask(result: PromptTaskResult): string {
  const how = [result.model, result.seed === null ? null : `seed ${result.seed}`, result.cached ? 'cached' : `${result.elapsedSeconds.toFixed(1)} s`]
  return `${result.task === 'translate' ? 'translation' : 'extension'} (${how.filter(Boolean).join(', ')}): ${result.text}`
}

export async function promptCommand(text: string, flags: PromptFlags): Promise<number> {
  const prompt = checkedPrompt(text)
  // Wan2.2's extension samples, so it is reproducible only from its seed: drawn when not given, and printed.
  const seed = flags.seed === undefined ? randomInt(0, 2 ** 32) : parseWholeNumber('seed', flags.seed)
  if (seed > MAX_SEED) throw new UsageError(`--seed: ${seed} is above ${MAX_SEED}`)
  const language = detectPromptLanguage(prompt)
  const say = (line: string): void => void (flags.json ? undefined : process.stdout.write(`${line}\n`))
  say(`language: ${languageLabel(language) || 'unknown'}`)
  if (!flags.translate && !flags.extend) {
    say(isChinesePrompt(language) ? 'translate auto: sent to the model as typed' : 'translate auto: translated into Chinese before the model reads it (see --translate)')
    if (flags.json) process.stdout.write(JSON.stringify({ prompt, language: language.label, languages: language.languages }, null, 2) + '\n')
    return EXIT_OK
  }

  const studio = createWorkStudio(join(defaultDataDir(), 'cli-work', 'prompt'))
  try {
    const translation = flags.translate ? await studio.prompts.translate(prompt) : null
    if (translation) say(describeTask(translation))
    const extension = flags.extend ? await studio.prompts.extend(prompt, seed) : null
    if (extension) say(describeTask(extension))
    if (flags.json) process.stdout.write(JSON.stringify({ prompt, language: language.label, languages: language.languages, translation, extension }, null, 2) + '\n')
    return EXIT_OK
  } catch (error) {
    process.stderr.write(`error: ${describeSidecarError(error)}\n`)
    return EXIT_FAILED
  } finally {
    await studio.close()
  }
}
