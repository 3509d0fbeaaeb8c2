// Times a 10,000-row prompt list through the batch import and the app's preview:
//   - parse + validate (readPromptList's decode, csv-parse, the row schema, names untouched) of a
//     CSV, a JSONL and a TXT list, median of 5 runs each (aim: under 1 s);
//   - the app's batch.preview call as main answers it (params validated, list parsed, preview built);
//   - in Chromium, the built panel from the list dropped to its first page of rows shown (below).
//
//   node scripts/bench-batch.mjs [--rows 10000]
//
// The core's TypeScript is bundled with esbuild (vite's own dependency), as bench-queue.mjs does.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { loadSource, repoRoot } from './loadSource.mjs'

const { values: flags } = parseArgs({ options: { rows: { type: 'string', default: '10000' } } })
const rows = Number(flags.rows)

function loadCore() {
  return loadSource('batch', [
        "export { importList, decodeUtf8 } from './src/main/batch/importList'",
        "export { batchDefaultsSchema } from './src/shared/batch'",
        "export { createIpcHandlers, dispatchInvoke } from './src/main/core/ipcHandlers'"
      ])
}

/** Prompts of realistic length, in several scripts, with quotes and commas; one row in 100 is bad. */
function lists(count) {
  const subjects = ['a red fox running through snow', '富士山の朝焼け, slow pan', 'مرحبا بالعالم — a desert at night 🌙', 'a "quiet" harbour, boats rocking', 'rain on a neon street, reflections']
  const csv = ['name,prompt,seed,seconds']
  const jsonl = []
  const txt = []
  for (let index = 0; index < count; index++) {
    const prompt = `${subjects[index % subjects.length]}, shot ${index}, cinematic lighting, 35mm, shallow depth of field`
    const bad = index % 100 === 99
    csv.push(`job-${index},"${prompt.replaceAll('"', '""')}",${bad ? '0x10' : index},${bad ? 0 : 1 + (index % 5)}`)
    jsonl.push(JSON.stringify({ name: `job-${index}`, prompt, seed: bad ? -1 : index, seconds: 1 + (index % 5) }))
    txt.push(prompt)
  }
  return { 'bench.csv': csv.join('\r\n'), 'bench.jsonl': jsonl.join('\n'), 'bench.txt': txt.join('\n') }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

const core = await loadCore()
const texts = lists(rows)
const defaults = core.batchDefaultsSchema.parse({ engine: 'synthetic' })
console.log(`batch import of ${rows} rows (median of 5; parse + validate, from the file's bytes)`)
for (const [name, text] of Object.entries(texts)) {
  const bytes = Buffer.from(text)
  const times = []
  let list
  for (let run = 0; run < 5; run++) {
    const started = performance.now()
    list = core.importList(name, core.decodeUtf8(name, bytes), defaults)
    times.push(performance.now() - started)
  }
  console.log(`  ${name.padEnd(12)} ${(bytes.length / 1e6).toFixed(1)} MB: ${median(times).toFixed(0)} ms (${list.jobs.length} jobs, ${list.rejected.length} rejected)`)
}

// The app's preview call as main answers it (validation of the IPC params included): the list's text
// and name in, the preview out. The React render of the panel is paginated (100 rows a page).
const handlers = core.createIpcHandlers({})
const times = []
let outcome
for (let run = 0; run < 5; run++) {
  const started = performance.now()
  outcome = await core.dispatchInvoke(handlers, 'batch', 'preview', { name: 'bench.csv', text: texts['bench.csv'], defaults: { engine: 'synthetic' } })
  times.push(performance.now() - started)
}
if (!outcome.ok) throw new Error(outcome.error.message)
console.log(`batch.preview IPC handler, ${rows} CSV rows: ${median(times).toFixed(0)} ms (${outcome.value.jobs.length} jobs; the result is ${(JSON.stringify(outcome.value).length / 1e6).toFixed(1)} MB of JSON)`)

// The app's preview in Chromium: the built renderer (out/renderer) bridged to the core in this
// process as the e2e tests do (playwright-core, /usr/bin/chromium). Timed inside the page from the
// drop of a 10,000-row CSV on the Batch panel (the file chosen) to the first page of job rows in the
// DOM, then to the next frame after it (the main thread free again: interactive). The bridge is a
// Playwright binding (JSON over the DevTools protocol), slower than Electron's IPC.
const ui = await loadSource(
  'batch-browser',
  [
    "export { bridge, serve, CHROMIUM, CHROMIUM_ARGS, rendererDir } from './test/e2e/browserStudio'",
    "export { createTestStudio, testEnv } from './test/helpers/studio'"
  ],
  // test/helpers/studio.ts finds the repository from its own folder.
  { define: { __dirname: JSON.stringify(join(repoRoot, 'test', 'helpers')) } }
)
if (!existsSync(join(ui.rendererDir, 'index.html'))) {
  console.log('browser preview: skipped, out/renderer is missing (run `npm run build` first)')
} else {
  const { chromium } = await import('playwright-core')
  const studio = ui.createTestStudio(ui.testEnv())
  const { server, origin } = await ui.serve(studio)
  const browser = await chromium.launch({ executablePath: ui.CHROMIUM, args: ui.CHROMIUM_ARGS })
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } })
    await ui.bridge(page, studio)
    await page.goto(`${origin}/index.html`)
    const panel = page.getByRole('region', { name: 'Batch' })
    await panel.getByLabel('Engine').selectOption('synthetic', { timeout: 30_000 })
    const shown = []
    const interactive = []
    for (let run = 0; run < 5; run++) {
      const times = await page.evaluate(dropAndTime, texts['bench.csv'])
      shown.push(times.shown)
      interactive.push(times.interactive)
    }
    const roundTrips = []
    for (let run = 0; run < 5; run++) roundTrips.push(await page.evaluate(timePreviewCall, texts['bench.csv']))
    console.log(`browser preview of ${rows} CSV rows, drop to first page of rows shown / to interactive: ${median(shown).toFixed(0)} ms / ${median(interactive).toFixed(0)} ms`)
    console.log(`  of which the batch.preview call from the page (bridge both ways + handler): ${median(roundTrips).toFixed(0)} ms`)
  } finally {
    await browser.close()
    server.close()
    await studio.close()
  }
}

/* global document, window, DataTransfer, DragEvent, MutationObserver, requestAnimationFrame -- the two functions below run in the page */

/** Runs in the page: drops the list on the panel and times it until a new Jobs list has rows, then the next frame. */
function dropAndTime(text) {
  const panel = document.querySelector('section[aria-label="Batch"]')
  const previous = panel.querySelector('ol[aria-label="Jobs"]')
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const giveUp = setTimeout(() => reject(new Error(`no preview rows after 60 s: ${panel.textContent.slice(0, 300)}`)), 60_000)
    const observer = new MutationObserver(() => {
      const list = panel.querySelector('ol[aria-label="Jobs"]')
      if (!list || list === previous || list.children.length === 0) return
      observer.disconnect()
      clearTimeout(giveUp)
      const shown = performance.now() - started
      requestAnimationFrame(() => setTimeout(() => resolve({ shown, interactive: performance.now() - started }), 0))
    })
    observer.observe(panel, { childList: true, subtree: true })
    const transfer = new DataTransfer()
    transfer.items.add(new File([text], 'bench.csv', { type: 'text/csv' }))
    panel.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }))
  })
}

/** Runs in the page: the preview call alone, through the bridge, as the panel makes it. */
async function timePreviewCall(text) {
  const started = performance.now()
  const outcome = await window.wanStudio.batch.preview({ name: 'bench.csv', text, defaults: { engine: 'synthetic' } })
  if (!outcome.ok) throw new Error(outcome.error.message)
  return performance.now() - started
}
