// The quick-render form comes back when the window opens again; a damaged or foreign stored value
// is dropped for the empty form, never an error.
import { describe, expect, it } from 'vitest'
import { createStudio } from '../../src/renderer/src/store'
import { memoryStorage, QUICK_FORM_KEY } from '../../src/renderer/src/store/quickFormPersistence'

const EMPTY_FORM = { prompt: '', negativePrompt: '', seconds: '5', seed: '', steps: '', engine: 'auto' }

describe('quick form persistence', () => {
  it('restores every field as typed, half-typed values included, and stores nothing but the form', () => {
    const storage = memoryStorage()
    const first = createStudio(() => storage)
    first.getState().setField('prompt', '雨の夜の東京、傘をさした人々')
    first.getState().setField('negativePrompt', 'blurry')
    first.getState().setField('seconds', '7.')
    first.getState().setField('seed', '42')
    first.getState().setField('engine', 'synthetic')

    const reopened = createStudio(() => storage)
    expect(reopened.getState().form).toEqual({ prompt: '雨の夜の東京、傘をさした人々', negativePrompt: 'blurry', seconds: '7.', seed: '42', steps: '', engine: 'synthetic' })
    const stored = JSON.parse(storage.getItem(QUICK_FORM_KEY) as string) as { state: object; version: number }
    expect(Object.keys(stored.state)).toEqual(['form'])
    expect(stored.version).toBe(1)
  })

  it.each([
    ['not JSON', '{"state": {"form": '],
    ['not a form', JSON.stringify({ state: { form: { prompt: 3 } }, version: 1 })],
    ['an engine that no longer exists', JSON.stringify({ state: { form: { ...EMPTY_FORM, prompt: 'a fox', engine: 'wan21' } }, version: 1 })],
    ['something else entirely', JSON.stringify([1, 2, 3])]
  ])('starts from the empty form when the stored value is %s', (_what, text) => {
    const storage = memoryStorage()
    storage.setItem(QUICK_FORM_KEY, text)
    const studio = createStudio(() => storage)
    expect(studio.getState().form).toEqual(EMPTY_FORM)
    studio.getState().setField('prompt', 'a heron')
    expect(createStudio(() => storage).getState().form.prompt).toBe('a heron')
  })

  it('gives each store made without a storage its own memory', () => {
    createStudio().getState().setField('prompt', 'only here')
    expect(createStudio().getState().form).toEqual(EMPTY_FORM)
  })
})
