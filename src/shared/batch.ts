// Batch rendering: a prompt list (.txt, .csv, .jsonl) into one-shot jobs. The row schema and the
// preview both sides see; reading files and queueing is src/main/batch. No Node imports here.
import { z } from 'zod'
import { renderModeSchema } from './plan'
import { exportFormatSchema, exportFpsSchema, frameSizeSchema, shotSchema, translateModeSchema } from './project'
import { jobStateSchema } from './queue'
import { CLIP_FPS, engineChoiceSchema, promptTextSchema } from './render'

/** The columns (CSV) and keys (JSONL) a row may have; anything else is ignored with a warning. */
export const BATCH_COLUMNS = ['name', 'prompt', 'negative_prompt', 'seed', 'seconds', 'size', 'steps'] as const
export type BatchColumn = (typeof BATCH_COLUMNS)[number]

/** A row as read from the file, before validation: where it starts and its raw values. */
export type RawBatchRow = { line: number; fields: Partial<Record<BatchColumn, unknown>> }

/** umT5's context: Wan2.2 cuts a prompt after this many tokens. */
export const TEXT_ENCODER_MAX_TOKENS = 512
/** A shot without `seconds` in its row or on the command line. */
export const DEFAULT_BATCH_SECONDS = 5

/**
 * Tokens umT5 would make of `text`, estimated from the high side so a prompt that may be cut is
 * warned about. There is no tokenizer on the Node side (and asking the sidecar would mean starting
 * Python and loading the tokenizer files just to preview). umT5's SentencePiece pieces average about
 * 4 characters of English each; we count 3, and one token per character outside ASCII (CJK and
 * most scripts are at most one piece per character), plus the end-of-sequence token.
 */
export function estimatePromptTokens(text: string): number {
  let ascii = 0
  let other = 0
  for (const char of text) {
    if (char.charCodeAt(0) < 0x80) ascii++
    else other++
  }
  return Math.ceil(ascii / 3) + other + 1
}

/** Values from text files are strings: a blank cell is "not given"; numbers are plain decimals. */
function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (value === null || (typeof value === 'string' && value.trim() === '') ? undefined : value), schema.optional())
}

function decimal(what: string, whole: boolean) {
  return z.preprocess((value) => {
    if (typeof value !== 'string') return value
    const text = value.trim()
    const pattern = whole ? /^-?\d+$/ : /^-?\d+(\.\d+)?$/
    return pattern.test(text) ? Number(text) : { notDecimal: text }
  }, z.unknown()).transform((value, context) => {
    if (typeof value === 'number') return value
    const text = (value as { notDecimal?: string } | null)?.notDecimal
    context.addIssue({ code: 'custom', message: text === undefined ? `${what} must be a number` : `${what} "${text}" is not a ${whole ? 'whole ' : ''}decimal number` })
    return z.NEVER
  })
}

const shotFields = shotSchema.shape

/** One row's values, checked with the shot's own rules (seconds, seed range, steps) and sizes. */
export const batchRowSchema = z.object({
  name: optional(z.string({ error: 'name must be text' }).trim()),
  prompt: z.preprocess(
    (value) => (typeof value === 'string' ? value.trim() : (value ?? '')),
    promptTextSchema('prompt').refine((text) => text.length > 0, 'prompt is missing or empty')
  ),
  negative_prompt: optional(promptTextSchema('negative prompt').transform((text) => text.trim())),
  seed: optional(decimal('seed', true).pipe(shotFields.seed.unwrap())),
  seconds: optional(decimal('seconds', false).pipe(shotFields.seconds)),
  size: optional(z.preprocess((value) => (typeof value === 'string' ? value.trim() : value), z.enum(frameSizeSchema.options, { error: `size must be ${frameSizeSchema.options.join(' or ')}` }))),
  steps: optional(decimal('steps', true).pipe(shotFields.steps.unwrap()))
})
export type BatchRowValues = z.output<typeof batchRowSchema>

/** What the command line (or the app) gives every row that doesn't say otherwise. */
export const batchDefaultsSchema = z.object({
  seconds: shotFields.seconds.optional(),
  seed: shotFields.seed.unwrap().optional(),
  engine: engineChoiceSchema.default('auto'),
  /** Every job's render mode (quality, or fast: the 4-step LoRAs). */
  mode: renderModeSchema.default('quality'),
  /** Every job's translate setting (docs/prompting.md): a new batch translates prompts that aren't Chinese. */
  translate: translateModeSchema.default('auto'),
  /** Extend every prompt with the helper model first, seeded with the job's seed. */
  extend: z.boolean().default(false),
  size: frameSizeSchema.default('1280x720'),
  format: exportFormatSchema.default('h264'),
  fps: exportFpsSchema.default(16)
})
export type BatchDefaults = z.output<typeof batchDefaultsSchema>
export type BatchDefaultsInput = z.input<typeof batchDefaultsSchema>

/** A row that will run: its values with the defaults filled in. */
export const batchJobSpecSchema = z.object({
  line: z.number().int().min(1),
  /** The row's `name`, or null (a slug of the prompt is used). */
  name: z.string().nullable(),
  prompt: z.string(),
  negativePrompt: z.string().nullable(),
  /** null: drawn when the batch is created, then kept in batch.json. */
  seed: z.number().int().nullable(),
  seconds: z.number(),
  size: frameSizeSchema,
  steps: z.number().int().nullable(),
  warnings: z.array(z.string())
})
export type BatchJobSpec = z.infer<typeof batchJobSpecSchema>

export const batchProblemSchema = z.object({ file: z.string(), line: z.number().int().min(0), message: z.string() })
export type BatchProblem = z.infer<typeof batchProblemSchema>

/** A row into a job spec, or the reason it can't run (every problem of the row, joined). */
export function validateBatchRow(row: RawBatchRow, defaults: BatchDefaults): { job: BatchJobSpec } | { problem: string } {
  const parsed = batchRowSchema.safeParse(row.fields)
  if (!parsed.success) {
    // One reason per field: the first rule it breaks.
    const byField = new Map<string, string>()
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? 'row')
      if (!byField.has(field)) byField.set(field, issue.message.startsWith(field) ? issue.message : `${field}: ${issue.message}`)
    }
    return { problem: [...byField.values()].join('; ') }
  }
  const values = parsed.data
  const warnings: string[] = []
  const tokens = estimatePromptTokens(values.prompt)
  if (tokens > TEXT_ENCODER_MAX_TOKENS) warnings.push(`the prompt is about ${tokens} tokens; the text encoder reads ${TEXT_ENCODER_MAX_TOKENS} and cuts the rest`)
  return {
    job: {
      line: row.line,
      name: values.name || null,
      prompt: values.prompt,
      negativePrompt: values.negative_prompt ?? null,
      seed: values.seed ?? defaults.seed ?? null,
      seconds: values.seconds ?? defaults.seconds ?? DEFAULT_BATCH_SECONDS,
      size: values.size ?? defaults.size,
      steps: values.steps ?? null,
      warnings
    }
  }
}

/** What the app shows before queueing: the jobs, what was rejected, and how long it all is. */
export const batchPreviewSchema = z.object({
  file: z.string(),
  jobs: z.array(batchJobSpecSchema),
  rejected: z.array(batchProblemSchema),
  /** File-level notes: unknown columns, say. */
  warnings: z.array(batchProblemSchema),
  /** Seconds of video the jobs make together. */
  totalSeconds: z.number(),
  /** Predicted render time from the cached plan, or null with why in predictionNote. */
  predictedSeconds: z.number().nullable(),
  predictionNote: z.string().nullable()
})
export type BatchPreview = z.infer<typeof batchPreviewSchema>

/** Frames a job renders at 16 fps (what the prediction counts in segments). */
export function batchJobFrames(job: Pick<BatchJobSpec, 'seconds'>): number {
  return Math.round(job.seconds * CLIP_FPS)
}

/** A list by path (typed or chosen), or its text (a file dropped on the window: the renderer reads it). */
export const batchSourceSchema = z.union([
  z.object({ path: z.string().min(1) }),
  z.object({ name: z.string().min(1).max(255), text: z.string().max(64 * 1024 * 1024, 'a prompt list is at most 64 MiB') })
])
export type BatchSource = z.infer<typeof batchSourceSchema>

export const batchPreviewParamsSchema = batchSourceSchema.and(z.object({ defaults: batchDefaultsSchema.optional() }))
export type BatchPreviewParams = z.input<typeof batchPreviewParamsSchema>

export const batchStartParamsSchema = batchSourceSchema.and(z.object({ defaults: batchDefaultsSchema.optional(), outDir: z.string().min(1, 'choose the batch folder') }))
export type BatchStartParams = z.input<typeof batchStartParamsSchema>

/** One row of a started batch: its state from batch.json and, while it runs, from its queue job. */
export const batchRowViewSchema = z.object({
  line: z.number().int(),
  name: z.string(),
  status: z.enum(['pending', 'done', 'failed']),
  /** The row's current job (its export once queued, else its render); null when it has none in the queue. */
  jobId: z.string().nullable(),
  jobState: jobStateSchema.nullable(),
  error: z.string().nullable()
})
export type BatchRowView = z.infer<typeof batchRowViewSchema>

/** A batch's progress as its summary file tells it. */
export const batchStatusSchema = z.object({
  outDir: z.string(),
  summaryFile: z.string(),
  jobs: z.number().int(),
  done: z.number().int(),
  failed: z.number().int(),
  pending: z.number().int(),
  rejected: z.number().int(),
  /** Every row, in list order. */
  rows: z.array(batchRowViewSchema)
})
export type BatchStatus = z.infer<typeof batchStatusSchema>
