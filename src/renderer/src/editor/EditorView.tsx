// The project editor: project bar, preview, timeline and the selected shot's inspector.
import { useState, type ReactElement } from 'react'
import { ExportDialog } from './ExportDialog'
import { ProjectBar } from './ProjectBar'
import { ShotInspector } from './ShotInspector'
import { Timeline } from './Timeline'
import { TimelinePreview } from './TimelinePreview'
import { UnsavedProjectNotice } from './UnsavedProjectNotice'
import { useKeepUnsavedProject } from './unsavedProject'
import { useAutosave } from './useAutosave'
import { usePlayback } from './usePlayback'

export function EditorView(): ReactElement {
  const [exporting, setExporting] = useState(false)
  usePlayback()
  useAutosave()
  useKeepUnsavedProject()
  return (
    <div className="editor" data-testid="editor">
      <div className="editor-top">
        <ProjectBar onExport={() => setExporting(true)} />
        <UnsavedProjectNotice />
      </div>
      <div className="editor-main">
        <TimelinePreview />
        <ShotInspector />
      </div>
      <Timeline />
      {exporting && <ExportDialog onClose={() => setExporting(false)} />}
    </div>
  )
}
