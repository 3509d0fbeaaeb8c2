// Live previews of running shot renders: only the latest picture per job, as a data: URL the
// monitor's <img> shows directly (the page's img-src allows data:). Never persisted; a job's
// picture goes when it stops running (jobsSlice.onJob).
import type { StateCreator } from 'zustand'
import type { JobPreview } from '../../../shared/queue'
import type { Studio } from './index'

export type ShownPreview = Omit<JobPreview, 'data' | 'mime'> & {
  src: string
  /** Arrival order across jobs, so the monitor shows whichever shot moved last. */
  order: number
}

export type PreviewSlice = {
  previews: Record<string, ShownPreview>
  onPreview: (preview: JobPreview) => void
}

/** The latest preview among `jobIds` (the followed render's shots), or null. */
export function latestPreview(previews: Record<string, ShownPreview>, jobIds: readonly string[]): ShownPreview | null {
  let latest: ShownPreview | null = null
  for (const id of jobIds) {
    const preview = previews[id]
    if (preview && (!latest || preview.order > latest.order)) latest = preview
  }
  return latest
}

/** `previews` without `jobId`'s picture (the same object when it had none). */
export function withoutPreview(previews: Record<string, ShownPreview>, jobId: string): Record<string, ShownPreview> {
  if (!previews[jobId]) return previews
  const { [jobId]: _gone, ...rest } = previews
  return rest
}

export const createPreviewSlice: StateCreator<Studio, [], [], PreviewSlice> = (set) => {
  let order = 0
  return {
    previews: {},
    onPreview: ({ data, mime, ...preview }) => {
      order += 1
      const shown: ShownPreview = { ...preview, src: `data:${mime};base64,${data}`, order }
      set((s) => ({ previews: { ...s.previews, [preview.jobId]: shown } }))
    }
  }
}
