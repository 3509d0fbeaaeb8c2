// The quick-render form: one prompt's fields as typed, which of them were touched, and the seed helpers.
import type { StateCreator } from 'zustand'
import { randomSeed, type ShotField, type ShotForm } from '../validation'
import type { Studio } from './index'

export type DraftSlice = {
  form: ShotForm
  /** Fields the user has edited; their errors show inline. */
  touched: Partial<Record<ShotField, boolean>>
  /** Set when Generate was tried with an invalid form: every error shows. */
  showAllErrors: boolean
  setField: <K extends keyof ShotForm>(field: K, value: ShotForm[K]) => void
  touch: (field: ShotField) => void
  rollSeed: () => void
  reuseLastSeed: () => void
}

const initialForm: ShotForm = { prompt: '', negativePrompt: '', seconds: '5', seed: '', steps: '', engine: 'auto' }

export const createDraftSlice: StateCreator<Studio, [], [], DraftSlice> = (set) => ({
  form: initialForm,
  touched: {},
  showAllErrors: false,
  setField: (field, value) => set((s) => ({ form: { ...s.form, [field]: value } })),
  touch: (field) => set((s) => (s.touched[field] ? s : { touched: { ...s.touched, [field]: true } })),
  rollSeed: () => set((s) => ({ form: { ...s.form, seed: String(randomSeed()) }, touched: { ...s.touched, seed: true } })),
  reuseLastSeed: () => set((s) => (s.lastSeed === null ? s : { form: { ...s.form, seed: String(s.lastSeed) }, touched: { ...s.touched, seed: true } }))
})
