// The project document: the durable thing a user makes (settings and an ordered list of shots).
// Everything the timeline, the queue and the export know about a film comes from here. Edits are
// pure functions (projectEdits.ts); saving, loading and migrating older versions is
// src/main/project/projectFile.ts.
import { z } from 'zod'
import { renderModeSchema } from './plan'
import { CLIP_FPS, engineChoiceSchema, engineIdSchema, promptTextSchema, shotSecondsSchema } from './render'

export const PROJECT_FORMAT_VERSION = 2

export const frameSizeSchema = z.enum(['1280x720', '720x1280'])
export type FrameSize = z.infer<typeof frameSizeSchema>

export function frameDimensions(size: FrameSize): { width: number; height: number } {
  return size === '1280x720' ? { width: 1280, height: 720 } : { width: 720, height: 1280 }
}

/** A draft renders at Wan2.2's 480p (832x480, turned for a vertical project): a quick look. */
export const DRAFT_SIZES: Record<FrameSize, { width: number; height: number }> = {
  '1280x720': { width: 832, height: 480 },
  '720x1280': { width: 480, height: 832 }
}

/** Whether a render of this size is a draft (both models render the draft sizes exactly). */
export function isDraftSize(size: { width: number; height: number }): boolean {
  return Object.values(DRAFT_SIZES).some((draft) => draft.width === size.width && draft.height === size.height)
}

/** The size a shot renders at: the project's, or its draft size. */
export function shotDimensions(size: FrameSize, shot: Pick<Shot, 'draft'>): { width: number; height: number } {
  return shot.draft ? DRAFT_SIZES[size] : frameDimensions(size)
}

/** Longest crossfade: 4 s at the timeline's 16 fps. */
export const MAX_CROSSFADE_FRAMES = 64

/**
 * How a shot meets the one before it. `continue` renders the shot from the previous shot's last
 * frames through the engine's continuity: one long take whose prompt changes.
 */
export const joinSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('cut') }),
  z.object({
    kind: z.literal('crossfade'),
    /** Frames at the timeline's 16 fps during which both shots are blended. */
    frames: z
      .number()
      .int('crossfade frames must be a whole number')
      .min(1, 'a crossfade needs at least 1 frame')
      .max(MAX_CROSSFADE_FRAMES, `a crossfade is at most ${MAX_CROSSFADE_FRAMES} frames`)
  }),
  z.object({ kind: z.literal('continue') })
])
export type Join = z.infer<typeof joinSchema>

/** Frames of the shot's rendered length that the timeline uses: [in, out). */
export const trimSchema = z.object({
  in: z.number().int('trim in must be a whole frame').min(0, 'trim in must be at least 0'),
  /** Exclusive; null means the shot's last frame. */
  out: z.number().int('trim out must be a whole frame').min(1, 'trim out must be at least 1').nullable()
})
export type Trim = z.infer<typeof trimSchema>

/** One finished segment of a shot's render: a checkpoint file and the frames the shot keeps of it. */
export const renderedSegmentSchema = z.object({
  index: z.number().int().min(0),
  /** Absolute path of the segment's video (near-lossless H.264, the engine's size, 16 fps). */
  path: z.string().min(1),
  /** Frames the file holds. */
  frames: z.number().int().min(1),
  /** Leading frames that repeat the previous segment's (or shot's) tail; dropped exactly once. */
  skipHeadFrames: z.number().int().min(0),
  /** Frames the shot keeps after the skipped head. */
  takeFrames: z.number().int().min(1)
})
export type RenderedSegment = z.infer<typeof renderedSegmentSchema>

/** What the shot looks like on disk once its render job finished. */
export const shotRenderSchema = z.object({
  /** Content key of the render (prompt, seed, settings, model): equal keys, equal frames. */
  renderKey: z.string().min(1),
  engine: engineIdSchema,
  seed: z.number().int(),
  /** Frames of the shot after overlaps are dropped, before trim. */
  frames: z.number().int().min(1),
  width: z.number().int(),
  height: z.number().int(),
  fps: z.number().int(),
  /** The model and precision that made it ("synthetic" for the synthetic engine). */
  model: z.string(),
  plan: z.string(),
  /** The prompt the model received (a translation or an extension); absent: the prompt as typed. */
  modelPrompt: z.string().optional(),
  segments: z.array(renderedSegmentSchema).min(1),
  renderedAt: z.string()
})
export type ShotRender = z.infer<typeof shotRenderSchema>

/**
 * When the prompt is translated into Chinese before the model reads it (docs/prompting.md): `auto`
 * when it is not Chinese throughout, `always`, `never`.
 */
export const TRANSLATE_MODES = ['auto', 'always', 'never'] as const
export const translateModeSchema = z.enum(TRANSLATE_MODES, { error: 'translate must be auto, always or never' })
export type TranslateMode = z.infer<typeof translateModeSchema>

/**
 * What the model receives instead of the prompt as typed, once the user accepted or edited a
 * translation or an extension. It holds only while the prompt is still `typed`: a changed prompt
 * is prepared again by the translate setting.
 */
export const modelPromptSchema = z.object({
  text: promptTextSchema('model prompt').refine((text) => text.trim().length > 0, 'model prompt is empty'),
  /** The prompt (trimmed) it was made from. */
  typed: z.string()
})
export type ModelPrompt = z.infer<typeof modelPromptSchema>

export const shotSchema = z.object({
  id: z.string().min(1),
  prompt: promptTextSchema('prompt'),
  /** null: the engine's default negative prompt (Wan2.2's own); "" is an explicit empty one. */
  negativePrompt: promptTextSchema('negative prompt').nullable(),
  /** null: drawn when the shot is first queued, then kept here so a re-render is identical. */
  seed: z.number().int('seed must be a whole number').min(0, 'seed must be at least 0').max(2 ** 32 - 1, 'seed must be below 2^32').nullable(),
  seconds: shotSecondsSchema,
  /** Denoising steps; null is the engine's default. */
  steps: z.number().int('steps must be a whole number').min(1, 'steps must be at least 1').max(200, 'steps must be at most 200').nullable(),
  engine: engineChoiceSchema,
  /** quality: the model's own steps with guidance; fast: the 4-step distilled LoRAs (steps is ignored). */
  mode: renderModeSchema,
  /** Render at the draft size (DRAFT_SIZES) for a quick look; the export refuses or upscales it. */
  draft: z.boolean({ error: 'draft must be true or false' }),
  trim: trimSchema,
  /** The join to the shot before; the first shot's join is always a cut. */
  join: joinSchema,
  /** The last finished render of this shot, or null before its first render. */
  render: shotRenderSchema.nullable(),
  /** This shot's translate setting; null or absent: the project's. */
  translate: translateModeSchema.nullable().optional(),
  /** The accepted or edited prompt the model receives; null or absent: prepared from the prompt. */
  modelPrompt: modelPromptSchema.nullable().optional()
})
export type Shot = z.infer<typeof shotSchema>

export const projectSettingsSchema = z.object({
  size: frameSizeSchema,
  /**
   * Absent: 'never', how every project rendered before translation existed (so opening one never
   * changes its renders). New projects start at 'auto'.
   */
  translate: translateModeSchema.optional()
})
export type ProjectSettings = z.infer<typeof projectSettingsSchema>

/** The document's shape without the cross-field rules; projectSchema adds them. */
export const projectShapeSchema = z.object({
  formatVersion: z.literal(PROJECT_FORMAT_VERSION),
  name: z.string().min(1, 'project name is empty').max(200, 'project name is longer than 200 characters'),
  settings: projectSettingsSchema,
  shots: z.array(shotSchema)
})

/** The translate setting a shot renders with: its own, else the project's, else 'never'. */
export function shotTranslateMode(settings: ProjectSettings, shot: Pick<Shot, 'translate'>): TranslateMode {
  return shot.translate ?? settings.translate ?? 'never'
}

/** The accepted model prompt, while it still belongs to the shot's prompt; null otherwise. */
export function acceptedModelPrompt(shot: Pick<Shot, 'prompt' | 'modelPrompt'>): string | null {
  const accepted = shot.modelPrompt
  return accepted && accepted.typed === shot.prompt.trim() ? accepted.text.trim() : null
}

/** Frames a shot renders at the timeline's 16 fps, before trim. */
export function shotFrames(shot: Pick<Shot, 'seconds'>): number {
  return Math.round(shot.seconds * CLIP_FPS)
}

/** The shot's used frame range [in, out) after trim, in frames of its untrimmed length. */
export function trimmedRange(shot: Pick<Shot, 'seconds' | 'trim'>): { in: number; out: number } {
  const frames = shotFrames(shot)
  return { in: shot.trim.in, out: shot.trim.out ?? frames }
}

/** Frames the shot contributes before its join to the next one is applied. */
export function trimmedFrames(shot: Pick<Shot, 'seconds' | 'trim'>): number {
  const range = trimmedRange(shot)
  return range.out - range.in
}

/**
 * Every rule that spans fields or shots, as messages naming where. Empty when the document is
 * consistent. The edits refuse a change that would add a problem; a loaded file with problems is
 * refused whole.
 */
export function projectProblems(project: z.infer<typeof projectShapeSchema>): { path: (string | number)[]; message: string }[] {
  const problems: { path: (string | number)[]; message: string }[] = []
  const ids = new Set<string>()
  project.shots.forEach((shot, index) => {
    const at = (...rest: (string | number)[]): (string | number)[] => ['shots', index, ...rest]
    if (ids.has(shot.id)) problems.push({ path: at('id'), message: `shot id "${shot.id}" is used twice` })
    ids.add(shot.id)
    const frames = shotFrames(shot)
    const { in: start, out: end } = trimmedRange(shot)
    if (end > frames) problems.push({ path: at('trim', 'out'), message: `trim out ${end} is past the shot's last frame (${frames} frames)` })
    if (start >= end) problems.push({ path: at('trim'), message: `trim in ${start} must be before trim out ${end}` })
    if (index === 0 && shot.join.kind !== 'cut') {
      problems.push({ path: at('join'), message: `the first shot can't ${shot.join.kind === 'continue' ? 'continue from' : 'crossfade with'} a shot before it` })
    }
    const previous = project.shots[index - 1]
    if (previous && shot.join.kind === 'crossfade') {
      const longest = Math.min(trimmedFrames(previous), end - start)
      if (shot.join.frames > longest) {
        problems.push({ path: at('join', 'frames'), message: `a crossfade of ${shot.join.frames} frames is longer than a shot it joins (${longest} frames)` })
      }
    }
    if (previous && shot.join.kind === 'continue' && previous.trim.out !== null && previous.trim.out < shotFrames(previous)) {
      problems.push({
        path: ['shots', index - 1, 'trim', 'out'],
        message: 'the next shot continues from this shot\'s last frame, so its end can\'t be trimmed (make that join a cut first)'
      })
    }
  })
  return problems
}

export const projectSchema = projectShapeSchema.superRefine((project, context) => {
  for (const problem of projectProblems(project)) context.addIssue({ code: 'custom', path: problem.path, message: problem.message })
})
export type Project = z.infer<typeof projectSchema>

/** A shot as a new one starts: empty prompt, 5 s, the engine's defaults, quality, full size, a cut. */
export function newShot(id: string, fields: Partial<Omit<Shot, 'id'>> = {}): Shot {
  return {
    id,
    prompt: '',
    negativePrompt: null,
    seed: null,
    seconds: 5,
    steps: null,
    engine: 'auto',
    mode: 'quality',
    draft: false,
    trim: { in: 0, out: null },
    join: { kind: 'cut' },
    render: null,
    ...fields
  }
}

export function newProject(name = 'Untitled'): Project {
  return { formatVersion: PROJECT_FORMAT_VERSION, name, settings: { size: '1280x720', translate: 'auto' }, shots: [] }
}

// Export: what the user asks for; the formats editors accept.
export const exportFormatSchema = z.enum(['h264', 'prores', 'dnxhr'])
export type ExportFormat = z.infer<typeof exportFormatSchema>
export const exportFpsSchema = z.union([z.literal(16), z.literal(24), z.literal(30)])
export type ExportFps = z.infer<typeof exportFpsSchema>

export const exportSpecSchema = z.object({
  format: exportFormatSchema.default('h264'),
  fps: exportFpsSchema.default(16),
  /** Absolute path of the file to write: .mp4 for H.264, .mov for ProRes and DNxHR. */
  output: z.string().min(1, 'the export destination is empty'),
  /** Replace an existing file at output (otherwise an existing file is an error). */
  overwrite: z.boolean().default(false),
  /** Draft shots (rendered at DRAFT_SIZES): refuse to export them, or scale them up to the project's size. */
  drafts: z.enum(['refuse', 'upscale']).default('refuse')
})
export type ExportSpec = z.output<typeof exportSpecSchema>
export type ExportSpecInput = z.input<typeof exportSpecSchema>

export const EXPORT_EXTENSIONS: Record<ExportFormat, '.mp4' | '.mov'> = { h264: '.mp4', prores: '.mov', dnxhr: '.mov' }
