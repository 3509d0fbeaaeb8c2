// What each shot's model receives, prepared before resolving: the accepted prompt, the translate
// setting's rule, and what happens without a helper model (auto goes on with a note, always refuses).
import { describe, expect, it } from 'vitest'
import { prepareShotPrompts, type HelperAvailability } from '../../src/main/core/shotPrompts'
import { PromptHelper, type SidecarCall } from '../../src/main/prompting/promptHelper'
import { RenderRequestError } from '../../src/main/render/resolveShot'
import { newProject, newShot, type Project, type Shot } from '../../src/shared/project'

/** A helper over a scripted sidecar: translations are "译:<prompt>", extensions "扩<seed>:<prompt>". */
function scriptedHelper() {
  const calls: string[] = []
  const call: SidecarCall = (method, params) => {
    calls.push(`${method} ${String(params.prompt)}`)
    const extend = method === 'prompt.extend'
    return Promise.resolve({
      task: extend ? 'extend' : 'translate',
      language: 'zh',
      model: 'qwen2.5-1.5b-instruct',
      seed: extend ? params.seed : null,
      systemPrompt: 'x',
      text: extend ? `扩${String(params.seed)}:${String(params.prompt)}` : `译:${String(params.prompt)}`,
      cached: false,
      load: null,
      elapsedSeconds: 0.1
    })
  }
  const helper = new PromptHelper({ call, modelsDir: () => Promise.resolve('/models'), cacheFile: '/data/prompting/prompt-cache.json' })
  return { calls, available: (): Promise<HelperAvailability> => Promise.resolve({ helper }) }
}

const missing = (): Promise<HelperAvailability> => Promise.resolve({ missing: 'the helper model is not in /m/Qwen; download it with: hf download Qwen/X --local-dir /m/Qwen' })

function project(translate: 'auto' | 'always' | 'never' | undefined, shots: Shot[]): Project {
  return { ...newProject('P'), settings: { size: '1280x720', ...(translate ? { translate } : {}) }, shots }
}

describe('prepareShotPrompts', () => {
  it('translate non-Chinese prompts under auto, leave Chinese ones and never-shots alone', async () => {
    const helper = scriptedHelper()
    const prepared = await prepareShotPrompts(
      project('auto', [
        newShot('en', { prompt: 'A red fox runs through deep snow at dusk', seed: 1 }),
        newShot('zh', { prompt: '一只红狐狸在黄昏的深雪中奔跑', seed: 2 }),
        newShot('off', { prompt: 'A red fox runs through deep snow at dusk', seed: 3, translate: 'never' })
      ]),
      { extend: false, helper: helper.available }
    )
    expect(prepared.modelPrompts).toEqual({ en: '译:A red fox runs through deep snow at dusk' })
    expect(helper.calls).toEqual(['prompt.translate A red fox runs through deep snow at dusk'])
    expect(prepared.notes).toEqual(['shot 1: the prompt (English) was translated into Chinese; the model receives: 译:A red fox runs through deep snow at dusk'])
  })

  it('use the accepted model prompt as it is, without asking for a helper', async () => {
    const prepared = await prepareShotPrompts(
      project('always', [newShot('a', { prompt: 'a fox ', seed: 1, modelPrompt: { text: '我的狐狸', typed: 'a fox' } })]),
      { extend: false, helper: () => Promise.reject(new Error('not asked')) }
    )
    expect(prepared).toEqual({ modelPrompts: { a: '我的狐狸' }, notes: [], warnings: [] })
  })

  it('extend with the shot seed, then translate, when --extend is asked (a project from before translation too)', async () => {
    const helper = scriptedHelper()
    const prepared = await prepareShotPrompts(project(undefined, [newShot('a', { prompt: 'a fox', seed: 7 })]), { extend: true, helper: helper.available })
    // The extension is already Chinese, so 'never' (the old project's setting) adds no translation.
    expect(prepared.modelPrompts).toEqual({ a: '扩7:a fox' })
    expect(helper.calls).toEqual(['prompt.extend a fox'])
  })

  it('go on with the typed prompt and a note under auto when no helper model is present', async () => {
    const prepared = await prepareShotPrompts(project('auto', [newShot('a', { prompt: 'A red fox runs through deep snow at dusk', seed: 1 })]), { extend: false, helper: missing })
    expect(prepared.modelPrompts).toEqual({})
    expect(prepared.notes).toEqual([])
    expect(prepared.warnings).toEqual([
      'shot 1: the prompt (English) goes to the model untranslated, because the helper model is not in /m/Qwen; download it with: hf download Qwen/X --local-dir /m/Qwen'
    ])
  })

  it('go on under auto when the helper model fails, and refuse always', async () => {
    const failing = new PromptHelper({ call: () => Promise.reject(new Error('CUDA out of memory')), modelsDir: () => Promise.resolve('/models'), cacheFile: '/data/prompting/prompt-cache.json' })
    const helper = (): Promise<HelperAvailability> => Promise.resolve({ helper: failing })
    const shots = [newShot('a', { prompt: 'A red fox runs through deep snow at dusk', seed: 1 })]
    const prepared = await prepareShotPrompts(project('auto', shots), { extend: false, helper })
    expect(prepared).toEqual({
      modelPrompts: {},
      notes: [],
      warnings: ['shot 1: the prompt (English) goes to the model untranslated, because the helper model failed: CUDA out of memory']
    })
    await expect(prepareShotPrompts(project('always', shots), { extend: false, helper })).rejects.toThrow(new RenderRequestError('shot 1: the helper model failed: CUDA out of memory'))
  })

  it('refuse always and --extend without a helper model, with the download command', async () => {
    const shots = [newShot('a', { prompt: '一只狐狸', seed: 1 })]
    await expect(prepareShotPrompts(project('always', shots), { extend: false, helper: missing })).rejects.toThrow(
      new RenderRequestError("shot 1: translate is 'always', but the helper model is not in /m/Qwen; download it with: hf download Qwen/X --local-dir /m/Qwen")
    )
    await expect(prepareShotPrompts(project('never', shots), { extend: true, helper: missing })).rejects.toThrow(/^shot 1: --extend needs the helper model: .*hf download Qwen\/X/)
  })
})
