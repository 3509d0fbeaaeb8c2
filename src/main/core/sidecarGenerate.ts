// Runs one segment on the local sidecar: the bridge between a shot render (which knows nothing of
// JSON-RPC) and the supervised Python process.
import type { Plan } from '../../shared/plan'
import type { CalibrationStore } from '../planner/calibration'
import { outOfMemoryPhase } from '../planner/override'
import { OutOfMemoryError } from '../render/errors'
import type { GenerateSegment, SegmentRequest } from '../render/shotJob'
import { SidecarError } from '../sidecar/client'
import { cancelResultSchema, generateResultSchema, RpcCode, type GenerateResult, type SidecarPreview, type SidecarProgress } from '../sidecar/protocol'
import { describeSidecarError, type SidecarSupervisor } from '../sidecar/supervisor'

/** How long a cancelled synthetic generate may take to stop before its sidecar is killed. */
const SYNTHETIC_CANCEL_GRACE_MS = 10_000
/** The real engine checks for Cancel between steps; loading two experts alone can take minutes. */
const REAL_ENGINE_MIN_CANCEL_GRACE_MS = 5 * 60_000

export interface SidecarGenerateOptions {
  sidecar: SidecarSupervisor
  calibration: CalibrationStore
  /** The GPU a real render runs on: its measurements are kept for it. */
  gpuName: string | null
  log: (level: 'info' | 'warning' | 'error', message: string) => void
}

export function sidecarGenerate(options: SidecarGenerateOptions): GenerateSegment {
  const { sidecar, log } = options
  return async (request, signal, onStep, onPreview) => {
    const client = await sidecar.ensure()
    signal.throwIfAborted()
    const onProgress = (progress: SidecarProgress): void => {
      if (progress.segment === request.segment) onStep({ step: progress.step, steps: progress.steps, expert: progress.expert })
    }
    const onSidecarPreview = ({ segment, shot, step, steps, width, height, mime, data }: SidecarPreview): void => {
      if (segment === request.segment && shot === request.shot) onPreview({ step, steps, width, height, mime, data })
    }
    client.on('progress', onProgress)
    client.on('preview', onSidecarPreview)
    const graceMs = cancelGraceMs(request)
    let killTimer: NodeJS.Timeout | undefined
    const onAbort = (): void => {
      // Cancel answers at once, but the engine stops only between steps: a sidecar still busy
      // after a generous multiple of a step is stuck, and is killed.
      void client.request('cancel', {}, cancelResultSchema).catch(() => undefined)
      killTimer = setTimeout(() => {
        log('error', `the sidecar did not stop within ${Math.round(graceMs / 1000)} s of Cancel; killing it`)
        void client.kill().catch((error: unknown) => log('error', `could not kill the sidecar: ${describeSidecarError(error)}`))
      }, graceMs)
      killTimer.unref()
    }
    signal.addEventListener('abort', onAbort, { once: true })
    try {
      const result = await client.request('generate', request, generateResultSchema)
      if (options.gpuName) await recordCalibration(options, request, result)
      return { secondsPerStep: result.secondsPerStep }
    } catch (error) {
      if (error instanceof SidecarError && error.code === RpcCode.outOfMemory) {
        throw new OutOfMemoryError(error.message, outOfMemoryPhase(error.data) ?? null, error.data)
      }
      throw error
    } finally {
      clearTimeout(killTimer)
      client.off('progress', onProgress)
      client.off('preview', onSidecarPreview)
      signal.removeEventListener('abort', onAbort)
    }
  }
}

/** Measured figures of a real segment, so the next plan uses them instead of predictions. */
async function recordCalibration(options: SidecarGenerateOptions, request: SegmentRequest, result: GenerateResult): Promise<void> {
  const plan = request.options.plan as Plan | undefined
  const peakVramMiB = result.peakVramReservedMiB ?? result.peakVramAllocatedMiB
  if (!plan || !options.gpuName || peakVramMiB == null || result.secondsPerStep == null) return
  const measurement = { gpuName: options.gpuName, plan, peakVramMiB, secondsPerStep: result.secondsPerStep, compileSeconds: result.compileSeconds, steps: request.steps }
  await options.calibration.record(measurement).catch((error: unknown) => {
    options.log('warning', `could not save the measured figures: ${(error as Error).message}`)
  })
}

function cancelGraceMs(request: SegmentRequest): number {
  if (request.engine === 'synthetic') return SYNTHETIC_CANCEL_GRACE_MS
  const plan = request.options.plan as Plan | undefined
  const secondsPerStep = plan ? plan.predicted.secondsPerSegment / Math.max(request.steps, 1) : 0
  return Math.max(REAL_ENGINE_MIN_CANCEL_GRACE_MS, 3 * secondsPerStep * 1000)
}
