// Prompt lists with hostile content: every row either runs or is refused with its file, the
// physical line it starts on and why; the good rows run whatever the bad ones hold.
import { readFileSync } from 'node:fs'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { BatchFileError, decodeUtf8, importList, readPromptList } from '../../src/main/batch/importList'
import { batchDefaultsSchema, estimatePromptTokens, TEXT_ENCODER_MAX_TOKENS } from '../../src/shared/batch'

const defaults = batchDefaultsSchema.parse({})

function fixture(name: string) {
  const text = decodeUtf8(name, readFileSync(join(__dirname, 'fixtures', name)))
  return importList(name, text, defaults)
}

describe('importing a prompt list', () => {
  it('CSV with a BOM and CRLF: quoted commas, quotes and newlines, CJK, right-to-left text and emoji; bad rows named by the line they start on', () => {
    const list = fixture('hostile.csv')
    expect(list.jobs.map((job) => [job.line, job.name, job.prompt])).toEqual([
      [2, 'fox', 'a red fox, running; through "deep" snow'],
      [3, null, 'a quiet\ntemple at dawn\n三重塔'],
      [6, '../x', 'مرحبا بالعالم — a desert at night 🌙'],
      [7, 'CON', 'a cat on a windowsill 🐈'],
      [8, 'a/b', '富士山の朝焼け'],
      [9, 'n'.repeat(300), 'a lighthouse in fog'],
      [20, 'fox', 'a second fox'],
      [21, 'NUL.txt', 'a kettle on a stove']
    ])
    expect(list.jobs[0]).toMatchObject({ seed: 7, seconds: 1, size: '1280x720', steps: null, negativePrompt: null })
    expect(list.jobs[2]!.size).toBe('720x1280')
    expect(list.rejected).toEqual([
      { file: 'hostile.csv', line: 10, message: 'seed "0x10" is not a whole decimal number' },
      { file: 'hostile.csv', line: 11, message: 'seed must be at least 0' },
      { file: 'hostile.csv', line: 12, message: 'seed must be below 2^32' },
      { file: 'hostile.csv', line: 13, message: 'seconds must be greater than 0' },
      { file: 'hostile.csv', line: 14, message: 'size must be 1280x720 or 720x1280' },
      { file: 'hostile.csv', line: 15, message: 'prompt is missing or empty' },
      { file: 'hostile.csv', line: 16, message: 'steps must be at least 1' },
      { file: 'hostile.csv', line: 17, message: 'prompt has control character U+0001 at position 7' },
      // A quoted name spanning lines 18 and 19: the row starts on 18.
      { file: 'hostile.csv', line: 18, message: 'seed "1.5" is not a whole decimal number' }
    ])
    expect(list.warnings).toEqual([{ file: 'hostile.csv', line: 1, message: expect.stringMatching(/^unknown column "mood" ignored/) }])
  })

  it('JSONL with CRLF: bad JSON, non-objects, a missing prompt, numbers out of range, an unknown key', () => {
    const list = fixture('hostile.jsonl')
    expect(list.jobs.map((job) => [job.line, job.name, job.prompt, job.seed, job.seconds])).toEqual([
      [1, null, 'a heron in the reeds', 3, 1],
      [10, 'Trailing dots...', 'trimmed', 42, 5]
    ])
    expect(list.rejected.map((problem) => [problem.line, problem.message])).toEqual([
      [2, expect.stringMatching(/^bad JSON: /)],
      [3, 'not a JSON object (an array)'],
      [4, 'not a JSON object (string)'],
      [5, 'prompt is missing or empty'],
      [6, 'seed must be a whole number'],
      [7, 'seconds must be greater than 0'],
      [8, 'size must be 1280x720 or 720x1280'],
      [11, 'prompt must be text']
    ])
    expect(list.warnings.map((warning) => [warning.line, warning.message])).toEqual([[8, expect.stringMatching(/^unknown key "extra" ignored/)]])
  })

  it('TXT with a BOM and CRLF: one trimmed prompt a line, blank lines and # comments skipped, lines counted as in an editor', () => {
    const list = fixture('hostile.txt')
    expect(list.jobs.map((job) => [job.line, job.prompt])).toEqual([
      [3, 'a red fox in snow'],
      [4, 'שלום — the sea at dawn'],
      [7, '烟花 over the harbour 🎆']
    ])
    expect(list.rejected).toEqual([])
  })

  it("a row's values win over the defaults given on the command line", () => {
    const list = importList('list.csv', 'prompt,seconds,seed\nfox,2,\nowl,,9\n', batchDefaultsSchema.parse({ seconds: 3, seed: 1, engine: 'synthetic' }))
    expect(list.jobs.map((job) => [job.seconds, job.seed])).toEqual([
      [2, 1],
      [3, 9]
    ])
  })

  it('a prompt over the text encoder’s 512 tokens runs, with a warning that it will be cut', () => {
    const long = 'a slow pan across a misty valley '.repeat(60)
    const list = importList('long.txt', `${long}\nshort\n`, defaults)
    expect(list.jobs).toHaveLength(2)
    expect(list.jobs[0]!.warnings).toEqual([expect.stringMatching(/the text encoder reads 512 and cuts the rest/)])
    expect(list.jobs[1]!.warnings).toEqual([])
    // The estimate errs high: one token per non-ASCII character, three ASCII characters per token.
    expect(estimatePromptTokens('富士山'.repeat(200))).toBeGreaterThan(TEXT_ENCODER_MAX_TOKENS)
    expect(estimatePromptTokens('a fox')).toBe(3)
  })

  it('a stray quote costs its row, not the rest of the CSV', () => {
    const list = importList('quote.csv', 'prompt,seed\nfox,1\nowl "big",2\nbear,3\n', defaults)
    expect(list.jobs.map((job) => job.prompt)).toContain('bear')
    expect(list.rejected.map((problem) => problem.line)).toEqual([3])
  })

  it('a CSV without a prompt column, an unknown extension, a missing file, a folder and non-UTF-8 text are refused whole', async () => {
    expect(importList('x.csv', 'name,text\na,b\n', defaults).rejected).toEqual([{ file: 'x.csv', line: 1, message: expect.stringMatching(/no "prompt" column/) }])
    expect(() => importList('list.xlsx', 'x', defaults)).toThrow(BatchFileError)
    const dir = await mkdtemp(join(tmpdir(), 'wan-batch-read-'))
    await expect(readPromptList(join(dir, 'missing.txt'))).rejects.toThrow(/no such file/)
    await expect(readPromptList(dir + '.txt')).rejects.toThrow(BatchFileError)
    await writeFile(join(dir, 'latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]))
    await expect(readPromptList(join(dir, 'latin1.txt'))).rejects.toThrow(/is not UTF-8 text/)
  })
})
