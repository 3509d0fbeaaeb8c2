// Measured figures from real segments, per GPU model and plan, so the planner can replace its
// predictions with what this machine actually did. One JSON file in a given folder.
import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import type { Plan } from '../../shared/plan'
import { writeJsonAtomic } from '../project/atomicFile'

export const CALIBRATION_FILE = 'gpu-calibration.json'

export const calibrationEntrySchema = z.object({
  /** nvidia-smi's GPU name, as in the doctor's report ("NVIDIA GeForce RTX 4090"). */
  gpuName: z.string(),
  planKey: z.string(),
  /** torch's peak reserved memory over a segment (the sidecar's peakVramReservedMiB): the worst seen. */
  peakVramMiB: z.number().positive(),
  /** Denoising seconds per step, averaged over recent segments. */
  secondsPerStep: z.number().positive(),
  samples: z.number().int().positive(),
  updatedAt: z.string()
})
export type CalibrationEntry = z.infer<typeof calibrationEntrySchema>

const calibrationFileSchema = z.object({ version: z.literal(1), entries: z.array(calibrationEntrySchema) })

export type PlanShape = Pick<Plan, 'model' | 'precision' | 'mode' | 'speed' | 'placement' | 'width' | 'height' | 'segmentFrames'>

export type Measurement = {
  gpuName: string
  plan: PlanShape
  peakVramMiB: number
  /** The sidecar's denoising seconds / steps, which includes any compiling done in the first step. */
  secondsPerStep: number
  /**
   * Seconds the sidecar spent compiling in this segment (its result's compileSeconds) and the
   * segment's steps: the compile is taken out so a compiled plan's speed isn't read as slower.
   */
  compileSeconds?: number | null
  steps?: number
}

/** Seconds per step without this segment's compiling; never below a tenth of the measured figure. */
function steadySecondsPerStep({ secondsPerStep, compileSeconds, steps }: Measurement): number {
  if (!compileSeconds || !steps) return secondsPerStep
  return Math.max(secondsPerStep - compileSeconds / steps, secondsPerStep / 10)
}

/**
 * Everything that changes memory or speed per step: "t2v-a14b/fp8/stream/umt5-gpu/vae-whole/1280x720/81",
 * then "fast", "compiled" and "attn-<backend>" where they differ from quality / eager / SDPA, so the
 * keys measured before #10 still name the same plans.
 */
export function planKey(plan: PlanShape): string {
  const { experts, textEncoder, vaeTiling } = plan.placement
  const levers = [
    ...(plan.mode === 'fast' ? ['fast'] : []),
    ...(plan.speed.compile ? ['compiled'] : []),
    ...(plan.speed.attention === 'sdpa' ? [] : [`attn-${plan.speed.attention}`])
  ]
  return [
    plan.model,
    plan.precision,
    experts,
    `umt5-${textEncoder}`,
    vaeTiling ? 'vae-tiled' : 'vae-whole',
    `${plan.width}x${plan.height}`,
    String(plan.segmentFrames),
    ...levers
  ].join('/')
}

export function findCalibration(entries: readonly CalibrationEntry[], gpuName: string, plan: PlanShape): CalibrationEntry | null {
  const key = planKey(plan)
  return entries.find((entry) => entry.gpuName === gpuName && entry.planKey === key) ?? null
}

/** The speed average forgets slowly: older runs weigh at most this many samples' worth. */
const AVERAGE_WINDOW = 9

/** Entries with the measurement folded in: the worst peak (a plan must fit its worst run), a running mean of speed. */
export function mergeMeasurement(entries: readonly CalibrationEntry[], measurement: Measurement, now: Date): CalibrationEntry[] {
  const key = planKey(measurement.plan)
  const existing = findCalibration(entries, measurement.gpuName, measurement.plan)
  const updatedAt = now.toISOString()
  const secondsPerStep = steadySecondsPerStep(measurement)
  if (!existing) {
    const { gpuName, peakVramMiB } = measurement
    return [...entries, { gpuName, planKey: key, peakVramMiB, secondsPerStep, samples: 1, updatedAt }]
  }
  const weight = Math.min(existing.samples, AVERAGE_WINDOW)
  const merged: CalibrationEntry = {
    ...existing,
    peakVramMiB: Math.max(existing.peakVramMiB, measurement.peakVramMiB),
    secondsPerStep: (existing.secondsPerStep * weight + secondsPerStep) / (weight + 1),
    samples: existing.samples + 1,
    updatedAt
  }
  return entries.map((entry) => (entry === existing ? merged : entry))
}

export type CalibrationStore = {
  load(): Promise<CalibrationEntry[]>
  record(measurement: Measurement): Promise<CalibrationEntry[]>
}

/** Told when the calibration file can't be read; by default a process warning (one stderr line, no stack). */
export type CalibrationWarning = (message: string) => void

export function createCalibrationStore(
  directory: string,
  clock: () => Date = () => new Date(),
  onWarning: CalibrationWarning = (message) => process.emitWarning(message)
): CalibrationStore {
  const path = join(directory, CALIBRATION_FILE)
  // Records in this process run one after another, so none is lost between read and write.
  let queue: Promise<unknown> = Promise.resolve()

  const load = async (): Promise<CalibrationEntry[]> => {
    let text: string
    try {
      text = await readFile(path, 'utf8')
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'ENOENT') return []
      // Calibration only sharpens predictions: one that can't be read (a folder, no permission) is skipped.
      const reason = code === 'EISDIR' ? 'it is a folder' : (error as Error).message
      onWarning(`${path} can't be read (${reason}); the planner's own predictions are used instead`)
      return []
    }
    // Calibration only sharpens predictions: a damaged file counts as empty and the next record rewrites it.
    try {
      const parsed = calibrationFileSchema.safeParse(JSON.parse(text))
      return parsed.success ? parsed.data.entries : []
    } catch {
      return []
    }
  }

  const record = (measurement: Measurement): Promise<CalibrationEntry[]> => {
    const next = queue.then(async () => {
      const entries = mergeMeasurement(await load(), measurement, clock())
      await mkdir(directory, { recursive: true })
      await writeJsonAtomic(path, { version: 1, entries })
      return entries
    })
    queue = next.catch(() => undefined)
    return next
  }

  return { load, record }
}
