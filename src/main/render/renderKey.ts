import { createHash } from 'node:crypto'
import type { ResolvedShot } from '../../shared/queue'
import { CLIP_FPS } from '../../shared/render'

/** Engine options that change how a render runs, not what it shows. */
const NOT_CONTENT = new Set(['plan', 'modelsDir', 'secondsPerStep'])

/**
 * Same shot, same frames: the key is a hash of everything that changes them. Where weights sit in
 * memory (the plan's placement) changes speed, not content, so an out-of-memory step-down keeps
 * the key and the finished segments; the GPU's name, the models folder and test pacing are not content either. Trim and join (other
 * than `continue`, which renders from the previous shot) are applied at export and are not here.
 * A draft differs in width and height. Fast mode and a frame rate other than 16 fps are added only
 * when present, so every render made before them keeps its key.
 */
export function renderKeyFor(render: ResolvedShot): string {
  const plan = render.engineOptions.plan as { model: string; precision: string } | undefined
  const options = Object.entries(render.engineOptions).filter(([key]) => !NOT_CONTENT.has(key))
  const identity = JSON.stringify([
    render.prompt,
    render.negativePrompt,
    render.frames,
    render.seed,
    render.engine,
    render.steps,
    render.width,
    render.height,
    render.maxSegmentFrames,
    render.overlap,
    options,
    plan ? [plan.model, plan.precision] : null,
    render.continueFrom?.renderKey ?? null,
    ...(render.mode === 'fast' ? [['mode', 'fast']] : []),
    ...((render.fps ?? CLIP_FPS) !== CLIP_FPS ? [['fps', render.fps]] : [])
  ])
  return createHash('sha256').update(identity).digest('hex').slice(0, 16)
}

/** The synthetic engine stamps a 16-bit shot number; derived from the key so it doesn't depend on position. */
export function stampShotNumber(renderKey: string): number {
  return Number.parseInt(renderKey.slice(0, 4), 16)
}
