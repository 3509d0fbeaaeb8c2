import type { ReactElement } from 'react'
import { studioApi } from './api'
import { BatchPanel } from './batch/BatchPanel'
import { Header, ProblemBanner } from './components/Header'
import { HistoryPanel } from './components/HistoryPanel'
import { LogPanel } from './components/LogPanel'
import { ShotPanel } from './components/ShotPanel'
import { useStudio } from './store'
import { Viewer } from './components/Viewer'
import { useEditorKeys } from './editor/useEditorKeys'
import { FirstRunScreen, useFirstRun } from './engineSetup/FirstRunScreen'
import { useStudioEvents, useStudioKeys, useWindowTitle } from './useStudioEvents'

function NoBridge(): ReactElement {
  return (
    <div className="no-bridge" role="alert">
      <h1>Wan Studio can’t reach its core</h1>
      <p>
        This window was opened without the studio’s preload bridge (<code>window.wanStudio</code>), so it can neither render
        nor list renders. Start the app with <code>npm start</code> (or the packaged app) rather than opening the page directly.
      </p>
    </div>
  )
}

function Studio(): ReactElement {
  useStudioEvents()
  useStudioKeys()
  useEditorKeys()
  useWindowTitle()
  // The project editor needs the width; the quick one-prompt form is for the other tabs.
  const editing = useStudio((s) => s.tab === 'project')
  // No engine environment yet: set one up first (or put it off).
  const firstRun = useFirstRun()
  if (firstRun) return <FirstRunScreen />
  return (
    <div className="app">
      <Header />
      <ProblemBanner />
      <div className={editing ? 'workspace is-editing' : 'workspace'}>
        {!editing && <ShotPanel />}
        <Viewer />
        <HistoryPanel />
      </div>
      <BatchPanel />
      <LogPanel />
    </div>
  )
}

export function App(): ReactElement {
  return studioApi() ? <Studio /> : <NoBridge />
}
