import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { deletePreset, promptLibraryFile, readPromptLibrary, rememberPrompts, savePreset } from '../../src/main/project/promptLibrary'
import { PROMPT_HISTORY_LIMIT, searchPrompts } from '../../src/shared/promptLibrary'

const dataDir = (): string => mkdtempSync(join(tmpdir(), 'wan-prompts-'))
const preset = { name: 'Dusk', prompt: 'a harbour at dusk', negativePrompt: null, seconds: 3, steps: 30 }

describe('prompt library', () => {
  it('starts empty without a file', async () => {
    expect(await readPromptLibrary(dataDir())).toEqual({ formatVersion: 1, presets: [], history: [], notice: null })
  })

  it('saves presets by name (a second save replaces), sorted, and deletes them', async () => {
    const dir = dataDir()
    await savePreset(dir, preset, new Date('2026-01-01T00:00:00Z'))
    await savePreset(dir, { ...preset, name: 'Action', prompt: 'a car chase' })
    const library = await savePreset(dir, { ...preset, seconds: 5 }, new Date('2026-01-02T00:00:00Z'))
    expect(library.presets.map((known) => [known.name, known.seconds])).toEqual([
      ['Action', 3],
      ['Dusk', 5]
    ])
    expect((await readPromptLibrary(dir)).presets[1]?.savedAt).toBe('2026-01-02T00:00:00.000Z')
    expect((await deletePreset(dir, 'Action')).presets.map((known) => known.name)).toEqual(['Dusk'])
    // Written whole, atomically: no temp file left beside it.
    expect(readdirSync(dir)).toEqual(['prompt-library.json'])
  })

  it('keeps two quick saves made at once', async () => {
    const dir = dataDir()
    await Promise.all([savePreset(dir, preset), savePreset(dir, { ...preset, name: 'Other' }), rememberPrompts(dir, [{ prompt: 'a fox', negativePrompt: null }])])
    const library = await readPromptLibrary(dir)
    expect(library.presets.map((known) => known.name)).toEqual(['Dusk', 'Other'])
    expect(library.history.map((entry) => entry.prompt)).toEqual(['a fox'])
  })

  it('remembers queued prompts newest first, once each, blank ones skipped, at most the limit', async () => {
    const dir = dataDir()
    await rememberPrompts(dir, [{ prompt: 'a fox', negativePrompt: null }, { prompt: '  ', negativePrompt: null }])
    await rememberPrompts(dir, [{ prompt: 'a crow', negativePrompt: 'blur' }])
    const library = await rememberPrompts(dir, [{ prompt: 'a fox', negativePrompt: null }])
    expect(library.history.map((entry) => entry.prompt)).toEqual(['a fox', 'a crow'])
    await rememberPrompts(dir, Array.from({ length: PROMPT_HISTORY_LIMIT + 5 }, (_, index) => ({ prompt: `p${index}`, negativePrompt: null })))
    const full = await readPromptLibrary(dir)
    expect(full.history).toHaveLength(PROMPT_HISTORY_LIMIT)
    expect(full.history[0]?.prompt).toBe('p0')
  })

  it('moves a damaged file aside with a notice and starts a new one', async () => {
    const dir = dataDir()
    writeFileSync(promptLibraryFile(dir), '{"formatVersion": 1, "presets": [{"name": ""}], "history": []}')
    const library = await readPromptLibrary(dir)
    expect(library.presets).toEqual([])
    expect(library.notice).toMatch(/could not be read \(presets\.0\.name: the preset needs a name.*moved to .*prompt-library\.json\.damaged-/)
    const aside = readdirSync(dir).find((name) => name.startsWith('prompt-library.json.damaged-'))
    expect(aside && readFileSync(join(dir, aside), 'utf8')).toContain('"presets"')
    expect(existsSync(promptLibraryFile(dir))).toBe(false)
  })

  it('refuses a newer file rather than overwriting it', async () => {
    const dir = dataDir()
    writeFileSync(promptLibraryFile(dir), JSON.stringify({ formatVersion: 2, presets: [], history: [] }))
    expect((await savePreset(dir, preset)).notice).toMatch(/formatVersion/)
    expect(readdirSync(dir).some((name) => name.includes('damaged'))).toBe(true)
  })
})

describe('searchPrompts', () => {
  const history = [
    { prompt: 'A red fox runs through snow', negativePrompt: null, usedAt: '' },
    { prompt: 'a crow on a wire', negativePrompt: 'blurry, snow', usedAt: '' }
  ]
  it('finds entries holding every word, in either prompt, ignoring case', () => {
    expect(searchPrompts(history, 'SNOW').map((entry) => entry.prompt)).toEqual(['A red fox runs through snow', 'a crow on a wire'])
    expect(searchPrompts(history, 'fox snow').map((entry) => entry.prompt)).toEqual(['A red fox runs through snow'])
    expect(searchPrompts(history, 'fox wire')).toEqual([])
    expect(searchPrompts(history, '   ')).toHaveLength(2)
  })
})
