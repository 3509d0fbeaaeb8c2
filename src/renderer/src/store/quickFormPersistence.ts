// The quick-render form outlives the window: what is typed there is kept in the renderer's
// localStorage (zustand's persist middleware) and comes back when the app opens again. Only the
// form's fields are kept; a stored value that isn't a form (damaged, or from an older form) is
// dropped and the empty form used, so it can never break the window.
import { z } from 'zod'
import { createJSONStorage, type PersistOptions, type StateStorage } from 'zustand/middleware'
import { engineChoiceSchema } from '../../../shared/render'
import type { ShotForm } from '../validation'
import type { Studio } from './index'

export const QUICK_FORM_KEY = 'wan-studio.quick-form'

const storedFormSchema = z.object({
  form: z.object({
    prompt: z.string(),
    negativePrompt: z.string(),
    seconds: z.string(),
    seed: z.string(),
    steps: z.string(),
    engine: engineChoiceSchema
  })
})

type StoredForm = { form: ShotForm }

/** A storage that lives as long as the store: for stores made outside a window (tests). */
export function memoryStorage(): StateStorage {
  const items = new Map<string, string>()
  return {
    getItem: (name) => items.get(name) ?? null,
    setItem: (name, value) => void items.set(name, value),
    removeItem: (name) => void items.delete(name)
  }
}

/** persist's options for the studio store; `storage` is the window's localStorage in the app. */
export function quickFormPersistence(storage: () => StateStorage): PersistOptions<Studio, StoredForm> {
  return {
    name: QUICK_FORM_KEY,
    version: 1,
    storage: createJSONStorage(storage),
    partialize: (state) => ({ form: state.form }),
    merge: (stored, current) => {
      const parsed = storedFormSchema.safeParse(stored)
      return parsed.success ? { ...current, form: parsed.data.form } : current
    }
  }
}
