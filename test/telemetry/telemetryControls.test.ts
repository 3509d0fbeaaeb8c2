// The studio's telemetry controls as the System tab uses them: Watch GPU starts and stops a sampler
// outside a job, and the metrics setting serves, moves and stops the Prometheus endpoint live and is
// remembered. Every wait is for an event or an answer, never a fixed time.
import { once } from 'node:events'
import { createServer, type Server } from 'node:net'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Studio } from '../../src/main/core/studio'
import { settingsChangeSchema, studioSettingsSchema } from '../../src/shared/settings'
import type { TelemetryStatus } from '../../src/shared/telemetry'
import { createTestStudio, testEnv } from '../helpers/studio'

const FAKE_NVIDIA_SMI = join(__dirname, '..', 'fixtures', 'nvidia-smi', 'fake-nvidia-smi.mjs')
const studios: Studio[] = []
const servers: Server[] = []

afterEach(async () => {
  await Promise.all(studios.splice(0).map((studio) => studio.close()))
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))))
})

function studioWith(extra: NodeJS.ProcessEnv = {}, env = testEnv({ WAN_STUDIO_NVIDIA_SMI: FAKE_NVIDIA_SMI, FAKE_NVIDIA_SMI_CASE: 'rtx4090', ...extra })): Studio {
  const studio = createTestStudio(env)
  studios.push(studio)
  return studio
}

/** A port something else holds, for the port-in-use case. */
async function heldPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1')
  servers.push(server)
  await once(server, 'listening')
  return (server.address() as { port: number }).port
}

/** The next telemetry status that satisfies `ok`. */
function statusWhere(studio: Studio, ok: (status: TelemetryStatus) => boolean): Promise<TelemetryStatus> {
  return new Promise((resolve) => {
    const listener = (status: TelemetryStatus): void => {
      if (!ok(status)) return
      studio.off('telemetry', listener)
      resolve(status)
    }
    studio.on('telemetry', listener)
  })
}

describe('Watch GPU', () => {
  it('samples outside a job until stopped', async () => {
    const studio = studioWith()
    expect(studio.telemetryStatus()).toMatchObject({ watching: false, sampler: { state: 'stopped' } })
    const firstSample = once(studio, 'gpuSample')
    const started = await studio.watchGpu(true)
    expect(started.watching).toBe(true)
    const [sample] = await firstSample
    expect(sample).toMatchObject({ gpuIndex: 0, memoryTotalMiB: 24564 })
    expect(studio.telemetryStatus().sampler.state).toBe('running')
    const stopped = await studio.watchGpu(false)
    expect(stopped).toMatchObject({ watching: false, sampler: { state: 'stopped' } })
  })

  it('says why when there is no nvidia-smi, once', async () => {
    const studio = studioWith({ WAN_STUDIO_NVIDIA_SMI: '/nonexistent/nvidia-smi' })
    const failed = statusWhere(studio, (status) => status.sampler.state === 'failed')
    await studio.watchGpu(true)
    expect((await failed).sampler.message).toMatch(/nonexistent\/nvidia-smi was not found/)
    expect(studio.sidecarLog().filter((line) => /GPU telemetry: .*not found/.test(line.message))).toHaveLength(1)
  })
})

describe('metrics setting', () => {
  it('is checked where it is typed', () => {
    expect(studioSettingsSchema.parse({}).metrics).toEqual({ enabled: false, host: '127.0.0.1', port: 9464 })
    const bad = (metrics: unknown): string[] => {
      const parsed = settingsChangeSchema.safeParse({ metrics })
      return parsed.success ? [] : parsed.error.issues.map((issue) => issue.message)
    }
    expect(bad({ enabled: true, host: '127.0.0.1', port: 0 })).toEqual(['the metrics port is 1 to 65535'])
    expect(bad({ enabled: true, host: '127.0.0.1', port: 70000 })).toEqual(['the metrics port is 1 to 65535'])
    expect(bad({ enabled: true, host: 'http://0.0.0.0', port: 9464 })[0]).toMatch(/without a scheme/)
    expect(bad({ enabled: true, host: ' ', port: 9464 })).toEqual(['the metrics address is empty'])
    expect(bad({ enabled: true, host: '0.0.0.0', port: 9464 })).toEqual([])
  })

  it('serves, reports a port in use, stops, and is served again by the next studio from the saved setting', async () => {
    const studio = studioWith()
    const taken = await heldPort()
    await studio.updateSettings({ metrics: { enabled: true, host: '127.0.0.1', port: taken } })
    expect(studio.telemetryStatus().metrics).toEqual({ url: null, error: `the metrics port 127.0.0.1:${taken} is already in use` })

    const free = await heldPort()
    await new Promise((resolve) => servers.pop()!.close(resolve))
    const saved = await studio.updateSettings({ metrics: { enabled: true, host: '127.0.0.1', port: free } })
    expect(saved.metrics).toEqual({ enabled: true, host: '127.0.0.1', port: free })
    const url = studio.telemetryStatus().metrics.url
    expect(url).toBe(`http://127.0.0.1:${free}/metrics`)
    const body = await (await fetch(url!)).text()
    expect(body).toMatch(/^# HELP wan_/m)

    await studio.updateSettings({ metrics: { enabled: false, host: '127.0.0.1', port: free } })
    expect(studio.telemetryStatus().metrics).toEqual({ url: null, error: null })
    await expect(fetch(url!)).rejects.toThrow()
    // The rest of the settings were left alone.
    expect((await studio.settings()).modelsDir).toBeNull()

    await studio.updateSettings({ metrics: { enabled: true, host: '127.0.0.1', port: free } })
    await studio.close()
    studios.splice(studios.indexOf(studio), 1)
    const next = studioWith({}, { ...testEnv(), WAN_STUDIO_HOME: studio.dataDir })
    expect(next.telemetryStatus().metrics.url).toBeNull()
    await next.serveMetricsFromSettings()
    expect(next.telemetryStatus().metrics.url).toBe(url)
    expect((await fetch(url!)).status).toBe(200)
  })
})
