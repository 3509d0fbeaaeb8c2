// Prompts that no tokenizer can encode are refused up front, with the position, before any GPU time.
import { describe, expect, it } from 'vitest'
import { createIpcHandlers, dispatchInvoke } from '../../src/main/core/ipcHandlers'
import type { Studio } from '../../src/main/core/studio'
import { newShot, projectSchema, newProject } from '../../src/shared/project'
import { promptTextProblem } from '../../src/shared/render'

describe('prompt text', () => {
  it.each([
    ['a fox\u0000 in snow', 'control character U+0000 at position 6'],
    ['bell\u0007', 'control character U+0007 at position 5'],
    ['del\u007f', 'control character U+007F at position 4'],
    ['lone \ud800 high', 'a lone surrogate U+D800 at position 6'],
    ['lone \udc00 low', 'a lone surrogate U+DC00 at position 6'],
    ['ends high \ud83d', 'a lone surrogate U+D83D at position 11']
  ])('refuses %j: %s', (text, problem) => {
    expect(promptTextProblem(text)).toBe(problem)
  })

  it.each(['tabs\tand\nnewlines\r\n are fine', 'emoji 🦊 and CJK 狐狸 and RTL ثعلب', ''])('accepts %j', (text) => {
    expect(promptTextProblem(text)).toBeNull()
  })

  it('is checked by the project schema and at the IPC door, naming the field', async () => {
    const project = { ...newProject(), shots: [newShot('s', { prompt: 'fox', negativePrompt: 'blur\u0000' })] }
    const parsed = projectSchema.safeParse(project)
    expect(parsed.success).toBe(false)
    expect(parsed.error?.issues[0]).toMatchObject({ path: ['shots', 0, 'negativePrompt'], message: 'negative prompt has control character U+0000 at position 5' })
    const answer = await dispatchInvoke(createIpcHandlers({} as Studio), 'queue', 'renderPrompt', { prompt: 'a fox \ud800', seconds: 5 })
    expect(answer).toMatchObject({ ok: false, error: { code: 'invalid-params', message: expect.stringMatching(/prompt: prompt has a lone surrogate U\+D800 at position 7/) } })
  })
})
