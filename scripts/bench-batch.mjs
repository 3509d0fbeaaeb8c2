// Times a 10,000-row prompt list through the batch import and the app's preview:
//   - parse + validate (readPromptList's decode, csv-parse, the row schema, names untouched) of a
//     CSV, a JSONL and a TXT list, median of 5 runs each (aim: under 1 s);
//   - the app's batch.preview call as main answers it (params validated, list parsed, preview built).
//
//   node scripts/bench-batch.mjs [--rows 10000]
//
// The core's TypeScript is bundled with esbuild (vite's own dependency), as bench-queue.mjs does.
import { parseArgs } from 'node:util'
import { loadSource } from './loadSource.mjs'

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
