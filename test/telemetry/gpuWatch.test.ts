// Watch GPU and a job sampling at once: one sample per tick reaches the charts. Each fake nvidia-smi
// counts its own ticks (its temperature is 60 + tick), so whose sample arrived is visible.
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { GpuWatch } from '../../src/main/core/gpuWatch'
import type { GpuSample } from '../../src/shared/telemetry'

const env = { ...process.env, WAN_STUDIO_NVIDIA_SMI: join(__dirname, '..', 'fixtures', 'nvidia-smi', 'fake-nvidia-smi.mjs'), FAKE_NVIDIA_SMI_CASE: 'rtx4090' }
let stop: (() => Promise<unknown>)[] = []
afterEach(async () => {
  await Promise.all(stop.map((fn) => fn()))
  stop = []
})

describe('GpuWatch', () => {
  it('drops the watcher’s samples while a job samples, and resumes them after', async () => {
    const temperatures: number[] = []
    const waiters: { ok: () => boolean; resolve: () => void }[] = []
    const watch = new GpuWatch({
      env,
      intervalMs: 100,
      onSample: (sample: GpuSample) => {
        temperatures.push(sample.temperatureC!)
        for (const waiter of waiters.filter((candidate) => candidate.ok())) {
          waiters.splice(waiters.indexOf(waiter), 1)
          waiter.resolve()
        }
      },
      onChange: () => undefined,
      log: () => undefined
    })
    const until = (ok: () => boolean): Promise<void> => (ok() ? Promise.resolve() : new Promise((resolve) => waiters.push({ ok, resolve })))
    stop.push(() => watch.stop())

    await watch.watch(true)
    await until(() => temperatures.length >= 3)
    const job = watch.forJob()
    job.start()
    stop.push(() => job.stop(100))
    // The job's nvidia-smi starts from its first tick (60 °C); from then on only its samples arrive.
    const fromJob = (): number[] => temperatures.slice(temperatures.lastIndexOf(60))
    await until(() => temperatures.lastIndexOf(60) >= 3 && fromJob().length >= 6)
    expect(fromJob().slice(0, 6)).toEqual([60, 61, 62, 63, 64, 65])

    const summary = await job.stop(100)
    expect(summary.samples).toBeGreaterThanOrEqual(6)
    const afterJob = temperatures.length
    await until(() => temperatures.length >= afterJob + 2)
    // The watcher has counted on all along, so its samples are hotter than the job's last.
    const jobLast = Math.max(...fromJob().slice(0, afterJob - temperatures.lastIndexOf(60)))
    expect(temperatures.at(-1)!).toBeGreaterThan(jobLast)
    expect(watch.watching).toBe(true)
  })
})
