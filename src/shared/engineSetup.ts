// Setting up the engine environment (src/main/engineSetup): what a run is asked to do, the progress
// it reports and how it ended. Shared by the app (IPC engine.*), `npm run engine:setup` and tests.
import { z } from 'zod'

export const engineSetupPhaseSchema = z.enum([
  'disk', // free space checked against the estimate
  'uv', // the pinned uv found or installed
  'python', // a Python found, or a managed one installed by uv
  'venv', // the new environment created beside the current one
  'packages', // uv resolving, downloading, installing
  'verify', // imports and the sidecar's ready message from the new environment
  'switch', // the new environment made current, the old one removed
  'done'
])
export type EngineSetupPhase = z.infer<typeof engineSetupPhaseSchema>

export const engineSetupPackagesSchema = z.object({
  /** From uv's "Resolved N packages"; null until then. */
  resolved: z.number().int().nullable(),
  /** Files uv announced as downloads (those over about 1 MiB) and how many of them finished. */
  announcedDownloads: z.number().int(),
  finishedDownloads: z.number().int(),
  /** From uv's "Installed N packages"; null until then. */
  installed: z.number().int().nullable()
})
export type EngineSetupPackages = z.infer<typeof engineSetupPackagesSchema>

export const engineSetupProgressSchema = z.object({
  phase: engineSetupPhaseSchema,
  message: z.string(),
  packages: engineSetupPackagesSchema,
  /** Bytes of the announced downloads, finished and in all; the total grows as uv announces them. */
  bytes: z.object({ done: z.number(), total: z.number() }),
  /** From the download rate so far; null until there is one. */
  secondsLeft: z.number().nullable(),
  elapsedSeconds: z.number()
})
export type EngineSetupProgress = z.infer<typeof engineSetupProgressSchema>

export const engineSetupDiskSchema = z.object({
  folder: z.string(),
  freeBytes: z.number(),
  neededBytes: z.number(),
  enough: z.boolean()
})
export type EngineSetupDisk = z.infer<typeof engineSetupDiskSchema>

export const engineSetupOutcomeSchema = z.object({
  status: z.enum(['done', 'failed', 'cancelled']),
  /** The interpreter of the current environment afterwards (the old one after a failure), or null. */
  python: z.string().nullable(),
  error: z.string().nullable(),
  logFile: z.string(),
  disk: engineSetupDiskSchema.nullable(),
  elapsedSeconds: z.number()
})
export type EngineSetupOutcome = z.infer<typeof engineSetupOutcomeSchema>

export const engineSetupRequestSchema = z.object({
  /** Only what the synthetic engine needs (base.txt): no torch. */
  syntheticOnly: z.boolean().default(false)
})
export type EngineSetupRequest = z.infer<typeof engineSetupRequestSchema>

/** What the app shows: whether an environment exists, and the run in progress or the last one. */
export const engineSetupStatusSchema = z.object({
  environment: z.object({
    exists: z.boolean(),
    python: z.string().nullable(),
    dir: z.string(),
    /** What the current environment was set up with: the real engine, the synthetic one, or unknown (an older set-up). */
    kind: z.enum(['full', 'synthetic', 'unknown']).nullable(),
    /** WAN_STUDIO_PYTHON: the sidecar runs this interpreter instead, so no first-run screen. */
    pythonOverride: z.string().nullable()
  }),
  running: z.boolean(),
  progress: engineSetupProgressSchema.nullable(),
  lastOutcome: engineSetupOutcomeSchema.nullable(),
  disk: engineSetupDiskSchema.nullable(),
  logFile: z.string()
})
export type EngineSetupStatus = z.infer<typeof engineSetupStatusSchema>
