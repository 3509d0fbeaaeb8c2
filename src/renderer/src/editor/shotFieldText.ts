// Typed text to shot field values: a number the field takes, or the reason it isn't one.
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string }

/** Blank is null (the engine's default or a random seed); otherwise a whole number. */
export function parseWholeOrBlank(text: string, what: string): Parsed<number | null> {
  const trimmed = text.trim()
  if (!trimmed) return { ok: true, value: null }
  if (!/^\d+$/.test(trimmed)) return { ok: false, reason: `${what} must be a whole number (or blank)` }
  return { ok: true, value: Number(trimmed) }
}

export function parseSeconds(text: string): Parsed<number> {
  const value = Number(text.trim())
  if (!text.trim() || !Number.isFinite(value)) return { ok: false, reason: 'seconds must be a number, like 2 or 2.5' }
  return { ok: true, value }
}
