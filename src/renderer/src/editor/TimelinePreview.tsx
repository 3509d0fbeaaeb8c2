// Preview of the timeline: the latest export of this project (H.264 in the data folder) played in
// step with the playhead. Playing an export is the honest picture: joins, crossfades and trims are
// exactly what the export made. The playhead drives the video, so scrubbing lands on the frame.
import { useEffect, useRef, type ReactElement } from 'react'
import { CLIP_FPS } from '../../../shared/render'
import { useStudio } from '../store'

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
