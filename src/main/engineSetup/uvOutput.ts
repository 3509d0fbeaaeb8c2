// Reading what `uv pip install` writes on stderr when it is not a terminal (uv 0.13.9; fixtures in
// test/engineSetup/fixtures are real captures). Without a terminal uv draws no progress bars; it
// writes one line per step instead:
//   Resolved 15 packages in 255ms
//   Downloading numpy (16.1MiB)       <- only files over about 1 MiB are announced, with their size
//    Downloaded numpy                 <- the same file, finished
//   Prepared 15 packages in 540ms     <- every download and unpack done (absent when all were cached)
//   Installed 15 packages in 23ms
//    + numpy==2.4.6
// So bytes are counted per announced file as it finishes; the small files, a few MiB in all next to
// the gigabytes of torch and its CUDA libraries, are counted only as packages.
import type { EngineSetupPackages } from '../../shared/engineSetup'

export type UvStage = 'resolving' | 'downloading' | 'installing' | 'installed'

export type UvInstallState = {
  stage: UvStage
  packages: EngineSetupPackages
  bytes: { done: number; total: number }
  /** uv's own `error:` line and what follows it, when it failed. */
  errorLines: string[]
}

const UNIT_BYTES: Record<string, number> = { B: 1, KiB: 2 ** 10, MiB: 2 ** 20, GiB: 2 ** 30, TiB: 2 ** 40 }

/** "858.1MiB" -> bytes; null for anything else. */
export function parseUvSize(text: string): number | null {
  const match = /^([\d.]+)\s*(B|KiB|MiB|GiB|TiB)$/.exec(text.trim())
  if (!match) return null
  const value = Number(match[1])
  return Number.isFinite(value) ? Math.round(value * UNIT_BYTES[match[2]!]!) : null
}

export function initialUvState(): UvInstallState {
  return {
    stage: 'resolving',
    packages: { resolved: null, announcedDownloads: 0, finishedDownloads: 0, installed: null },
    bytes: { done: 0, total: 0 },
    errorLines: []
  }
}

/**
 * Folds uv's stderr into a state, one line at a time. Keeps the size of each announced download so a
 * finished one adds exactly its own bytes; a line it doesn't know changes nothing.
 */
export class UvOutputReader {
  private state = initialUvState()
  private readonly pendingSizes = new Map<string, number>()

  get current(): UvInstallState {
    return this.state
  }

  /** The new state when the line changed it, else null. */
  read(rawLine: string): UvInstallState | null {
    const line = rawLine.replace(/\r$/, '')
    const next = this.apply(line)
    if (next) this.state = next
    return next
  }

  private apply(line: string): UvInstallState | null {
    const state = this.state
    const packages = state.packages
    if (state.errorLines.length > 0 || /^error:/.test(line)) {
      return line.trim() === '' ? null : { ...state, errorLines: [...state.errorLines, line] }
    }
    const resolved = /^Resolved (\d+) packages? in /.exec(line)
    if (resolved) return { ...state, stage: 'downloading', packages: { ...packages, resolved: Number(resolved[1]) } }
    const downloading = /^Downloading (\S+) \(([^)]+)\)$/.exec(line)
    if (downloading) {
      const size = parseUvSize(downloading[2]!) ?? 0
      this.pendingSizes.set(downloading[1]!, size)
      return {
        ...state,
        stage: 'downloading',
        packages: { ...packages, announcedDownloads: packages.announcedDownloads + 1 },
        bytes: { ...state.bytes, total: state.bytes.total + size }
      }
    }
    const downloaded = /^ Downloaded (\S+)$/.exec(line)
    if (downloaded) {
      const size = this.pendingSizes.get(downloaded[1]!) ?? 0
      this.pendingSizes.delete(downloaded[1]!)
      return { ...state, packages: { ...packages, finishedDownloads: packages.finishedDownloads + 1 }, bytes: { ...state.bytes, done: state.bytes.done + size } }
    }
    if (/^Prepared \d+ packages? in /.test(line)) {
      // Everything is on disk now, including any file whose "Downloaded" line never came.
      return { ...state, stage: 'installing', bytes: { ...state.bytes, done: state.bytes.total } }
    }
    const installed = /^(?:Installed|Checked|Audited) (\d+) packages? in /.exec(line)
    if (installed) {
      return { ...state, stage: 'installed', packages: { ...packages, installed: Number(installed[1]) }, bytes: { ...state.bytes, done: state.bytes.total } }
    }
    return null
  }
}

/**
 * Seconds left from the bytes so far: the average rate since the first byte came, applied to what
 * is left. Null until there is a rate to go on (nothing finished yet, or nothing announced).
 */
export function estimateSecondsLeft(bytes: { done: number; total: number }, secondsSinceFirstDownload: number | null): number | null {
  if (secondsSinceFirstDownload === null || secondsSinceFirstDownload <= 0 || bytes.done <= 0 || bytes.total <= 0) return null
  const rate = bytes.done / secondsSinceFirstDownload
  return Math.max(0, Math.round((bytes.total - bytes.done) / rate))
}
