// A real Prometheus server (Debian's package; .ci/run installs it) scrapes the studio's /metrics
// during a synthetic render with a fake nvidia-smi streaming samples, and its query API returns
// the GPU and queue series.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { newProject, newShot } from '../../src/shared/project'
import { createTestStudio, testEnv } from '../helpers/studio'
import { freePort } from '../helpers/net'

const PROMETHEUS = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus'
const present = existsSync(PROMETHEUS)
if (!present && !process.env.CI) console.warn(`SKIPPED Prometheus scrape test: ${PROMETHEUS} is not installed (apt-get install prometheus)`)

type PromResult = { status: string; data: { result: { metric: Record<string, string>; value: [number, string] }[] } }

async function query(base: string, expression: string): Promise<PromResult['data']['result']> {
  const response = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(expression)}`)
  const body = (await response.json()) as PromResult
  return body.status === 'success' ? body.data.result : []
}

/** Polls `expression` until it has a series satisfying `ok`, or gives up after `timeoutMs`. */
async function eventually(base: string, expression: string, ok: (value: number) => boolean, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const result = await query(base, expression).catch(() => [])
    const match = result.find((series) => ok(Number(series.value[1])))
    if (match) return match
    if (Date.now() > deadline) throw new Error(`Prometheus never returned ${expression} as wanted; last answer: ${JSON.stringify(result)}`)
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
}

const children: ChildProcess[] = []
afterAll(() => children.forEach((child) => child.kill('SIGKILL')))

describe.runIf(present || process.env.CI)('Prometheus endpoint', () => {
  it('is scraped by a real Prometheus during a render: GPU gauges, queue by state, segments and step times', async () => {
    const env = testEnv({
      WAN_STUDIO_NVIDIA_SMI: join(__dirname, '..', 'fixtures', 'nvidia-smi', 'fake-nvidia-smi.mjs'),
      FAKE_NVIDIA_SMI_CASE: 'rtx4090',
      WAN_STUDIO_SYNTHETIC_SECONDS_PER_STEP: '0.3'
    })
    const studio = createTestStudio(env)
    try {
      const metricsUrl = await studio.serveMetrics('127.0.0.1', 0)
      const target = new URL(metricsUrl).host
      const dir = mkdtempSync(join(tmpdir(), 'wan-prometheus-'))
      writeFileSync(join(dir, 'prometheus.yml'), `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: wan-studio\n    static_configs:\n      - targets: ['${target}']\n`)
      const port = await freePort()
      const prometheus = spawn(PROMETHEUS, [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' })
      children.push(prometheus)
      const base = `http://127.0.0.1:${port}`

      const project = { ...newProject('metrics'), shots: [newShot('s', { prompt: 'a lighthouse', seconds: 6, seed: 1, engine: 'synthetic' })] }
      const queued = await studio.queueProject(project, { exportSpec: null })
      const queue = await studio.queue()
      const job = await queue.whenSettled(queued.shotJobs.s!)
      expect(job.result).toMatchObject({ kind: 'render-shot', telemetry: { samples: expect.any(Number), peakMemoryUsedMiB: expect.any(Number), problem: null } })

      const memory = await eventually(base, 'wan_gpu_memory_used_mib', (value) => value > 0)
      expect(memory.metric).toMatchObject({ gpu: '0', job: 'wan-studio' })
      await eventually(base, 'wan_gpu_memory_total_mib', (value) => value === 24564)
      await eventually(base, 'wan_queue_jobs{state="done"}', (value) => value === 1)
      await eventually(base, 'wan_segments_rendered_total{engine="synthetic"}', (value) => value === 2)
      await eventually(base, 'wan_seconds_per_step_count{engine="synthetic"}', (value) => value === 2)
    } finally {
      await studio.close()
    }
  }, 180_000)
})
