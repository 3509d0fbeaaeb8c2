// The GPU sampler against a fake nvidia-smi that streams, throttles, babbles, stalls and dies: it
// reports what it can and never throws.
import { spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildSync } from 'esbuild'
import { describe, expect, it } from 'vitest'
import { GpuSampler, parseSampleLine } from '../../src/main/gpu/sampler'
import { summariseTelemetry, type GpuSample, type SamplerStatus } from '../../src/shared/telemetry'

const fake = join(__dirname, '..', 'fixtures', 'nvidia-smi', 'fake-nvidia-smi.mjs')

/**
 * Runs a sampler until `done` holds for what it has seen (never on a timer alone: the machine may
 * be busy), then stops it.
 */
async function sampleUntil(env: NodeJS.ProcessEnv, done: (seen: { samples: GpuSample[]; statuses: SamplerStatus[] }) => boolean, maxRestarts = 3) {
  const seen = { samples: [] as GpuSample[], statuses: [] as SamplerStatus[] }
  let check = (): void => undefined
  const finished = new Promise<void>((resolve) => {
    check = () => {
      if (done(seen)) resolve()
    }
  })
  const sampler = new GpuSampler({
    env: { ...process.env, WAN_STUDIO_NVIDIA_SMI: fake, ...env },
    intervalMs: 50,
    onSample: (sample) => {
      seen.samples.push(sample)
      check()
    },
    onStatus: (status) => {
      seen.statuses.push(status)
      check()
    },
    maxRestarts
  })
  sampler.start()
  await finished
  const last = sampler.status
  await sampler.stop()
  return { ...seen, last }
}

const atLeast = (count: number) => ({ samples }: { samples: GpuSample[] }) => samples.length >= count
const failed = ({ statuses }: { statuses: SamplerStatus[] }) => statuses.at(-1)?.state === 'failed'

describe('GPU sampler', () => {
  it('reads one long-lived nvidia-smi line by line: every field, per GPU', async () => {
    const { samples, last } = await sampleUntil({ FAKE_NVIDIA_SMI_CASE: 'two-gpus' }, atLeast(10))
    expect(last.state).toBe('running')
    expect(new Set(samples.map((s) => s.gpuIndex))).toEqual(new Set([0, 1]))
    expect(samples[0]).toMatchObject({ memoryTotalMiB: expect.any(Number), gpuUtilization: expect.any(Number), temperatureC: expect.any(Number), powerDrawW: expect.any(Number), powerLimitW: 450, smClockMHz: 2520, throttle: [], pcieGeneration: 4, pcieWidth: 16, mig: false })
  })

  it('decodes throttle reasons and summarises them', async () => {
    const { samples } = await sampleUntil({ FAKE_NVIDIA_SMI_CASE: 'rtx4090', FAKE_NVIDIA_SMI_STREAM: 'throttle' }, atLeast(4))
    expect(samples[0]!.throttle).toEqual(['power-cap', 'hw-thermal'])
    const summary = summariseTelemetry(samples, 50, null)
    expect(summary).toMatchObject({ samples: samples.length, throttleReasons: ['power-cap', 'hw-thermal'], throttledSeconds: (samples.length * 50) / 1000, peakPowerDrawW: expect.any(Number) })
  })

  it('skips garbage and warning lines, counting them', async () => {
    const { samples, last } = await sampleUntil({ FAKE_NVIDIA_SMI_CASE: 'rtx4090', FAKE_NVIDIA_SMI_STREAM: 'garbage' }, atLeast(5))
    expect(last.skippedLines).toBeGreaterThanOrEqual(2 * (samples.length - 1))
  })

  it('restarts a stalled nvidia-smi, then gives up saying why', async () => {
    const { samples, statuses, last } = await sampleUntil({ FAKE_NVIDIA_SMI_CASE: 'rtx4090', FAKE_NVIDIA_SMI_STREAM: 'stall-after-2' }, failed, 1)
    expect(samples.length).toBeGreaterThanOrEqual(4) // two ticks before and after the restart
    expect(statuses.some((s) => s.state === 'stalled' && /sent nothing/.test(s.message ?? ''))).toBe(true)
    expect(last).toMatchObject({ state: 'failed', message: expect.stringMatching(/stalled; gave up after 1 restarts/) })
  })

  it('restarts one that dies', async () => {
    const { samples, statuses } = await sampleUntil({ FAKE_NVIDIA_SMI_CASE: 'rtx4090', FAKE_NVIDIA_SMI_STREAM: 'die-after-2' }, atLeast(4))
    // Two ticks, an exit, a restart, and samples again.
    expect(statuses.some((s) => /nvidia-smi exited \(code 1\); restarting/.test(s.message ?? ''))).toBe(true)
    expect(samples).toHaveLength(4)
  })

  it('falls back to the older throttle field name on an older driver', async () => {
    const { samples, last } = await sampleUntil({ FAKE_NVIDIA_SMI_CASE: 'v100-driver-470' }, atLeast(3))
    expect(last.state).toBe('running')
    expect(samples[0]!.throttle).toEqual([])
  })

  it('says so when there is no nvidia-smi at all', async () => {
    const { samples, last } = await sampleUntil({ WAN_STUDIO_NVIDIA_SMI: '/no/such/nvidia-smi' }, failed)
    expect(samples).toEqual([])
    expect(last).toMatchObject({ state: 'failed', message: expect.stringMatching(/not found: no GPU telemetry/) })
  })

  it('stopped before a failed spawn is even reported, it signals nothing (Node would signal pid 0: our whole group)', async () => {
    const script = join(mkdtempSync(join(tmpdir(), 'wan-sampler-')), 'stopAtOnce.cjs')
    buildSync({ entryPoints: [join(__dirname, '..', 'fixtures', 'sampler', 'stopAtOnce.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: script, logLevel: 'error' })
    // Its own process group, so a kill(0) takes only it (and shows as SIGKILL), never the test runner.
    const child = spawn(process.execPath, [script], { detached: true, stdio: ['ignore', 'pipe', 'inherit'] })
    let stdout = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once('exit', (exitCode, exitSignal) => resolve([exitCode, exitSignal])))
    expect({ code, signal, stdout }).toEqual({ code: 0, signal: null, stdout: 'alive\n' })
  })

  it('parses [N/A] as missing, refuses lines of the wrong shape', () => {
    const line = '0, [N/A], 81559, 97, 40, 61, [Not Supported], 700.00, 1980, 0x0000000000000020, 5, 16, Enabled'
    expect(parseSampleLine(line, 1)).toMatchObject({ memoryUsedMiB: null, powerDrawW: null, throttle: ['sw-thermal'], mig: true })
    expect(parseSampleLine('0, 1, 2', 1)).toBeNull()
    expect(parseSampleLine('x, 1, 2, 3, 4, 5, 6, 7, 8, 0x0, 4, 16, Disabled', 1)).toBeNull()
    expect(parseSampleLine('"unterminated, 1', 1)).toBeNull()
  })
})
