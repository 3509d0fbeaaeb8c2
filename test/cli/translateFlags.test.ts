// `wan-studio render --translate` and `--extend`: the project they make, their usage errors, a refusal
// without a helper model, and a synthetic render through the built CLI whose prompt a tiny
// random-weight helper model translates, with both prompts in the export's JSON.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { projectFromFlags, UsageError, type RenderFlags } from '../../src/main/cli/renderArgs'
import type { ExportDescription } from '../../src/main/media/exportMetadata'
import { testEnv } from '../helpers/studio'
import { runCli, type CliRun } from '../helpers/cli'
import { hasTransformers, writeTinyHelperModel } from '../helpers/tinyHelperModel'


const cli = (args: string[], env: NodeJS.ProcessEnv): Promise<CliRun> => runCli(args, { env })

function flags(fields: Partial<RenderFlags>): RenderFlags {
  return { prompt: ['a heron'], seconds: ['1'], engine: 'synthetic', mode: 'quality', exportFps: '16', format: 'h264', size: '1280x720', out: 'x.mp4', metricsHost: '127.0.0.1', ...fields }
}


describe('render flags --translate and --extend', () => {
  it('set the project translate setting (auto when not given) and name the flag when the value is wrong', () => {
    expect(projectFromFlags(flags({})).settings.translate).toBe('auto')
    expect(projectFromFlags(flags({ translate: 'always' })).settings.translate).toBe('always')
    expect(() => projectFromFlags(flags({ translate: 'sometimes' }))).toThrow(new UsageError('--translate: "sometimes" is not one of auto, always, never'))
  })

  it('the built CLI exits 2 naming --translate for a bad value', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'wan-cli-translate-bad-'))
    const run = await cli(['render', '--prompt', 'fox', '--seconds', '1', '--out', join(cwd, 'x.mp4'), '--translate', 'sometimes'], testEnv())
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/option '--translate <mode>' argument 'sometimes' is invalid\. Allowed choices are auto, always, never/)
  })

  it('refuses --translate always (exit 2, nothing rendered) when the models folder has no helper model, with the download command', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wan-cli-translate-none-'))
    const models = join(dir, 'models')
    mkdirSync(models)
    const out = join(dir, 'fox.mp4')
    const args = ['render', '--prompt', 'a red fox runs through the snow', '--seconds', '1', '--seed', '3', '--engine', 'synthetic', '--translate', 'always']
    const run = await cli([...args, '--out', out, '--work-dir', join(dir, 'work')], testEnv({ WAN_STUDIO_MODELS_DIR: models }))
    expect(run.code, run.stderr).toBe(2)
    expect(run.stderr).toContain(`shot 1: translate is 'always', but the helper model Qwen/Qwen2.5-3B-Instruct is not in ${join(models, 'Qwen2.5-3B-Instruct')}; download it with: hf download Qwen/Qwen2.5-3B-Instruct --local-dir ${join(models, 'Qwen2.5-3B-Instruct')}`)
    expect(existsSync(out)).toBe(false)
  })

  it('names each shot\'s prompt language, in its line and in the --json summary, also when nothing is translated', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wan-cli-language-'))
    const prompts = ['一只红狐狸在黄昏的深雪中奔跑', '雨の夜の東京、傘をさした人々が交差点を渡る', '一个女孩在樱花树下跳舞, slow motion, cinematic lighting, shallow depth of field']
    const args = ['render', ...prompts.flatMap((prompt) => ['--prompt', prompt]), '--seconds', '1', '--seed', '3', '--engine', 'synthetic', '--translate', 'never']
    const run = await cli([...args, '--out', join(dir, 'x.mp4'), '--work-dir', join(dir, 'work'), '--json'], testEnv())
    expect(run.code, run.stderr).toBe(0)
    const said = run.stderr.split('\n').filter((line) => line.includes('prompt language:')).map((line) => (JSON.parse(line) as { message: string }).message.replace(/^shot [\w-]+: /, ''))
    expect(said).toEqual([
      'seed 3, prompt language: Chinese',
      'seed 3, prompt language: Japanese',
      expect.stringMatching(/^seed 3, prompt language: Mixed: English \d+%, Chinese \d+%$/)
    ])
    const summary = JSON.parse(run.stdout) as { shots: { promptLanguage: string; modelPrompt: string }[] }
    expect(summary.shots.map((shot) => shot.promptLanguage)).toEqual(['zh', 'ja', 'mixed'])
    expect(summary.shots.map((shot) => shot.modelPrompt)).toEqual(prompts)
  }, 120_000)

  it.skipIf(!hasTransformers)(
    'renders with the prompt a tiny helper model translated, and the export JSON and summary record both prompts',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'wan-cli-translate-'))
      const models = join(dir, 'models')
      const env = testEnv({ WAN_STUDIO_MODELS_DIR: models })
      writeTinyHelperModel(join(models, 'Qwen2.5-1.5B-Instruct'), env)
      const out = join(dir, 'fox.mp4')
      const typed = 'a red fox runs through the snow'
      const args = ['render', '--prompt', typed, '--seconds', '1', '--seed', '3', '--engine', 'synthetic', '--translate', 'always']
      const run = await cli([...args, '--out', out, '--work-dir', join(dir, 'work'), '--json'], env)
      expect(run.code, run.stderr).toBe(0)

      const description = JSON.parse(readFileSync(join(dir, 'fox.wan-studio.json'), 'utf8')) as ExportDescription
      const shot = description.shots[0]!
      expect(shot.prompt).toBe(typed)
      expect(shot.modelPrompt).not.toBe(typed)
      expect(shot.modelPrompt.trim().length).toBeGreaterThan(0)
      // The translation is cached per prompt and model in the data folder's prompting/ folder.
      const cache = JSON.parse(readFileSync(join(env.WAN_STUDIO_HOME!, 'prompting', 'prompt-cache.json'), 'utf8')) as { entries: Record<string, { text: string }> }
      expect(Object.values(cache.entries).map((entry) => entry.text.trim())).toContain(shot.modelPrompt)
      const summary = JSON.parse(run.stdout) as { shots: { prompt: string; modelPrompt: string }[] }
      expect(summary.shots[0]).toMatchObject({ prompt: typed, modelPrompt: shot.modelPrompt })
      expect(readdirSync(dir).sort()).toEqual(['fox.mp4', 'fox.wan-studio.json', 'models', 'work'])
    },
    300_000
  )
})
