// The live preview's words, pure so they are tested without a DOM.
import type { ShownPreview } from '../store'

/** "Segment 2 of 3 · step 12 of 40" (the segment only when there are several). */
export function previewCaption(preview: Pick<ShownPreview, 'segment' | 'step' | 'steps'>, segments: number | null): string {
  const segment = segments && segments > 1 ? `Segment ${preview.segment} of ${segments} · ` : ''
  return `${segment}step ${preview.step} of ${preview.steps}`
}
