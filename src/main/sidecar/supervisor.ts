// Keeps one initialized sidecar available: started on first use, restarted after a crash or when
// the GPU it must see changes, re-initialized when the models folder changes.
import type { SidecarState } from '../../shared/ipc'
import { SidecarClient, SidecarError, SidecarExitedError } from './client'
import { initializeResultSchema, type InitializeResult } from './protocol'
import { findPython } from './python'

/** Importing torch and asking CUDA can hang on a wedged driver: give up instead of freezing. */
const INITIALIZE_TIMEOUT_MS = 120_000

export interface InitializeParams {
  ffmpegPath: string
  modelsDir: string | null
  /** Per model id (t2v-a14b...), the diffusers folder found for it (models folder, Hugging Face cache snapshot), used before <modelsDir>/<repo>. */
  modelDirs: Record<string, string>
  /** Per model id, ComfyUI single files by component (transformer, transformer_2, text_encoder, vae), where no folder is complete. */
  modelFiles: Record<string, Record<string, string>>
  /** The only folders the sidecar may write segments into and read them from (absolute). */
  allowedRoots: string[]
}

export interface SupervisorOptions {
  /** The engine environment's interpreter (AppPaths.engineVenvPython); findPython falls back from it. */
  enginePython: string
  sidecarDir: string
  env: NodeJS.ProcessEnv
  /** Read at every (re)initialize, so settings changes reach the sidecar. */
  initializeParams: () => Promise<InitializeParams>
  log: (level: 'debug' | 'info' | 'warning' | 'error', source: 'sidecar' | 'studio', message: string) => void
}

export class SidecarSupervisor {
  private client: SidecarClient | null = null
  private starting: Promise<SidecarClient> | null = null
  private initializedWith: InitializeParams | null = null
  private cudaVisibleDevices: string | null = null
  private _state: SidecarState = 'stopped'
  private _lastError: string | null = null
  /** What the sidecar said at its last initialize: engines, their availability and details. */
  initialized: InitializeResult | null = null

  constructor(private readonly options: SupervisorOptions) {}

  get state(): SidecarState {
    return this._state
  }

  get lastError(): string | null {
    return this._lastError
  }

  /** The running sidecar's process id (its process group). */
  get pid(): number | undefined {
    return this.client?.alive ? this.client.pid : undefined
  }

  /**
   * A live, initialized sidecar that may use every folder initializeParams names now (a render
   * into a new work folder re-initializes it with that folder added). Call it only while idle.
   */
  async ensure(): Promise<SidecarClient> {
    if (this.client?.alive) {
      await this.allowNewRoots(this.client)
      return this.client
    }
    this.starting ??= this.start().finally(() => {
      this.starting = null
    })
    return this.starting
  }

  private async allowNewRoots(client: SidecarClient): Promise<void> {
    const params = await this.options.initializeParams()
    const known = new Set(this.initializedWith?.allowedRoots)
    if (params.allowedRoots.every((root) => known.has(root))) return
    this.options.log('info', 'studio', 'new render folders: re-initializing the sidecar with them allowed')
    // The weights stay as they were: a change reaches the sidecar only between renders.
    const before = this.initializedWith
    const weights = before ? { modelsDir: before.modelsDir, modelDirs: before.modelDirs, modelFiles: before.modelFiles } : {}
    await this.initialize(client, { ...params, ...weights })
  }

  private async start(): Promise<SidecarClient> {
    const { log } = this.options
    this._state = 'starting'
    this.initialized = null
    let client: SidecarClient | null = null
    try {
      // Everything that can fail without the sidecar fails before it is spawned.
      const python = findPython(this.options.enginePython, this.options.env)
      const params = await this.options.initializeParams()
      log('info', 'studio', `starting the sidecar with ${python.path} (${python.source})`)
      const env = this.cudaVisibleDevices ? { ...this.options.env, CUDA_VISIBLE_DEVICES: this.cudaVisibleDevices } : this.options.env
      client = await SidecarClient.start({ python: python.path, sidecarDir: this.options.sidecarDir, env })
      const started = client
      started.on('log', ({ level, message }) => log(level, 'sidecar', message))
      started.on('exit', (exit) => {
        if (this.client !== started) return
        this.client = null
        if (this._state === 'stopped') return
        this._state = 'crashed'
        this._lastError = `the sidecar exited unexpectedly (${exit.signal ?? `exit code ${exit.code}`})`
        log('error', 'studio', this._lastError)
      })
      await this.initialize(started, params)
      this.client = started
      this._state = 'ready'
      this._lastError = null
      return started
    } catch (error) {
      // A sidecar that started but could not be initialized must not linger (nor keep the CLI alive).
      await client?.kill().catch(() => undefined)
      this._state = 'crashed'
      this._lastError = describeSidecarError(error)
      log('error', 'studio', `the sidecar could not start: ${this._lastError}`)
      throw error
    }
  }

  private async initialize(client: SidecarClient, params: InitializeParams): Promise<void> {
    this.initialized = await client.request('initialize', params, initializeResultSchema, { timeoutMs: INITIALIZE_TIMEOUT_MS })
    this.initializedWith = params
  }

  /** Shows a changed models folder, or weights found elsewhere, to a running sidecar (call it only while no render runs). */
  async refreshModelsDir(): Promise<void> {
    if (!this.client?.alive) return
    const params = await this.options.initializeParams()
    const before = this.initializedWith
    if (!before || params.modelsDir !== before.modelsDir || !sameWeights(params, before)) await this.initialize(this.client, params)
  }

  /** Restarts the sidecar when it must see other CUDA devices (a MIG slice); call it only while idle. */
  async useCudaDevices(devices: string | null): Promise<void> {
    if (devices === this.cudaVisibleDevices) return
    this.cudaVisibleDevices = devices
    this.options.log('info', 'studio', devices ? `restarting the sidecar on ${devices}` : 'restarting the sidecar on all GPUs')
    const client = this.client
    this.client = null
    await client?.shutdown()
    await this.ensure()
  }

  /** Stops the sidecar and everything it started. */
  async stop(): Promise<void> {
    this._state = 'stopped'
    const client = this.client ?? (await this.starting?.catch(() => null)) ?? null
    this.client = null
    await client?.shutdown()
  }
}

/** An error from or about the sidecar, with its last stderr lines when there are any. */
export function describeSidecarError(error: unknown): string {
  if (error instanceof SidecarExitedError || error instanceof SidecarError) {
    const tail = error.stderrTail.slice(-5).join(' | ')
    return tail ? `${error.message}: ${tail}` : error.message
  }
  return error instanceof Error ? error.message : String(error)
}

function sameWeights(a: InitializeParams, b: InitializeParams): boolean {
  return JSON.stringify([a.modelDirs, a.modelFiles], sortedKeys) === JSON.stringify([b.modelDirs, b.modelFiles], sortedKeys)
}

/** JSON.stringify replacer that writes object keys in order, so equal maps compare equal. */
function sortedKeys(_key: string, value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)))
}
