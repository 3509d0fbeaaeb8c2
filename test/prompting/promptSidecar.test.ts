// PromptHelper against the real sidecar and a tiny random-weight Qwen2 written by the sidecar's own
// test helper (resources/sidecar/tests/tiny_helper_model.py): the zod schemas match what Python sends.
import { mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { PromptHelper } from '../../src/main/prompting/promptHelper'
import { SidecarClient } from '../../src/main/sidecar/client'
import { initializeResultSchema } from '../../src/main/sidecar/protocol'
import { ffmpegFor, sidecarDir, testEnv } from '../helpers/studio'
import { enginePython as python, hasTransformers, writeTinyHelperModel } from '../helpers/tinyHelperModel'

const env = testEnv()

describe.skipIf(!hasTransformers)('PromptHelper through the sidecar', () => {
  it('extends, translates, lists, reports and unloads with results the schemas accept', async () => {
    const root = mkdtempSync(join(tmpdir(), 'wan-prompting-'))
    const models = join(root, 'models')
    const data = join(root, 'prompting')
    mkdirSync(data)
    writeTinyHelperModel(join(models, 'Qwen2.5-1.5B-Instruct'), env)
    const client = await SidecarClient.start({ python, sidecarDir, env })
    try {
      await client.request('initialize', { ffmpegPath: ffmpegFor(env), allowedRoots: [data] }, initializeResultSchema)
      const helper = new PromptHelper({
        call: (method, params) => client.request(method, params, z.unknown()),
        modelsDir: () => Promise.resolve(models),
        cacheFile: join(data, 'prompt-cache.json'),
        model: 'qwen2.5-1.5b-instruct',
        maxNewTokens: 8
      })
      const prepared = await helper.prepare('A fox walks through the snow at night', { translate: 'always', extendSeed: 3 })
      expect(prepared.extended).toMatchObject({ task: 'extend', seed: 3, cached: false, load: { model: 'qwen2.5-1.5b-instruct', device: 'cpu' } })
      expect(prepared.translated).toMatchObject({ task: 'translate', seed: null, load: null })
      expect(prepared.modelPrompt).toBe(prepared.translated?.text)
      const again = await helper.extend('A fox walks through the snow at night', 3)
      expect(again).toMatchObject({ cached: true, text: prepared.extended?.text })

      const listed = await helper.models()
      expect(listed.models.find((model) => model.id === 'qwen2.5-1.5b-instruct')?.complete).toBe(true)
      expect((await helper.loaded())?.model).toBe('qwen2.5-1.5b-instruct')
      expect((await helper.unload())?.model).toBe('qwen2.5-1.5b-instruct')
      expect(await helper.loaded()).toBeNull()
    } finally {
      await client.shutdown()
    }
  }, 300_000)
})
