// The free-space check shown before a set-up starts: what is free where the engine goes, and what it needs.
import type { ReactElement } from 'react'
import type { EngineSetupDisk } from '../../../shared/engineSetup'
import { IconCheck, IconWarning } from '../icons'
import { diskLine } from './setupText'

export function DiskCheck({ disk }: { disk: EngineSetupDisk | null }): ReactElement {
  if (!disk) return <div className="setup-disk muted">Free disk space unknown.</div>
  return (
    <div className={`setup-disk ${disk.enough ? 'is-enough' : 'is-short'}`} data-testid="setup-disk" data-enough={disk.enough}>
      {disk.enough ? <IconCheck size={13} /> : <IconWarning size={13} />}
      <span>
        {diskLine(disk)}
        {!disk.enough && '. Free some space before setting up the engine.'}
      </span>
    </div>
  )
}
