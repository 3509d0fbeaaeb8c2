// Output names: safe on every OS, inside the folder, and never another job's.
import { describe, expect, it } from 'vitest'
import { promptSlug, sanitizeStem, uniqueStems } from '../../src/main/batch/names'

const bytes = (text: string): number => new TextEncoder().encode(text).length

describe('batch output names', () => {
  it.each([
    ['../x', 'x'],
    ['a/b', 'a-b'],
    ['a\\b', 'a-b'],
    ['CON', 'CON-file'],
    ['nul', 'nul-file'],
    ['Com1', 'Com1-file'],
    ['LPT9.txt', 'LPT9.txt-file'],
    ['trailing dots... ', 'trailing dots'],
    ['..', ''],
    ['tab\there\u0007bell', 'tab-here-bell'],
    ['what? <yes>: "no" | *', 'what- -yes-- -no- - -'.replace(/-{2,}/g, '-')],
    ['  富士山の朝焼け  ', '富士山の朝焼け']
  ])('%j -> %j', (name, stem) => {
    expect(sanitizeStem(name)).toBe(stem)
  })

  it('keeps a long name under 180 bytes without splitting a character', () => {
    expect(sanitizeStem('n'.repeat(300))).toBe('n'.repeat(180))
    const cut = sanitizeStem('富'.repeat(100))
    expect(bytes(cut)).toBeLessThanOrEqual(180)
    expect(cut).toBe('富'.repeat(60))
  })

  it('slugs the first words of a prompt, in any script', () => {
    expect(promptSlug('A red fox, running through "deep" snow at dawn on a cold morning')).toBe('a-red-fox-running-through-deep-snow-at')
    expect(promptSlug('مرحبا بالعالم 🌙')).toBe('مرحبا-بالعالم')
  })

  it('never gives two jobs (or a file already there) the same name, ignoring case', () => {
    const jobs = [
      { name: 'fox', prompt: 'x', line: 1 },
      { name: 'FOX', prompt: 'x', line: 2 },
      { name: null, prompt: 'Fox', line: 3 },
      { name: '..', prompt: '🌙', line: 4 },
      { name: 'owl', prompt: 'x', line: 5 }
    ]
    expect(uniqueStems(jobs, ['owl'])).toEqual(['fox', 'FOX-2', 'fox-3', 'line-4', 'owl-2'])
  })
})
