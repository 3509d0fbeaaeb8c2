// `wan-studio doctor --json` replaying recorded nvidia-smi outputs through WAN_STUDIO_NVIDIA_SMI.
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { doctorReportSchema } from '../../src/shared/doctor'
import { repoRoot, testEnv } from '../helpers/studio'

const bin = join(repoRoot, 'bin', 'wan-studio.cjs')
const fakeSmi = join(repoRoot, 'test', 'fixtures', 'nvidia-smi', 'fake-nvidia-smi.mjs')

function doctorJson(fixture: string) {
  const env = testEnv({ WAN_STUDIO_NVIDIA_SMI: fakeSmi, FAKE_NVIDIA_SMI_CASE: fixture, WAN_STUDIO_RAM_MIB: String(128 * 1024) })
  const started = Date.now()
  return new Promise<{ code: number; report: ReturnType<typeof doctorReportSchema.parse>; seconds: number }>((resolve, reject) => {
    execFile(process.execPath, [bin, 'doctor', '--json'], { env, timeout: 30_000 }, (error, stdout, stderr) => {
      try {
        resolve({ code: error ? Number(error.code) : 0, report: doctorReportSchema.parse(JSON.parse(stdout)), seconds: (Date.now() - started) / 1000 })
      } catch (parseError) {
        reject(new Error(`${String(parseError)}\n${stderr}`))
      }
    })
  })
}

describe('wan-studio doctor --json', () => {
  it.each([
    ['h200', 't2v-a14b', 'bf16'],
    ['h100-sxm', 't2v-a14b', 'bf16'],
    ['l40s', 't2v-a14b', 'bf16'],
    ['rtx4090', 't2v-a14b', 'fp8'],
    ['rtx3090', 't2v-a14b', 'int8'],
    ['rtx3060', 'ti2v-5b', 'int8']
  ])('%s: plans %s in %s', async (fixture, model, precision) => {
    const { code, report } = await doctorJson(fixture)
    expect(code).toBe(0)
    expect(report.error).toBeNull()
    expect(report.plan).toMatchObject({ model, precision })
    // L40S (48 GB) fits the experts without streaming blocks from RAM.
    if (fixture === 'l40s') expect(report.plan!.placement.experts).not.toBe('stream')
  })

  it.each(['rtx3070-8gb', 'no-devices', 'driver-not-loaded', 'hang', 'hang-holding-pipe'])('%s: a refusal with its reason, within a few seconds', async (fixture) => {
    const { code, report, seconds } = await doctorJson(fixture)
    expect(code).toBe(0)
    expect(report.plan).toBeNull()
    expect(report.refusal).toMatch(/\w+/)
    expect(seconds).toBeLessThan(10)
  })

  it('plans on the GPU with the most free memory', async () => {
    const { report } = await doctorJson('two-gpus')
    expect(report.gpus).toHaveLength(2)
    expect(report.plan?.gpuIndex).toBe(1)
  })
})
