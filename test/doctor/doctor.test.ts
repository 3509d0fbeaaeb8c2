import { describe, expect, it } from 'vitest'
import { doctorReportSchema, type DoctorReport } from '../../src/shared/doctor'
import { doctor } from '../../src/main/doctor/doctor'
import { formatDoctorReport } from '../../src/main/doctor/report'
import { fakeEnv } from '../gpu/fakeNvidiaSmi'

async function doctorFor(fixture: string): Promise<DoctorReport> {
  const report = await doctor({ env: fakeEnv(fixture), timeoutMs: 1000 })
  // The exact shape the renderer and the CLI share.
  expect(doctorReportSchema.parse(report)).toEqual(report)
  return report
}

const summary = (report: DoctorReport) =>
  report.plan && [report.plan.gpuIndex, report.plan.model, report.plan.precision, report.plan.placement.experts, report.plan.segmentFrames].join(' ')

describe('doctor on recorded machines (128 GB RAM)', () => {
  it.each([
    ['h200', '0 t2v-a14b bf16 resident 81'],
    ['h100-sxm', '0 t2v-a14b bf16 swap 81'],
    ['a100-80gb', '0 t2v-a14b bf16 swap 81'],
    ['l40s', '0 t2v-a14b bf16 swap 81'],
    ['rtx5090', '0 t2v-a14b fp8 swap 81'],
    ['rtx4090', '0 t2v-a14b fp8 stream 81'],
    ['rtx3090', '0 t2v-a14b int8 stream 81'],
    ['rtx3060', '0 ti2v-5b int8 stream 81'],
    ['t4', '0 ti2v-5b fp16 stream 81'],
    ['v100-driver-470', '0 ti2v-5b fp16 stream 81'],
    ['a100-40gb-mig', '0 ti2v-5b int8 stream 81'],
    ['two-gpus', '1 t2v-a14b fp8 stream 81']
  ])('%s: %s', async (fixture, expected) => {
    const report = await doctorFor(fixture)
    expect(report).toMatchObject({ error: null, refusal: null, ramTotalMiB: 128 * 1024 })
    expect(summary(report)).toBe(expected)
    expect(report.report.gpuIndex).toBe(report.plan!.gpuIndex)
  })

  it('refuses an 8 GB card, with verdicts that say why', async () => {
    const report = await doctorFor('rtx3070-8gb')
    expect(report.plan).toBeNull()
    expect(report.refusal).toMatch(/has 8\.0 GiB of memory; the real engine needs at least 10\.0 GiB/)
    expect(report.report.verdicts.map((verdict) => verdict.verdict)).toEqual(['wont-fit', 'wont-fit', 'wont-fit'])
  })

  it('refuses a GPU whose memory nvidia-smi does not report', async () => {
    const report = await doctorFor('gb10-unreported-memory')
    expect(report.plan).toBeNull()
    expect(report.refusal).toMatch(/doesn't report its memory/)
    expect(report.report.gpuIndex).toBeNull()
  })

  it.each(['driver-not-loaded', 'hang'])('turns a broken nvidia-smi (%s) into an error, not a throw', async (fixture) => {
    const report = await doctorFor(fixture)
    expect(report).toMatchObject({ gpus: [], plan: null, driverVersion: null, report: { gpuIndex: null } })
    expect(report.error).not.toBeNull()
    expect(report.refusal).toMatch(/^Can't read the GPUs \(nvidia-smi .*\), so the real engine can't run\. The synthetic engine still works\.$/)
  })

  it('warns about the old driver, missing bf16 tensor cores, a slow link and CUDA 11', async () => {
    const report = await doctorFor('v100-driver-470')
    expect(report.warnings).toEqual([
      "Driver 470.223.02 doesn't report compute_cap (an older driver); compute capability comes from the known-GPU table.",
      expect.stringMatching(/compute capability 7\.0 has no bf16 tensor cores/),
      expect.stringMatching(/tops out at PCIe 3\.0 x16, below 4\.0 x16/),
      "The driver supports CUDA 11.4; the engine's PyTorch needs a driver for CUDA 12 or newer (R525+)."
    ])
  })

  it('prints a readable report for the CLI', async () => {
    const text = formatDoctorReport(await doctorFor('two-gpus'))
    expect(text).toContain('GPU 1: NVIDIA GeForce RTX 4090 (GPU-c3e8f0a2-7d16-b4e9-1a53-9f6d2b8c0e47)')
    expect(text).toContain('  PCIe (max)    4.0 x8')
    expect(text).toContain('Driver 550.107.02, CUDA 12.4')
    expect(text).toContain('Models on GPU 1:')
    expect(text).toMatch(/Plan \(GPU 1, 1280x720, 16 fps, quality mode\): T2V-A14B, fp8, streamed, umT5 on the GPU, whole-frame VAE, 81-frame segments/)
    expect(text).toContain('  speed levers: attention sdpa, no compilation')
    expect(text).toMatch(/- GPU 1 \(NVIDIA GeForce RTX 4090\) has the most free memory of the 2 GPUs/)
  })
})
