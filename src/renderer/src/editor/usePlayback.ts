// Playback of the timeline: while `playing`, the playhead advances at the timeline's 16 fps and
// stops at the end. The preview video follows the playhead (TimelinePreview).
import { useEffect } from 'react'
import { CLIP_FPS } from '../../../shared/render'
import { useStudio } from '../store'
import { projectFrames } from '../timeline/trackLayout'

export function usePlayback(): void {
  const playing = useStudio((s) => s.playing)
  useEffect(() => {
    if (!playing) return
    let last = performance.now()
    let carried = 0
    let frame = requestAnimationFrame(function tick(now) {
      carried += ((now - last) / 1000) * CLIP_FPS
      last = now
      const whole = Math.floor(carried)
      if (whole > 0) {
        carried -= whole
        const studio = useStudio.getState()
        const end = Math.max(0, projectFrames(studio.projectHistory.present) - 1)
        const next = studio.playheadFrame + whole
        if (next >= end) {
          studio.setPlayhead(end)
          studio.setPlaying(false)
          return
        }
        studio.setPlayhead(next)
      }
      frame = requestAnimationFrame(tick)
    })
    return () => cancelAnimationFrame(frame)
  }, [playing])
}
