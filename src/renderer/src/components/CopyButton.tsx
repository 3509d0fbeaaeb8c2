// A small icon button that copies text and shows a check for a moment.
import { useState, type ReactElement } from 'react'
import { copyText } from '../api'
import { IconCheck, IconCopy } from '../icons'

export function CopyButton({ text, label }: { text: string; label: string }): ReactElement {
  const [copied, setCopied] = useState(false)
  return (
    <button
      type="button"
      className="icon-button small"
      title={label}
      aria-label={label}
      onClick={() =>
        void copyText(text).then((ok) => {
          if (!ok) return
          setCopied(true)
          window.setTimeout(() => setCopied(false), 1400)
        })
      }
    >
      {copied ? <IconCheck size={13} /> : <IconCopy size={13} />}
    </button>
  )
}
