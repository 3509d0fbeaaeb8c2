// The `prompt` IPC domain: the weights check's answer (ready, problem), suggestions, and params checked at the door.
import { describe, expect, it } from 'vitest'
import { dispatchInvoke } from '../../src/main/core/ipcHandlers'
import { createPromptModelHandlers } from '../../src/main/core/promptModelHandlers'
import type { PromptService } from '../../src/main/core/promptService'
import type { HelperModelInfo } from '../../src/main/prompting/schemas'
import type { IpcHandlers } from '../../src/shared/ipc'

const model: HelperModelInfo = {
  id: 'qwen2.5-3b-instruct',
  repo: 'Qwen/Qwen2.5-3B-Instruct',
  path: '/m/Qwen2.5-3B-Instruct',
  parametersBillions: 3.09,
  weightsMiB: 5894,
  license: 'qwen-research',
  default: true,
  complete: false,
  missing: ['/m/Qwen2.5-3B-Instruct'],
  howToGet: 'hf download Qwen/Qwen2.5-3B-Instruct --local-dir /m/Qwen2.5-3B-Instruct'
}

function handlersOver(service: Partial<PromptService>): IpcHandlers {
  return { prompt: createPromptModelHandlers(service as PromptService) } as unknown as IpcHandlers
}

describe('prompt IPC domain', () => {
  it('lists the helper models, ready only when one is complete', async () => {
    const handlers = handlersOver({ models: () => Promise.resolve({ default: 'qwen2.5-3b-instruct', models: [model] }) })
    expect(await dispatchInvoke(handlers, 'prompt', 'models', undefined)).toEqual({ ok: true, value: { models: [model], ready: false, problem: null } })
  })

  it('says why when there is no models folder or the sidecar fails', async () => {
    expect(await dispatchInvoke(handlersOver({ models: () => Promise.resolve(null) }), 'prompt', 'models', undefined)).toMatchObject({
      ok: true,
      value: { ready: false, problem: expect.stringMatching(/^no models folder is set/) as unknown }
    })
    expect(await dispatchInvoke(handlersOver({ models: () => Promise.reject(new Error('python not found')) }), 'prompt', 'models', undefined)).toMatchObject({
      ok: true,
      value: { ready: false, problem: 'the helper models could not be listed: python not found' }
    })
  })

  it('answers a translation as a suggestion and refuses an empty prompt or a bad seed by name', async () => {
    const result = { task: 'translate', language: 'zh', model: 'qwen2.5-3b-instruct', seed: null, systemPrompt: 'x', text: '一只狐狸', cached: true, load: null, elapsedSeconds: 0 } as const
    const handlers = handlersOver({ translate: () => Promise.resolve(result) })
    expect(await dispatchInvoke(handlers, 'prompt', 'translate', { prompt: 'a fox' })).toEqual({
      ok: true,
      value: { task: 'translate', text: '一只狐狸', model: 'qwen2.5-3b-instruct', seed: null, cached: true, elapsedSeconds: 0 }
    })
    expect(await dispatchInvoke(handlers, 'prompt', 'translate', { prompt: '  ' })).toMatchObject({ ok: false, error: { code: 'invalid-params', message: 'invalid prompt.translate params: prompt: prompt is empty' } })
    expect(await dispatchInvoke(handlers, 'prompt', 'extend', { prompt: 'a fox', seed: -1 })).toMatchObject({ ok: false, error: { message: 'invalid prompt.extend params: seed: seed must be at least 0' } })
  })
})
