// The helper models (translation and extension) as main lists them: asked once, again when the
// system snapshot changes (a new models folder) or on Refresh, shared by the inspector and the System tab.
import { useCallback, useEffect, useState } from 'react'
import type { HelperModelsView } from '../../shared/promptHelper'
import { call } from './api'
import { useStudio } from './store'

let cached: { for: unknown; answer: Promise<HelperModelsView> } | null = null

/** One answer per system snapshot (a new models folder makes a new snapshot); `force` asks again. */
function loadHelperModels(snapshot: unknown, force: boolean): Promise<HelperModelsView> {
  if (force || !cached || cached.for !== snapshot) {
    const answer = call('prompt', 'models').catch((error: unknown) => ({ models: [], ready: false, problem: (error as Error).message }))
    cached = { for: snapshot, answer }
  }
  return cached.answer
}

/** null while the first answer is coming. */
export function useHelperModels(): { view: HelperModelsView | null; refresh: () => void } {
  const snapshot = useStudio((s) => s.system.snapshot)
  const [view, setView] = useState<HelperModelsView | null>(null)
  const [forced, setForced] = useState(0)
  useEffect(() => {
    let live = true
    void loadHelperModels(snapshot, forced > 0).then((answer) => live && setView(answer))
    return () => {
      live = false
    }
  }, [snapshot, forced])
  const refresh = useCallback(() => setForced((count) => count + 1), [])
  return { view, refresh }
}
