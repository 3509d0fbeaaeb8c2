// What every project edit shares: the result type, the check of the edited document and the rule
// for joins whose shot gets a different shot before it. The edits themselves are projectEdits.ts.
import { projectProblems, projectShapeSchema, type Project, type Shot } from './project'

/**
 * An edit either gives the new document or says, in words for the user, why it didn't happen.
 * A result rather than an exception: the renderer runs edits for every change, undo and redo, and
 * a refused edit is an ordinary outcome to show, not a failure.
 */
export type EditResult = { ok: true; project: Project } | { ok: false; reason: string }

export function refuse(reason: string): EditResult {
  return { ok: false, reason }
}

/** Makes ids for shots an edit creates (split, duplicate); tests inject predictable ones. */
export type NewId = () => string

export const randomShotId: NewId = () => globalThis.crypto.randomUUID()

const CUT = { kind: 'cut' } as const

/**
 * Accepts `after` unless its shape is invalid or it has a cross-field problem that `before` didn't
 * have. A problem is the same one when it is about the same shot (by id), field and wording, so a
 * problem the document already had doesn't block unrelated edits even when shots move.
 */
export function checkEdit(before: Project, after: Project): EditResult {
  const shape = projectShapeSchema.safeParse(after)
  if (!shape.success) {
    const [issue] = shape.error.issues
    return refuse(`${describePlace(issue?.path ?? [])}: ${issue?.message ?? 'invalid document'}`)
  }
  const known = new Set(projectProblems(before).map((problem) => problemKey(before, problem.path, problem.message)))
  const introduced = projectProblems(after).find((problem) => !known.has(problemKey(after, problem.path, problem.message)))
  return introduced ? refuse(`${describePlace(introduced.path)}: ${introduced.message}`) : { ok: true, project: after }
}

function problemKey(project: Project, path: readonly PropertyKey[], message: string): string {
  const [root, index, ...field] = path
  const subject = root === 'shots' && typeof index === 'number' ? `shot ${project.shots[index]?.id}` : String(root)
  return `${subject}|${field.map(String).join('.')}|${message}`
}

/** ['shots', 2, 'trim', 'out'] -> "shot 3 trim.out": the way the user counts shots on the timeline. */
export function describePlace(path: readonly PropertyKey[]): string {
  const [root, index, ...field] = path.map((part) => (typeof part === 'number' ? part : String(part)))
  if (root === 'shots' && typeof index === 'number') return [`shot ${index + 1}`, field.join('.')].filter(Boolean).join(' ')
  return path.map(String).join('.')
}

/**
 * A `continue` renders a shot from the last frames of the particular shot before it, so when an edit
 * (remove, move, insert) gives an existing shot a different predecessor, its continue becomes a cut
 * instead of the edit being refused. A shot that becomes the first has nothing to join and gets a
 * cut too. Crossfades blend whatever comes before, so they stay and are checked like any edit.
 * Shots that weren't in `before` keep the join they were given.
 */
export function rejoin(before: readonly Shot[], after: readonly Shot[]): Shot[] {
  const predecessorBefore = new Map(before.map((shot, index) => [shot.id, before[index - 1]?.id ?? null]))
  return after.map((shot, index) => {
    if (!predecessorBefore.has(shot.id) || shot.join.kind === 'cut') return shot
    const predecessorChanged = (after[index - 1]?.id ?? null) !== predecessorBefore.get(shot.id)
    if (predecessorChanged && (index === 0 || shot.join.kind === 'continue')) return { ...shot, join: CUT }
    return shot
  })
}
