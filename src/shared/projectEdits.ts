// Edits of the project document. Each is pure: it returns a new document that shares every unchanged
// shot with the old one (the input is never mutated, so undo is keeping the old document), or it
// refuses with a reason for the user. Every result is checked whole (checkEdit), so no edit adds a
// problem the file loader would refuse. Shot positions are 0-based indexes into `shots`.
import { projectSettingsSchema, shotSchema, trimmedRange, trimSchema, type Project, type ProjectSettings, type Shot } from './project'
import { checkEdit, randomShotId, refuse, rejoin, type EditResult, type NewId } from './projectEditRules'

export { randomShotId, type EditResult, type NewId } from './projectEditRules'

/** The shot fields setShotField changes; trim has trimShot, and id and render aren't the user's to set. */
export const EDITABLE_SHOT_FIELDS = ['prompt', 'negativePrompt', 'seed', 'seconds', 'steps', 'engine', 'mode', 'draft', 'join', 'translate', 'modelPrompt'] as const
export type EditableShotField = (typeof EDITABLE_SHOT_FIELDS)[number]

const CUT = { kind: 'cut' } as const

/** Inserts `shot` at `atIndex` (default: the end). The shot keeps the join it comes with. */
export function addShot(project: Project, shot: Shot, atIndex = project.shots.length): EditResult {
  if (!Number.isInteger(atIndex) || atIndex < 0 || atIndex > project.shots.length) {
    return refuse(`can't add a shot at position ${atIndex}: positions go from 0 to ${project.shots.length}`)
  }
  return withShots(project, rejoin(project.shots, project.shots.toSpliced(atIndex, 0, shot)))
}

/** Removes the shot; a shot that continued from it now cuts (see rejoin). */
export function removeShot(project: Project, id: string): EditResult {
  const index = shotIndex(project, id)
  if (index < 0) return noSuchShot(id)
  return withShots(project, rejoin(project.shots, project.shots.toSpliced(index, 1)))
}

/**
 * Moves the shot so that it ends up at `toIndex`. Joins that can't survive the move become cuts
 * rather than the move being refused: the shot that becomes first, a moved shot that continued from
 * its old neighbour, and the shot that continued from the moved one (see rejoin).
 */
export function moveShot(project: Project, id: string, toIndex: number): EditResult {
  const index = shotIndex(project, id)
  if (index < 0) return noSuchShot(id)
  const last = project.shots.length - 1
  if (!Number.isInteger(toIndex) || toIndex < 0 || toIndex > last) {
    return refuse(`can't move a shot to position ${toIndex}: positions go from 0 to ${last}`)
  }
  const moved = project.shots.toSpliced(index, 1).toSpliced(toIndex, 0, project.shots[index]!)
  return withShots(project, rejoin(project.shots, moved))
}

/**
 * Cuts the shot in two at `atFrame` (a frame of its untrimmed length, strictly inside its trimmed
 * range). Both halves keep the shot's settings and render: they are two views of the same frames,
 * so neither needs rendering again. The first keeps [in, atFrame) and the join before; the second
 * gets a new id, [atFrame, out) and a cut. A next shot that continued keeps continuing: the second
 * half ends on the very frame the whole shot did. A shot without a seed gets one drawn now, for
 * both halves: two seeds drawn at render time would make them two different takes.
 */
export function splitShot(project: Project, id: string, atFrame: number, newId: NewId = randomShotId, drawSeed: () => number = randomSeed): EditResult {
  const index = shotIndex(project, id)
  if (index < 0) return noSuchShot(id)
  const shot = project.shots[index]!
  const range = trimmedRange(shot)
  if (range.out - range.in < 2) return refuse(`shot ${index + 1} uses 1 frame, too few to split`)
  if (!Number.isInteger(atFrame) || atFrame <= range.in || atFrame >= range.out) {
    return refuse(`can't split shot ${index + 1} at frame ${atFrame}: the split frame must be a whole frame from ${range.in + 1} to ${range.out - 1}`)
  }
  const seed = shot.seed ?? drawSeed()
  const first: Shot = { ...shot, seed, trim: { in: shot.trim.in, out: atFrame } }
  const second: Shot = { ...shot, seed, id: newId(), trim: { in: atFrame, out: shot.trim.out }, join: CUT }
  return withShots(project, project.shots.toSpliced(index, 1, first, second))
}

/**
 * Changes the shot's trim; `out: null` means its last frame. Nothing is clamped: a trim outside the
 * shot, or the end of a shot the next one continues from, is refused with the reason.
 */
export function trimShot(project: Project, id: string, change: { in?: number; out?: number | null }): EditResult {
  const index = shotIndex(project, id)
  if (index < 0) return noSuchShot(id)
  const shot = project.shots[index]!
  const trim = trimSchema.safeParse({ ...shot.trim, ...definedOnly(change) })
  if (!trim.success) return fieldRefusal('trim', trim.error.issues)
  return withShots(project, project.shots.with(index, { ...shot, trim: trim.data }))
}

/** Inserts a copy of the shot right after it: a new id, the same settings and render, a cut. */
export function duplicateShot(project: Project, id: string, newId: NewId = randomShotId): EditResult {
  const index = shotIndex(project, id)
  if (index < 0) return noSuchShot(id)
  const copy: Shot = { ...project.shots[index]!, id: newId(), join: CUT }
  // The shot after now follows the copy, so a continue there becomes a cut: the copy is a shot of
  // its own that the user is about to change, not a stand-in for the original's last frames.
  return withShots(project, rejoin(project.shots, project.shots.toSpliced(index + 1, 0, copy)))
}

/**
 * Sets one field of the shot, checked with that field's schema. Changing seconds clamps nothing: if
 * the trim no longer fits the new length, the change is refused and says so.
 */
export function setShotField<F extends EditableShotField>(project: Project, id: string, field: F, value: Shot[F]): EditResult {
  if (!(EDITABLE_SHOT_FIELDS as readonly string[]).includes(field)) return refuse(`${field} can't be set as a shot field`)
  const index = shotIndex(project, id)
  if (index < 0) return noSuchShot(id)
  const parsed = shotSchema.shape[field].safeParse(value)
  if (!parsed.success) return fieldRefusal(field, parsed.error.issues)
  return withShots(project, project.shots.with(index, { ...project.shots[index]!, [field]: parsed.data }))
}

/** Changes the given project settings and keeps the others. */
export function setProjectSettings(project: Project, change: Partial<ProjectSettings>): EditResult {
  const settings = projectSettingsSchema.safeParse({ ...project.settings, ...definedOnly(change) })
  if (!settings.success) return fieldRefusal('settings', settings.error.issues)
  return checkEdit(project, { ...project, settings: settings.data })
}

/** Renames the project; spaces around the name are dropped, so a blank name is refused as empty. */
export function renameProject(project: Project, name: string): EditResult {
  return checkEdit(project, { ...project, name: typeof name === 'string' ? name.trim() : name })
}

function withShots(project: Project, shots: Shot[]): EditResult {
  return checkEdit(project, { ...project, shots })
}

function shotIndex(project: Project, id: string): number {
  return project.shots.findIndex((shot) => shot.id === id)
}

function noSuchShot(id: string): EditResult {
  return refuse(`there is no shot with id "${id}"`)
}

function fieldRefusal(field: string, issues: readonly { path: PropertyKey[]; message: string }[]): EditResult {
  const [issue] = issues
  const place = [field, ...(issue?.path ?? []).map(String)].join('.')
  return refuse(`${place}: ${issue?.message ?? 'invalid value'}`)
}

// `{ out: undefined }` from a form means "unchanged", not "remove the field".
function definedOnly<T extends object>(change: T): Partial<T> {
  return Object.fromEntries(Object.entries(change).filter(([, value]) => value !== undefined)) as Partial<T>
}

/** A seed in Wan's range from the platform's CSPRNG (Node 20 and browsers both have it). */
function randomSeed(): number {
  return globalThis.crypto.getRandomValues(new Uint32Array(1))[0]!
}
