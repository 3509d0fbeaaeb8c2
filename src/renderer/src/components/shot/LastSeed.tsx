// The seed the last render used: shown, copyable, and reusable in the Seed field.
import { useState, type ReactElement } from 'react'
import { copyText } from '../../api'
import { IconCheck, IconCopy } from '../../icons'

export function LastSeed({ seed, onReuse }: { seed: number | null; onReuse: () => void }): ReactElement {
  const [seedCopied, setSeedCopied] = useState(false)
  const onCopySeed = async (): Promise<void> => {
    if (seed === null) return
    if (await copyText(String(seed))) {
      setSeedCopied(true)
      window.setTimeout(() => setSeedCopied(false), 1400)
    }
  }
  return (
    <div className="last-seed" data-testid="last-seed">
      {seed === null ? (
        <span className="muted">Blank seed picks a random one; the seed used is shown here.</span>
      ) : (
        <>
          <span className="muted">Last seed</span>
          <span className="mono last-seed-value" data-testid="last-seed-value">
            {seed}
          </span>
          <button type="button" className="icon-button small" title="Copy the seed" aria-label="Copy the last seed" onClick={() => void onCopySeed()}>
            {seedCopied ? <IconCheck size={14} /> : <IconCopy size={14} />}
          </button>
          <button type="button" className="link-button" onClick={onReuse} title="Put this seed in the Seed field">
            Reuse
          </button>
        </>
      )}
    </div>
  )
}
