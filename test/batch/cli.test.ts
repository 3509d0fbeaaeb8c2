// The built CLI (`npm run build`): `wan-studio batch` as a user runs it, on the synthetic engine.
import { spawn } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { probeVideo } from '../../src/main/media/probe'
import { ffmpegFor, repoRoot, testEnv } from '../helpers/studio'
import { runCli, type CliRun } from '../helpers/cli'

const bin = join(repoRoot, 'bin', 'wan-studio.cjs')
const fixtures = join(__dirname, 'fixtures')

interface Sandbox {
  root: string
  outDir: string
  cwd: string
  env: NodeJS.ProcessEnv
}

/** A folder holding the output folder, the data folder, the working directory and TMPDIR of the CLI. */
function sandbox(extra: NodeJS.ProcessEnv = {}): Sandbox {
  const root = mkdtempSync(join(tmpdir(), 'wan-batch-cli-'))
  const folders = { data: join(root, 'data'), cwd: join(root, 'cwd'), tmp: join(root, 'tmp') }
  Object.values(folders).forEach((folder) => mkdirSync(folder))
  return { root, outDir: join(root, 'out'), cwd: folders.cwd, env: testEnv({ WAN_STUDIO_HOME: folders.data, TMPDIR: folders.tmp, ...extra }) }
}

const cli = (box: Sandbox, args: string[], env: NodeJS.ProcessEnv = box.env): Promise<CliRun> => runCli(args, { env, cwd: box.cwd })

/** Every file under `dir`, relative to it. */
function filesUnder(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => !entry.isDirectory()).map((entry) => relative(dir, join(entry.parentPath, entry.name))) : []
}

/** The sidecar's package folder is the one place outside the sandbox a run could plausibly write (bytecode, caches). */
const sidecarPackage = join(repoRoot, 'resources', 'sidecar')

/** Files written anywhere in the sandbox but the output and data folders, and any new file in the sidecar package. */
function strayFiles(box: Sandbox, sidecarBefore: string[]): string[] {
  const allowed = (path: string): boolean => ['out/', 'data/', 'list/'].some((folder) => path.startsWith(folder))
  const newInSidecar = filesUnder(sidecarPackage).filter((path) => !sidecarBefore.includes(path) && !path.includes('__pycache__/'))
  return [...filesUnder(box.root).filter((path) => !allowed(path)), ...newInSidecar.map((path) => join(sidecarPackage, path))]
}

interface JsonSummary {
  jobs: { line: number; name: string; seed: number; status: string; promptLanguage: string; output: string | null; metadataFile: string | null; segmentsRendered: number | null; segmentsReused: number | null }[]
  errors: { line: number; message: string }[]
}

interface Manifest {
  rendersDir: string
  rows: { spec: { line: number; seed: number }; stem: string; output: string; status: string; segmentsRendered: number | null; segmentsReused: number | null }[]
}

/** Finished segments of every render: path -> inode and modification time (a re-render replaces the file). */
function finishedSegments(rendersDir: string): Map<string, string> {
  const segments = new Map<string, string>()
  if (!existsSync(rendersDir)) return segments
  for (const key of readdirSync(rendersDir)) {
    const manifestPath = join(rendersDir, key, 'job.json')
    if (!existsSync(manifestPath)) continue
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { done: Record<string, { file: string }> }
    for (const done of Object.values(manifest.done)) {
      const path = join(rendersDir, key, done.file)
      const stat = statSync(path)
      segments.set(path, `${stat.ino}:${stat.mtimeMs}`)
    }
  }
  return segments
}

describe('wan-studio batch', () => {
  it('renders every good row of a hostile CSV to its own safely named file, reports the rejected row, writes nothing outside its folders, and --resume renders nothing twice', async () => {
    const box = sandbox()
    const sidecarBefore = filesUnder(sidecarPackage)
    const list = join(box.root, 'list', 'small.csv')
    mkdirSync(join(box.root, 'list'))
    copyFileSync(join(fixtures, 'small.csv'), list)
    const run = await cli(box, ['batch', list, '--out-dir', box.outDir, '--engine', 'synthetic', '--json'])
    // Exit 1: a row was rejected, after every good row ran.
    expect(run.code, run.stderr).toBe(1)
    // --json: stderr is one JSON object per line; the rows' progress and previews come with the messages.
    const lines = run.stderr.trim().split('\n').map((line) => JSON.parse(line) as { type: string; message?: string; jobId?: string })
    expect(lines.filter((line) => line.type === 'log').map((line) => line.message)).toContain('rejected: small.csv:5: seconds must be greater than 0')
    expect(lines.filter((line) => line.type === 'log' && /^\[\d\/3\] done line \d \(English\) /.test(line.message ?? ''))).toHaveLength(3)
    expect(new Set(lines.filter((line) => line.type === 'preview').map((line) => line.jobId)).size).toBe(3)
    const summary = JSON.parse(run.stdout) as JsonSummary
    expect(summary.jobs.map((job) => [job.line, job.name, job.status])).toEqual([
      [2, 'CON-file', 'done'],
      [3, 'x', 'done'],
      [4, 'a-b', 'done']
    ])
    expect(summary.jobs[2]!.seed).toBe(5)
    expect(summary.jobs.map((job) => job.promptLanguage)).toEqual(['en', 'en', 'en'])
    expect(summary.errors).toEqual([{ file: 'small.csv', line: 5, message: 'seconds must be greater than 0' }])
    expect(filesUnder(box.outDir).filter((path) => !path.startsWith('.wan-studio')).sort()).toEqual([
      'CON-file.mp4', 'CON-file.wan-studio.json', 'a-b.mp4', 'a-b.wan-studio.json', 'batch-summary.json', 'batch.json', 'x.mp4', 'x.wan-studio.json'
    ])
    const fileSummary = JSON.parse(readFileSync(join(box.outDir, 'batch-summary.json'), 'utf8')) as unknown
    expect(fileSummary).toEqual({
      jobs: [
        { line: 2, name: 'CON-file', prompt: 'a kettle on a stove', status: 'done', output: join(box.outDir, 'CON-file.mp4'), error: null },
        { line: 3, name: 'x', prompt: 'the kettle, boiling', status: 'done', output: join(box.outDir, 'x.mp4'), error: null },
        { line: 4, name: 'a-b', prompt: 'steam fills the kitchen 🍵', status: 'done', output: join(box.outDir, 'a-b.mp4'), error: null }
      ],
      errors: [{ line: 5, message: 'seconds must be greater than 0' }],
      pending: 0
    })
    const description = JSON.parse(readFileSync(join(box.outDir, 'a-b.wan-studio.json'), 'utf8')) as { shots: { seed: number; plan: string; prompt: string }[]; timings: Record<string, number> }
    expect(description.shots[0]).toMatchObject({ seed: 5, plan: expect.any(String), prompt: 'steam fills the kitchen 🍵' })
    expect(description.timings).toMatchObject({ renderSeconds: expect.any(Number), exportSeconds: expect.any(Number), segmentsRendered: expect.any(Number) })
    expect(await probeVideo({ ffmpeg: ffmpegFor(box.env), path: join(box.outDir, 'x.mp4') })).toMatchObject({ codec: 'h264', width: 1280, height: 720, frames: 16 })
    expect(strayFiles(box, sidecarBefore)).toEqual([])

    // The same folder again: refused without --resume; with it, every job is kept as it is.
    const refused = await cli(box, ['batch', list, '--out-dir', box.outDir, '--engine', 'synthetic'])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(/already holds a batch/)
    const outputsBefore = ['CON-file.mp4', 'x.mp4', 'a-b.mp4'].map((name) => statSync(join(box.outDir, name)).mtimeMs)
    const resumed = await cli(box, ['batch', list, '--out-dir', box.outDir, '--engine', 'synthetic', '--resume', '--json'])
    expect(resumed.code, resumed.stderr).toBe(1)
    expect(resumed.stderr).toMatch(/batch: 3 jobs \(3 already done\)/)
    expect(['CON-file.mp4', 'x.mp4', 'a-b.mp4'].map((name) => statSync(join(box.outDir, name)).mtimeMs)).toEqual(outputsBefore)
    expect(strayFiles(box, sidecarBefore)).toEqual([])
  }, 240_000)

  it('kill -9 mid-batch, then --resume: every job finishes exactly once and no finished segment is rendered again', async () => {
    const box = sandbox({ WAN_STUDIO_SYNTHETIC_SECONDS_PER_STEP: '0.1' })
    const list = join(box.root, 'list.txt')
    writeFileSync(list, 'a long train crossing a bridge\nthe train enters a tunnel\nsnow on the empty platform\n')
    // 8 s at 16 fps: two segments per job.
    const args = ['batch', list, '--out-dir', box.outDir, '--engine', 'synthetic', '--seconds', '8']
    const child = spawn(process.execPath, [bin, ...args], { env: box.env, cwd: box.cwd, stdio: 'ignore' })
    const rendersDir = join(box.outDir, '.wan-studio', 'renders')
    // Kill as soon as the first job is done and the second has a finished segment (a batch that
    // exits first fails here, rather than leaving the test to its timeout).
    await new Promise<void>((resolve, reject) => {
      const exited = (code: number | null): void => {
        clearInterval(poll)
        reject(new Error(`the batch exited (${code}) before the first job was done and the second had a segment`))
      }
      const poll = setInterval(() => {
        const summaryPath = join(box.outDir, 'batch-summary.json')
        const done = existsSync(summaryPath) ? (JSON.parse(readFileSync(summaryPath, 'utf8')) as { jobs: { status: string }[] }).jobs.filter((job) => job.status === 'done').length : 0
        if (done >= 1 && finishedSegments(rendersDir).size >= 3) {
          clearInterval(poll)
          child.off('exit', exited)
          resolve()
        }
      }, 50)
      child.once('exit', exited)
    })
    child.kill('SIGKILL')
    await new Promise((resolve) => child.once('exit', resolve))
    const segmentsBefore = finishedSegments(rendersDir)
    const manifestBefore = JSON.parse(readFileSync(join(box.outDir, 'batch.json'), 'utf8')) as Manifest
    const finishedRow = manifestBefore.rows.find((row) => row.status === 'done')!
    const finishedOutput = statSync(finishedRow.output)

    const again = await cli(box, [...args, '--resume', '--json'], { ...box.env, WAN_STUDIO_SYNTHETIC_SECONDS_PER_STEP: '0' })
    expect(again.code, again.stderr).toBe(0)
    const summary = JSON.parse(again.stdout) as JsonSummary
    // Every job once, done, with the seed drawn before the kill.
    expect(summary.jobs.map((job) => [job.line, job.status])).toEqual([
      [1, 'done'],
      [2, 'done'],
      [3, 'done']
    ])
    expect(summary.jobs.map((job) => job.seed)).toEqual(manifestBefore.rows.map((row) => row.spec.seed))
    // The job finished before the kill was not rendered or exported again.
    expect(statSync(finishedRow.output).mtimeMs).toBe(finishedOutput.mtimeMs)
    expect(summary.jobs[0]).toMatchObject({ segmentsRendered: 2, segmentsReused: 0 })
    // Every segment finished before the kill is the same file, never rewritten...
    const segmentsAfter = finishedSegments(rendersDir)
    for (const [path, identity] of segmentsBefore) expect(segmentsAfter.get(path), path).toBe(identity)
    // ...each job's segments were rendered once in all: two per job, six files.
    expect(segmentsAfter.size).toBe(6)
    const interrupted = summary.jobs[1]!
    expect(interrupted.segmentsReused).toBeGreaterThanOrEqual(1)
    expect(interrupted.segmentsRendered! + interrupted.segmentsReused!).toBe(2)
    for (const job of summary.jobs) expect(await probeVideo({ ffmpeg: ffmpegFor(box.env), path: job.output! })).toMatchObject({ frames: 128 })
  }, 240_000)

  it.each([
    [['batch', 'missing.txt', '--out-dir', 'o'], /can't read .*missing\.txt: no such file/],
    [['batch', 'list.xlsx', '--out-dir', 'o'], /a prompt list is a \.txt, \.csv or \.jsonl file/],
    [['batch', 'list.txt', '--out-dir', 'o', '--seconds', '0x1'], /"0x1" is not a number/],
    [['batch', 'list.txt', '--out-dir', 'o', '--seed', '-1'], /--seed: "-1" is not a whole decimal number/],
    [['batch', 'list.txt', '--out-dir', 'o', '--seconds', '0'], /--seconds: seconds must be greater than 0/],
    [['batch', 'list.txt', '--out-dir', 'o', '--export-fps', '25'], /Allowed choices are 16, 24, 30/],
    [['batch', 'list.txt', '--out-dir', 'list.txt'], /is not a folder/],
    [['batch', 'list.txt', '--out-dir', '/proc/wan-batch'], /--out-dir: can't/],
    [['batch', 'list.txt'], /required option '--out-dir <dir>'/]
  ])('exit 2 on bad arguments or an unreadable file: %j', async (args, message) => {
    const box = sandbox()
    writeFileSync(join(box.cwd, 'list.txt'), 'a fox\n')
    const run = await cli(box, args)
    expect(run.code, run.stderr).toBe(2)
    expect(run.stderr).toMatch(message)
    expect(existsSync(join(box.cwd, 'o'))).toBe(false)
  })
})
