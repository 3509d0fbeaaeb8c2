// Reading nvidia-smi's output: the --query-gpu CSV, the table header (driver and CUDA versions) and
// the -L listing (MIG slices). Pure functions; running the tool is probe.ts's job.
import { parse } from 'csv-parse/sync'
import type { DoctorGpu, MigDevice } from '../../shared/doctor'
import { findKnownGpu } from '../../shared/knownGpus'

/** Asked for with --format=csv,noheader,nounits, in this order. */
export const QUERY_FIELDS = [
  'index',
  'uuid',
  'name',
  'memory.total',
  'memory.free',
  'compute_cap',
  'pcie.link.gen.max',
  'pcie.link.width.max',
  'mig.mode.current',
  'driver_version'
] as const
export type QueryField = (typeof QUERY_FIELDS)[number]

/** Without these a row says nothing the planner can use; a driver that rejects one is too old. */
export const REQUIRED_FIELDS: readonly QueryField[] = ['index', 'name', 'memory.total', 'memory.free']

export type QueryRow = Partial<Record<QueryField, string | null>>

/** The field an older driver refuses ("Field "compute_cap" is not a valid field to query."), if any. */
export function rejectedField(output: string): string | null {
  return /Field "([^"]+)" is not a valid field to query/.exec(output)?.[1] ?? null
}

/** nvidia-smi writes unavailable values as [N/A], [Not Supported], [Unknown Error]... */
function value(raw: string | undefined): string | null {
  if (raw === undefined) return null
  const text = raw.trim()
  if (text === '' || text === 'N/A' || /^\[.*\]$/.test(text)) return null
  return text
}

/**
 * One row per GPU. Lines that aren't GPU rows (nvidia-smi prints warnings such as "WARNING:
 * infoROM is corrupted at gpu 0000:01:00.0" on stdout, before the rows) come back in `otherLines`.
 */
export function parseQueryOutput(csv: string, fields: readonly QueryField[]): { rows: QueryRow[]; otherLines: string[] } {
  const records: string[][] = parse(csv, { trim: true, skip_empty_lines: true, relax_column_count: true, relax_quotes: true })
  const rows: QueryRow[] = []
  const otherLines: string[] = []
  for (const record of records) {
    if (record.length !== fields.length || !/^\d+$/.test(record[fields.indexOf('index')] ?? '')) {
      otherLines.push(record.join(', '))
      continue
    }
    rows.push(Object.fromEntries(fields.map((field, column) => [field, value(record[column])])))
  }
  return { rows, otherLines }
}

/** From the plain `nvidia-smi` table: "| NVIDIA-SMI 550.54.15   Driver Version: 550.54.15   CUDA Version: 12.4 |". */
export function parseTableHeader(table: string): { driverVersion: string | null; cudaVersion: string | null } {
  return {
    driverVersion: /Driver Version:\s*([\d.]+)/.exec(table)?.[1] ?? null,
    cudaVersion: /CUDA Version:\s*([\d.]+)/.exec(table)?.[1] ?? null
  }
}

/**
 * MIG slices by parent GPU index, from `nvidia-smi -L`:
 *   GPU 0: NVIDIA A100-SXM4-40GB (UUID: GPU-...)
 *     MIG 3g.20gb     Device  0: (UUID: MIG-...)
 */
export function parseMigListing(listing: string): Map<number, MigDevice[]> {
  const byGpu = new Map<number, MigDevice[]>()
  let gpuIndex: number | null = null
  for (const line of listing.split(/\r?\n/)) {
    const gpu = /^GPU (\d+):/.exec(line)
    if (gpu) {
      gpuIndex = Number(gpu[1])
      continue
    }
    const mig = /^\s+MIG\s+(\S+)\s+Device\s+\d+:\s+\(UUID:\s*(MIG-[^)\s]+)\)/.exec(line)
    if (mig && gpuIndex !== null) {
      const [, profile = '', uuid = ''] = mig
      const devices = byGpu.get(gpuIndex) ?? []
      devices.push({ uuid, profile, memoryMiB: migProfileMemoryMiB(profile) })
      byGpu.set(gpuIndex, devices)
    }
  }
  return byGpu
}

/** "3g.40gb" -> 38,147 MiB: the profile names round up in decimal GB, so read them as GB, not GiB. */
function migProfileMemoryMiB(profile: string): number | null {
  const gigabytes = /\.(\d+)gb/.exec(profile)?.[1]
  return gigabytes === undefined ? null : Math.floor((Number(gigabytes) * 1e9) / 2 ** 20)
}

function integer(text: string | null | undefined): number | null {
  if (text === null || text === undefined) return null
  const number = Number(text)
  return Number.isFinite(number) ? Math.round(number) : null
}

/** A row as the doctor reports it, filled in from the known-GPU table where nvidia-smi is silent. */
export function toDoctorGpu(row: QueryRow, migDevices: MigDevice[]): DoctorGpu {
  const name = row.name ?? 'unknown GPU'
  const memoryTotalMiB = integer(row['memory.total'])
  const known = findKnownGpu(name, memoryTotalMiB)
  const reportedCapability = row.compute_cap && /^\d+\.\d+$/.test(row.compute_cap) ? row.compute_cap : null
  return {
    index: integer(row.index) ?? 0,
    uuid: row.uuid ?? null,
    name,
    memoryTotalMiB,
    memoryFreeMiB: integer(row['memory.free']),
    computeCapability: reportedCapability ?? known?.computeCapability ?? null,
    pcieGenMax: integer(row['pcie.link.gen.max']),
    pcieWidthMax: integer(row['pcie.link.width.max']),
    migEnabled: row['mig.mode.current'] === 'Enabled',
    migDevices,
    knownAs: known?.label ?? null,
    memoryBandwidthGBps: known?.memoryBandwidthGBps ?? null,
    bf16Tflops: known?.bf16Tflops ?? null
  }
}
