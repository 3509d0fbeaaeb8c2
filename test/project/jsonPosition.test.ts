import { describe, expect, it } from 'vitest'
import { jsonSyntaxErrorOffset, lineAndColumn } from '../../src/main/project/jsonPosition'

const VALID = ['{}', '[]', ' 0 ', '-1.5e+3', '"a\\u00e9\\n"', 'true', 'null', '{"a": [1, {"b": false}], "c": ""}', '\n[\n 1,\n 2\n]\n']
const INVALID = ['{"a": }', '{"a": 1', '{"a": 1,}', 'xyz', '{"a" 1}', '[1, 2 3]', '{"a": tru}', '{"a": "x\n"}', '{"a":1}}', '', '[01]', '"\\x"', '"\\u12g4"', '{1: 2}', '-', '[1.]', '{"a": "\\', '[1,]', '{"a\tb": 1}', '"abc', '[1e+]', '[true false]', '{,}', '1 2']

function v8Position(text: string): number | undefined {
  try {
    JSON.parse(text)
    return undefined
  } catch (error) {
    const match = /at position (\d+)/.exec((error as Error).message)
    return match ? Number(match[1]) : undefined
  }
}

describe('jsonSyntaxErrorOffset', () => {
  it('finds no error where JSON.parse finds none, and one wherever it fails', () => {
    for (const text of VALID) expect(jsonSyntaxErrorOffset(text), text).toBeNull()
    for (const text of INVALID) {
      expect(() => {
        JSON.parse(text)
      }, text).toThrow()
      expect(jsonSyntaxErrorOffset(text), text).not.toBeNull()
    }
  })

  it('agrees with the position V8 reports, and uses it when there is one', () => {
    for (const text of INVALID) {
      const reported = v8Position(text)
      if (reported !== undefined) expect(jsonSyntaxErrorOffset(text), text).toBe(reported)
    }
    expect(jsonSyntaxErrorOffset('{}', 'Expected something in JSON at position 12')).toBe(12)
  })

  it('points at the offending character where V8 gives no position', () => {
    expect(jsonSyntaxErrorOffset('{"a": }')).toBe(6)
    expect(jsonSyntaxErrorOffset('{"a": tru}')).toBe(9)
    expect(jsonSyntaxErrorOffset('{"a": 1')).toBe(7) // the end: truncated
  })

  it('gives up on nesting deeper than its stack rather than crashing', () => {
    expect(jsonSyntaxErrorOffset('['.repeat(1_000_000))).toBeNull()
  })
})

describe('lineAndColumn', () => {
  it('counts from 1', () => {
    expect(lineAndColumn('{\n  "a": }', 9)).toEqual({ line: 2, column: 8 })
    expect(lineAndColumn('x', 0)).toEqual({ line: 1, column: 1 })
    expect(lineAndColumn('a\nb\n', 4)).toEqual({ line: 3, column: 1 })
  })
})
