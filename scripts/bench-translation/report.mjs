// What a run leaves for a person: pairs.json (every pair, what each half's model received, the files,
// the timings), index.html (the side-by-side videos with the same facts) and the figures printed at the end.
import { LABELS } from './sideBySide.mjs'

const escapeHtml = (text) => String(text).replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char])

const median = (values) => {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

const fixed = (value, digits) => (value === null ? '-' : value.toFixed(digits))

function half(pair, key) {
  const clip = pair[key]
  return `<figure><figcaption><strong>${LABELS[key]}</strong>: the model received</figcaption><blockquote>${escapeHtml(clip.modelPrompt)}</blockquote>
<p><a href="${escapeHtml(clip.clip)}">${escapeHtml(clip.clip)}</a>, rendered in ${fixed(clip.renderSeconds, 1)} s (${clip.segmentsRendered} segment(s) rendered, ${clip.segmentsReused} reused)</p></figure>`
}

export function indexHtml(run) {
  const notes = [run.engineNote, run.helper.label].filter(Boolean)
  const pairs = run.pairs
    .map(
      (pair) => `<section id="${pair.id}">
<h2>${escapeHtml(pair.id)}: seed ${pair.seed}, ${escapeHtml(pair.language.label)}</h2>
<p>As typed: <q>${escapeHtml(pair.prompt)}</q></p>
<video controls loop muted preload="metadata" width="100%" src="${escapeHtml(pair.sideBySide.file)}"></video>
<p>Left: ${LABELS.asTyped}. Right: ${LABELS.translated}.${pair.sideBySide.labelled ? '' : ` (unlabelled: ${escapeHtml(pair.sideBySide.unlabelledBecause)})`}
Translation: ${fixed(pair.translation.ms, 0)} ms${pair.translation.cached ? ' (from the cache)' : ''}.${pair.sameModelPrompt ? ' Both halves received the same prompt.' : ''}</p>
${half(pair, 'asTyped')}
${half(pair, 'translated')}
</section>`
    )
    .join('\n')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Translation benchmark: ${escapeHtml(run.createdAt)}</title>
<style>body { font-family: sans-serif; max-width: 1400px; margin: auto; padding: 1em } blockquote { margin: 0.3em 1em } section { margin-bottom: 3em }</style></head>
<body>
<h1>Same seeds, as typed and translated</h1>
${notes.map((note) => `<p><strong>${escapeHtml(note)}</strong></p>`).join('\n')}
<p>Engine ${escapeHtml(run.engine)}, helper model ${escapeHtml(run.helper.model ?? '-')}${run.helper.device ? ` (on the ${run.helper.device})` : ''}, ${run.seconds} s clips, seeds ${run.seeds.join(', ')}, prompts from ${escapeHtml(run.promptFile)}.</p>
${pairs}
</body></html>
`
}

const renderFigure = (clip) => (clip.segmentsRendered === 0 ? 'reused' : clip.renderSeconds.toFixed(1))

/** The figures: per pair, then the totals the docs record. */
export function figures(run) {
  const rows = run.pairs.map((pair) => ({
    pair: pair.id,
    lang: pair.language.label,
    seed: pair.seed,
    'translate ms': pair.translation.cached ? `${pair.translation.ms.toFixed(0)} (cached)` : pair.translation.ms.toFixed(0),
    'render s as typed': renderFigure(pair.asTyped),
    'render s translated': renderFigure(pair.translated)
  }))
  const translated = run.translations.filter((entry) => !entry.cached)
  const renders = run.pairs.flatMap((pair) => [pair.asTyped, pair.translated]).filter((clip) => clip.segmentsRendered > 0)
  const summary = {
    pairs: run.pairs.length,
    prompts: run.translations.length,
    'translation ms per prompt (median, not cached, load apart)': fixed(median(translated.map((entry) => entry.generateMs)), 0),
    'helper model load s': fixed(run.helper.loadSeconds, 1),
    'render s per clip (median, rendered)': fixed(median(renders.map((clip) => clip.renderSeconds)), 1),
    'wall s': run.wallSeconds.toFixed(1)
  }
  return { rows, summary }
}
