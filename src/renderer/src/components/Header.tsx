import type { ReactElement } from 'react'
import { useStudio } from '../store'
import { EngineStatus } from './EngineStatus'

function Logo(): ReactElement {
  return (
    <svg width="20" height="20" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <defs>
        <linearGradient id="logo-gradient" x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" stopColor="#7aa7ff" />
          <stop offset="1" stopColor="#4fd1c5" />
        </linearGradient>
      </defs>
      <rect x="2" y="4" width="20" height="16" rx="3.5" fill="none" stroke="url(#logo-gradient)" strokeWidth="1.8" />
      <path d="M6 9l2.2 6 2.3-5 2 5 2.3-5L17 15l1-6" fill="none" stroke="url(#logo-gradient)" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  )
}

export function Header(): ReactElement {
  const version = useStudio((s) => s.system.snapshot?.info.version)
  const dataDir = useStudio((s) => s.system.snapshot?.info.dataDir)
  return (
    <header className="app-header">
      <div className="brand" title={dataDir ? `Data folder: ${dataDir}` : undefined}>
        <Logo />
        <span className="brand-name">Wan Studio</span>
        {version && <span className="brand-version">v{version}</span>}
      </div>
      <EngineStatus />
    </header>
  )
}

/** What stops rendering altogether (no ffmpeg, no Python, a crashed sidecar), under the header. */
export function ProblemBanner(): ReactElement | null {
  const info = useStudio((s) => s.system.snapshot?.info ?? null)
  const checking = useStudio((s) => s.system.status === 'loading')
  const setLogOpen = useStudio((s) => s.setLogOpen)
  const refreshSystem = useStudio((s) => s.refreshSystem)
  if (!info) return null
  const text = info.problem
    ? `Rendering is unavailable: ${info.problem}`
    : info.sidecar.state === 'crashed'
      ? `The inference sidecar crashed${info.sidecar.lastError ? `: ${info.sidecar.lastError}` : ''}. It restarts with the next render.`
      : null
  if (!text) return null
  return (
    <div className="problem-banner" role="alert" data-testid="studio-problem">
      <span className="problem-text">{text}</span>
      <button type="button" className="btn btn-ghost btn-small" onClick={() => setLogOpen(true)}>
        Show log
      </button>
      <button type="button" className="btn btn-ghost btn-small" disabled={checking} onClick={() => void refreshSystem()}>
        Check again
      </button>
    </div>
  )
}
