// The line under Generate: why it is disabled, or the keys that run it.
const isMac = typeof navigator !== 'undefined' && /Mac/i.test(navigator.platform)
export const GENERATE_KEYS = isMac ? '⌘↵' : 'Ctrl+Enter'

export type GenerateState = {
  /** The followed render's status, or null when none runs. */
  job: 'submitting' | 'running' | 'cancelling' | null
  problem: boolean
  engineError: boolean
  valid: boolean
  /** The only problem is an empty prompt nobody has typed in yet. */
  promptUntouched: boolean
}

export function generateHintFor(state: GenerateState): string {
  if (state.job) return state.job === 'cancelling' ? 'Cancelling…' : 'A render is running.'
  if (state.problem) return 'Rendering is unavailable (see the banner above).'
  if (state.engineError) return 'Pick an available engine to enable Generate.'
  if (!state.valid) return state.promptUntouched ? 'Describe the shot to enable Generate.' : 'Fix the fields marked in red to enable Generate.'
  return `${GENERATE_KEYS} to generate · Esc cancels`
}
