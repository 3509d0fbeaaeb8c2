// Undo history of an immutable document. Edits never mutate, so undo is keeping the old value.
// Only the document goes in here: selection, zoom and playhead are UI state and never recorded, and
// a drag or trim records once, on pointer-up (see useShotDrag), not once per pointer move.

export type UndoHistory<T> = { past: readonly T[]; present: T; future: readonly T[] }

/** Steps kept; the oldest drop off. */
export const UNDO_LIMIT = 200

export function startHistory<T>(present: T): UndoHistory<T> {
  return { past: [], present, future: [] }
}

/** `next` becomes the present as one undo step; redo is no longer possible. The same value is no step. */
export function record<T>(history: UndoHistory<T>, next: T): UndoHistory<T> {
  if (next === history.present) return history
  const past = [...history.past, history.present]
  return { past: past.length > UNDO_LIMIT ? past.slice(past.length - UNDO_LIMIT) : past, present: next, future: [] }
}

/**
 * Replaces the present without an undo step: what the document learns from outside rather than
 * from the user (a render finished, so shots carry their render), which undo must not take back.
 */
export function replacePresent<T>(history: UndoHistory<T>, next: T): UndoHistory<T> {
  return { ...history, present: next }
}

export function undo<T>(history: UndoHistory<T>): UndoHistory<T> {
  const previous = history.past.at(-1)
  if (previous === undefined) return history
  return { past: history.past.slice(0, -1), present: previous, future: [history.present, ...history.future] }
}

export function redo<T>(history: UndoHistory<T>): UndoHistory<T> {
  const [next, ...rest] = history.future
  if (next === undefined) return history
  return { past: [...history.past, history.present], present: next, future: rest }
}
