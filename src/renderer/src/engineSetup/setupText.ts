// The set-up's words: phase names, sizes, the one-line summary of uv's progress. Pure, unit-tested.
import type { EngineSetupDisk, EngineSetupPhase, EngineSetupProgress } from '../../../shared/engineSetup'
import { formatEta, formatMiB } from '../format'

/** The steps shown as a list, in the order a run takes them. */
export const SETUP_STEPS: readonly { phase: EngineSetupPhase; label: string }[] = [
  { phase: 'disk', label: 'Free disk space' },
  { phase: 'uv', label: 'uv' },
  { phase: 'python', label: 'Python' },
  { phase: 'venv', label: 'New environment' },
  { phase: 'packages', label: 'Packages' },
  { phase: 'verify', label: 'Check' },
  { phase: 'switch', label: 'Switch over' }
]

const MIB = 2 ** 20

/** A byte count in the words formatMiB uses everywhere else: "512 MiB", "2.9 GiB". */
export function formatBytes(bytes: number): string {
  return formatMiB(bytes / MIB)
}

/** "83 packages resolved · 12 of 31 large files · 1.2 of 2.9 GiB · about 1 min left" */
export function packagesLine(progress: EngineSetupProgress): string {
  const { packages, bytes } = progress
  const parts: string[] = []
  if (packages.installed !== null) parts.push(`${packages.installed} packages installed`)
  else if (packages.resolved !== null) parts.push(`${packages.resolved} packages resolved`)
  else parts.push('resolving packages…')
  if (packages.announcedDownloads > 0) {
    parts.push(`${packages.finishedDownloads} of ${packages.announcedDownloads} large files`)
    parts.push(`${formatBytes(bytes.done)} of ${formatBytes(bytes.total)}`)
    if (packages.finishedDownloads < packages.announcedDownloads) parts.push(formatEta(progress.secondsLeft))
  }
  return parts.join(' · ')
}

/** The fraction of the announced bytes downloaded, or null before any is announced. */
export function bytesFraction(progress: EngineSetupProgress): number | null {
  return progress.bytes.total > 0 ? Math.min(1, progress.bytes.done / progress.bytes.total) : null
}

export function diskLine(disk: EngineSetupDisk): string {
  return `${formatBytes(disk.freeBytes)} free in ${disk.folder}; the engine needs about ${formatBytes(disk.neededBytes)}`
}

/** done / current / waiting for each step, from the phase now running. */
export function stepState(step: EngineSetupPhase, current: EngineSetupPhase | null): 'done' | 'current' | 'waiting' {
  if (current === null) return 'waiting'
  if (current === 'done') return 'done'
  const order = SETUP_STEPS.map((entry) => entry.phase)
  const at = order.indexOf(current)
  const index = order.indexOf(step)
  return index < at ? 'done' : index === at ? 'current' : 'waiting'
}
