// `wan-studio prompt`: a prompt's language, and its translation and extension by a tiny
// random-weight helper model, through the built CLI; `render --model-prompt` renders an edited one.
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { projectFromFlags, UsageError, type RenderFlags } from '../../src/main/cli/renderArgs'
import type { ExportDescription } from '../../src/main/media/exportMetadata'
import type { PromptTaskResult } from '../../src/main/prompting/schemas'
import { runCli } from '../helpers/cli'
import { testEnv } from '../helpers/studio'
import { hasTransformers, writeTinyHelperModel } from '../helpers/tinyHelperModel'


interface PromptJson {
  prompt: string
  language: string
  translation: PromptTaskResult | null
  extension: PromptTaskResult | null
}

/** A models folder holding the tiny helper model the sidecar's tests build (nothing downloaded). */
function modelsWithTinyHelper(): string {
  const models = join(mkdtempSync(join(tmpdir(), 'wan-cli-prompt-models-')), 'models')
  writeTinyHelperModel(join(models, 'Qwen2.5-1.5B-Instruct'))
  return models
}

describe('wan-studio prompt', () => {
  it("names the prompt's language and what auto translation would do, without starting the sidecar", async () => {
    const japanese = await runCli(['prompt', '雨の夜の東京、傘をさした人々が交差点を渡る'], { env: testEnv() })
    expect(japanese.code, japanese.stderr).toBe(0)
    expect(japanese.stdout).toBe('language: Japanese\ntranslate auto: translated into Chinese before the model reads it (see --translate)\n')
    const chinese = await runCli(['prompt', '一只红狐狸在黄昏的深雪中奔跑', '--json'], { env: testEnv() })
    expect(JSON.parse(chinese.stdout)).toMatchObject({ prompt: '一只红狐狸在黄昏的深雪中奔跑', language: 'zh' })
  })

  it.each([
    [['prompt', 'a fox\u0007in snow'], /error: prompt has control character U\+0007 at position 6/],
    [['prompt', '   '], /error: the prompt is empty/],
    [['prompt', 'a fox', '--extend', '--seed', '0x10'], /error: --seed: "0x10" is not a whole decimal number/],
    [['prompt', 'a fox', '--extend', '--seed', '4294967296'], /error: --seed: 4294967296 is above 4294967295/]
  ])('exits 2 naming the problem: %j', async (args, message) => {
    const run = await runCli(args, { env: testEnv() })
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(message)
  })

  it('without a helper model, --translate exits 1 with the download command', async () => {
    const models = join(mkdtempSync(join(tmpdir(), 'wan-cli-prompt-none-')), 'models')
    mkdirSync(models)
    const run = await runCli(['prompt', 'a red fox', '--translate'], { env: testEnv({ WAN_STUDIO_MODELS_DIR: models }) })
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(`error: the helper model Qwen/Qwen2.5-3B-Instruct is not in ${join(models, 'Qwen2.5-3B-Instruct')}; download it with: hf download Qwen/Qwen2.5-3B-Instruct --local-dir`)
  })

  it.skipIf(!hasTransformers)(
    'translates and extends locally, the extension reproducible from its seed and both answered from the cache the second time',
    async () => {
      const env = testEnv({ WAN_STUDIO_MODELS_DIR: modelsWithTinyHelper() })
      const args = ['prompt', 'a red fox runs through the snow', '--translate', '--extend', '--seed', '7', '--json']
      const first = await runCli(args, { env })
      expect(first.code, first.stderr).toBe(0)
      const made = JSON.parse(first.stdout) as PromptJson
      expect(made.language).toBe('en')
      expect(made.translation).toMatchObject({ task: 'translate', model: 'qwen2.5-1.5b-instruct', seed: null, cached: false })
      expect(made.extension).toMatchObject({ task: 'extend', model: 'qwen2.5-1.5b-instruct', seed: 7, cached: false })
      expect(made.extension!.systemPrompt).toMatch(/^Wan2\.2 wan\/utils\/system_prompt\.py:/)

      const again = await runCli(args, { env })
      const cached = JSON.parse(again.stdout) as PromptJson
      expect([cached.translation!.cached, cached.extension!.cached]).toEqual([true, true])
      expect([cached.translation!.text, cached.extension!.text]).toEqual([made.translation!.text, made.extension!.text])

      const text = await runCli(['prompt', 'a red fox runs through the snow', '--extend', '--seed', '7'], { env })
      expect(text.stdout).toBe(`language: English\nextension (qwen2.5-1.5b-instruct, seed 7, cached): ${made.extension!.text}\n`)
    },
    300_000
  )
})

describe('render --model-prompt', () => {
  const flags = (fields: Partial<RenderFlags>): RenderFlags => ({
    prompt: ['a heron', 'a crane'], seconds: ['1'], engine: 'synthetic', mode: 'quality', exportFps: '16', format: 'h264', size: '1280x720', out: 'x.mp4', metricsHost: '127.0.0.1', ...fields
  })

  it("sets each shot's accepted model prompt, '' leaving a shot to --translate; a count that doesn't match the prompts is refused", () => {
    const project = projectFromFlags(flags({ modelPrompt: ['一只苍鹭', ''] }))
    expect(project.shots.map((shot) => shot.modelPrompt)).toEqual([{ text: '一只苍鹭', typed: 'a heron' }, undefined])
    expect(() => projectFromFlags(flags({ modelPrompt: ['一只苍鹭'] }))).toThrow(new UsageError("--model-prompt is given 1 times for 2 shots: give it once per --prompt ('' leaves that shot to --translate)"))
    expect(() => projectFromFlags(flags({ modelPrompt: ['一只\u0000苍鹭', ''] }))).toThrow('shot 1: model prompt has control character U+0000 at position 3')
  })

  it('renders the edited text and records both prompts in the export JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wan-cli-model-prompt-'))
    const args = ['render', '--prompt', 'a heron wades at dawn', '--model-prompt', '一只苍鹭在黎明时涉水', '--seconds', '1', '--seed', '3', '--engine', 'synthetic', '--translate', 'always']
    // 'always' without a helper model would be refused: the edited model prompt needs none.
    const run = await runCli([...args, '--out', join(dir, 'heron.mp4'), '--work-dir', join(dir, 'work')], { env: testEnv({ WAN_STUDIO_MODELS_DIR: dir }) })
    expect(run.code, run.stderr).toBe(0)
    const description = JSON.parse(readFileSync(join(dir, 'heron.wan-studio.json'), 'utf8')) as ExportDescription
    expect(description.shots[0]).toMatchObject({ prompt: 'a heron wades at dawn', modelPrompt: '一只苍鹭在黎明时涉水' })
  }, 120_000)
})
