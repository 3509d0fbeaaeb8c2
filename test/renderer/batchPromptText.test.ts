// The batch panel's prompt options: what each translate setting and Extend will do, why a batch
// can't be queued without a helper model, each previewed row's language, and what reaches main.
import { describe, expect, it } from 'vitest'
import { batchPromptNotice, rowLanguageText } from '../../src/renderer/src/batch/batchPromptText'
import { defaultsOf, type BatchOptions } from '../../src/renderer/src/batch/useBatch'
import { batchDefaultsSchema } from '../../src/shared/batch'

describe('batch prompt options', () => {
  it('says what translate and extend do with a helper model, or while that is not known yet', () => {
    for (const ready of [true, null]) {
      const notice = batchPromptNotice('auto', true, ready)
      expect(notice.blocked).toBeNull()
      expect(notice.translate).toEqual({ text: expect.stringMatching(/^Prompts not in Chinese are translated/), warning: false })
      expect(notice.extend.warning).toBe(false)
      expect(batchPromptNotice('always', false, ready).translate.text).toMatch(/^Every prompt is translated/)
      expect(batchPromptNotice('never', false, ready).translate.text).toBe('Prompts go to the model as typed.')
    }
  })

  it('without a helper model: auto goes as typed with a warning; always and extend block the batch with why', () => {
    const auto = batchPromptNotice('auto', false, false)
    expect(auto.blocked).toBeNull()
    expect(auto.translate).toEqual({ text: expect.stringMatching(/^No helper model is installed .*System tab.*: prompts go to the model as typed/), warning: true })
    expect(auto.extend).toEqual({ text: expect.stringMatching(/^Needs a helper model/), warning: true })
    expect(batchPromptNotice('always', false, false).blocked).toMatch(/^Translate is set to always, but no helper model is installed .*every job would be refused/)
    expect(batchPromptNotice('auto', true, false).blocked).toMatch(/^Extend prompts needs a helper model/)
    expect(batchPromptNotice('never', false, false)).toMatchObject({ blocked: null, translate: { warning: false } })
  })

  it('labels each row with its language, and whether the setting translates it', () => {
    expect(rowLanguageText('A red fox runs through deep snow at dusk', 'auto', true)).toBe('English, translated')
    expect(rowLanguageText('一只红狐狸在黄昏的深雪中奔跑', 'auto', true)).toBe('Chinese')
    expect(rowLanguageText('一只红狐狸在黄昏的深雪中奔跑', 'always', null)).toBe('Chinese, translated')
    expect(rowLanguageText('A red fox runs through deep snow at dusk', 'never', true)).toBe('English')
    expect(rowLanguageText('A red fox runs through deep snow at dusk', 'auto', false)).toBe('English')
    expect(rowLanguageText('一个女孩在樱花树下跳舞, slow motion, cinematic lighting, shallow depth of field', 'never', true)).toMatch(/^Mixed: English \d+%, Chinese \d+%$/)
    expect(rowLanguageText('12345', 'never', true)).toBe('Unknown language')
  })

  it('sends translate and extend to main with the other defaults', () => {
    const options: BatchOptions = { engine: 'synthetic', format: 'h264', fps: 16, translate: 'never', extend: true, seconds: '' }
    expect(batchDefaultsSchema.parse(defaultsOf(options))).toMatchObject({ engine: 'synthetic', translate: 'never', extend: true })
    expect(batchDefaultsSchema.parse(defaultsOf({ ...options, translate: 'always', extend: false, seconds: '2.5' }))).toMatchObject({ translate: 'always', extend: false, seconds: 2.5 })
  })
})
