// The inspector's words for a prompt's language and for what the model will receive.
import { describe, expect, it } from 'vitest'
import { modelPromptForecast } from '../../src/renderer/src/editor/promptLanguage/promptLanguageText'
import { translatesPrompt } from '../../src/shared/modelPrompt'
import { detectPromptLanguage, languageLabel } from '../../src/shared/promptLanguage'

const label = (prompt: string): string => languageLabel(detectPromptLanguage(prompt))

describe('prompt language label', () => {
  it('names the language, mixed with its shares, and nothing for a blank prompt', () => {
    expect(label('A red fox runs through deep snow at dusk, slow camera push')).toBe('English')
    expect(label('一只红狐狸在黄昏的深雪中奔跑，镜头缓缓推进')).toBe('Chinese')
    expect(label('雨の夜の東京、傘をさした人々が交差点を渡る')).toBe('Japanese')
    expect(label('一个女孩在樱花树下跳舞, slow motion, cinematic lighting, shallow depth of field')).toMatch(/^Mixed: English \d+%, Chinese \d+%$/)
    expect(label('   ')).toBe('')
    expect(label('12345 !!')).toBe('')
  })

  it('follows the text as it changes, one keystroke at a time', () => {
    expect(label('Un renard roux court dans la neige profonde au crépuscule')).toBe('French')
    expect(label('Un renard roux court dans la neige profonde au crépuscule, 一只红狐狸在黄昏的深雪中奔跑')).toMatch(/^Mixed: /)
  })
})

describe('what the model receives', () => {
  const settings = { size: '1280x720', translate: 'auto' } as const
  it('is the prompt as typed for Chinese under auto and for never', () => {
    expect(translatesPrompt('一只狐狸在雪地里', 'auto')).toBe(false)
    expect(translatesPrompt('a fox in the snow', 'never')).toBe(false)
    expect(translatesPrompt('一只狐狸在雪地里', 'always')).toBe(true)
    expect(modelPromptForecast(settings, { prompt: '一只狐狸在雪地里', translate: null }, true)).toBe('The prompt as typed.')
  })

  it('says a translation is coming, or why not without a helper model', () => {
    expect(modelPromptForecast(settings, { prompt: 'a fox in the snow', translate: null }, true)).toMatch(/^Its Chinese translation/)
    expect(modelPromptForecast(settings, { prompt: 'a fox in the snow', translate: null }, false)).toMatch(/^The prompt as typed: no helper model/)
    expect(modelPromptForecast(settings, { prompt: 'a fox in the snow', translate: 'always' }, false)).toMatch(/render will be refused/)
  })
})
