// The prompt service against a scripted sidecar: what it sends, how it parses, and the translate rule.
import { describe, expect, it } from 'vitest'
import { PromptHelper, PromptHelperError, type SidecarCall } from '../../src/main/prompting/promptHelper'
import type { PromptTaskResult } from '../../src/main/prompting/schemas'

const load = { model: 'qwen2.5-3b-instruct', device: 'cpu', loadSeconds: 4.2, ramMiB: 6100, vramMiB: null, weightsMiB: 5894 } as const

function taskResult(task: 'translate' | 'extend', text: string, seed: number | null): PromptTaskResult {
  return {
    task,
    language: 'zh',
    model: 'qwen2.5-3b-instruct',
    seed,
    systemPrompt: task === 'translate' ? 'wan-studio:TRANSLATE_TO_CHINESE' : 'Wan2.2 wan/utils/system_prompt.py:T2V_A14B_ZH_SYS_PROMPT',
    text,
    cached: false,
    load: null,
    elapsedSeconds: 1.5
  }
}

/** A sidecar that answers from `answer` and records every request. */
function scripted(answer: (method: string, params: Record<string, unknown>) => unknown) {
  const requests: { method: string; params: Record<string, unknown> }[] = []
  const call: SidecarCall = (method, params) => {
    requests.push({ method, params })
    return Promise.resolve(answer(method, params))
  }
  return { call, requests }
}

const helperWith = (call: SidecarCall, modelsDir: string | null = '/models') =>
  new PromptHelper({ call, modelsDir: () => Promise.resolve(modelsDir), cacheFile: '/data/prompting/prompt-cache.json', device: () => 'cuda' })

const byTask = (method: string, params: Record<string, unknown>): unknown =>
  method === 'prompt.translate' ? taskResult('translate', `译:${String(params.prompt)}`, null) : taskResult('extend', '夜晚，中景，一只狐狸在雪地里慢慢走过', Number(params.seed))

describe('PromptHelper', () => {
  it('sends the models folder, the cache file, the device and the model with each task', async () => {
    const sidecar = scripted(byTask)
    const helper = new PromptHelper({ call: sidecar.call, modelsDir: () => Promise.resolve('/models'), cacheFile: '/data/c.json', model: 'qwen2.5-1.5b-instruct' })
    await helper.translate('A fox in the snow')
    await helper.extend('A fox in the snow', 9, 'en')
    expect(sidecar.requests).toEqual([
      { method: 'prompt.translate', params: { prompt: 'A fox in the snow', modelsDir: '/models', cacheFile: '/data/c.json', device: 'cpu', model: 'qwen2.5-1.5b-instruct' } },
      {
        method: 'prompt.extend',
        params: { prompt: 'A fox in the snow', seed: 9, language: 'en', modelsDir: '/models', cacheFile: '/data/c.json', device: 'cpu', model: 'qwen2.5-1.5b-instruct' }
      }
    ])
  })

  it('auto translates a prompt that is not Chinese and leaves a Chinese one as typed', async () => {
    const sidecar = scripted(byTask)
    const helper = helperWith(sidecar.call)
    const english = await helper.prepare('A fox walks through the snow at night', { translate: 'auto' })
    expect(english.language.label).toBe('en')
    expect(english.translated?.text).toBe('译:A fox walks through the snow at night')
    expect(english.modelPrompt).toBe('译:A fox walks through the snow at night')
    const chinese = await helper.prepare('一只狐狸在雪地里慢慢走过', { translate: 'auto' })
    expect(chinese.translated).toBeNull()
    expect(chinese.modelPrompt).toBe('一只狐狸在雪地里慢慢走过')
    expect(sidecar.requests.map((request) => request.method)).toEqual(['prompt.translate'])
    expect(sidecar.requests[0]?.params.device).toBe('cuda')
  })

  it('always translates, never does not, and a mixed prompt counts as not Chinese', async () => {
    const helper = helperWith(scripted(byTask).call)
    expect((await helper.prepare('一只狐狸在雪地里慢慢走过', { translate: 'always' })).modelPrompt).toBe('译:一只狐狸在雪地里慢慢走过')
    expect((await helper.prepare('A fox walks through the snow', { translate: 'never' })).modelPrompt).toBe('A fox walks through the snow')
    expect(helper.needsTranslation('一个女孩在樱花树下跳舞, slow motion, cinematic lighting with soft pink bokeh', 'auto')).toBe(true)
  })

  it('extends first; a Chinese extension needs no translation in auto', async () => {
    const sidecar = scripted(byTask)
    const prepared = await helperWith(sidecar.call).prepare('A fox in the snow', { translate: 'auto', extendSeed: 42 })
    expect(prepared.extended?.seed).toBe(42)
    expect(prepared.translated).toBeNull()
    expect(prepared.modelPrompt).toBe('夜晚，中景，一只狐狸在雪地里慢慢走过')
    expect(prepared.typed).toBe('A fox in the snow')
    expect(prepared.language.label).toBe('en')
  })

  it('refuses an answer that does not match the contract, naming the method and the field', async () => {
    const helper = helperWith(scripted(() => ({ ...taskResult('translate', 'x', null), seed: -1 })).call)
    await expect(helper.translate('a fox')).rejects.toThrow(new PromptHelperError('the sidecar answered prompt.translate with an unexpected result: seed: Too small: expected number to be >=0'))
    const empty = helperWith(scripted(() => ({ ...taskResult('extend', '', 1) })).call)
    await expect(empty.extend('a fox', 1)).rejects.toThrow(/prompt\.extend with an unexpected result: text:/)
  })

  it('says where the helper model belongs when no models folder is set', async () => {
    const sidecar = scripted(byTask)
    await expect(helperWith(sidecar.call, null).translate('a fox')).rejects.toThrow(/no models folder is set/)
    expect(sidecar.requests).toEqual([])
  })

  it('reads unload, status and the model list', async () => {
    const models = {
      default: 'qwen2.5-3b-instruct',
      models: [
        {
          id: 'qwen2.5-3b-instruct',
          repo: 'Qwen/Qwen2.5-3B-Instruct',
          path: '/models/Qwen2.5-3B-Instruct',
          parametersBillions: 3.09,
          weightsMiB: 5894,
          license: 'qwen-research',
          default: true,
          complete: false,
          missing: ['/models/Qwen2.5-3B-Instruct'],
          howToGet: 'hf download Qwen/Qwen2.5-3B-Instruct --local-dir /models/Qwen2.5-3B-Instruct'
        }
      ]
    }
    const answers: Record<string, unknown> = { 'prompt.unload': { unloaded: load }, 'prompt.status': { loaded: null }, 'prompt.models': models }
    const sidecar = scripted((method) => answers[method])
    const helper = helperWith(sidecar.call)
    expect(await helper.unload()).toEqual(load)
    expect(await helper.loaded()).toBeNull()
    expect((await helper.models()).models[0]?.howToGet).toBe('hf download Qwen/Qwen2.5-3B-Instruct --local-dir /models/Qwen2.5-3B-Instruct')
    expect(sidecar.requests.at(-1)).toEqual({ method: 'prompt.models', params: { modelsDir: '/models' } })
  })
})
