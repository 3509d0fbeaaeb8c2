// wan-studio: the command-line front door to the same core the app uses.
import { existsSync, statSync } from 'node:fs'
import { dirname, extname, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { Command, CommanderError, Option } from 'commander'
import type { RenderProgress } from '../../shared/render'
import { findAppRoot, STUDIO_VERSION } from '../core/appInfo'
import { RenderRequestError, Studio } from '../core/studio'
import { doctor } from '../gpu/doctor'
import { formatDoctorReport } from '../gpu/report'
import { createCalibrationStore } from '../planner/calibration'
import { formatDuration } from '../planner/format'
import { defaultDataDir } from '../project/dataDir'

const EXIT_OK = 0
const EXIT_FAILED = 1
const EXIT_USAGE = 2

class UsageError extends Error {}

function createStudio(): Studio {
  const appRoot = findAppRoot(__dirname)
  return new Studio({
    version: STUDIO_VERSION,
    dataDir: defaultDataDir(),
    appRoot,
    sidecarDir: join(appRoot, 'resources', 'sidecar'),
    mediaUrl: (path) => pathToFileURL(path).href
  })
}

function parseNumber(name: string, value: string): number {
  const number = Number(value)
  if (value.trim() === '' || Number.isNaN(number)) throw new UsageError(`--${name}: "${value}" is not a number`)
  return number
}

function checkOutput(out: string): string {
  const path = resolve(out)
  if (extname(path).toLowerCase() !== '.mp4') throw new UsageError(`--out: ${out} must end in .mp4`)
  const dir = dirname(path)
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--out: folder ${dir} does not exist`)
  if (existsSync(path) && statSync(path).isDirectory()) throw new UsageError(`--out: ${out} is a folder`)
  return path
}

function progressLine(progress: RenderProgress): string {
  const percent = `${Math.round(progress.fraction * 100)}%`.padStart(4)
  const eta = progress.etaSeconds === null || progress.phase === 'done' ? '' : `, about ${formatDuration(progress.etaSeconds)} left`
  return `[${percent}] ${progress.message}${eta}`
}

interface RenderOptions {
  prompt: string
  seconds: string
  out: string
  seed?: string
  engine: 'auto' | 'synthetic' | 'diffusers'
  steps?: string
  negativePrompt?: string
  json?: boolean
}

async function render(options: RenderOptions): Promise<number> {
  const output = checkOutput(options.out)
  const request = {
    prompt: options.prompt,
    negativePrompt: options.negativePrompt,
    seconds: parseNumber('seconds', options.seconds),
    seed: options.seed === undefined ? undefined : parseNumber('seed', options.seed),
    steps: options.steps === undefined ? undefined : parseNumber('steps', options.steps),
    engine: options.engine
  }
  const studio = createStudio()
  let lastLine = ''
  let lastPrinted = 0
  studio.on('progress', (progress) => {
    const line = progressLine(progress)
    const now = Date.now()
    // One line per phase or segment change, at most one a second in between.
    if (line !== lastLine && (progress.phase !== 'rendering' || progress.step <= 1 || now - lastPrinted > 1000)) {
      process.stderr.write(line + '\n')
      lastLine = line
      lastPrinted = now
    }
  })
  // Ctrl+C may come while the sidecar is still starting: remember it and cancel once the job exists.
  let interrupted = false
  let jobId: string | null = null
  const interrupt = (): void => {
    if (interrupted) return
    interrupted = true
    process.stderr.write('\ncancelling... (finished segments are kept; run the same command with the same --seed to resume)\n')
    if (jobId) studio.cancelRender(jobId)
  }
  process.on('SIGINT', interrupt)
  process.on('SIGTERM', interrupt)
  let seed: number | undefined
  try {
    const resolved = await studio.resolveRequest(request)
    seed = resolved.seed
    process.stderr.write(`rendering ${resolved.frames} frames with the ${resolved.engine} engine, seed ${resolved.seed}\n`)
    if (interrupted) throw new Error('cancelled before the render started')
    const started = studio.startResolvedRender(resolved, output)
    jobId = started.jobId
    if (interrupted) studio.cancelRender(jobId)
    const result = await started.finished
    if (options.json) {
      process.stdout.write(JSON.stringify(result, null, 2) + '\n')
    } else {
      process.stderr.write(`wrote ${result.output}: ${result.frames} frames, ${result.segments} segments, seed ${result.seed}, engine ${result.engine}\n`)
    }
    return EXIT_OK
  } catch (error) {
    if (error instanceof RenderRequestError) throw new UsageError(error.message)
    process.stderr.write(`render ${interrupted ? 'cancelled' : 'failed'}: ${(error as Error).message}\n`)
    if (seed !== undefined) process.stderr.write(`seed ${seed}: pass --seed ${seed} to resume from the finished segments\n`)
    const details = (error as { stderrTail?: unknown }).stderrTail
    if (Array.isArray(details) && details.length > 0) process.stderr.write(details.slice(-10).join('\n') + '\n')
    return EXIT_FAILED
  } finally {
    process.off('SIGINT', interrupt)
    process.off('SIGTERM', interrupt)
    await studio.close()
  }
}

/** Prints the compatibility report and plan; exit 0 whenever a report is printed. */
async function runDoctor(options: { json?: boolean }): Promise<number> {
  const calibration = await createCalibrationStore(defaultDataDir()).load()
  const report = await doctor({ calibration })
  process.stdout.write(options.json ? JSON.stringify(report, null, 2) + '\n' : formatDoctorReport(report) + '\n')
  return EXIT_OK
}

export function buildProgram(run: (code: Promise<number>) => void): Command {
  const program = new Command()
    .name('wan-studio')
    .description('Local text-to-video with Wan2.2')
    .version(STUDIO_VERSION)
    .exitOverride()
    .showHelpAfterError()

  program
    .command('render')
    .description('render a prompt to a 1280x720 H.264 MP4')
    .requiredOption('--prompt <text>', 'what the shot shows')
    .requiredOption('--seconds <n>', 'length of the clip in seconds')
    .requiredOption('--out <file.mp4>', 'where to write the clip')
    .option('--seed <n>', 'seed (0..4294967295); random when omitted')
    .option('--steps <n>', 'denoising steps (engine default when omitted)')
    .option('--negative-prompt <text>', 'what the shot should avoid')
    .addOption(new Option('--engine <engine>', 'which engine renders').choices(['auto', 'synthetic', 'diffusers']).default('auto'))
    .option('--json', 'print one JSON summary on stdout')
    .action((options: RenderOptions) => run(render(options)))

  program
    .command('doctor')
    .description('check this machine: GPUs, driver, RAM, and how the real engine would run here')
    .option('--json', 'print the report as one JSON object')
    .action((options: { json?: boolean }) => run(runDoctor(options)))

  return program
}

export async function main(argv: string[]): Promise<number> {
  let pending: Promise<number> | null = null
  const program = buildProgram((code) => {
    pending = code
  })
  try {
    await program.parseAsync(argv, { from: 'user' })
    if (!pending) {
      program.outputHelp({ error: true })
      return EXIT_USAGE
    }
    return await pending
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE
    }
    if (error instanceof UsageError) {
      process.stderr.write(`error: ${error.message}\n`)
      return EXIT_USAGE
    }
    process.stderr.write(`error: ${(error as Error).stack ?? String(error)}\n`)
    return EXIT_FAILED
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code
  })
}
