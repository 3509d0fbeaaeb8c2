// File names for a batch's outputs: from the row's name, else a slug of the prompt; safe on every
// OS (no folders, no reserved device names, no trailing dots or spaces, no control characters,
// bounded in bytes) and never the name of another job's file.

/** Bytes for the stem; room is left for "-NNN", the extension and ".wan-studio.json" under 255. */
const MAX_STEM_BYTES = 180
const SLUG_WORDS = 8
/** Windows refuses these as a file name with any extension, in any case; refused everywhere so a batch folder copies anywhere. */
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i
/** Path separators, characters Windows refuses, and control characters. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f<>:"/\\|?*]/g

/** A safe file stem (no extension) for `text`; empty when nothing usable is left. */
export function sanitizeStem(text: string): string {
  let stem = text.normalize('NFC').replace(UNSAFE, '-').replace(/\s+/g, ' ').trim()
  stem = stem.replace(/-{2,}/g, '-').replace(/^[.\- ]+/, '')
  stem = truncateBytes(stem, MAX_STEM_BYTES).replace(/[. ]+$/, '')
  if (RESERVED.test(stem.split('.')[0] ?? '')) stem = `${stem}-file`
  return stem
}

/** The first words of the prompt, lower case, joined by hyphens. */
export function promptSlug(prompt: string): string {
  const words = prompt
    .normalize('NFC')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .slice(0, SLUG_WORDS)
  return words.join('-')
}

/**
 * One stem per job, in order: the row's name or the prompt's slug, made safe, then `-2`, `-3`...
 * where an earlier job or a file already in the folder has it. Case is ignored when comparing
 * (macOS and Windows folders are case-insensitive).
 */
export function uniqueStems(jobs: { name: string | null; prompt: string; line: number }[], taken: Iterable<string> = []): string[] {
  const used = new Set([...taken].map((stem) => stem.toLowerCase()))
  return jobs.map((job) => {
    const base = sanitizeStem(job.name ?? '') || sanitizeStem(promptSlug(job.prompt)) || `line-${job.line}`
    let stem = base
    for (let suffix = 2; used.has(stem.toLowerCase()); suffix++) stem = `${base}-${suffix}`
    used.add(stem.toLowerCase())
    return stem
  })
}

/** The longest prefix of `text` within `max` UTF-8 bytes, never splitting a character. */
function truncateBytes(text: string, max: number): string {
  const encoder = new TextEncoder()
  if (encoder.encode(text).length <= max) return text
  let bytes = 0
  let cut = ''
  for (const char of text) {
    bytes += encoder.encode(char).length
    if (bytes > max) break
    cut += char
  }
  return cut
}
