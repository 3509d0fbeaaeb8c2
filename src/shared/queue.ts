// The render queue as both sides see it: persisted jobs keyed by id, each a shot render or a
// project export. The queue itself is src/main/queue; what runs a job is behind JobExecutor there.
import { z } from 'zod'
import { renderModeSchema } from './plan'
import { exportFormatSchema, exportFpsSchema, exportSpecSchema, projectSchema, shotRenderSchema } from './project'
import { engineIdSchema } from './render'
import { telemetrySummarySchema } from './telemetry'

export const jobStateSchema = z.enum(['queued', 'running', 'paused', 'done', 'failed', 'cancelled'])
export type JobState = z.infer<typeof jobStateSchema>

/** An error as data: what crosses IPC and lands in the queue file, never a string to unwrap. */
export const errorInfoSchema = z.object({
  code: z.string(),
  message: z.string(),
  details: z.array(z.string())
})
export type ErrorInfo = z.infer<typeof errorInfoSchema>

/** A change of plan made to get past an out-of-memory error; every one is kept with the job. */
export const stepDownSchema = z.object({
  /** 0-based segment that ran out of memory. */
  segment: z.number().int().min(0),
  phase: z.string().nullable(),
  kind: z.enum(['placement', 'segment-length']),
  from: z.string(),
  to: z.string()
})
export type StepDown = z.infer<typeof stepDownSchema>

/**
 * A shot render with every choice made (engine, seed, size, plan): what the render key hashes.
 * `continueFrom` names the previous shot's render for a `continue` join.
 */
export const resolvedShotSchema = z.object({
  /** What the model receives (the translation or extension when there is one). */
  prompt: z.string(),
  /** The prompt as typed, when the model receives another; not in the render key (prompt is). */
  typedPrompt: z.string().optional(),
  /**
   * Where `prompt` came from when it is not the prompt as typed: the shot's accepted model prompt, or
   * the helper model (translation, extension). Not in the render key; lets the editor tell a render
   * from an accepted text that the helper's translation would replace. Absent in older queue files.
   */
  modelPromptFrom: z.enum(['accepted', 'helper']).optional(),
  negativePrompt: z.string().nullable(),
  frames: z.number().int().min(1),
  seed: z.number().int(),
  engine: engineIdSchema,
  steps: z.number().int().min(1),
  /** quality or fast (distilled, 4 steps); absent in queue files from before render modes: quality. */
  mode: renderModeSchema.optional(),
  /** Frames per second the engine renders (`frames` are at this rate); absent in older queue files: 16. */
  fps: z.number().int().positive().optional(),
  width: z.number().int(),
  height: z.number().int(),
  maxSegmentFrames: z.number().int(),
  overlap: z.number().int().min(0),
  /** The GPU a real render runs on (measurements are kept per GPU); null for the synthetic engine. */
  gpuName: z.string().nullable(),
  engineOptions: z.record(z.string(), z.unknown()),
  continueFrom: z.object({ renderKey: z.string(), jobId: z.string().nullable() }).nullable()
})
export type ResolvedShot = z.infer<typeof resolvedShotSchema>

export const renderShotPayloadSchema = z.object({
  kind: z.literal('render-shot'),
  shotId: z.string(),
  render: resolvedShotSchema,
  renderKey: z.string(),
  /** Folder holding one folder of segments per render key. */
  rendersDir: z.string()
})
export type RenderShotPayload = z.infer<typeof renderShotPayloadSchema>

export const exportPayloadSchema = z.object({
  kind: z.literal('export'),
  /** The project as it was queued; shots still rendering get their render from `shotJobs`. */
  project: projectSchema,
  /** Shot id -> the render job whose result the export uses. */
  shotJobs: z.record(z.string(), z.string()),
  spec: exportSpecSchema
})
export type ExportPayload = z.infer<typeof exportPayloadSchema>

export const jobPayloadSchema = z.discriminatedUnion('kind', [renderShotPayloadSchema, exportPayloadSchema])
export type JobPayload = z.infer<typeof jobPayloadSchema>
export type JobKind = JobPayload['kind']

export const renderShotResultSchema = z.object({
  kind: z.literal('render-shot'),
  render: shotRenderSchema,
  renderedSegments: z.number().int().min(0),
  reusedSegments: z.number().int().min(0),
  stepDowns: z.array(stepDownSchema),
  seconds: z.number().min(0),
  /** The GPU while the job ran (peaks, means, throttled time); null in queue files from before telemetry. */
  telemetry: telemetrySummarySchema.nullable().default(null)
})
export type RenderShotResult = z.infer<typeof renderShotResultSchema>

export const exportResultSchema = z.object({
  kind: z.literal('export'),
  output: z.string(),
  /**
   * How a front end plays `output` (wan-media:// in the app). Never stored: added where the job
   * crosses to a front end (src/main/core/jobView.ts), absent when the file is outside the media roots.
   */
  mediaUrl: z.string().optional(),
  metadataFile: z.string(),
  format: exportFormatSchema,
  fps: exportFpsSchema,
  frames: z.number().int(),
  width: z.number().int(),
  height: z.number().int(),
  durationSeconds: z.number(),
  seconds: z.number().min(0)
})
export type ExportResult = z.infer<typeof exportResultSchema>

export const jobResultSchema = z.discriminatedUnion('kind', [renderShotResultSchema, exportResultSchema])
export type JobResult = z.infer<typeof jobResultSchema>

export const jobPhaseSchema = z.enum(['waiting', 'starting', 'rendering', 'exporting', 'done'])

/** Live progress of a running job; not persisted. */
export const jobProgressSchema = z.object({
  jobId: z.string(),
  phase: jobPhaseSchema,
  /** 1-based segment being rendered; 0 before the first or for an export. */
  segment: z.number().int().min(0),
  segments: z.number().int().min(0),
  step: z.number().int().min(0),
  steps: z.number().int().min(0),
  expert: z.string().nullable(),
  /** Whole job, 0..1. */
  fraction: z.number().min(0).max(1),
  elapsedSeconds: z.number().min(0),
  etaSeconds: z.number().min(0).nullable(),
  reusedSegments: z.number().int().min(0),
  message: z.string()
})
export type JobProgress = z.infer<typeof jobProgressSchema>

/**
 * A look at a running shot render: one frame of the denoised estimate at `step` of `steps`, as the
 * engine sent it (base64 `data` of type `mime`). Not persisted; a front end keeps only the latest per job.
 */
export const jobPreviewSchema = z.object({
  jobId: z.string(),
  shotId: z.string(),
  /** 1-based segment being rendered, as in JobProgress. */
  segment: z.number().int().min(1),
  step: z.number().int().min(0),
  steps: z.number().int().min(1),
  width: z.number().int().min(1),
  height: z.number().int().min(1),
  mime: z.literal('image/jpeg'),
  data: z.string().min(1)
})
export type JobPreview = z.infer<typeof jobPreviewSchema>

export const queueJobSchema = z.object({
  id: z.string(),
  title: z.string(),
  state: jobStateSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Jobs that must be done first (an export waits for its shots; a continued shot for the one before). */
  dependsOn: z.array(z.string()),
  attempts: z.number().int().min(0),
  /** Shown with a queued or paused job: why it isn't running (waiting for a failed job, interrupted...). */
  note: z.string().nullable(),
  payload: jobPayloadSchema,
  result: jobResultSchema.nullable(),
  error: errorInfoSchema.nullable(),
  /** Out-of-memory step-downs so far, including those of failed attempts. */
  stepDowns: z.array(stepDownSchema)
})
export type QueueJob = z.infer<typeof queueJobSchema>

export const QUEUE_FORMAT_VERSION = 1

export const queueFileSchema = z.object({
  formatVersion: z.literal(QUEUE_FORMAT_VERSION),
  paused: z.boolean(),
  jobs: z.array(queueJobSchema)
})
export type QueueFile = z.infer<typeof queueFileSchema>

/** What the front ends see: the jobs in queue order and whether dispatching is paused. */
export const queueSnapshotSchema = z.object({ paused: z.boolean(), jobs: z.array(queueJobSchema) })
export type QueueSnapshot = z.infer<typeof queueSnapshotSchema>
