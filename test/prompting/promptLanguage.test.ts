import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { PROMPT_LANGUAGES, detectPromptLanguage, isChinesePrompt, languageLabel } from '../../src/shared/promptLanguage'

const fixtureRow = z
  .object({
    prompt: z.string().min(1),
    language: z.enum([...PROMPT_LANGUAGES, 'mixed']),
    /** For a mixed prompt, the two languages it mixes. */
    languages: z.array(z.enum(PROMPT_LANGUAGES)).length(2).optional()
  })
  .strict()

const fixture = readFileSync(join(__dirname, 'fixtures', 'prompts.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim())
  .map((line, index) => {
    const row = fixtureRow.safeParse(JSON.parse(line))
    if (!row.success) throw new Error(`prompts.jsonl line ${index + 1}: ${row.error.message}`)
    return row.data
  })

describe('detectPromptLanguage on the fixture', () => {
  it('holds at least 60 short prompts in eight languages plus mixed ones', () => {
    expect(fixture.length).toBeGreaterThanOrEqual(60)
    const labels = new Set(fixture.map((row) => row.language))
    expect([...labels].sort()).toEqual([...PROMPT_LANGUAGES, 'mixed'].sort())
    for (const row of fixture) {
      const words = row.prompt.split(/\s+/u).length
      const isSpaceless = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u.test(row.prompt) && words < 3
      // 3-25 words; a Chinese or Japanese prompt has no spaces, so its characters count instead (<= 60)
      if (isSpaceless) expect([...row.prompt].length, row.prompt).toBeLessThanOrEqual(60)
      else expect(words, row.prompt).toBeGreaterThanOrEqual(3)
      expect(words, row.prompt).toBeLessThanOrEqual(25)
    }
  })

  it('labels at least 95% of them right, and every mixed one with its two languages', () => {
    const confusion = new Map<string, Map<string, number>>()
    const wrong: string[] = []
    for (const row of fixture) {
      const detected = detectPromptLanguage(row.prompt)
      const counts = confusion.get(row.language) ?? new Map<string, number>()
      counts.set(detected.label, (counts.get(detected.label) ?? 0) + 1)
      confusion.set(row.language, counts)
      const mixedRight =
        row.languages === undefined ||
        [...row.languages].sort().join() ===
          detected.languages
            .slice(0, 2)
            .map((entry) => entry.language)
            .sort()
            .join()
      if (detected.label !== row.language || !mixedRight) wrong.push(`${row.language} -> ${languageLabel(detected)}: ${row.prompt}`)
    }
    const right = fixture.length - wrong.length
    const labels = [...PROMPT_LANGUAGES, 'mixed']
    const seen = [...new Set([...labels, ...[...confusion.values()].flatMap((row) => [...row.keys()])])]
    const table = [
      ['expected \\ detected', ...seen].join('\t'),
      ...labels.map((label) => [label, ...seen.map((column) => confusion.get(label)?.get(column) ?? 0)].join('\t'))
    ]
    console.log(`prompt language: ${right}/${fixture.length} right (${((100 * right) / fixture.length).toFixed(1)}%)\n${table.join('\n')}`)
    if (wrong.length) console.log(`wrong:\n${wrong.join('\n')}`)
    expect(right / fixture.length).toBeGreaterThanOrEqual(0.95)
  })
})

describe('detectPromptLanguage rules', () => {
  it('keeps a name in another script inside a Chinese prompt Chinese', () => {
    const detected = detectPromptLanguage('赛博朋克风格的东京街头，霓虹灯下的 Tokyo 夜景')
    expect(detected.label).toBe('zh')
    // eld reads the lone "Tokyo" as romanised Japanese; whatever it says, it is a small share
    expect(detected.languages[0]).toMatchObject({ language: 'zh' })
    expect(detected.languages[1]?.share).toBeLessThan(0.2)
    expect(isChinesePrompt(detected)).toBe(true)
  })

  it('labels a prompt half Chinese, half English mixed, with shares that sum to 1', () => {
    const detected = detectPromptLanguage('一个女孩在樱花树下跳舞, slow motion, cinematic lighting with soft pink bokeh')
    expect(detected.label).toBe('mixed')
    expect(detected.languages.reduce((sum, entry) => sum + entry.share, 0)).toBeCloseTo(1, 10)
    expect(languageLabel(detected)).toMatch(/^Mixed: (Chinese|English) \d+%, (Chinese|English) \d+%$/)
    expect(isChinesePrompt(detected)).toBe(false)
  })

  it('tells two Latin-script languages apart clause by clause', () => {
    const detected = detectPromptLanguage('A woman walks along the river at dusk. La lumière dorée tombe doucement sur les quais de pierre')
    expect(detected.label).toBe('mixed')
    expect(detected.languages.map((entry) => entry.language).sort()).toEqual(['en', 'fr'])
  })

  it('does not split a one-language prompt on its short clauses', () => {
    expect(detectPromptLanguage('cinematic, 4k, golden hour, slow dolly, a fox in the snow').label).toBe('en')
  })

  it('calls a prompt without letters unknown', () => {
    expect(detectPromptLanguage('')).toEqual({ label: 'unknown', languages: [], reliable: false })
    expect(detectPromptLanguage('  123 ... !!  ').label).toBe('unknown')
    expect(detectPromptLanguage('42').label).toBe('unknown')
  })
})
