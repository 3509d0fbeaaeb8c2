// The JSON lines `python -m wan_sidecar.downloads` prints (plan, progress, checking, done, error), checked
// and folded into a download's status. Pure: the service feeds it one line at a time.
import { z } from 'zod'
import type { DownloadStatus } from '../../shared/modelDownloads'

const lineSchema = z.discriminatedUnion('event', [
  z.object({
    event: z.literal('plan'),
    totalBytes: z.number(),
    neededBytes: z.number(),
    freeBytes: z.number(),
    files: z.array(z.object({ path: z.string(), size: z.number(), present: z.number() }))
  }),
  z.object({
    event: z.literal('progress'),
    file: z.string(),
    fileDone: z.number(),
    fileTotal: z.number(),
    done: z.number(),
    total: z.number(),
    bytesPerSecond: z.number(),
    secondsLeft: z.number().nullable()
  }),
  z.object({ event: z.literal('checking'), file: z.string().nullable(), checked: z.number(), total: z.number() }),
  z.object({ event: z.literal('done') }),
  z.object({
    event: z.literal('error'),
    code: z.string(),
    message: z.string(),
    problems: z.record(z.string(), z.string()).optional(),
    neededBytes: z.number().optional(),
    freeBytes: z.number().optional()
  })
])
export type DownloadLine = z.infer<typeof lineSchema>

/** One stdout line as an event, or why it is not one (the service logs it and goes on). */
export function parseDownloadLine(line: string): { event: DownloadLine } | { problem: string } {
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch {
    return { problem: `not JSON: ${line.slice(0, 200)}` }
  }
  const parsed = lineSchema.safeParse(value)
  return parsed.success ? { event: parsed.data } : { problem: `unexpected line ${line.slice(0, 200)}: ${parsed.error.issues[0]?.message ?? ''}` }
}

export function applyDownloadLine(status: DownloadStatus, event: DownloadLine): DownloadStatus {
  switch (event.event) {
    case 'plan':
      return {
        ...status,
        state: 'downloading',
        totalBytes: event.totalBytes,
        neededBytes: event.neededBytes,
        freeBytes: event.freeBytes,
        doneBytes: event.totalBytes - event.neededBytes
      }
    case 'progress':
      return {
        ...status,
        state: 'downloading',
        doneBytes: event.done,
        totalBytes: event.total,
        file: { path: event.file, done: event.fileDone, total: event.fileTotal },
        bytesPerSecond: event.bytesPerSecond,
        secondsLeft: event.secondsLeft
      }
    case 'checking':
      return { ...status, state: 'checking', checkedBytes: event.checked, secondsLeft: null, bytesPerSecond: null }
    case 'done':
      return { ...status, state: 'complete', verified: true, error: null, problems: {}, secondsLeft: null, bytesPerSecond: null }
    case 'error':
      return {
        ...status,
        state: 'failed',
        error: { code: event.code, message: event.message },
        problems: event.problems ?? {},
        neededBytes: event.neededBytes ?? status.neededBytes,
        freeBytes: event.freeBytes ?? status.freeBytes,
        secondsLeft: null,
        bytesPerSecond: null
      }
  }
}
