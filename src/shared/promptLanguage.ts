// Which language a prompt is written in, and whether it mixes two. Pure: runs in main, the CLI and
// the renderer alike (eld is plain JavaScript with its n-gram tables compiled in, no Node builtins).
// Why eld's medium table: docs/prompting.md ("Detecting the language").
import { eld } from 'eld/medium'

/** The languages the fixture and the docs promise; eld itself knows 60 and may return any of them. */
export const PROMPT_LANGUAGES = ['zh', 'en', 'ja', 'ko', 'fr', 'de', 'es', 'ru'] as const

/** An ISO 639-1 code from eld, 'mixed' (two languages each hold a real share), or 'unknown' (no letters, or eld can't tell). */
export type PromptLanguageLabel = string

export interface LanguageShare {
  language: string
  /** Fraction of the prompt's weighted letters in this language (0..1, the shares sum to 1). */
  share: number
}

export interface PromptLanguage {
  label: PromptLanguageLabel
  /** Largest share first. */
  languages: LanguageShare[]
  /** eld's own verdict on the whole prompt: enough n-grams and a clear winner. */
  reliable: boolean
}

/**
 * The mixed rule: a prompt is 'mixed' when a second language holds at least this share of its
 * weighted letters. A brand or a place name in another script ("霓虹灯下的 Tokyo 夜景") stays well
 * below it; a clause in another language ("…, slow motion, cinematic lighting") does not.
 */
export const MIXED_MIN_SHARE = 0.2
/** A Latin-script clause is judged on its own only from this many words; shorter ones follow the rest of the Latin text. */
export const CLAUSE_MIN_WORDS = 4
/** One Han, kana or Hangul character carries about as much as 2.5 Latin or Cyrillic letters (a word is ~1.5-2 characters there, ~5 letters here). */
const EAST_ASIAN_CHAR_WEIGHT = 2.5

type Script = 'eastAsian' | 'hangul' | 'cyrillic' | 'latin' | 'other'

interface Clause {
  script: Script
  text: string
  weight: number
}

const CLAUSE_END = /[.!?;:,\n。！？；：，、]/u

function scriptOf(char: string): Script | null {
  if (/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}ー]/u.test(char)) return 'eastAsian'
  if (/\p{Script=Hangul}/u.test(char)) return 'hangul'
  if (/\p{Script=Cyrillic}/u.test(char)) return 'cyrillic'
  if (/\p{Script=Latin}/u.test(char)) return 'latin'
  if (/\p{L}/u.test(char)) return 'other'
  return null // spaces, digits, punctuation: they belong to whatever clause they sit in
}

/** The prompt cut where the script changes or a clause ends; every clause has letters of one script only. */
function clausesOf(prompt: string): Clause[] {
  const clauses: Clause[] = []
  let current: Clause | null = null
  for (const char of prompt) {
    if (CLAUSE_END.test(char)) {
      current = null
      continue
    }
    const script = scriptOf(char)
    if (script === null) {
      if (current) current.text += char
      continue
    }
    if (!current || current.script !== script) {
      current = { script, text: '', weight: 0 }
      clauses.push(current)
    }
    current.text += char
    current.weight += script === 'eastAsian' || script === 'hangul' ? EAST_ASIAN_CHAR_WEIGHT : 1
  }
  return clauses
}

function wordCount(text: string): number {
  return text.split(/\s+/u).filter(Boolean).length
}

/** The language of a prompt (see MIXED_MIN_SHARE for when it is 'mixed'). */
export function detectPromptLanguage(prompt: string): PromptLanguage {
  const whole = eld.detect(prompt)
  const clauses = clausesOf(prompt)
  const weights = new Map<string, number>()
  const add = (language: string, weight: number): void => {
    if (language) weights.set(language, (weights.get(language) ?? 0) + weight)
  }
  // Each script's text is detected as one piece (more text, surer answer) ...
  const scripts = new Set(clauses.map((clause) => clause.script))
  for (const script of scripts) {
    const ofScript = clauses.filter((clause) => clause.script === script)
    const scriptLanguage = eld.detect(ofScript.map((clause) => clause.text).join(' ')).language
    for (const clause of ofScript) {
      // ... except a long Latin clause that eld is sure is another Latin-script language
      // ("A woman walks along the river. La lumière dorée tombe sur les quais").
      let language = scriptLanguage
      if (script === 'latin' && scripts.size === 1 && wordCount(clause.text) >= CLAUSE_MIN_WORDS) {
        const own = eld.detect(clause.text)
        if (own.language && own.isReliable()) language = own.language
      }
      add(language, clause.weight)
    }
  }
  const total = [...weights.values()].reduce((sum, weight) => sum + weight, 0)
  if (total === 0) return { label: 'unknown', languages: [], reliable: false }
  const languages = [...weights.entries()]
    .map(([language, weight]) => ({ language, share: weight / total }))
    .sort((a, b) => b.share - a.share)
  const substantial = languages.filter((entry) => entry.share >= MIXED_MIN_SHARE)
  const label = substantial.length >= 2 ? 'mixed' : (languages[0]?.language ?? 'unknown')
  return { label, languages, reliable: whole.isReliable() }
}

/** Whether the prompt is Chinese throughout ('auto' translation leaves those alone). */
export function isChinesePrompt(detected: PromptLanguage): boolean {
  return detected.label === 'zh'
}

const LANGUAGE_NAMES: Record<string, string> = {
  zh: 'Chinese',
  en: 'English',
  ja: 'Japanese',
  ko: 'Korean',
  fr: 'French',
  de: 'German',
  es: 'Spanish',
  ru: 'Russian'
}

function languageName(code: string): string {
  return LANGUAGE_NAMES[code] ?? code
}

/** "English", "Mixed: Chinese 62%, English 38%", "Unknown language", "" for a blank prompt: how the app and the CLI name a detection. */
export function languageLabel(detected: PromptLanguage): string {
  if (detected.label === 'unknown') return detected.languages.length === 0 ? '' : 'Unknown language'
  if (detected.label !== 'mixed') return languageName(detected.label)
  const parts = detected.languages.filter((entry) => entry.share >= MIXED_MIN_SHARE)
  return `Mixed: ${parts.map((entry) => `${languageName(entry.language)} ${Math.round(entry.share * 100)}%`).join(', ')}`
}
