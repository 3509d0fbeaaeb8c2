import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createPromptHandlers } from '../../src/main/core/promptHandlers'
import { dispatchInvoke } from '../../src/main/core/ipcHandlers'
import type { IpcHandlers } from '../../src/shared/ipc'
import { newShot } from '../../src/shared/project'

const dataDir = (): string => mkdtempSync(join(tmpdir(), 'wan-prompt-ipc-'))

describe('prompts IPC handlers', () => {
  it('save, list and delete presets through the validated contract', async () => {
    const handlers = { prompts: createPromptHandlers(dataDir()).handlers } as unknown as IpcHandlers
    const saved = await dispatchInvoke(handlers, 'prompts', 'savePreset', { name: ' Dusk ', prompt: 'a harbour at dusk', negativePrompt: null, seconds: 3, steps: null })
    expect(saved.ok && saved.value).toMatchObject({ presets: [{ name: 'Dusk', prompt: 'a harbour at dusk' }], notice: null })
    const refused = await dispatchInvoke(handlers, 'prompts', 'savePreset', { name: '  ', prompt: 'x', negativePrompt: null, seconds: 0, steps: null })
    expect(refused.ok ? null : refused.error.message).toMatch(/name: the preset needs a name.*seconds: seconds must be greater than 0/)
    const deleted = await dispatchInvoke(handlers, 'prompts', 'deletePreset', { name: 'Dusk' })
    expect(deleted.ok && deleted.value).toMatchObject({ presets: [] })
  })

  it('records queued prompts, and a history that could not be saved is reported by the next library answer', async () => {
    const dir = dataDir()
    const prompts = createPromptHandlers(dir)
    await prompts.remember([newShot('a', { prompt: 'a fox' })])
    expect((await prompts.handlers.library(undefined)).history.map((entry) => entry.prompt)).toEqual(['a fox'])

    const notAFolder = join(dir, 'file')
    writeFileSync(notAFolder, '')
    const broken = createPromptHandlers(notAFolder)
    await expect(broken.remember([newShot('b', { prompt: 'a crow' })])).resolves.toBeUndefined()
    await expect(broken.handlers.library(undefined)).rejects.toThrow(/can't read the prompt library/)
    // The folder is there now: the library reads, and says the last history was not saved.
    rmSync(notAFolder)
    mkdirSync(notAFolder)
    expect((await broken.handlers.library(undefined)).notice).toMatch(/^The prompt history could not be saved: can't read the prompt library .*file\/prompt-library\.json/)
    await broken.remember([newShot('b', { prompt: 'a crow' })])
    expect(await broken.handlers.library(undefined)).toMatchObject({ notice: null, history: [{ prompt: 'a crow' }] })
  })
})
