// A prompt list's text into raw rows, each with the physical line it starts on. No validation
// here (shared/batch.ts does it); only what the file format itself can get wrong.
import { parse } from 'csv-parse/sync'
import { BATCH_COLUMNS, type BatchColumn, type RawBatchRow } from '../../shared/batch'

export type ListFormat = 'txt' | 'csv' | 'jsonl'

export interface ParsedRows {
  rows: RawBatchRow[]
  /** Rows the format itself refused (bad JSON, not an object). */
  rejected: { line: number; message: string }[]
  /** Notes about the whole file (unknown columns). */
  warnings: { line: number; message: string }[]
}

/** UTF-8 text without its byte-order mark; CRLF and LF both end a line. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
}

export function parseRows(format: ListFormat, text: string): ParsedRows {
  const body = stripBom(text)
  if (format === 'txt') return parseTxt(body)
  if (format === 'jsonl') return parseJsonl(body)
  return parseCsv(body)
}

/** One prompt per line; blank lines and `#` comments skipped. */
function parseTxt(text: string): ParsedRows {
  const rows: RawBatchRow[] = []
  text.split(/\r?\n/).forEach((raw, index) => {
    const prompt = raw.trim()
    if (prompt && !prompt.startsWith('#')) rows.push({ line: index + 1, fields: { prompt } })
  })
  return { rows, rejected: [], warnings: [] }
}

function parseJsonl(text: string): ParsedRows {
  const result: ParsedRows = { rows: [], rejected: [], warnings: [] }
  const unknown = new Map<string, number>()
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1
    if (!raw.trim()) return
    let value: unknown
    try {
      value = JSON.parse(raw)
    } catch (error) {
      result.rejected.push({ line, message: `bad JSON: ${(error as Error).message}` })
      return
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      result.rejected.push({ line, message: `not a JSON object (${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value})` })
      return
    }
    for (const key of Object.keys(value)) if (!isColumn(key) && !unknown.has(key)) unknown.set(key, line)
    result.rows.push({ line, fields: pickColumns(value as Record<string, unknown>) })
  })
  for (const [key, line] of unknown) result.warnings.push({ line, message: `unknown key "${key}" ignored (known: ${BATCH_COLUMNS.join(', ')})` })
  return result
}

/** A header row names the columns; quoted fields may hold commas, quotes and newlines. */
function parseCsv(text: string): ParsedRows {
  const result: ParsedRows = { rows: [], rejected: [], warnings: [] }
  let records: { record: string[]; raw: string; info: { lines: number } }[]
  try {
    // LF only, so a record's raw text counts its lines the way csv-parse's `info.lines` does.
    records = parse(text.replace(/\r\n/g, '\n'), {
      info: true,
      raw: true,
      relax_column_count: true,
      skip_empty_lines: true,
      // A stray quote costs its own row, not the rest of the file.
      skip_records_with_error: true,
      on_skip: (error) => {
        // csv-parse may report one bad record more than once.
        if (error && result.rejected.at(-1)?.line !== Number(error.lines)) result.rejected.push({ line: Number(error.lines), message: error.message })
      }
    }) as unknown as typeof records
  } catch (error) {
    const lines = (error as { lines?: number }).lines
    result.rejected.push({ line: lines ?? 0, message: `the CSV can't be read past here: ${(error as Error).message}` })
    return result
  }
  const [header, ...body] = records
  if (!header) return result
  const columns = header.record.map((name) => name.trim().toLowerCase())
  if (!columns.includes('prompt')) {
    result.rejected.push({ line: 1, message: `the header row has no "prompt" column (found: ${columns.join(', ')})` })
    return result
  }
  columns.forEach((name) => {
    if (!isColumn(name)) result.warnings.push({ line: 1, message: `unknown column "${name}" ignored (known: ${BATCH_COLUMNS.join(', ')})` })
  })
  for (const { record, raw, info } of body) {
    // csv-parse reports the line a record ends on; its raw text (less the skipped blank lines before
    // it and its own line end) says how many lines it spans.
    const line = info.lines - newlineCount(raw.replace(/^\n+/, '').replace(/\n$/, ''))
    const fields: Record<string, unknown> = {}
    columns.forEach((name, index) => {
      if (isColumn(name) && record[index] !== undefined) fields[name] = record[index]
    })
    if (record.length > columns.length) {
      result.rejected.push({ line, message: `${record.length} fields for ${columns.length} columns (an unquoted comma?)` })
      continue
    }
    result.rows.push({ line, fields })
  }
  return result
}

function isColumn(name: string): name is BatchColumn {
  return (BATCH_COLUMNS as readonly string[]).includes(name)
}

function pickColumns(value: Record<string, unknown>): RawBatchRow['fields'] {
  const fields: RawBatchRow['fields'] = {}
  for (const name of BATCH_COLUMNS) if (Object.hasOwn(value, name)) fields[name] = value[name]
  return fields
}

function newlineCount(text: string): number {
  return text.match(/\n/g)?.length ?? 0
}
