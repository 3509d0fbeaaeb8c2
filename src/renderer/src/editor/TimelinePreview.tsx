// Preview of the timeline: the latest export of this project (H.264 in the data folder) played in
// step with the playhead. Playing an export is the honest picture: joins, crossfades and trims are
// exactly what the export made. The playhead drives the video, so scrubbing lands on the frame.
import { useEffect, useRef, useState, type ReactElement } from 'react'
import { CLIP_FPS } from '../../../shared/render'
import { call } from '../api'
import { LivePreview } from '../components/LivePreview'
import { useStudio } from '../store'
import { latestPreview } from '../store/previewSlice'

export function TimelinePreview(): ReactElement {
  const current = useStudio((s) => s.current)
  const playheadFrame = useStudio((s) => s.playheadFrame)
  const video = useRef<HTMLVideoElement>(null)

  useEffect(() => {
    const element = video.current
    if (!element || !current) return
    // The middle of the frame, so rounding never shows the one before.
    const time = (playheadFrame + 0.5) / CLIP_FPS
    if (Math.abs(element.currentTime - time) > 0.5 / CLIP_FPS) element.currentTime = time
  }, [playheadFrame, current])

  // While a shot renders, its picture so far: a bad shot is cancelled here, before it finishes.
  const live = useStudio((s) => latestPreview(s.previews, Object.keys(s.previews)))
  const [cancelled, setCancelled] = useState<string | null>(null)
  if (live) {
    const cancel = (): void => {
      setCancelled(live.jobId)
      void call('queue', 'cancel', { jobId: live.jobId }).catch(() => setCancelled(null))
    }
    return (
      <div className="timeline-preview monitor-live" data-testid="timeline-preview">
        <LivePreview preview={live} onCancel={cancel} cancelling={cancelled === live.jobId} />
      </div>
    )
  }

  if (!current || current.fps !== CLIP_FPS) {
    return (
      <div className="timeline-preview monitor-empty" data-testid="timeline-preview">
        <span className="muted">Export the film at 16 fps to preview it here, frame by frame with the playhead.</span>
      </div>
    )
  }
  return (
    <div className="timeline-preview" data-testid="timeline-preview">
      <video ref={video} key={current.mediaUrl} className="monitor-video" data-testid="timeline-player" src={current.mediaUrl} muted playsInline preload="auto" aria-label="Timeline preview" />
    </div>
  )
}
