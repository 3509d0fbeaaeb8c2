// A token estimate for umT5, Wan2.2's text encoder, which reads at most 512 tokens and drops the rest.
// No tokenizer ships with the renderer, so this estimates: umT5's SentencePiece vocabulary splits
// English into about 1.3 tokens per word, and text without spaces (numbers, CJK, punctuation runs)
// into about one token per 4 bytes of UTF-8 at worst; the larger of the two, plus the closing </s>.
// It errs high on purpose: a warning a little early is better than a prompt silently cut.

export const UMT5_TOKEN_LIMIT = 512

export function estimateTokens(text: string): number {
  const trimmed = text.trim()
  if (!trimmed) return 0
  const words = trimmed.split(/\s+/).length
  const bytes = new TextEncoder().encode(trimmed).length
  return Math.max(Math.ceil(words * 1.3), Math.ceil(bytes / 4)) + 1
}
