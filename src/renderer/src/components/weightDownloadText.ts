// The weights download panel's words: sizes, progress, speed, the check's result and which buttons a
// state offers. Pure, unit-tested (test/models/downloadsText.test.ts).
import type { DownloadState, DownloadStatus } from '../../../shared/modelDownloads'
import { formatBytes } from '../engineSetup/setupText'
import { formatEta } from '../format'

export type DownloadAction = 'start' | 'pause' | 'resume' | 'cancel'

/** The buttons each state offers, in the order they are shown. */
export function downloadActions(state: DownloadState): DownloadAction[] {
  switch (state) {
    case 'starting':
    case 'downloading':
    case 'checking':
      return ['pause', 'cancel']
    case 'paused':
      return ['resume', 'cancel']
    case 'complete':
      return []
    default:
      return ['start']
  }
}

/** "38.2 GiB to download · 412.0 GiB free" once the hub answered; before that, what is known. */
export function sizeLine(status: DownloadStatus): string | null {
  if (status.totalBytes === null) return null
  const parts = [`${formatBytes(status.totalBytes)} in all`]
  if (status.neededBytes !== null && status.neededBytes < status.totalBytes) parts.push(`${formatBytes(status.neededBytes)} still to fetch`)
  if (status.freeBytes !== null) parts.push(`${formatBytes(status.freeBytes)} free`)
  return parts.join(' · ')
}

/** The fraction the bar shows: bytes while downloading, bytes read while checking. */
export function downloadFraction(status: DownloadStatus): number | null {
  if (!status.totalBytes) return null
  const done = status.state === 'checking' ? (status.checkedBytes ?? 0) : status.doneBytes
  return Math.min(1, done / status.totalBytes)
}

export function progressLine(status: DownloadStatus): string | null {
  const total = status.totalBytes
  switch (status.state) {
    case 'starting':
      return 'Asking the hub for the file list and sizes…'
    case 'downloading': {
      if (total === null) return null
      const parts = [`${formatBytes(status.doneBytes)} of ${formatBytes(total)}`]
      if (status.bytesPerSecond) parts.push(`${formatBytes(status.bytesPerSecond)}/s`)
      parts.push(formatEta(status.secondsLeft))
      return parts.join(' · ')
    }
    case 'checking':
      return total === null ? 'Checking the files…' : `Checking the files against the hub: ${formatBytes(status.checkedBytes ?? 0)} of ${formatBytes(total)} read`
    case 'paused':
      return 'Paused: Resume continues where it stopped.'
    case 'cancelled':
      return 'Cancelled: the partial files were removed.'
    case 'complete':
      return 'Downloaded and checked: every file matches the hub’s size and hash.'
    case 'failed':
      return status.error?.message ?? 'The download failed.'
    default:
      return null
  }
}

/** The file being fetched now: "transformer/diffusion_pytorch_model-00001-of-00003.safetensors: 1.2 of 9.3 GiB". */
export function fileLine(status: DownloadStatus): string | null {
  if (status.state !== 'downloading' || !status.file) return null
  return `${status.file.path}: ${formatBytes(status.file.done)} of ${formatBytes(status.file.total)}`
}
