// Downloading Wan2.2 weights from the app: one `python -m wan_sidecar.downloads` process per download,
// in the engine environment (huggingface_hub; HF_ENDPOINT and HF_TOKEN pass through), never inside the
// render sidecar, so a download can't hold up a render. Pause kills the process (its part files stay and
// the next start resumes them with Range requests); cancel also removes the part files.
import { spawn, type ChildProcess } from 'node:child_process'
import { EventEmitter } from 'node:events'
import { readFileSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { delimiter, join } from 'node:path'
import { createInterface } from 'node:readline'
import type { DownloadId, DownloadStatus } from '../../shared/modelDownloads'
import { applyDownloadLine, parseDownloadLine } from './downloadLines'

export interface DownloadTarget {
  id: DownloadId
  label: string
  repo: string
  /** The folder under the models folder: the name the sidecar's weights.py and fast_mode.py expect. */
  folder: string
  include: string[]
}

const LIGHTNING_VARIANT = 'Wan2.2-T2V-A14B-4steps-lora-rank64-Seko-V1.1'

export const DOWNLOAD_TARGETS: Record<DownloadId, DownloadTarget> = {
  't2v-a14b': { id: 't2v-a14b', label: 'Wan2.2 T2V A14B', repo: 'Wan-AI/Wan2.2-T2V-A14B-Diffusers', folder: 'Wan2.2-T2V-A14B-Diffusers', include: [] },
  'ti2v-5b': { id: 'ti2v-5b', label: 'Wan2.2 TI2V 5B', repo: 'Wan-AI/Wan2.2-TI2V-5B-Diffusers', folder: 'Wan2.2-TI2V-5B-Diffusers', include: [] },
  'lightning-lora': {
    id: 'lightning-lora',
    label: 'Fast mode LoRAs (Wan2.2-Lightning, 4 steps)',
    repo: 'lightx2v/Wan2.2-Lightning',
    folder: 'Wan2.2-Lightning',
    include: [`${LIGHTNING_VARIANT}/*`]
  }
}

/** downloads.py's names: the folder's marker and the part files' folder inside the target. */
export const DOWNLOAD_MARKER = '.wan-studio-download.json'
export const PARTIAL_DIR = '.wan-studio-download'

export interface ModelDownloadsOptions {
  /** The engine environment's interpreter, or null when there is none yet (the error says so). */
  python: () => string | null
  sidecarDir: string
  modelsDir: () => Promise<string | null>
  env: NodeJS.ProcessEnv
}

export interface ModelDownloadsEvents {
  status: [DownloadStatus]
  log: [string]
}

interface Running {
  child: ChildProcess
  /** What a stop was asked for: the state the download ends in when the process exits. */
  stopAs: 'paused' | 'cancelled' | null
  exited: Promise<void>
}

const STDERR_KEPT = 20

export class ModelDownloads extends EventEmitter<ModelDownloadsEvents> {
  private readonly statuses = new Map<DownloadId, DownloadStatus>()
  private readonly running = new Map<DownloadId, Running>()

  constructor(private readonly options: ModelDownloadsOptions) {
    super()
  }

  /** Every download's state; one not started in this session is read from its folder's marker. */
  async list(): Promise<DownloadStatus[]> {
    const modelsDir = await this.options.modelsDir()
    return Object.values(DOWNLOAD_TARGETS).map((target) => this.statuses.get(target.id) ?? fromMarker(target, modelsDir))
  }

  async start(id: DownloadId): Promise<DownloadStatus> {
    if (this.running.has(id)) return this.statuses.get(id)!
    const target = DOWNLOAD_TARGETS[id]
    const modelsDir = await this.options.modelsDir()
    const python = this.options.python()
    const base = { ...blankStatus(target, modelsDir ? join(modelsDir, target.folder) : null), state: 'starting' as const }
    if (!modelsDir || !python) {
      const message = !modelsDir ? 'Choose a models folder first: the weights go into it' : 'Set up the engine first: downloads run in its Python environment'
      return this.update({ ...base, state: 'failed', error: { code: !modelsDir ? 'no-models-dir' : 'no-python', message } })
    }
    const targetDir = join(modelsDir, target.folder)
    const args = ['-m', 'wan_sidecar.downloads', '--repo', target.repo, '--target-dir', targetDir, ...target.include.flatMap((pattern) => ['--include', pattern])]
    const pythonPath = [this.options.sidecarDir, this.options.env.PYTHONPATH].filter(Boolean).join(delimiter)
    const child = spawn(python, args, {
      cwd: this.options.sidecarDir,
      env: { ...this.options.env, PYTHONPATH: pythonPath, PYTHONUNBUFFERED: '1', HF_HUB_DISABLE_PROGRESS_BARS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true
    })
    this.update(base)
    const stderr: string[] = []
    createInterface({ input: child.stderr }).on('line', (line) => {
      stderr.push(line)
      if (stderr.length > STDERR_KEPT) stderr.shift()
    })
    createInterface({ input: child.stdout }).on('line', (line) => {
      const parsed = parseDownloadLine(line)
      if ('problem' in parsed) this.emit('log', `weights download ${id}: ${parsed.problem}`)
      else this.update(applyDownloadLine(this.statuses.get(id)!, parsed.event))
    })
    const exited = new Promise<void>((resolve) => {
      child.once('error', (error) => {
        this.running.delete(id)
        this.update({ ...this.statuses.get(id)!, state: 'failed', error: { code: 'spawn', message: `could not start ${python}: ${error.message}` } })
        resolve()
      })
      child.once('close', (code) => {
        const running = this.running.get(id)
        this.running.delete(id)
        this.update(this.afterExit(this.statuses.get(id)!, code, running?.stopAs ?? null, stderr))
        resolve()
      })
    })
    this.running.set(id, { child, stopAs: null, exited })
    return this.statuses.get(id)!
  }

  /** Stops the process; the part files stay, and start() resumes from them. */
  async pause(id: DownloadId): Promise<DownloadStatus> {
    await this.stop(id, 'paused')
    return this.statuses.get(id) ?? (await this.list()).find((status) => status.id === id)!
  }

  /** Stops the process and removes the part files; files already checked and in place stay. */
  async cancel(id: DownloadId): Promise<DownloadStatus> {
    await this.stop(id, 'cancelled')
    const current = this.statuses.get(id) ?? (await this.list()).find((status) => status.id === id)!
    if (current.targetDir) await rm(join(current.targetDir, PARTIAL_DIR), { recursive: true, force: true })
    if (current.state === 'complete') return current
    return this.update({ ...current, state: 'cancelled', file: null, bytesPerSecond: null, secondsLeft: null })
  }

  /** Stops every download (the app is closing): they are paused, to resume next time. */
  async close(): Promise<void> {
    await Promise.all([...this.running.keys()].map((id) => this.stop(id, 'paused')))
  }

  private async stop(id: DownloadId, stopAs: 'paused' | 'cancelled'): Promise<void> {
    const running = this.running.get(id)
    if (!running) return
    running.stopAs = stopAs
    running.child.kill()
    await running.exited
  }

  private afterExit(status: DownloadStatus, code: number | null, stopAs: Running['stopAs'], stderr: string[]): DownloadStatus {
    const idle = { ...status, bytesPerSecond: null, secondsLeft: null }
    if (status.state === 'complete' || status.state === 'failed') return idle
    if (stopAs) return { ...idle, state: stopAs }
    const message = `the download process ended (exit code ${code}) before it finished: ${stderr.slice(-5).join(' / ') || 'no output'}`
    return { ...idle, state: 'failed', error: { code: 'exited', message } }
  }

  private update(status: DownloadStatus): DownloadStatus {
    this.statuses.set(status.id, status)
    this.emit('status', status)
    return status
  }
}

function blankStatus(target: DownloadTarget, targetDir: string | null): DownloadStatus {
  return {
    id: target.id,
    label: target.label,
    repo: target.repo,
    state: 'idle',
    targetDir,
    totalBytes: null,
    neededBytes: null,
    freeBytes: null,
    doneBytes: 0,
    file: null,
    bytesPerSecond: null,
    secondsLeft: null,
    checkedBytes: null,
    error: null,
    problems: {},
    verified: false
  }
}

/** A download from an earlier session, as its folder's marker left it (downloads.py writes it atomically). */
function fromMarker(target: DownloadTarget, modelsDir: string | null): DownloadStatus {
  const targetDir = modelsDir ? join(modelsDir, target.folder) : null
  const status = blankStatus(target, targetDir)
  if (!targetDir) return status
  let marker: { state?: unknown; problems?: unknown }
  try {
    marker = JSON.parse(readFileSync(join(targetDir, DOWNLOAD_MARKER), 'utf8')) as typeof marker
  } catch {
    return status // no marker: never downloaded by the app (or not a folder at all)
  }
  if (marker.state === 'complete') return { ...status, state: 'complete', verified: true }
  if (marker.state === 'check-failed') {
    const problems = typeof marker.problems === 'object' && marker.problems !== null ? (marker.problems as Record<string, string>) : {}
    return { ...status, state: 'failed', problems, error: { code: 'check-failed', message: `${Object.keys(problems).length} file(s) failed the check; start again to fetch them` } }
  }
  return { ...status, state: 'paused' }
}
