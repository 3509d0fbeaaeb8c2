// The inspector's prompt library: presets and the searchable history of past prompts, from the data
// folder's prompt-library.json (through main), with what happened to a damaged file.
import type { ReactElement } from 'react'
import type { Shot } from '../../../../shared/project'
import { PromptHistory } from './PromptHistory'
import { PromptPresets } from './PromptPresets'
import { usePromptLibrary } from './usePromptLibrary'
import '../../styles/PromptLibrary.css'

export function PromptLibrary({ shot }: { shot: Shot }): ReactElement {
  const library = usePromptLibrary()
  return (
    <div className="prompt-library">
      {library.library?.notice && (
        <div className="field-error" role="alert">
          {library.library.notice}
        </div>
      )}
      <PromptPresets shot={shot} presets={library.library?.presets ?? []} library={library} />
      <PromptHistory shot={shot} history={library.library?.history ?? []} onOpen={library.reload} />
    </div>
  )
}
