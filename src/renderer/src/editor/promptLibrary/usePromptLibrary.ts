// The prompt library as main keeps it (prompts.library): loaded when the inspector shows a shot, and
// replaced by what each save or delete answers, so the list is always the file's.
import { useCallback, useEffect, useState } from 'react'
import type { PromptLibraryView, SavePresetParams } from '../../../../shared/promptLibrary'
import { call, errorMessage } from '../../api'

export type PromptLibraryState = {
  library: PromptLibraryView | null
  /** Why the library could not be read or changed, or null. */
  error: string | null
  savePreset: (preset: SavePresetParams) => Promise<boolean>
  deletePreset: (name: string) => Promise<boolean>
  /** Reads the file again (the history grows whenever shots are queued). */
  reload: () => void
}

export function usePromptLibrary(): PromptLibraryState {
  const [library, setLibrary] = useState<PromptLibraryView | null>(null)
  const [error, setError] = useState<string | null>(null)

  const [generation, setGeneration] = useState(0)
  useEffect(() => {
    let live = true
    call('prompts', 'library').then(
      (value) => live && setLibrary(value),
      (failure: unknown) => live && setError(`Could not read the prompt library: ${errorMessage(failure)}`)
    )
    return () => {
      live = false
    }
  }, [generation])

  const change = useCallback(async (what: string, request: () => Promise<PromptLibraryView>): Promise<boolean> => {
    try {
      setLibrary(await request())
      setError(null)
      return true
    } catch (failure) {
      setError(`Could not ${what}: ${errorMessage(failure)}`)
      return false
    }
  }, [])

  return {
    library,
    error,
    savePreset: (preset) => change(`save the preset "${preset.name}"`, () => call('prompts', 'savePreset', preset)),
    deletePreset: (name) => change(`delete the preset "${name}"`, () => call('prompts', 'deletePreset', { name })),
    reload: () => setGeneration((count) => count + 1)
  }
}
