// scripts/bench-translation.mjs end to end: one English and one Japanese prompt, one seed, on the
// synthetic engine with the tiny random-weight helper model the script builds (--tiny-helper), and
// its refusals (exit 2) of bad input.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { findFfprobe } from '../../src/main/media/ffmpegPath'
import { runNodeScript, type CliRun } from '../helpers/cli'
import { ffmpegFor, repoRoot, testEnv } from '../helpers/studio'
import { hasTransformers } from '../helpers/tinyHelperModel'

const SCRIPT = join(repoRoot, 'scripts', 'bench-translation.mjs')
const TINY_LABEL = 'plumbing only: random-weight helper, output meaningless'

const probeEnv = testEnv()
const ffprobe = findFfprobe(ffmpegFor(probeEnv))

function bench(args: string[], env: NodeJS.ProcessEnv = testEnv()): Promise<CliRun> {
  return runNodeScript(SCRIPT, args, { env, cwd: repoRoot })
}

/** Width, height and the counted frames of a video's first stream. */
function probe(path: string): { width: number; height: number; frames: number } {
  const run = spawnSync(ffprobe!, ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=width,height,nb_read_frames', '-of', 'json', path], { encoding: 'utf8' })
  const stream = (JSON.parse(run.stdout) as { streams: { width: number; height: number; nb_read_frames: string }[] }).streams[0]!
  return { width: stream.width, height: stream.height, frames: Number(stream.nb_read_frames) }
}

function promptFile(dir: string, lines: string[]): string {
  const file = join(dir, 'prompts.txt')
  writeFileSync(file, lines.join('\n'))
  return file
}

interface Half {
  modelPrompt: string
  clip: string
  segmentsRendered: number
}
interface Pair {
  id: string
  prompt: string
  language: { label: string }
  seed: number
  translation: { text: string; ms: number; cached: boolean }
  asTyped: Half
  translated: Half
  sameModelPrompt: boolean
  sideBySide: { file: string; width: number; height: number; frames: number; labelled: boolean }
}

const ENGLISH = 'a red fox runs through fresh snow at sunrise'
const JAPANESE = '雨の夜の東京、傘をさした人々が交差点を渡る'

describe('bench-translation.mjs', () => {
  it.skipIf(!hasTransformers || !ffprobe)(
    'renders each prompt as typed and translated with the same seed and writes them side by side, with pairs.json and index.html',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'wan-bench-translation-'))
      const out = join(dir, 'out')
      const run = await bench(['--prompts', promptFile(dir, [ENGLISH, JAPANESE]), '--seeds', '7', '--seconds', '0.5', '--out', out, '--engine', 'synthetic', '--tiny-helper'])
      expect(run.code, run.stderr).toBe(0)
      expect(run.stdout).toContain(TINY_LABEL)
      expect(run.stdout).toContain('synthetic engine (--engine synthetic)')
      expect(run.stdout).toMatch(/translate ms[\s\S]*render s as typed[\s\S]*translation ms per prompt/)

      const written = JSON.parse(readFileSync(join(out, 'pairs.json'), 'utf8')) as { engine: string; helper: { tiny: boolean; label: string }; pairs: Pair[] }
      expect(written.engine).toBe('synthetic')
      expect(written.helper).toMatchObject({ tiny: true, label: TINY_LABEL })
      expect(written.pairs.map((pair) => [pair.id, pair.prompt, pair.language.label, pair.seed])).toEqual([
        ['p01-seed7', ENGLISH, 'en', 7],
        ['p02-seed7', JAPANESE, 'ja', 7]
      ])
      for (const pair of written.pairs) {
        // As typed, the model gets the prompt; translated, the helper model's answer: not the same text.
        expect(pair.asTyped.modelPrompt).toBe(pair.prompt)
        expect(pair.translated.modelPrompt).toBe(pair.translation.text.trim())
        expect(pair.translated.modelPrompt).not.toBe(pair.prompt)
        expect(pair.sameModelPrompt).toBe(false)
        expect(pair.translation.cached).toBe(false)
        expect(pair.translation.ms).toBeGreaterThan(0)
        expect([pair.asTyped.segmentsRendered, pair.translated.segmentsRendered]).toEqual([1, 1])

        const asTyped = probe(join(out, pair.asTyped.clip))
        const translated = probe(join(out, pair.translated.clip))
        expect(asTyped).toEqual({ width: 1280, height: 720, frames: 8 })
        expect(translated).toEqual(asTyped)
        const sideBySide = probe(join(out, pair.sideBySide.file))
        expect(sideBySide).toEqual({ width: asTyped.width * 2, height: asTyped.height, frames: asTyped.frames })
        expect(pair.sideBySide).toMatchObject({ ...sideBySide, labelled: true })
      }
      const html = readFileSync(join(out, 'index.html'), 'utf8')
      expect(html).toContain(TINY_LABEL)
      for (const pair of written.pairs) expect(html).toContain(`src="${pair.sideBySide.file}"`)
      expect(html).toContain('雨の夜の東京')
    },
    240_000
  )

  it('refuses bad input with exit 2 and a message naming the flag or file, before writing anything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wan-bench-translation-bad-'))
    const out = join(dir, 'out')
    const missing = await bench(['--prompts', join(dir, 'nope.txt'), '--out', out])
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringContaining(`--prompts: can't read ${join(dir, 'nope.txt')}: no such file`) })
    const empty = await bench(['--prompts', promptFile(dir, ['# nothing but a comment', '']), '--out', out])
    expect(empty).toMatchObject({ code: 2, stderr: expect.stringContaining('has no prompts') })
    const seeds = await bench(['--prompts', promptFile(dir, [ENGLISH]), '--seeds', '1,0x10', '--out', out])
    expect(seeds).toMatchObject({ code: 2, stderr: expect.stringContaining('--seeds: "0x10" is not a whole number') })
    expect(existsSync(out)).toBe(false)
  }, 60_000)

  it.skipIf(!hasTransformers)('refuses a models folder without a helper model (exit 2) with the download command', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wan-bench-translation-nohelper-'))
    const models = join(dir, 'models')
    mkdirSync(models)
    const run = await bench(['--prompts', promptFile(dir, [ENGLISH]), '--models', models, '--engine', 'synthetic', '--out', join(dir, 'out')])
    expect(run.code, run.stderr).toBe(2)
    expect(run.stderr).toContain(`hf download Qwen/Qwen2.5-3B-Instruct --local-dir ${join(models, 'Qwen2.5-3B-Instruct')}`)
    expect(run.stderr).toContain('--tiny-helper')
    expect(existsSync(join(dir, 'out', 'pairs.json'))).toBe(false)
  }, 120_000)
})
