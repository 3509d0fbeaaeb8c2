// Under a model's weights check: where the engine loads it from, and every other place some of it
// was found (models folder, Hugging Face cache, ComfyUI folders) with what is missing there.
import type { ReactElement } from 'react'
import type { FoundWeights } from '../../../../shared/weights'
import { missingText, weightSourceKindText } from './weightSourceText'

export function WeightSources({ found, usedPath }: { found: FoundWeights[]; usedPath: string | null }): ReactElement | null {
  const others = found.filter((entry) => entry.path === null || entry.path !== usedPath).filter((entry) => !entry.complete || entry.kind === 'comfyui')
  if (others.length === 0) return null
  return (
    <ul className="engine-missing" data-testid="weight-sources">
      {others.map((entry) => (
        <li key={`${entry.kind}:${entry.path ?? entry.root}`}>
          <span className="muted">{weightSourceKindText[entry.kind]}</span> <span className="mono value">{entry.path ?? entry.root}</span>: {missingText(entry)}
          {entry.unusable.map((file) => (
            <div key={file.path} className="muted">
              not usable: <span className="mono value">{file.path}</span> ({file.reason})
            </div>
          ))}
        </li>
      ))}
    </ul>
  )
}
