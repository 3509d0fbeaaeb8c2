import { describe, expect, it } from 'vitest'
import { SLOW_AFTER_SECONDS, hardwareWarnings, modelVerdicts } from '../../src/main/doctor/report'
import { CARDS, RAM_128_GB, gpu } from '../planner/hardware'

const verdictsOf = (card: keyof typeof CARDS) =>
  Object.fromEntries(modelVerdicts([CARDS[card]], RAM_128_GB).map((verdict) => [verdict.job, verdict.verdict]))

describe('model verdicts', () => {
  it.each([
    ['h200', 'ok', 'ok', 'ok'],
    ['h100', 'ok', 'ok', 'ok'],
    ['a100', 'slow', 'ok', 'ok'],
    ['rtx4090', 'slow', 'ok', 'ok'],
    ['rtx3060', 'slow', 'slow', 'slow'],
    ['rtx3070', 'wont-fit', 'wont-fit', 'wont-fit']
  ] as const)('%s: A14B 720p %s, A14B 480p %s, 5B %s', (card, a14b720, a14b480, ti2v) => {
    expect(verdictsOf(card)).toEqual({ 'a14b-720p': a14b720, 'a14b-480p': a14b480, 'ti2v-5b-720p': ti2v })
  })

  it('says how long a clip takes and how it runs', () => {
    const [a14b720] = modelVerdicts([CARDS.rtx4090], RAM_128_GB)
    expect(a14b720!.secondsPerClip).toBeGreaterThan(SLOW_AFTER_SECONDS)
    expect(a14b720!.sentence).toMatch(/^Slow: about 1 h \d+ min per clip as T2V-A14B, fp8, streamed, umT5 on the GPU, whole-frame VAE, 81-frame segments\.$/)
  })
})

describe('hardware warnings', () => {
  it('is quiet about a healthy machine', () => {
    expect(hardwareWarnings([CARDS.h100], '12.4')).toEqual([])
  })

  it('judges PCIe by the link maximum, below 4.0 x16', () => {
    const gen3 = gpu({ name: 'NVIDIA GeForce RTX 3090', totalMiB: 24576, freeMiB: 24000, computeCapability: '8.6', pcieGen: 3 })
    const x8 = gpu({ name: 'NVIDIA GeForce RTX 4090', totalMiB: 24564, freeMiB: 24000, computeCapability: '8.9', pcieWidth: 8 })
    expect(hardwareWarnings([gen3], '12.4')).toEqual([expect.stringMatching(/PCIe 3\.0 x16, below 4\.0 x16/)])
    expect(hardwareWarnings([x8], '12.4')).toEqual([expect.stringMatching(/PCIe 4\.0 x8, below 4\.0 x16/)])
  })

  it('warns about MIG, unknown GPUs and unknown compute capability', () => {
    const mig = { ...CARDS.a100, migEnabled: true, migDevices: [{ uuid: 'MIG-1', profile: '3g.40gb', memoryMiB: 38146 }] }
    expect(hardwareWarnings([mig], '12.2')).toEqual([expect.stringMatching(/is in MIG mode: CUDA sees only one slice of it \(slices: 3g\.40gb MIG-1\)/)])
    const mystery = { ...gpu({ name: 'NVIDIA Mystery', totalMiB: 24000, freeMiB: 23000, computeCapability: '8.6' }), computeCapability: null }
    expect(hardwareWarnings([mystery], '12.4')).toEqual([
      'GPU 0 (NVIDIA Mystery): compute capability unknown (not reported, not in the known-GPU table).',
      "GPU 0 (NVIDIA Mystery) isn't in the known-GPU table and doesn't report its compute capability: its speed is a modest guess."
    ])
    const estimated = gpu({ name: 'NVIDIA GH200 480GB', totalMiB: 97871, freeMiB: 97000, computeCapability: '9.0' })
    expect(hardwareWarnings([estimated], '12.4')).toEqual([
      "GPU 0 (NVIDIA GH200 480GB) isn't in the known-GPU table: its speed is estimated from a typical card of its architecture and memory."
    ])
  })
})
