import { describe, expect, it } from 'vitest'
import { KNOWN_GPUS, findKnownGpu, normalizeGpuName } from '../../src/shared/knownGpus'
import { QUERY_FIELDS, parseMigListing, parseQueryOutput, parseTableHeader, rejectedField, toDoctorGpu } from '../../src/main/gpu/nvidiaSmi'

describe('parseQueryOutput', () => {
  it('reads rows, turns [N/A] and [Not Supported] into null, and sets other lines aside', () => {
    const csv = [
      'WARNING: infoROM is corrupted at gpu 0000:0A:00.0',
      '0, GPU-aa, NVIDIA GeForce RTX 3090, 24576, 24231, 8.6, 4, 16, [N/A], 535.183.01',
      '1, GPU-bb, NVIDIA GB10, [N/A], [N/A], 12.1, [Not Supported], [Not Supported], [N/A], 580.95.05',
      ''
    ].join('\n')
    const { rows, otherLines } = parseQueryOutput(csv, QUERY_FIELDS)
    expect(otherLines).toEqual(['WARNING: infoROM is corrupted at gpu 0000:0A:00.0'])
    expect(rows).toEqual([
      { index: '0', uuid: 'GPU-aa', name: 'NVIDIA GeForce RTX 3090', 'memory.total': '24576', 'memory.free': '24231', compute_cap: '8.6', 'pcie.link.gen.max': '4', 'pcie.link.width.max': '16', 'mig.mode.current': null, driver_version: '535.183.01' },
      { index: '1', uuid: 'GPU-bb', name: 'NVIDIA GB10', 'memory.total': null, 'memory.free': null, compute_cap: '12.1', 'pcie.link.gen.max': null, 'pcie.link.width.max': null, 'mig.mode.current': null, driver_version: '580.95.05' }
    ])
  })

  it('reads the fields it asked for, in that order, after a retry without one', () => {
    const fields = QUERY_FIELDS.filter((field) => field !== 'compute_cap')
    const { rows } = parseQueryOutput('0, GPU-cc, Tesla V100-SXM2-16GB, 16160, 16157, 3, 16, Disabled, 470.223.02\n', fields)
    expect(rows[0]).toMatchObject({ name: 'Tesla V100-SXM2-16GB', 'pcie.link.gen.max': '3', 'mig.mode.current': 'Disabled' })
    expect(rows[0]).not.toHaveProperty('compute_cap')
  })
})

describe('nvidia-smi text', () => {
  it('finds the field an old driver rejects', () => {
    expect(rejectedField('Field "compute_cap" is not a valid field to query.\n\n')).toBe('compute_cap')
    expect(rejectedField('NVIDIA-SMI has failed because it couldn\'t communicate with the NVIDIA driver.')).toBeNull()
  })

  it('reads driver and CUDA versions from every header style', () => {
    expect(parseTableHeader('| NVIDIA-SMI 470.223.02   Driver Version: 470.223.02   CUDA Version: 11.4     |')).toEqual({ driverVersion: '470.223.02', cudaVersion: '11.4' })
    expect(parseTableHeader('| NVIDIA-SMI 580.95.05             Driver Version: 580.95.05      CUDA Version: 13.0    |')).toEqual({ driverVersion: '580.95.05', cudaVersion: '13.0' })
    expect(parseTableHeader('No devices were found')).toEqual({ driverVersion: null, cudaVersion: null })
  })

  it('lists MIG slices under their GPU, with memory from the profile', () => {
    const listing = [
      'GPU 0: NVIDIA A100-SXM4-40GB (UUID: GPU-5d5b)',
      '  MIG 3g.20gb     Device  0: (UUID: MIG-c6d4)',
      '  MIG 1g.5gb      Device  1: (UUID: MIG-cba6)',
      'GPU 1: NVIDIA A100-SXM4-40GB (UUID: GPU-77aa)'
    ].join('\n')
    expect(parseMigListing(listing)).toEqual(
      new Map([
        [
          0,
          [
            { uuid: 'MIG-c6d4', profile: '3g.20gb', memoryMiB: 19073 },
            { uuid: 'MIG-cba6', profile: '1g.5gb', memoryMiB: 4768 }
          ]
        ]
      ])
    )
  })

  it('fills compute capability and speed from the table when the driver is silent', () => {
    const row = { index: '0', uuid: 'GPU-1', name: 'Tesla V100-SXM2-16GB', 'memory.total': '16160', 'memory.free': '16157', 'mig.mode.current': 'Disabled' }
    expect(toDoctorGpu(row, [])).toMatchObject({ computeCapability: '7.0', knownAs: 'V100', memoryBandwidthGBps: 900, pcieGenMax: null, migEnabled: false })
  })
})

describe('known GPUs', () => {
  it.each([
    ['NVIDIA H200', 143771, 'h200'],
    ['NVIDIA H100 80GB HBM3', 81559, 'h100-sxm'],
    ['NVIDIA H100 PCIe', 81559, 'h100-pcie'],
    ['NVIDIA A100-SXM4-80GB', 81920, 'a100-80gb-sxm'],
    ['NVIDIA A100 80GB PCIe', 81920, 'a100-80gb-pcie'],
    ['NVIDIA A100-PCIE-40GB', 40960, 'a100-40gb'],
    ['NVIDIA A10', 23028, 'a10'],
    ['NVIDIA RTX A6000', 49140, 'rtx-a6000'],
    ['NVIDIA RTX 6000 Ada Generation', 49140, 'rtx-6000-ada'],
    ['NVIDIA L40S', 46068, 'l40s'],
    ['NVIDIA L4', 23034, 'l4'],
    ['NVIDIA GeForce RTX 5090', 32607, 'rtx-5090'],
    ['NVIDIA GeForce RTX 4090', 24564, 'rtx-4090'],
    ['NVIDIA GeForce RTX 4080', 16376, 'rtx-4080'],
    ['NVIDIA GeForce RTX 4070 Ti', 12282, 'rtx-4070-ti'],
    ['NVIDIA GeForce RTX 4060 Ti', 16380, 'rtx-4060-ti'],
    ['NVIDIA GeForce RTX 3090', 24576, 'rtx-3090'],
    ['GeForce RTX 3090', 24268, 'rtx-3090'],
    ['NVIDIA GeForce RTX 3080', 10240, 'rtx-3080'],
    ['NVIDIA GeForce RTX 3080', 12288, 'rtx-3080-12gb'],
    ['NVIDIA GeForce RTX 3060', 12288, 'rtx-3060'],
    ['NVIDIA GeForce RTX 3060', 8192, 'rtx-3060-8gb'],
    ['NVIDIA GeForce RTX 2080 Ti', 11264, 'rtx-2080-ti'],
    ['Tesla T4', 15360, 't4'],
    ['Tesla V100-SXM2-16GB', 16160, 'v100'],
    ['Tesla V100S-PCIE-32GB', 32768, 'v100s']
  ])('%s (%i MiB) is %s', (name, memory, id) => {
    expect(findKnownGpu(name, memory)?.id).toBe(id)
  })

  it.each(['NVIDIA GeForce RTX 3060 Ti', 'NVIDIA GeForce RTX 4090 Laptop GPU', 'NVIDIA GeForce RTX 4070 Ti SUPER', 'NVIDIA GB10', 'NVIDIA A10G'])(
    "doesn't mistake %s for a neighbour",
    (name) => expect(findKnownGpu(name, 12288)).toBeNull()
  )

  it('normalizes names the way the patterns expect', () => {
    expect(normalizeGpuName('Tesla V100-SXM2-16GB')).toBe('v100 sxm2 16gb')
    expect(normalizeGpuName('NVIDIA GeForce RTX 4070 Ti SUPER')).toBe('rtx 4070 ti super')
  })

  it('gives every entry a plausible compute capability, bandwidth and rate, with a source', () => {
    for (const gpu of KNOWN_GPUS) {
      expect(gpu.computeCapability, gpu.id).toMatch(/^\d+\.\d$/)
      expect(gpu.memoryBandwidthGBps, gpu.id).toBeGreaterThan(200)
      expect(gpu.bf16Tflops, gpu.id).toBeGreaterThan(5)
      expect(gpu.source.length, gpu.id).toBeGreaterThan(10)
    }
    expect(new Set(KNOWN_GPUS.map((gpu) => gpu.id)).size).toBe(KNOWN_GPUS.length)
  })
})
