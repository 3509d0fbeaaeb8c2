// What `wan-studio doctor --json` prints and the System panel shows: the GPUs nvidia-smi reports,
// RAM, warnings, per-model verdicts, and the plan the real engine would use (or why it can't run).
import { z } from 'zod'
import { modelIdSchema, planSchema, promptHelperPlanSchema } from './plan'

export const migDeviceSchema = z.object({
  uuid: z.string(),
  /** The MIG profile, e.g. "3g.40gb". */
  profile: z.string(),
  /** Memory of the slice, read from the profile name; null when the name carries none. */
  memoryMiB: z.number().nullable()
})
export type MigDevice = z.infer<typeof migDeviceSchema>

export const doctorGpuSchema = z.object({
  /** nvidia-smi's index (PCI bus order; the sidecar sets CUDA_DEVICE_ORDER=PCI_BUS_ID to match). */
  index: z.number().int().min(0),
  uuid: z.string().nullable(),
  name: z.string(),
  memoryTotalMiB: z.number().nullable(),
  memoryFreeMiB: z.number().nullable(),
  /** "8.9"; from nvidia-smi, else from the known-GPU table; null when neither knows. */
  computeCapability: z.string().nullable(),
  pcieGenMax: z.number().int().nullable(),
  pcieWidthMax: z.number().int().nullable(),
  migEnabled: z.boolean(),
  migDevices: z.array(migDeviceSchema),
  /** From the known-GPU table (nvidia-smi doesn't report them); null for GPUs not in it. */
  knownAs: z.string().nullable(),
  memoryBandwidthGBps: z.number().nullable(),
  bf16Tflops: z.number().nullable()
})
export type DoctorGpu = z.infer<typeof doctorGpuSchema>

export const verdictJobSchema = z.enum(['a14b-720p', 'a14b-480p', 'ti2v-5b-720p'])
export type VerdictJob = z.infer<typeof verdictJobSchema>

export const modelVerdictSchema = z.object({
  job: verdictJobSchema,
  model: modelIdSchema,
  /** "A14B 720p (1280x720, 81 frames)". */
  label: z.string(),
  verdict: z.enum(['ok', 'slow', 'wont-fit']),
  sentence: z.string(),
  secondsPerClip: z.number().nullable()
})
export type ModelVerdict = z.infer<typeof modelVerdictSchema>

export const compatibilityReportSchema = z.object({
  /** The GPU the verdicts and the plan are for (most free memory); null without a usable GPU. */
  gpuIndex: z.number().int().nullable(),
  verdicts: z.array(modelVerdictSchema)
})
export type CompatibilityReport = z.infer<typeof compatibilityReportSchema>

export const doctorReportSchema = z.object({
  gpus: z.array(doctorGpuSchema),
  driverVersion: z.string().nullable(),
  cudaVersion: z.string().nullable(),
  ramTotalMiB: z.number(),
  /** What went wrong probing the GPUs (no nvidia-smi, driver not loaded, timeout), or null. */
  error: z.string().nullable(),
  warnings: z.array(z.string()),
  /** How the real engine would render 1280x720 on this machine, whether or not weights are installed. */
  plan: planSchema.nullable(),
  /** Why the real engine can't run here; null when there is a plan. */
  refusal: z.string().nullable(),
  report: compatibilityReportSchema,
  /** The prompt helper model in the plan (planner/promptHelperPlan.ts); absent where nobody planned it. */
  promptHelper: promptHelperPlanSchema.optional()
})
export type DoctorReport = z.infer<typeof doctorReportSchema>
