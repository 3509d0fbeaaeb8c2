// wan-studio: the command-line front door to the same core the app uses.
import { Command, CommanderError, Option } from 'commander'
import { STUDIO_VERSION } from '../core/appInfo'
import { doctor } from '../doctor/doctor'
import { formatDoctorReport } from '../doctor/report'
import { createCalibrationStore } from '../planner/calibration'
import { defaultDataDir } from '../project/dataDir'
import type { BatchFlags } from './batchArgs'
import { batchCommand } from './batchCommand'
import { promptCommand, type PromptFlags } from './promptCommand'
import { SIZE_FLAG_VALUES, UsageError, type RenderFlags } from './renderArgs'
import { renderCommand } from './renderCommand'

const EXIT_OK = 0
const EXIT_FAILED = 1
const EXIT_USAGE = 2

const repeatable = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value]

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
    .description('render shots (one --prompt each, in order) and export them as one clip')
    .option('--prompt <text>', 'what a shot shows; repeat for more shots', repeatable)
    .option('--seconds <n>', 'length of each shot in seconds (once for all shots, or once per shot)', repeatable)
    .requiredOption('--out <file>', 'where to write the clip (.mp4 for h264, .mov for prores and dnxhr)')
    .option('--seed <n>', 'seed 0..4294967295 (once for all, or once per shot); random when omitted, then kept in the work folder', repeatable)
    .option('--negative-prompt <text>', 'what the shots should avoid (once for all, or once per shot)', repeatable)
    .option('--steps <n>', 'denoising steps (engine default when omitted)')
    .addOption(new Option('--engine <engine>', 'which engine renders').choices(['auto', 'synthetic', 'diffusers']).default('auto'))
    .addOption(
      new Option('--mode <mode>', 'quality: the model\'s 40 steps with guidance; fast: the Wan2.2-Lightning 4-step LoRAs (--steps is ignored)')
        .choices(['quality', 'fast'])
        .default('quality')
    )
    .addOption(
      new Option('--translate <mode>', 'translate prompts into Chinese with the local helper model first: auto (prompts not in Chinese), always, never; with --project it replaces the project\'s setting (default: auto for --prompt shots)').choices([
        'auto',
        'always',
        'never'
      ])
    )
    .option('--extend', 'extend each prompt into a detailed one with the local helper model first (Wan2.2\'s prompt extension, seeded with the shot\'s seed)')
    .option('--model-prompt <text>', "what the model receives instead of the shot's prompt, e.g. an edited translation from `wan-studio prompt --translate` (once per --prompt; '' leaves a shot to --translate)", repeatable)
    .option('--transition <join>', 'how each shot meets the one before: cut, crossfade or continue (once for all, or once per join)', repeatable)
    .option('--transition-frames <n>', 'frames of a crossfade at 16 fps', '8')
    .option('--segment-frames <n>', 'longest segment in frames (4n+1)')
    .option('--overlap <n>', 'frames each segment repeats of the one before (continuity)')
    .addOption(new Option('--export-fps <fps>', 'frame rate of the export').choices(['16', '24', '30']).default('16'))
    .addOption(new Option('--format <format>', 'export format').choices(['h264', 'prores', 'dnxhr']).default('h264'))
    .addOption(
      new Option('--size <size>', 'frame size; 832x480 and 480x832 render every shot as a draft of the 1280x720 or 720x1280 project, upscaled to it in the export')
        .choices(SIZE_FLAG_VALUES)
        .default('1280x720')
    )
    .option('--work-dir <dir>', 'where segments, the queue and the project are kept; the same command with the same work folder resumes')
    .option('--project <file>', 'render and export a saved project (.wanproj) instead of --prompt shots')
    .option('--overwrite', 'replace an existing --out file')
    .option('--upscale-drafts', 'scale draft shots (832x480) up to the frame size in the export; without it a project with a draft shot is refused')
    .option('--json', 'print one JSON summary on stdout; progress, live previews and messages go to stderr as one JSON object per line')
    .option('--metrics-port <port>', 'serve Prometheus metrics (GPU, queue, segments) at http://HOST:PORT/metrics while rendering')
    .option('--metrics-host <address>', 'address for --metrics-port', '127.0.0.1')
    .action((options: RenderFlags) => run(renderCommand(options)))

  program
    .command('batch')
    .description('render every prompt of a list (.txt, .csv or .jsonl) to its own file in one folder')
    .argument('<file>', 'the prompt list: .txt (one prompt a line), .csv (header: name, prompt, negative_prompt, seed, seconds, size, steps) or .jsonl (the same keys)')
    .requiredOption('--out-dir <dir>', 'the batch folder: one file per job, batch.json and batch-summary.json')
    .option('--resume', 'continue the batch in --out-dir: finished jobs are kept, interrupted ones reuse their segments')
    .addOption(new Option('--engine <engine>', 'which engine renders').choices(['auto', 'synthetic', 'diffusers']).default('auto'))
    .addOption(new Option('--mode <mode>', 'render mode of every job: quality, or fast (the 4-step LoRAs; steps are ignored)').choices(['quality', 'fast']).default('quality'))
    .addOption(new Option('--translate <mode>', 'translate prompts into Chinese with the local helper model first: auto (prompts not in Chinese), always, never').choices(['auto', 'always', 'never']).default('auto'))
    .option('--extend', 'extend each prompt into a detailed one with the local helper model first (seeded with the job\'s seed)')
    .option('--seconds <n>', 'length of each job without a seconds value (default 5)')
    .option('--seed <n>', 'seed for rows without one (else each row draws its own, kept in batch.json)')
    .addOption(new Option('--format <format>', 'export format').choices(['h264', 'prores', 'dnxhr']).default('h264'))
    .addOption(new Option('--export-fps <fps>', 'frame rate of the exports').choices(['16', '24', '30']).default('16'))
    .option('--json', 'print one JSON summary on stdout; progress, live previews and messages go to stderr as one JSON object per line')
    .action((file: string, options: BatchFlags) => run(batchCommand(file, options)))

  program
    .command('prompt')
    .description("a prompt's language, and its Chinese translation and Wan2.2 extension by the local helper model, to read and edit before rendering")
    .argument('<text>', 'the prompt')
    .option('--translate', 'translate it into Chinese with the local helper model')
    .option('--extend', "extend it into a detailed description (Wan2.2's prompt extension, in Chinese)")
    .option('--seed <n>', 'seed of the extension (drawn and printed when omitted)')
    .option('--json', 'print one JSON object: language, translation and extension with their model, seed, timing and cache use')
    .action((text: string, options: PromptFlags) => run(promptCommand(text, options)))

  program
    .command('doctor')
    .description('check this machine: GPUs, driver, RAM, and how the real engine would run here')
    .option('--json', 'print the report as one JSON object')
    .action((options: { json?: boolean }) => run(runDoctor(options)))

  return program
}

export async function main(argv: string[]): Promise<number> {
  // Set by the command's action while parsing, so a holder object rather than a narrowed local.
  const action: { pending: Promise<number> | null } = { pending: null }
  const program = buildProgram((code) => {
    action.pending = code
  })
  try {
    await program.parseAsync(argv, { from: 'user' })
    if (!action.pending) {
      program.outputHelp({ error: true })
      return EXIT_USAGE
    }
    return await action.pending
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
