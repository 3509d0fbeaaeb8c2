import type { ReactElement } from 'react'
import type { EngineId } from '../../../shared/render'

/** Which engine made a clip. Synthetic output is always labelled as such. */
export function EngineBadge({ engine }: { engine: EngineId }): ReactElement {
  return engine === 'synthetic' ? (
    <span className="badge badge-synthetic" data-engine="synthetic" title="Stamped test frames drawn without a model">
      synthetic
    </span>
  ) : (
    <span className="badge badge-wan" data-engine="diffusers" title="Rendered by Wan2.2 (diffusers)">
      Wan2.2
    </span>
  )
}
