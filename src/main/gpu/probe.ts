// Asks nvidia-smi what GPUs this machine has, and the OS how much RAM. Never throws for a missing,
// failing or hanging nvidia-smi: the result says what went wrong. Cancelling (the signal) rejects.
import { freemem, totalmem } from 'node:os'
import type { DoctorGpu, MigDevice } from '../../shared/doctor'
import {
  QUERY_FIELDS,
  REQUIRED_FIELDS,
  parseMigListing,
  parseQueryOutput,
  parseTableHeader,
  rejectedField,
  toDoctorGpu,
  type QueryField,
  type QueryRow
} from './nvidiaSmi'
import { runTool, type ToolOutcome } from './runTool'

export const DEFAULT_NVIDIA_SMI_TIMEOUT_MS = 5000
const MIB = 2 ** 20

export type ProbeOptions = {
  signal?: AbortSignal
  env?: NodeJS.ProcessEnv
  /** Per nvidia-smi call. */
  timeoutMs?: number
}

export type GpuProbe = {
  gpus: DoctorGpu[]
  driverVersion: string | null
  cudaVersion: string | null
  error: string | null
  warnings: string[]
}

export type RamProbe = { ramTotalMiB: number; ramFreeMiB: number; warnings: string[] }

export function nvidiaSmiCommand(env: NodeJS.ProcessEnv): { file: string; fromEnv: boolean } {
  const configured = env.WAN_STUDIO_NVIDIA_SMI?.trim()
  return configured ? { file: configured, fromEnv: true } : { file: 'nvidia-smi', fromEnv: false }
}

export async function probeGpus(options: ProbeOptions = {}): Promise<GpuProbe> {
  const env = options.env ?? process.env
  const { file, fromEnv } = nvidiaSmiCommand(env)
  const run = async (args: string[]): Promise<FinishedOutcome> => {
    const outcome = await runTool(file, args, { timeoutMs: options.timeoutMs ?? DEFAULT_NVIDIA_SMI_TIMEOUT_MS, signal: options.signal, env })
    if (outcome.kind === 'aborted') throw abortReason(options.signal)
    return outcome
  }
  const describeFailure = (outcome: FinishedOutcome): string =>
    failureText(outcome, file, fromEnv, options.timeoutMs ?? DEFAULT_NVIDIA_SMI_TIMEOUT_MS)

  // The table header is the one place older drivers give the CUDA version; ask for it alongside.
  const [query, table] = await Promise.all([queryWithRetries(run), run([])])
  const header = table.kind === 'exited' && table.exitCode === 0 ? parseTableHeader(table.stdout) : { driverVersion: null, cudaVersion: null }
  if ('failure' in query) {
    return { gpus: [], driverVersion: header.driverVersion, cudaVersion: header.cudaVersion, error: describeFailure(query.failure), warnings: [] }
  }

  const warnings = [
    ...query.rejected.map((field) => rejectedFieldWarning(field, query.rows[0]?.driver_version ?? header.driverVersion)),
    ...query.otherLines.map((line) => `nvidia-smi printed: ${line}`)
  ]
  if (query.rows.length === 0) {
    return { gpus: [], ...header, error: 'nvidia-smi answered but listed no GPUs', warnings }
  }

  let migDevices = new Map<number, MigDevice[]>()
  if (query.rows.some((row) => row['mig.mode.current'] === 'Enabled')) {
    const listing = await run(['-L'])
    if (listing.kind === 'exited' && listing.exitCode === 0) migDevices = parseMigListing(listing.stdout)
    else warnings.push(`Couldn't list the MIG slices (nvidia-smi -L): ${describeFailure(listing)}`)
  }
  const gpus = query.rows.map((row) => toDoctorGpu(row, migDevices.get(Number(row.index)) ?? []))
  return {
    gpus,
    driverVersion: query.rows[0]?.driver_version ?? header.driverVersion,
    cudaVersion: header.cudaVersion,
    error: null,
    warnings
  }
}

/** Cancelling rejects, so every outcome the probe sees is a finished one. */
type FinishedOutcome = Exclude<ToolOutcome, { kind: 'aborted' }>

type QueryResult = { rows: QueryRow[]; otherLines: string[]; rejected: QueryField[] } | { failure: FinishedOutcome }

/** Older drivers refuse the whole query over one unknown field (exit 2): ask again without it. */
async function queryWithRetries(run: (args: string[]) => Promise<FinishedOutcome>): Promise<QueryResult> {
  let fields: QueryField[] = [...QUERY_FIELDS]
  const rejected: QueryField[] = []
  for (;;) {
    const outcome = await run([`--query-gpu=${fields.join(',')}`, '--format=csv,noheader,nounits'])
    if (outcome.kind !== 'exited') return { failure: outcome }
    if (outcome.exitCode === 0) {
      try {
        return { ...parseQueryOutput(outcome.stdout, fields), rejected }
      } catch (error) {
        return { failure: { kind: 'failed', message: `unreadable output (${(error as Error).message})` } }
      }
    }
    const field = fields.find((candidate) => candidate === rejectedField(`${outcome.stdout}\n${outcome.stderr}`))
    if (field === undefined || REQUIRED_FIELDS.includes(field)) return { failure: outcome }
    fields = fields.filter((candidate) => candidate !== field)
    rejected.push(field)
  }
}

function rejectedFieldWarning(field: QueryField, driverVersion: string | null | undefined): string {
  const driver = driverVersion ? `Driver ${driverVersion}` : 'This driver'
  const fallback = field === 'compute_cap' ? '; compute capability comes from the known-GPU table' : ''
  return `${driver} doesn't report ${field} (an older driver)${fallback}.`
}

function failureText(outcome: FinishedOutcome, file: string, fromEnv: boolean, timeoutMs: number): string {
  switch (outcome.kind) {
    case 'missing':
      return fromEnv
        ? `WAN_STUDIO_NVIDIA_SMI is set to ${file}, which doesn't exist`
        : 'nvidia-smi is not on PATH: no NVIDIA driver is installed (or set WAN_STUDIO_NVIDIA_SMI to its path)'
    case 'timedOut':
      return `nvidia-smi didn't answer within ${timeoutMs / 1000} s and was stopped: the driver or a GPU is hung`
    case 'failed':
      return `nvidia-smi couldn't run: ${outcome.message}`
    case 'exited': {
      const said = `${outcome.stdout}\n${outcome.stderr}`.split(/\r?\n/).map((line) => line.trim()).find((line) => line.length > 0)
      return `nvidia-smi failed (exit ${outcome.exitCode})${said ? `: ${said}` : ''}`
    }
  }
}

function abortReason(signal: AbortSignal | undefined): unknown {
  return signal?.reason ?? new DOMException('The GPU probe was aborted', 'AbortError')
}

/** RAM from the OS; WAN_STUDIO_RAM_MIB overrides the total (for tests, containers, or to reserve some). */
export function probeRam(env: NodeJS.ProcessEnv = process.env): RamProbe {
  const osTotal = Math.floor(totalmem() / MIB)
  const osFree = Math.floor(freemem() / MIB)
  const override = env.WAN_STUDIO_RAM_MIB?.trim()
  if (!override) return { ramTotalMiB: osTotal, ramFreeMiB: osFree, warnings: [] }
  const total = Number(override)
  if (!Number.isFinite(total) || total <= 0) {
    return { ramTotalMiB: osTotal, ramFreeMiB: osFree, warnings: [`WAN_STUDIO_RAM_MIB=${override} is not a positive number of MiB; using the OS figure`] }
  }
  return { ramTotalMiB: Math.floor(total), ramFreeMiB: Math.min(osFree, Math.floor(total)), warnings: [] }
}
