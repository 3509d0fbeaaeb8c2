// What the queue tells the document: the seeds drawn when a project is queued, and the renders its
// shot jobs finish. Both are adopted without an undo step (undo takes back edits, not renders).
import type { Project } from '../../../shared/project'
import type { QueueJob } from '../../../shared/queue'
import { differsFromRender } from '../timeline/shotStatus'

/** Shots that still have no seed take the one main drew for them when it queued `queued`. */
export function withDrawnSeeds(current: Project, queued: Project): Project {
  const drawn = new Map(queued.shots.map((shot) => [shot.id, shot.seed]))
  let changed = false
  const shots = current.shots.map((shot) => {
    const seed = drawn.get(shot.id)
    if (shot.seed !== null || seed === undefined || seed === null) return shot
    changed = true
    return { ...shot, seed }
  })
  return changed ? { ...current, shots } : current
}

/**
 * The shot a done render-shot job rendered carries that render, unless it was edited since it was
 * queued. Whether a helper model is installed is not known here, so a prompt left untranslated under
 * auto (none was) and a translated one (one was) both count as what the shot asked for.
 */
export function withFinishedRender(current: Project, job: QueueJob): Project {
  if (job.state !== 'done' || job.payload.kind !== 'render-shot' || job.result?.kind !== 'render-shot') return current
  const { shotId, render: made } = job.payload
  const render = job.result.render
  const index = current.shots.findIndex((shot) => shot.id === shotId)
  const shot = current.shots[index]
  if (!shot || shot.render?.renderKey === render.renderKey || differsFromRender(shot, made, { settings: current.settings, helperReady: null })) return current
  return { ...current, shots: current.shots.toSpliced(index, 1, { ...shot, seed: shot.seed ?? made.seed, render }) }
}
