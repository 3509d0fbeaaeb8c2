// The running shot as it forms: the engine's latest preview of the denoised estimate, with where it
// is (segment, step) and Cancel at hand, so a shot going wrong is stopped early.
import type { ReactElement } from 'react'
import type { ShownPreview } from '../store'
import { useStudio } from '../store'
import { previewCaption } from './livePreviewText'

/** `onCancel` stops the render the picture belongs to; `cancelling` once it was asked to. */
export function LivePreview({ preview, onCancel, cancelling }: { preview: ShownPreview; onCancel: () => void; cancelling: boolean }): ReactElement {
  const segments = useStudio((s) => s.jobProgress[preview.jobId]?.segments ?? null)
  const caption = previewCaption(preview, segments)
  return (
    <figure className="live-preview" data-testid="live-preview">
      <img
        className="live-preview-image"
        data-testid="live-preview-image"
        data-step={preview.step}
        data-segment={preview.segment}
        src={preview.src}
        width={preview.width}
        height={preview.height}
        alt={`Live preview of the shot being rendered, ${caption}`}
      />
      <figcaption className="live-preview-caption">
        <span className="live-preview-tag">Live preview</span>
        <span className="mono" data-testid="live-preview-caption">
          {caption}
        </span>
        <button type="button" className="btn btn-small btn-danger-outline live-preview-cancel" data-testid="live-preview-cancel" disabled={cancelling} onClick={onCancel}>
          {cancelling ? 'Cancelling…' : 'Cancel'}
        </button>
      </figcaption>
    </figure>
  )
}
