// The prompts queued before, newest first, searched by every word typed; choosing one puts it (and
// its negative prompt) on the shot as one undo step.
import { useState, type ReactElement } from 'react'
import type { Shot } from '../../../../shared/project'
import { searchPrompts, type PromptHistoryEntry } from '../../../../shared/promptLibrary'
import { useStudio } from '../../store'
import { applyHistoryEntry } from './promptLibraryEdits'
import { FieldError } from '../../components/shot/fields'

/** Matches listed at once; the search narrows the rest. */
export const HISTORY_SHOWN = 30

export function PromptHistory({ shot, history, onOpen }: { shot: Shot; history: readonly PromptHistoryEntry[]; onOpen: () => void }): ReactElement {
  const editProject = useStudio((s) => s.editProject)
  const [query, setQuery] = useState('')
  const [error, setError] = useState<string | null>(null)
  const matches = searchPrompts(history, query)

  return (
    <details className="field prompt-history" data-testid="prompt-history" onToggle={(event) => event.currentTarget.open && onOpen()}>
      <summary className="field-label">Past prompts ({history.length})</summary>
      <input
        type="search"
        className="input"
        aria-label="Search past prompts"
        placeholder="Search past prompts"
        data-testid="history-search"
        value={query}
        onChange={(event) => setQuery(event.target.value)}
      />
      {matches.length === 0 ? (
        <p className="field-hint" role="status">
          {history.length === 0 ? 'Prompts appear here once they are queued for rendering.' : `No past prompt holds every word of “${query.trim()}”.`}
        </p>
      ) : (
        <ul className="prompt-history-list" aria-label="Past prompts">
          {matches.slice(0, HISTORY_SHOWN).map((entry) => (
            <li key={`${entry.usedAt}-${entry.prompt}-${entry.negativePrompt ?? ''}`}>
              <button
                type="button"
                className="prompt-history-item"
                data-testid="history-entry"
                title={`Use this prompt: ${entry.prompt}`}
                onClick={() => setError(editProject((project) => applyHistoryEntry(project, shot.id, entry)))}
              >
                <span className="prompt-history-text">{entry.prompt}</span>
                <span className="prompt-history-when">{new Date(entry.usedAt).toLocaleDateString()}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {matches.length > HISTORY_SHOWN && (
        <p className="field-hint">
          Showing {HISTORY_SHOWN} of {matches.length}: type more to narrow them.
        </p>
      )}
      <FieldError message={error} />
    </details>
  )
}
