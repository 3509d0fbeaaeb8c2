// The log panel's lines: capped, and deduplicated where the initial read overlaps live events.
import type { LogLine } from '../../../shared/ipc'

/** Lines kept in the log panel; older ones drop off the top. */
export const LOG_LIMIT = 2000

export type LogState = { logs: LogLine[]; logDropped: number }

function logKey(line: LogLine): string {
  return `${line.time}|${line.level}|${line.source}|${line.message}`
}

/** Keeps the newest LOG_LIMIT lines; `logDropped` counts the ones dropped, so numbers stay stable. */
export function capLog(lines: LogLine[], dropped: number): LogState {
  if (lines.length <= LOG_LIMIT) return { logs: lines, logDropped: dropped }
  const excess = lines.length - LOG_LIMIT
  return { logs: lines.slice(excess), logDropped: dropped + excess }
}

/** The initial read plus the lines that arrived while it was in flight, without the ones it already holds. */
export function joinInitialLog(read: LogLine[], arrived: LogLine[]): LogLine[] {
  const tail = new Set(read.slice(-500).map(logKey))
  return [...read, ...arrived.filter((line) => !tail.has(logKey(line)))]
}
