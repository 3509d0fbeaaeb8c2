// Issue #14's benchmark: does translating a prompt into Chinese change what Wan2.2 renders? Every
// prompt x seed is rendered twice with the same seed, translate=never ("as typed") and
// translate=always ("translated"), and each pair is written side by side for a person to compare,
// with pairs.json, index.html and the figures. `--help` lists the flags; docs/benchmarks.md has the runs.
//
//   node scripts/bench-translation.mjs --out bench-out                                  # a CUDA machine with the weights
//   node scripts/bench-translation.mjs --engine synthetic --tiny-helper --seconds 1    # plumbing, anywhere
//
// It drives one in-process Studio (the TypeScript source bundled by loadSource, as the other
// benchmarks do) rather than the built CLI: one sidecar serves every render, so the Wan2.2 pipeline
// loads once and stays cached, and the translations all run first, while the helper model may use
// the GPU, each timed on its own. Its data folder, queue, segments and prompt cache are in
// `<out>/work`: the same command again reuses finished segments and cached translations.
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { loadSource, repoRoot } from './loadSource.mjs'
import { parseOptions, readPrompts, USAGE, UsageError } from './bench-translation/options.mjs'
import { figures, indexHtml } from './bench-translation/report.mjs'
import { hasDrawtext, writeSideBySide } from './bench-translation/sideBySide.mjs'
import { TINY_HELPER_LABEL, tinyHelperModels } from './bench-translation/tinyHelper.mjs'

const EXIT_OK = 0
const EXIT_FAILED = 1
const EXIT_USAGE = 2
const MODES = { never: 'asTyped', always: 'translated' }

function loadCore() {
  return loadSource('translation', [
    "export { Studio } from './src/main/core/studio'",
    "export { appPathsForThisMachine } from './src/main/appPaths/appPaths'",
    "export { newProject, newShot } from './src/shared/project'",
    "export { shotSecondsSchema } from './src/shared/render'",
    "export { studioSettingsSchema } from './src/shared/settings'",
    "export { detectPromptLanguage } from './src/shared/promptLanguage'",
    "export { batchDefaultsSchema } from './src/shared/batch'",
    "export { BatchFileError, importList, readPromptList } from './src/main/batch/importList'",
    "export { resolveFfmpeg } from './src/main/media/ffmpegPath'",
    "export { runFfmpeg } from './src/main/media/ffmpeg'",
    "export { probeVideo } from './src/main/media/probe'",
    "export { createFolderSync, FileWriteError, writeFileAtomic, writeJsonAtomic } from './src/main/project/atomicFile'",
    "export { defaultDataDir } from './src/main/project/dataDir'",
    "export { findPython } from './src/main/sidecar/python'"
  ])
}

const say = (line) => console.log(`bench-translation: ${line}`)
const seconds = (since) => (performance.now() - since) / 1000

/** The app's saved models folder (read only: a damaged settings file is the app's to set aside), or null. */
function savedModelsDir(core, env) {
  try {
    const parsed = core.studioSettingsSchema.safeParse(JSON.parse(readFileSync(join(core.defaultDataDir(env), 'settings.json'), 'utf8')))
    return parsed.success ? (parsed.data.modelsDir ?? null) : null
  } catch {
    return null
  }
}

function prepareOut(core, out) {
  try {
    core.createFolderSync(out)
  } catch (error) {
    throw error instanceof core.FileWriteError ? new UsageError(`--out: ${error.message}`) : error
  }
  for (const folder of ['clips', 'pairs']) mkdirSync(join(out, folder), { recursive: true })
}

/** The engine to render with, and a sentence for the output when it is not Wan2.2. */
async function chooseEngine(studio, asked) {
  if (asked === 'synthetic') return { engine: 'synthetic', engineNote: 'synthetic engine (--engine synthetic): the clips are procedural test pictures, not Wan2.2' }
  const readiness = await studio.realEngineReadiness()
  if (readiness.ready) return { engine: 'diffusers', engineNote: null }
  if (asked === 'diffusers') throw new UsageError(`--engine real: the real engine can't render here: ${readiness.reason}`)
  return { engine: 'synthetic', engineNote: `synthetic engine: the real engine can't render here, so the clips are procedural test pictures, not Wan2.2. Why: ${readiness.reason}` }
}

/** Every prompt translated once, first, each timed (the wall time of the call; the model's load reported apart). */
async function translateAll(studio, prompts) {
  const translations = []
  for (const [index, prompt] of [...new Set(prompts.map((entry) => entry.prompt))].entries()) {
    const started = performance.now()
    const result = await studio.prompts.translate(prompt)
    const ms = performance.now() - started
    const loadSeconds = result.load?.loadSeconds ?? null
    translations.push({ prompt, text: result.text, ms, generateMs: ms - (loadSeconds ?? 0) * 1000, cached: result.cached, model: result.model, device: result.load?.device ?? null, loadSeconds })
    say(`translated ${index + 1}: ${result.cached ? 'cached' : `${ms.toFixed(0)} ms`}${loadSeconds !== null ? ` (model loaded on the ${result.load.device} in ${loadSeconds.toFixed(1)} s)` : ''}`)
  }
  // The video model needs the memory (the Studio unloads it before a real render too).
  await studio.prompts.unload()
  return translations
}

/** Queues both halves of every pair (as typed, translated) as one-shot projects exported to clips/. */
async function queuePairs(core, studio, options, prompts, engine) {
  const queue = await studio.queue()
  // Jobs an interrupted run left queued are superseded; their finished segments are found by render key.
  for (const job of queue.snapshot().jobs) if (job.state === 'queued' || job.state === 'paused') queue.cancel(job.id)
  queue.clearFinished()
  const planned = []
  for (const [promptIndex, { prompt, negativePrompt }] of prompts.entries()) {
    for (const seed of options.seeds) {
      const id = `p${String(promptIndex + 1).padStart(2, '0')}-seed${seed}`
      const halves = {}
      for (const [translate, half] of Object.entries(MODES)) {
        const base = core.newProject(`${id} ${half}`)
        const shot = core.newShot('shot', { prompt, negativePrompt, seed, seconds: options.seconds, engine, mode: options.mode, draft: options.draft })
        const clip = join(options.out, 'clips', `${id}-${half === 'asTyped' ? 'as-typed' : 'translated'}.mp4`)
        const queued = await studio.queueProject({ ...base, settings: { ...base.settings, translate }, shots: [shot] }, { exportSpec: { format: 'h264', fps: 16, output: clip, overwrite: true, drafts: 'upscale' } })
        const shotJob = queue.job(queued.shotJobs.shot)
        halves[half] = { clip, shotJobId: shotJob.id, exportJobId: queued.exportJobId, modelPrompt: shotJob.payload.render.prompt, renderKey: shotJob.payload.renderKey }
      }
      planned.push({ id, prompt, negativePrompt, seed, halves })
    }
  }
  return planned
}

/** Waits for one half: its render, then its export; a failure stops the run with the job's own message. */
async function settled(queue, half) {
  for (const id of [half.shotJobId, half.exportJobId]) {
    const job = await queue.whenSettled(id)
    if (job.state !== 'done') throw new Error(`${job.title}: ${job.state}${job.error ? `: ${job.error.message}` : ''}`)
  }
  const result = queue.job(half.shotJobId).result
  return { renderSeconds: result.seconds, segmentsRendered: result.renderedSegments, segmentsReused: result.reusedSegments }
}

async function benchmark(core, studio, options, context) {
  // The helper model first: without one nothing can be compared, whatever the engine.
  const found = await studio.prompts.availability()
  if ('missing' in found) throw new UsageError(`no helper model to translate with: ${found.missing}${options.tinyHelper ? '' : '. Pass --models with a folder that has it, or --tiny-helper for a plumbing-only run'}`)
  if (options.tinyHelper) say(TINY_HELPER_LABEL)
  const { engine, engineNote } = await chooseEngine(studio, options.engine)
  say(`engine: ${engine === 'diffusers' ? 'real (Wan2.2 through diffusers)' : engineNote}`)

  const translations = await translateAll(studio, context.prompts)
  const planned = await queuePairs(core, studio, options, context.prompts, engine)
  say(`rendering ${planned.length} pair(s), ${planned.length * 2} clips of ${options.seconds} s`)
  const queue = await studio.queue()
  await studio.startQueue()
  const drawtext = hasDrawtext(context.ffmpeg)
  const fromOut = (path) => relative(options.out, path).split(sep).join('/')
  const pairs = []
  for (const plan of planned) {
    const halves = {}
    for (const [half, queued] of Object.entries(plan.halves)) halves[half] = { modelPrompt: queued.modelPrompt, clip: fromOut(queued.clip), renderKey: queued.renderKey, ...(await settled(queue, queued)) }
    const file = join(options.out, 'pairs', `${plan.id}.mp4`)
    const sideBySide = await writeSideBySide(core, { ffmpeg: context.ffmpeg, asTyped: plan.halves.asTyped.clip, translated: plan.halves.translated.clip, output: file, drawtext })
    const translation = translations.find((entry) => entry.prompt === plan.prompt)
    const { label, languages } = core.detectPromptLanguage(plan.prompt)
    pairs.push({
      id: plan.id,
      prompt: plan.prompt,
      negativePrompt: plan.negativePrompt,
      language: { label, languages },
      seed: plan.seed,
      translation: { text: translation.text, ms: translation.ms, cached: translation.cached, model: translation.model },
      ...halves,
      sameModelPrompt: halves.asTyped.modelPrompt === halves.translated.modelPrompt,
      sideBySide: { file: fromOut(file), ...sideBySide }
    })
    say(`${plan.id}: ${fromOut(file)}`)
  }
  return {
    createdAt: new Date().toISOString(),
    engine,
    engineNote,
    helper: {
      model: translations[0]?.model ?? null,
      // Where it loaded and how long that took (null when every answer came from the cache).
      device: translations.find((entry) => entry.device !== null)?.device ?? null,
      loadSeconds: translations.find((entry) => entry.loadSeconds !== null)?.loadSeconds ?? null,
      tiny: options.tinyHelper,
      label: options.tinyHelper ? TINY_HELPER_LABEL : null
    },
    ffmpeg: context.ffmpeg,
    promptFile: options.promptFile,
    seeds: options.seeds,
    seconds: options.seconds,
    mode: options.mode,
    draft: options.draft,
    translations,
    pairs,
    wallSeconds: seconds(context.started)
  }
}

async function main(argv) {
  const started = performance.now()
  const core = await loadCore()
  const options = parseOptions(argv, { repoRoot, shotSeconds: core.shotSecondsSchema })
  if (!options) {
    console.log(USAGE)
    return EXIT_OK
  }
  const prompts = await readPrompts(core, options.promptFile)
  prepareOut(core, options.out)
  const workDir = join(options.out, 'work')
  const env = { ...process.env }
  const paths = core.appPathsForThisMachine({ layout: 'source', appRoot: repoRoot, resourcesPath: null, dataDir: workDir, env })
  let modelsDir = options.models ?? (env.WAN_STUDIO_MODELS_DIR || savedModelsDir(core, env))
  if (options.tinyHelper) {
    say('building the tiny random-weight helper model (nothing is downloaded)')
    const userModels = modelsDir && existsSync(modelsDir) ? modelsDir : null
    modelsDir = tinyHelperModels({ workDir, userModels, python: core.findPython(paths.engineVenvPython, env).path, sidecarDir: paths.sidecarDir, env })
  }
  if (modelsDir) env.WAN_STUDIO_MODELS_DIR = modelsDir
  else delete env.WAN_STUDIO_MODELS_DIR
  const ffmpeg = core.resolveFfmpeg(env, paths.ffmpegStaticBinary).path
  const studio = new core.Studio({ version: 'bench', dataDir: workDir, paths, env, mediaUrl: (path) => path, startQueue: false })
  studio.on('log', (line) => {
    if (line.level !== 'info') console.error(`${line.level}: ${line.message}`)
  })
  let run
  try {
    run = await benchmark(core, studio, options, { prompts, ffmpeg, started })
  } finally {
    await studio.close()
  }
  await core.writeJsonAtomic(join(options.out, 'pairs.json'), run)
  await core.writeFileAtomic(join(options.out, 'index.html'), indexHtml(run))
  const { rows, summary } = figures(run)
  console.table(rows)
  console.table(summary)
  for (const note of [run.engineNote, run.helper.label]) if (note) say(note)
  say(`wrote ${join(options.out, 'index.html')} and pairs.json`)
  return EXIT_OK
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error) => {
    const usage = error instanceof UsageError
    console.error(`bench-translation: ${usage ? error.message : `failed: ${error.stack ?? error}`}`)
    process.exitCode = usage ? EXIT_USAGE : EXIT_FAILED
  }
)
