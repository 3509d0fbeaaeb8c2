import { describe, expect, it } from 'vitest'
import { record, redo, replacePresent, startHistory, undo, UNDO_LIMIT } from '../../src/renderer/src/store/undoHistory'

describe('undo history', () => {
  it('undoes and redoes recorded steps in order', () => {
    let history = record(record(startHistory('a'), 'b'), 'c')
    history = undo(history)
    expect(history.present).toBe('b')
    history = undo(history)
    expect(history.present).toBe('a')
    expect(undo(history)).toBe(history)
    history = redo(redo(history))
    expect(history.present).toBe('c')
    expect(redo(history)).toBe(history)
  })

  it('drops the redo steps when a new step is recorded', () => {
    const history = record(undo(record(startHistory(1), 2)), 3)
    expect(history).toEqual({ past: [1], present: 3, future: [] })
  })

  it('records the same value as no step', () => {
    const history = startHistory({ shots: [] })
    expect(record(history, history.present)).toBe(history)
  })

  it('keeps at most UNDO_LIMIT steps', () => {
    let history = startHistory(0)
    for (let step = 1; step <= UNDO_LIMIT + 5; step++) history = record(history, step)
    expect(history.past).toHaveLength(UNDO_LIMIT)
    expect(history.past[0]).toBe(5)
  })

  it('replaces the present without a step (what main learned is not undone)', () => {
    const history = replacePresent(record(startHistory('a'), 'b'), 'b rendered')
    expect(undo(history).present).toBe('a')
    expect(redo(undo(history)).present).toBe('b rendered')
  })
})
