// The project editor: project bar, preview, timeline and the selected shot's inspector.
import { useState, type ReactElement } from 'react'
import { ExportDialog } from './ExportDialog'
import { ProjectBar } from './ProjectBar'
import { ShotInspector } from './ShotInspector'
import { Timeline } from './Timeline'
import { TimelinePreview } from './TimelinePreview'
import { useAutosave } from './useAutosave'
import { usePlayback } from './usePlayback'

export function EditorView(): ReactElement {
  const [exporting, setExporting] = useState(false)
  usePlayback()
  useAutosave()
  return (
    <div className="editor" data-testid="editor">
      <ProjectBar onExport={() => setExporting(true)} />
      <div className="editor-main">
        <TimelinePreview />
        <ShotInspector />
      </div>
      <Timeline />
      {exporting && <ExportDialog onClose={() => setExporting(false)} />}
    </div>
  )
}
