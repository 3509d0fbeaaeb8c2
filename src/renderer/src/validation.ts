// The Shot form checked with the same schema main applies (src/shared/render.ts).
import type { EngineInfo } from '../../shared/ipc'
import { CLIP_FPS, renderRequestSchema,
  type EngineChoice,
  type RenderRequestInput
} from '../../shared/render'
import { planSegments } from '../../shared/segments'

export type ShotForm = {
  prompt: string
  negativePrompt: string
  /** Kept as typed so a half-typed value isn't lost; parsed on validation. */
  seconds: string
  /** Blank means a random seed. */
  seed: string
  /** Blank means the engine's default. */
  steps: string
  engine: EngineChoice
}

export type ShotField = 'prompt' | 'negativePrompt' | 'seconds' | 'seed' | 'steps' | 'engine'

export type ShotValidation =
  | { ok: true; request: RenderRequestInput; errors: Partial<Record<ShotField, string>> }
  | { ok: false; request: null; errors: Partial<Record<ShotField, string>> }

const fields: readonly ShotField[] = ['prompt', 'negativePrompt', 'seconds', 'seed', 'steps', 'engine']

function parseNumber(text: string): number {
  const trimmed = text.trim()
  return trimmed === '' ? Number.NaN : Number(trimmed)
}

/** The request the form describes, or the first error of each field. */
export function validateShot(form: ShotForm): ShotValidation {
  const input: RenderRequestInput = {
    prompt: form.prompt,
    seconds: parseNumber(form.seconds),
    engine: form.engine
  }
  if (form.negativePrompt.trim() !== '') input.negativePrompt = form.negativePrompt
  if (form.seed.trim() !== '') input.seed = parseNumber(form.seed)
  if (form.steps.trim() !== '') input.steps = parseNumber(form.steps)

  const parsed = renderRequestSchema.safeParse(input)
  if (parsed.success) return { ok: true, request: input, errors: {} }

  const errors: Partial<Record<ShotField, string>> = {}
  for (const issue of parsed.error.issues) {
    const key = issue.path[0]
    const field = fields.find((f) => f === key)
    if (!field || errors[field]) continue
    errors[field] = field === 'steps' ? 'steps must be a whole number from 1 to 200' : issue.message
  }
  return { ok: false, request: null, errors }
}

/** Why the chosen engine can't render (the studio reports it unavailable), or undefined. */
export function engineProblem(engine: EngineChoice, engines: readonly EngineInfo[]): string | undefined {
  if (engine === 'auto') return undefined
  const info = engines.find((e) => e.id === engine)
  return info && !info.available ? `${info.label} is unavailable: ${info.reason ?? 'no reason given'}` : undefined
}

/** Frames the clip will have (the core rounds seconds x fps the same way). */
export function clipFrames(seconds: number): number {
  return Math.round(seconds * CLIP_FPS)
}

/** How many segments the core splits a clip into. */
export function segmentCount(frames: number): number {
  return planSegments(frames).length
}

/** A uniformly random seed in the schema's range. */
export function randomSeed(): number {
  const buffer = new Uint32Array(1)
  crypto.getRandomValues(buffer)
  return buffer[0] ?? 0
}
