// The probe against recorded nvidia-smi outputs, replayed by a fake nvidia-smi through
// WAN_STUDIO_NVIDIA_SMI (test/fixtures/nvidia-smi/fake-nvidia-smi.mjs).
import { describe, expect, it } from 'vitest'
import { probeGpus, probeRam } from '../../src/main/gpu/probe'
import { fakeEnv } from './fakeNvidiaSmi'

describe('probeGpus with recorded outputs', () => {
  it.each([
    ['h200', 'NVIDIA H200', 143771, 143179, '9.0', 5, 16, '570.124.06', '12.8'],
    ['h100-sxm', 'NVIDIA H100 80GB HBM3', 81559, 81004, '9.0', 5, 16, '550.54.15', '12.4'],
    ['a100-80gb', 'NVIDIA A100-SXM4-80GB', 81920, 81050, '8.0', 4, 16, '535.183.01', '12.2'],
    ['l40s', 'NVIDIA L40S', 46068, 45485, '8.9', 4, 16, '550.90.07', '12.4'],
    ['rtx5090', 'NVIDIA GeForce RTX 5090', 32607, 31927, '12.0', 5, 16, '575.57.08', '12.9'],
    ['rtx4090', 'NVIDIA GeForce RTX 4090', 24564, 23563, '8.9', 4, 16, '560.35.03', '12.6'],
    ['rtx3090', 'NVIDIA GeForce RTX 3090', 24576, 24231, '8.6', 4, 16, '535.183.01', '12.2'],
    ['rtx3060', 'NVIDIA GeForce RTX 3060', 12288, 11824, '8.6', 4, 16, '550.120', '12.4'],
    ['rtx3070-8gb', 'NVIDIA GeForce RTX 3070', 8192, 7793, '8.6', 4, 16, '545.29.06', '12.3'],
    ['t4', 'Tesla T4', 15360, 14913, '7.5', 3, 16, '535.161.07', '12.2'],
    ['v100-driver-470', 'Tesla V100-SXM2-16GB', 16160, 16157, '7.0', 3, 16, '470.223.02', '11.4']
  ] as const)('%s', async (fixture, name, memoryTotalMiB, memoryFreeMiB, computeCapability, pcieGenMax, pcieWidthMax, driverVersion, cudaVersion) => {
    const probe = await probeGpus({ env: fakeEnv(fixture) })
    expect(probe.error).toBeNull()
    expect(probe).toMatchObject({ driverVersion, cudaVersion })
    expect(probe.gpus).toEqual([
      expect.objectContaining({ index: 0, name, memoryTotalMiB, memoryFreeMiB, computeCapability, pcieGenMax, pcieWidthMax, migEnabled: false, migDevices: [] })
    ])
    expect(probe.gpus[0]!.uuid).toMatch(/^GPU-[0-9a-f-]{36}$/)
    expect(probe.gpus[0]!.knownAs).not.toBeNull()
  })

  it('retries without the field an old driver rejects, and takes compute capability from the table', async () => {
    const probe = await probeGpus({ env: fakeEnv('v100-driver-470') })
    expect(probe.gpus[0]).toMatchObject({ computeCapability: '7.0', knownAs: 'V100', memoryBandwidthGBps: 900 })
    expect(probe.warnings).toEqual(["Driver 470.223.02 doesn't report compute_cap (an older driver); compute capability comes from the known-GPU table."])
  })

  it('reads several GPUs, with their own links', async () => {
    const probe = await probeGpus({ env: fakeEnv('two-gpus') })
    expect(probe.gpus.map((gpu) => [gpu.index, gpu.name, gpu.memoryFreeMiB, gpu.pcieWidthMax])).toEqual([
      [0, 'NVIDIA GeForce RTX 3060', 10950, 8],
      [1, 'NVIDIA GeForce RTX 4090', 24080, 8]
    ])
  })

  it('lists MIG slices of a GPU in MIG mode', async () => {
    const probe = await probeGpus({ env: fakeEnv('a100-40gb-mig') })
    expect(probe.gpus[0]).toMatchObject({
      migEnabled: true,
      migDevices: [
        { uuid: 'MIG-c6d4f1ef-42e4-5de3-91c7-45d71c87eb3f', profile: '3g.20gb', memoryMiB: 19073 },
        { uuid: 'MIG-cba663e8-9bed-5b7e-b9fc-4b3f0f4c8a35', profile: '3g.20gb', memoryMiB: 19073 }
      ]
    })
  })

  it('keeps [N/A] and [Not Supported] values as null', async () => {
    const probe = await probeGpus({ env: fakeEnv('gb10-unreported-memory') })
    expect(probe.gpus[0]).toMatchObject({ name: 'NVIDIA GB10', memoryTotalMiB: null, memoryFreeMiB: null, computeCapability: '12.1', pcieGenMax: null, knownAs: null })
    expect(probe.cudaVersion).toBe('13.0')
  })

  it('reports lines that are not GPU rows as warnings', async () => {
    const probe = await probeGpus({ env: fakeEnv('rtx3090') })
    expect(probe.warnings).toEqual(['nvidia-smi printed: WARNING: infoROM is corrupted at gpu 0000:0A:00.0'])
  })
})

describe('probeGpus when nvidia-smi fails', () => {
  it('says the driver is not loaded (exit 9)', async () => {
    const probe = await probeGpus({ env: fakeEnv('driver-not-loaded') })
    expect(probe).toMatchObject({ gpus: [], driverVersion: null, cudaVersion: null })
    expect(probe.error).toBe(
      "nvidia-smi failed (exit 9): NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running."
    )
  })

  it('says when there are no devices', async () => {
    expect((await probeGpus({ env: fakeEnv('no-devices') })).error).toBe('nvidia-smi failed (exit 6): No devices were found')
  })

  it('says when there is no nvidia-smi at all', async () => {
    const missing = await probeGpus({ env: { ...fakeEnv('h200'), WAN_STUDIO_NVIDIA_SMI: '/nonexistent/nvidia-smi' } })
    expect(missing.error).toBe("WAN_STUDIO_NVIDIA_SMI is set to /nonexistent/nvidia-smi, which doesn't exist")
    const notOnPath = await probeGpus({ env: { PATH: '/nonexistent' } })
    expect(notOnPath.error).toMatch(/^nvidia-smi is not on PATH/)
  })

  it.each(['hang', 'hang-holding-pipe'])('gives up on a %s within the timeout', async (fixture) => {
    const started = Date.now()
    const probe = await probeGpus({ env: fakeEnv(fixture), timeoutMs: 1000 })
    expect(Date.now() - started).toBeLessThan(3000)
    expect(probe.error).toBe("nvidia-smi didn't answer within 1 s and was stopped: the driver or a GPU is hung")
  })

  it('rejects with the abort reason when cancelled', async () => {
    const controller = new AbortController()
    const started = Date.now()
    setTimeout(() => controller.abort(new Error('user cancelled')), 100)
    await expect(probeGpus({ env: fakeEnv('hang'), signal: controller.signal })).rejects.toThrow('user cancelled')
    expect(Date.now() - started).toBeLessThan(2000)
  })
})

describe('probeRam', () => {
  it('reads the OS, and WAN_STUDIO_RAM_MIB overrides the total', () => {
    expect(probeRam({}).ramTotalMiB).toBeGreaterThan(0)
    expect(probeRam({ WAN_STUDIO_RAM_MIB: '131072' })).toMatchObject({ ramTotalMiB: 131072, warnings: [] })
    expect(probeRam({ WAN_STUDIO_RAM_MIB: 'lots' }).warnings).toEqual(['WAN_STUDIO_RAM_MIB=lots is not a positive number of MiB; using the OS figure'])
  })
})
