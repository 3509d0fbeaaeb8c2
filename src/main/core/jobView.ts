// A queue job as a front end sees it: a finished export carries the URL that plays its file. The
// URL depends on who asks (wan-media:// in the app, http:// in the tests), so it is added here,
// where jobs cross IPC, and never stored in the queue file.
import type { QueueJob } from '../../shared/queue'

export function jobForFrontEnd(job: QueueJob, mediaUrl: (path: string) => string): QueueJob {
  if (job.result?.kind !== 'export') return job
  let url: string
  try {
    url = mediaUrl(job.result.output)
  } catch {
    // An export written outside the media roots (a folder the user chose) has no URL to play.
    return job
  }
  return { ...job, result: { ...job.result, mediaUrl: url } }
}
