// The benchmark's flags and prompt list, checked before anything starts: a problem is a UsageError
// (exit 2) that names the flag or the file and line.
import { existsSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'

export class UsageError extends Error {}

export const USAGE = `node scripts/bench-translation.mjs [options]

Renders every prompt x seed twice with the same seed, translate=never ("as typed") and
translate=always ("translated"), and writes the pairs side by side for a person to compare.

  --prompts FILE     prompt list (.txt one a line, .csv or .jsonl with a prompt column)
                     [scripts/bench-translation/prompts.txt: 6 English, 6 Japanese]
  --seeds LIST       comma-separated seeds, each pair rendered with each [1,2]
  --seconds N        length of every clip [5: one 81-frame segment]
  --out DIR          where clips, side-by-side files, pairs.json and index.html go [bench-translation-out]
  --models DIR       models folder (Wan2.2 weights, the helper model) [WAN_STUDIO_MODELS_DIR,
                     else the app's models folder setting]
  --engine E         real | synthetic [real when the real engine can render here, else synthetic]
  --mode M           quality | fast (the 4-step Lightning LoRAs) [quality]
  --draft            render at the draft size (832x480), scaled up in the clips: a quicker first look
  --tiny-helper      build a tiny random-weight helper model (as the tests do) and use it:
                     plumbing only, the translations are meaningless
  --help`

const SEED_MAX = 2 ** 32 - 1
const ENGINES = { real: 'diffusers', synthetic: 'synthetic' }
const MODES = ['quality', 'fast']

/** Whole decimal seeds, each once: `0x10` or `1e3` is a typo here, not a number to guess at. */
export function parseSeeds(text) {
  const parts = text.split(',').map((part) => part.trim())
  if (parts.some((part) => part === '')) throw new UsageError(`--seeds: "${text}" has an empty entry; give comma-separated whole numbers, e.g. 1,2`)
  const seeds = parts.map((part) => {
    if (!/^\d+$/.test(part) || Number(part) > SEED_MAX) throw new UsageError(`--seeds: "${part}" is not a whole number from 0 to ${SEED_MAX}`)
    return Number(part)
  })
  const repeated = seeds.find((seed, index) => seeds.indexOf(seed) !== index)
  if (repeated !== undefined) throw new UsageError(`--seeds: ${repeated} is given twice`)
  return seeds
}

/** The options from `argv`, or null when --help was asked. `shotSeconds` is the project's seconds schema. */
export function parseOptions(argv, { repoRoot, shotSeconds }) {
  let values
  try {
    ;({ values } = parseArgs({
      args: argv,
      options: {
        prompts: { type: 'string', default: join(repoRoot, 'scripts', 'bench-translation', 'prompts.txt') },
        seeds: { type: 'string', default: '1,2' },
        seconds: { type: 'string', default: '5' },
        out: { type: 'string', default: 'bench-translation-out' },
        models: { type: 'string' },
        engine: { type: 'string' },
        mode: { type: 'string', default: 'quality' },
        draft: { type: 'boolean', default: false },
        'tiny-helper': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false }
      }
    }))
  } catch (error) {
    throw new UsageError(`${error.message} (--help lists the flags)`)
  }
  if (values.help) return null
  if (values.engine !== undefined && !(values.engine in ENGINES)) throw new UsageError(`--engine: "${values.engine}" is not one of real, synthetic`)
  if (!MODES.includes(values.mode)) throw new UsageError(`--mode: "${values.mode}" is not one of ${MODES.join(', ')}`)
  if (!/^\d+(\.\d+)?$/.test(values.seconds.trim())) throw new UsageError(`--seconds: "${values.seconds}" is not a number`)
  const seconds = shotSeconds.safeParse(Number(values.seconds))
  if (!seconds.success) throw new UsageError(`--seconds: ${seconds.error.issues[0].message}`)
  let models = null
  if (values.models !== undefined) {
    models = resolve(values.models)
    if (!existsSync(models) || !statSync(models).isDirectory()) throw new UsageError(`--models: ${models} is not a folder`)
  }
  return {
    promptFile: resolve(values.prompts),
    seeds: parseSeeds(values.seeds),
    seconds: seconds.data,
    out: resolve(values.out),
    models,
    engine: values.engine === undefined ? null : ENGINES[values.engine],
    mode: values.mode,
    draft: values.draft,
    tinyHelper: values['tiny-helper']
  }
}

/**
 * The prompts of the list, through the batch import's own reader (strict UTF-8, .txt/.csv/.jsonl,
 * every row validated); a refused row or an empty list is a UsageError naming the file and line.
 */
export async function readPrompts(core, file) {
  let list
  try {
    list = core.importList(file, await core.readPromptList(file), core.batchDefaultsSchema.parse({}))
  } catch (error) {
    if (error instanceof core.BatchFileError) throw new UsageError(`--prompts: ${error.message}`)
    throw error
  }
  if (list.rejected.length > 0) {
    throw new UsageError(`--prompts: ${list.rejected.map((problem) => `${file}:${problem.line}: ${problem.message}`).join('\n')}`)
  }
  if (list.jobs.length === 0) throw new UsageError(`--prompts: ${file} has no prompts (one a line; blank lines and # comments are skipped)`)
  return list.jobs.map((job) => ({ prompt: job.prompt, negativePrompt: job.negativePrompt ?? null }))
}
