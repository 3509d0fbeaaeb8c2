// Shared by the project tests: small documents, predictable ids and deep freezing.
import { newProject, newShot, type Project, type Shot, type ShotRender } from '../../src/shared/project'
import type { EditResult } from '../../src/shared/projectEdits'

/** Freezes the value and everything in it, so an edit that mutates its input throws. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const child of Object.values(value)) deepFreeze(child)
  }
  return value
}

/** new-1, new-2, ... */
export function sequentialIds(prefix = 'new'): () => string {
  let next = 0
  return () => `${prefix}-${++next}`
}

export const RENDER: ShotRender = {
  renderKey: 'key-a',
  engine: 'synthetic',
  seed: 7,
  frames: 80,
  width: 1280,
  height: 720,
  fps: 16,
  model: 'synthetic',
  plan: 'synthetic',
  segments: [{ index: 0, path: '/renders/a/segment-0.mp4', frames: 80, skipHeadFrames: 0, takeFrames: 80 }],
  renderedAt: '2025-01-01T00:00:00.000Z'
}

/** a: 5 s (80 frames), rendered; b: 3 s (48 frames); c: 2 s (32 frames). All cuts unless `joins` says. */
export function threeShots(shots: Partial<Record<'a' | 'b' | 'c', Partial<Shot>>> = {}): Project {
  return deepFreeze({
    ...newProject('Fox film'),
    shots: [
      newShot('a', { prompt: 'a fox in snow', seconds: 5, seed: 7, render: RENDER, ...shots.a }),
      newShot('b', { prompt: 'the fox runs', seconds: 3, ...shots.b }),
      newShot('c', { prompt: 'the fox sleeps', seconds: 2, ...shots.c })
    ]
  })
}

export function ids(project: Project): string[] {
  return project.shots.map((shot) => shot.id)
}

/** The edited document, failing the test with the refusal's reason if there is one. */
export function accepted(result: EditResult): Project {
  if (!result.ok) throw new Error(`edit refused: ${result.reason}`)
  return result.project
}

/** The refusal's reason, failing the test if the edit went through. */
export function refused(result: EditResult): string {
  if (result.ok) throw new Error('edit was accepted but should have been refused')
  return result.reason
}
