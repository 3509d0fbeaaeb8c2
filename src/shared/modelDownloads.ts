// Downloading Wan2.2 weights from the app (src/main/models/downloads.ts driving
// resources/sidecar/wan_sidecar/downloads.py): what can be downloaded and where one stands.
import { z } from 'zod'

/** What the app offers to download: the two models it renders with and fast mode's LoRAs. */
export const downloadIdSchema = z.enum(['t2v-a14b', 'ti2v-5b', 'lightning-lora'])
export type DownloadId = z.infer<typeof downloadIdSchema>

export const downloadStateSchema = z.enum([
  'idle', // never started in this session
  'starting', // the hub asked for the file list and sizes
  'downloading',
  'checking', // every file's size and hash against the hub's metadata
  'paused', // stopped; the part files stay and the next start resumes them
  'complete', // every file checked, the folder's marker says complete
  'failed', // refused (disk space), a network or hub error, or files that failed the check
  'cancelled' // stopped and the part files removed
])
export type DownloadState = z.infer<typeof downloadStateSchema>

export const downloadStatusSchema = z.object({
  id: downloadIdSchema,
  label: z.string(),
  repo: z.string(),
  state: downloadStateSchema,
  /** <modelsDir>/<folder>; null when no models folder is set. */
  targetDir: z.string().nullable(),
  totalBytes: z.number().nullable(),
  /** What is still to fetch when the download was planned (already present bytes not counted). */
  neededBytes: z.number().nullable(),
  freeBytes: z.number().nullable(),
  doneBytes: z.number(),
  file: z.object({ path: z.string(), done: z.number(), total: z.number() }).nullable(),
  bytesPerSecond: z.number().nullable(),
  secondsLeft: z.number().nullable(),
  /** Bytes read by the final check so far, of totalBytes. */
  checkedBytes: z.number().nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  /** Files that failed the check: path -> what was wrong (they were removed; starting again fetches them). */
  problems: z.record(z.string(), z.string()),
  /** The completion marker says every file passed the check (this run or an earlier one). */
  verified: z.boolean()
})
export type DownloadStatus = z.infer<typeof downloadStatusSchema>

export const downloadParamsSchema = z.object({ id: downloadIdSchema })
