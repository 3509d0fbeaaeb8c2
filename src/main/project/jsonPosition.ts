// Where a JSON text goes wrong, for error messages a person can act on. V8 reports a position for
// some syntax errors ("... in JSON at position 7") but not for others (Node 20: "Unexpected token
// '}', ... is not valid JSON"), so the offset comes from V8 when it says and from a small scanner
// of the JSON grammar when it doesn't.

/** Offset of the first character at which `text` stops being valid JSON, or null if it is valid. */
export function jsonSyntaxErrorOffset(text: string, reportedMessage = ''): number | null {
  const reported = /at position (\d+)/.exec(reportedMessage)
  if (reported) return Number(reported[1])
  try {
    scanJson(text)
    return null
  } catch (error) {
    if (error instanceof JsonSyntaxAt) return error.offset
    if (error instanceof RangeError) return null // nested too deep for the scanner's recursion
    throw error
  }
}

/** 1-based line and column of `offset` in `text`. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n')
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 }
}

class JsonSyntaxAt extends Error {
  constructor(readonly offset: number) {
    super(`invalid JSON at offset ${offset}`)
  }
}

const DIGIT = /^[0-9]$/
const ESCAPED = '"\\/bfnrt'
const HEX_DIGIT = /^[0-9a-fA-F]$/

function scanJson(text: string): void {
  let at = 0
  const fail = (): never => {
    throw new JsonSyntaxAt(at)
  }
  const skipSpace = (): void => {
    while (at < text.length && ' \t\n\r'.includes(text[at]!)) at++
  }
  const expect = (literal: string): void => {
    for (const char of literal) {
      if (text[at] !== char) fail()
      at++
    }
  }
  const string = (): void => {
    expect('"')
    for (;;) {
      const char = text[at]
      if (char === undefined || char < ' ') fail()
      at++
      if (char === '"') return
      if (char !== '\\') continue
      const escaped = text[at]
      if (escaped === 'u') {
        at++
        for (const end = at + 4; at < end; at++) if (!HEX_DIGIT.test(text[at] ?? '')) fail()
      } else if (escaped !== undefined && ESCAPED.includes(escaped)) at++
      else fail()
    }
  }
  const digits = (): void => {
    if (!DIGIT.test(text[at] ?? '')) fail()
    while (DIGIT.test(text[at] ?? '')) at++
  }
  const number = (): void => {
    if (text[at] === '-') at++
    if (text[at] === '0') at++
    else digits()
    if (text[at] === '.') {
      at++
      digits()
    }
    if (text[at] === 'e' || text[at] === 'E') {
      at++
      if (text[at] === '+' || text[at] === '-') at++
      digits()
    }
  }
  const sequence = (close: string, item: () => void): void => {
    at++ // past the opening bracket
    skipSpace()
    if (text[at] === close) {
      at++
      return
    }
    for (;;) {
      item()
      skipSpace()
      if (text[at] !== ',') return expect(close)
      at++
    }
  }
  const value = (): void => {
    skipSpace()
    const char = text[at]
    if (char === '{') {
      return sequence('}', () => {
        skipSpace()
        string()
        skipSpace()
        expect(':')
        value()
      })
    }
    if (char === '[') return sequence(']', value)
    if (char === '"') return string()
    for (const literal of ['true', 'false', 'null']) if (char === literal[0]) return expect(literal)
    number()
  }
  value()
  skipSpace()
  if (at < text.length) fail()
}
