// The free space a set-up needs, checked before anything is downloaded.
import { statfs } from 'node:fs/promises'
import type { EngineSetupDisk } from '../../shared/engineSetup'

const GIB = 2 ** 30
const MIB = 2 ** 20

/**
 * What a set-up may write, measured rather than guessed: the full engine environment (torch 2.15.0
 * with its CUDA libraries, diffusers, transformers: engine.txt + test.txt) measured 5.8 GiB
 * installed on Linux x86_64; uv keeps the unpacked wheels in its cache (inside the engine folder) and
 * hard-links them into the environment, so they count once, plus a margin for the wheels in flight
 * and a managed Python. The synthetic set (base.txt + test.txt) installs in about 120 MiB.
 */
export const NEEDED_BYTES = { full: 8 * GIB, synthetic: 300 * MIB } as const

export class DiskSpaceError extends Error {}

/** Free space for an unprivileged user on the filesystem that holds `folder` (which must exist). */
export async function freeBytes(folder: string): Promise<number> {
  const stats = await statfs(folder)
  return stats.bavail * stats.bsize
}

export async function checkDiskSpace(folder: string, neededBytes: number, probe: (folder: string) => Promise<number> = freeBytes): Promise<EngineSetupDisk> {
  const free = await probe(folder)
  return { folder, freeBytes: free, neededBytes, enough: free >= neededBytes }
}

export function describeShortfall(disk: EngineSetupDisk): string {
  return (
    `not enough free disk space in ${disk.folder}: the engine environment needs about ${formatGiB(disk.neededBytes)}, ` +
    `and ${formatGiB(disk.freeBytes)} is free. Free some space (or move the engine folder with WAN_STUDIO_ENGINE_DIR) and try again.`
  )
}

export function formatGiB(bytes: number): string {
  return bytes >= GIB ? `${(bytes / GIB).toFixed(1)} GiB` : `${Math.round(bytes / MIB)} MiB`
}
