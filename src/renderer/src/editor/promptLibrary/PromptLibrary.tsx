// The inspector's prompt library: presets and the searchable history of past prompts, from the data
// folder's prompt-library.json (through main), with what happened to a damaged file.
import type { ReactElement } from 'react'
import type { Shot } from '../../../../shared/project'
import { FieldError } from '../../components/shot/fields'
import { PromptHistory } from './PromptHistory'
import { PromptPresets } from './PromptPresets'
import { usePromptLibrary } from './usePromptLibrary'
import '../../styles/PromptLibrary.css'

export function PromptLibrary({ shot }: { shot: Shot }): ReactElement {
  const library = usePromptLibrary()
  return (
    <div className="prompt-library">
      <FieldError message={library.library?.notice} />
      <PromptPresets shot={shot} presets={library.library?.presets ?? []} library={library} />
      <PromptHistory shot={shot} history={library.library?.history ?? []} onOpen={library.reload} />
    </div>
  )
}
