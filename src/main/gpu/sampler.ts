// Live GPU telemetry from one long-lived `nvidia-smi --query-gpu=... -lms N`, read line by line:
// never one spawn per sample. A missing, stalling, dying or babbling nvidia-smi is reported through
// the status and restarted a few times; nothing here ever throws into a render.
import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { parse } from 'csv-parse/sync'
import type { GpuSample, SamplerStatus, ThrottleReason } from '../../shared/telemetry'
import { nvidiaSmiCommand } from './probe'

/** Newer drivers name the throttle bitmask clocks_event_reasons; older ones only clocks_throttle_reasons. */
const THROTTLE_FIELDS = ['clocks_event_reasons.active', 'clocks_throttle_reasons.active'] as const
const FIELDS = [
  'index',
  'memory.used',
  'memory.total',
  'utilization.gpu',
  'utilization.memory',
  'temperature.gpu',
  'power.draw',
  'power.limit',
  'clocks.sm',
  'THROTTLE',
  'pcie.link.gen.current',
  'pcie.link.width.current',
  'mig.mode.current'
] as const

/** NVML's clocks event reasons that cost speed (idle, app clocks and sync boost don't). */
const THROTTLE_BITS: [number, ThrottleReason][] = [
  [0x4, 'power-cap'],
  [0x8, 'hw-slowdown'],
  [0x20, 'sw-thermal'],
  [0x40, 'hw-thermal'],
  [0x80, 'hw-power-brake']
]

export interface SamplerOptions {
  env?: NodeJS.ProcessEnv
  intervalMs: number
  onSample: (sample: GpuSample) => void
  onStatus?: (status: SamplerStatus) => void
  /** Restarts after nvidia-smi died or stalled, before giving up. */
  maxRestarts?: number
}

export class GpuSampler {
  private child: ChildProcess | null = null
  private stallTimer: NodeJS.Timeout | undefined
  private restartTimer: NodeJS.Timeout | undefined
  private restarts = 0
  private throttleField: (typeof THROTTLE_FIELDS)[number] = THROTTLE_FIELDS[0]
  private running = false
  private _status: SamplerStatus = { state: 'stopped', message: null, skippedLines: 0 }

  constructor(private readonly options: SamplerOptions) {}

  get status(): SamplerStatus {
    return this._status
  }

  start(): void {
    if (this.running) return
    this.running = true
    this.restarts = 0
    this.launch()
  }

  /** Stops sampling; resolves once nvidia-smi is gone (or could not be waited for). */
  async stop(): Promise<void> {
    this.running = false
    clearTimeout(this.stallTimer)
    clearTimeout(this.restartTimer)
    await this.killChild()
    this.setStatus('stopped', null)
  }

  private launch(): void {
    const { file } = nvidiaSmiCommand(this.options.env ?? process.env)
    const fields = FIELDS.map((field) => (field === 'THROTTLE' ? this.throttleField : field))
    const child = spawn(file, [`--query-gpu=${fields.join(',')}`, '--format=csv,noheader,nounits', `-lms`, String(this.options.intervalMs)], {
      env: this.options.env,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    this.child = child
    /** stderr and the stdout lines that weren't samples: what explains an exit. */
    let output = ''
    child.on('error', (error: NodeJS.ErrnoException) => {
      // Spawning failed (no nvidia-smi): nothing to restart.
      this.child = null
      this.running = false
      clearTimeout(this.stallTimer)
      this.setStatus('failed', error.code === 'ENOENT' ? `${file} was not found: no GPU telemetry` : `${file} could not start: ${error.message}`)
    })
    child.stderr.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-2000)))
    createInterface({ input: child.stdout }).on('line', (line) => {
      this.armStallTimer()
      const sample = parseSampleLine(line, Date.now())
      if (sample) {
        if (this._status.state !== 'running') this.setStatus('running', null)
        this.options.onSample(sample)
      } else {
        // Not a sample: a warning, garbage, or the driver refusing a field (it says so on stdout).
        output = (output + line + '\n').slice(-2000)
        this._status = { ...this._status, skippedLines: this._status.skippedLines + 1 }
      }
    })
    child.on('exit', (code, signal) => {
      if (this.child !== child) return
      this.child = null
      clearTimeout(this.stallTimer)
      if (!this.running) return
      // An older driver rejects the newer throttle field name: ask again with the older one.
      if (code === 2 && /is not a valid field/.test(output) && this.throttleField === THROTTLE_FIELDS[0]) {
        this.throttleField = THROTTLE_FIELDS[1]
        return this.launch()
      }
      this.restartAfter(`nvidia-smi exited (${signal ?? `code ${code}`})${lastLine(output)}`)
    })
    this.armStallTimer()
  }

  /** No line for three intervals (and a second of slack) means nvidia-smi is stuck in the driver. */
  private armStallTimer(): void {
    clearTimeout(this.stallTimer)
    this.stallTimer = setTimeout(() => {
      this.setStatus('stalled', `nvidia-smi sent nothing for ${Math.round((3 * this.options.intervalMs + 1000) / 1000)} s`)
      const stuck = this.child
      this.child = null
      if (stuck?.pid !== undefined) stuck?.kill('SIGKILL')
      this.restartAfter('nvidia-smi stalled')
    }, 3 * this.options.intervalMs + 1000)
    this.stallTimer.unref()
  }

  private restartAfter(reason: string): void {
    if (!this.running) return
    if (this.restarts >= (this.options.maxRestarts ?? 3)) {
      this.running = false
      this.setStatus('failed', `${reason}; gave up after ${this.restarts} restarts`)
      return
    }
    this.restarts++
    this.setStatus('stalled', `${reason}; restarting (${this.restarts})`)
    this.restartTimer = setTimeout(() => this.running && this.launch(), Math.min(5000, 250 * 2 ** this.restarts))
    this.restartTimer.unref()
  }

  private async killChild(): Promise<void> {
    const child = this.child
    this.child = null
    // A child whose spawn failed has no pid, and Node's kill() then signals pid 0: the caller's whole
    // process group (the terminal, the test runner). Only a child that started is ever signalled.
    if (!child || child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    child.kill('SIGKILL')
    // A process stuck in the driver may not die at once; don't hold the caller hostage.
    await Promise.race([exited, new Promise<void>((resolve) => setTimeout(resolve, 1000).unref())])
  }

  private setStatus(state: SamplerStatus['state'], message: string | null): void {
    this._status = { ...this._status, state, message }
    this.options.onStatus?.(this._status)
  }
}

function lastLine(output: string): string {
  const line = output.trim().split('\n').at(-1)
  return line ? `: ${line.slice(0, 200)}` : ''
}

/** One CSV line of the query above, or null when it isn't one (a warning, garbage, a cut line). */
export function parseSampleLine(line: string, time: number): GpuSample | null {
  let records: string[][]
  try {
    records = parse(line, { trim: true, relax_quotes: true })
  } catch {
    return null
  }
  const values = records[0]
  if (records.length !== 1 || !values || values.length !== FIELDS.length) return null
  const number = (index: number): number | null => {
    const text = values[index]!
    if (text === '' || /^\[.*\]$/.test(text) || text === 'N/A') return null
    const parsed = Number(text)
    return Number.isFinite(parsed) ? parsed : null
  }
  const gpuIndex = number(0)
  if (gpuIndex === null || !Number.isInteger(gpuIndex)) return null
  return {
    time,
    gpuIndex,
    memoryUsedMiB: number(1),
    memoryTotalMiB: number(2),
    gpuUtilization: number(3),
    memoryUtilization: number(4),
    temperatureC: number(5),
    powerDrawW: number(6),
    powerLimitW: number(7),
    smClockMHz: number(8),
    throttle: throttleReasons(values[9]!),
    pcieGeneration: number(10),
    pcieWidth: number(11),
    mig: values[12] === 'Enabled'
  }
}

function throttleReasons(text: string): ThrottleReason[] {
  if (!/^0x[0-9a-f]+$/i.test(text)) return []
  const mask = Number.parseInt(text.slice(2), 16)
  return THROTTLE_BITS.filter(([bit]) => (mask & bit) !== 0).map(([, reason]) => reason)
}
