// The prompt library in the data folder (prompt-library.json): presets and the history of queued
// prompts. Every change is read-modify-write under one in-process lock and written atomically; a
// damaged or newer file is set aside with a notice, never half-loaded or overwritten.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  PROMPT_HISTORY_LIMIT,
  PROMPT_LIBRARY_FORMAT_VERSION,
  promptLibrarySchema,
  type PromptLibrary,
  type PromptLibraryView,
  type SavePresetParams
} from '../../shared/promptLibrary'
import type { Shot } from '../../shared/project'
import { setAsideDamaged, writeJsonAtomic } from './atomicFile'

export function promptLibraryFile(dataDir: string): string {
  return join(dataDir, 'prompt-library.json')
}

const empty: PromptLibrary = { formatVersion: PROMPT_LIBRARY_FORMAT_VERSION, presets: [], history: [] }

/** The library, or an empty one when there is no file; a file that fails its schema is moved aside. */
export async function readPromptLibrary(dataDir: string): Promise<PromptLibraryView> {
  const path = promptLibraryFile(dataDir)
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ...empty, notice: null }
    throw new Error(`can't read the prompt library ${path}: ${(error as Error).message}`, { cause: error })
  }
  let problem: string
  try {
    const parsed = promptLibrarySchema.safeParse(JSON.parse(text))
    if (parsed.success) return { ...parsed.data, notice: null }
    problem = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'file'}: ${issue.message}`).join('; ')
  } catch (error) {
    problem = `not JSON: ${(error as Error).message}`
  }
  const aside = await setAsideDamaged(path)
  return { ...empty, notice: `The prompt library ${path} could not be read (${problem}); it was moved to ${aside} and a new one started.` }
}

// One change at a time per file, so two quick saves never lose one another's edit.
const pending = new Map<string, Promise<unknown>>()

async function change(dataDir: string, edit: (library: PromptLibrary) => PromptLibrary): Promise<PromptLibraryView> {
  const path = promptLibraryFile(dataDir)
  const run = (pending.get(path) ?? Promise.resolve()).catch(() => undefined).then(async () => {
    const { notice, ...library } = await readPromptLibrary(dataDir)
    const next = edit(library)
    await writeJsonAtomic(path, next)
    return { ...next, notice }
  })
  pending.set(path, run)
  try {
    return await run
  } finally {
    if (pending.get(path) === run) pending.delete(path)
  }
}

/** Saves a preset under its name (replacing one of the same name), presets kept sorted by name. */
export function savePreset(dataDir: string, preset: SavePresetParams, now = new Date()): Promise<PromptLibraryView> {
  return change(dataDir, (library) => ({
    ...library,
    presets: [...library.presets.filter((known) => known.name !== preset.name), { ...preset, savedAt: now.toISOString() }].sort((a, b) => a.name.localeCompare(b.name))
  }))
}

export function deletePreset(dataDir: string, name: string): Promise<PromptLibraryView> {
  return change(dataDir, (library) => ({ ...library, presets: library.presets.filter((known) => known.name !== name) }))
}

/** Puts the shots' prompts first in the history (once each, blank ones skipped), keeping the newest PROMPT_HISTORY_LIMIT. */
export function rememberPrompts(dataDir: string, shots: readonly Pick<Shot, 'prompt' | 'negativePrompt'>[], now = new Date()): Promise<PromptLibraryView> {
  const usedAt = now.toISOString()
  const key = (entry: Pick<Shot, 'prompt' | 'negativePrompt'>): string => JSON.stringify([entry.prompt, entry.negativePrompt])
  const fresh = shots.filter((shot) => shot.prompt.trim().length > 0).map((shot) => ({ prompt: shot.prompt, negativePrompt: shot.negativePrompt, usedAt }))
  return change(dataDir, (library) => {
    const seen = new Set<string>()
    const history = [...fresh, ...library.history].filter((entry) => {
      const id = key(entry)
      if (seen.has(id)) return false
      seen.add(id)
      return true
    })
    return { ...library, history: history.slice(0, PROMPT_HISTORY_LIMIT) }
  })
}
