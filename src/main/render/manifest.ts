// job.json: a shot render's plan of segments and its finished checkpoints, written atomically after
// every segment so a crash loses at most the segment in flight.
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { z } from 'zod'
import { resolvedShotSchema, stepDownSchema, type ResolvedShot } from '../../shared/queue'
import { planRemainingSegments } from '../../shared/segments'
import { writeJsonAtomic } from '../project/atomicFile'

const MANIFEST_VERSION = 2

const segmentPlanSchema = z.object({
  index: z.number().int().min(0),
  frames: z.number().int().min(1),
  startFrame: z.number().int().min(0),
  overlap: z.number().int().min(0),
  take: z.number().int().min(1)
})

const doneSegmentSchema = z.object({
  file: z.string(),
  frames: z.number().int(),
  bytes: z.number().int(),
  sha256: z.string(),
  seconds: z.number(),
  secondsPerStep: z.number().nullable()
})
export type DoneSegment = z.infer<typeof doneSegmentSchema>

const manifestSchema = z.object({
  version: z.literal(MANIFEST_VERSION),
  renderKey: z.string(),
  createdAt: z.string(),
  render: resolvedShotSchema,
  /** The current plan; an out-of-memory step-down re-plans the segments not yet finished. */
  segments: z.array(segmentPlanSchema).min(1),
  done: z.record(z.string(), doneSegmentSchema),
  stepDowns: z.array(stepDownSchema)
})
export type Manifest = z.infer<typeof manifestSchema>

export function segmentFileName(index: number): string {
  return `segment-${String(index).padStart(3, '0')}.mp4`
}

export function freshManifest(renderKey: string, render: ResolvedShot): Manifest {
  return {
    version: MANIFEST_VERSION,
    renderKey,
    createdAt: new Date().toISOString(),
    render,
    segments: planRemainingSegments({
      totalFrames: render.frames,
      keptSoFar: 0,
      firstIndex: 0,
      maxFrames: render.maxSegmentFrames,
      overlap: render.overlap,
      continuesPrevious: render.continueFrom !== null
    }),
    done: {},
    stepDowns: []
  }
}

/** The manifest, or why it can't be used (missing is not a problem: a fresh job). */
export async function loadManifest(path: string, renderKey: string): Promise<{ manifest: Manifest | null; problem: string | null }> {
  if (!existsSync(path)) return { manifest: null, problem: null }
  try {
    const manifest = manifestSchema.parse(JSON.parse(await readFile(path, 'utf8')))
    if (manifest.renderKey !== renderKey) return { manifest: null, problem: `it belongs to render ${manifest.renderKey}` }
    return { manifest, problem: null }
  } catch (error) {
    return { manifest: null, problem: error instanceof z.ZodError ? 'its fields are invalid' : (error as Error).message }
  }
}

export function saveManifest(path: string, manifest: Manifest): Promise<void> {
  return writeJsonAtomic(path, manifest)
}
