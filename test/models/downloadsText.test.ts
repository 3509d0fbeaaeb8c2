// The weights download panel's words and buttons (src/renderer/src/components/weightDownloadText.ts).
import { describe, expect, it } from 'vitest'
import type { DownloadStatus } from '../../src/shared/modelDownloads'
import { downloadActions, downloadFraction, fileLine, progressLine, sizeLine } from '../../src/renderer/src/components/weightDownloadText'

const GIB = 2 ** 30

const base: DownloadStatus = {
  id: 'ti2v-5b',
  label: 'Wan2.2 TI2V 5B',
  repo: 'Wan-AI/Wan2.2-TI2V-5B-Diffusers',
  state: 'downloading',
  targetDir: '/models/Wan2.2-TI2V-5B-Diffusers',
  totalBytes: 30 * GIB,
  neededBytes: 20 * GIB,
  freeBytes: 100 * GIB,
  doneBytes: 15 * GIB,
  file: { path: 'transformer/diffusion_pytorch_model-00001-of-00003.safetensors', done: 2 * GIB, total: 9 * GIB },
  bytesPerSecond: 50 * 2 ** 20,
  secondsLeft: 300,
  checkedBytes: null,
  error: null,
  problems: {},
  verified: false
}

describe('weight download text', () => {
  it('says the size, what is still to fetch and the free space', () => {
    expect(sizeLine(base)).toBe('30.0 GiB in all · 20.0 GiB still to fetch · 100.0 GiB free')
    expect(sizeLine({ ...base, totalBytes: null })).toBeNull()
  })

  it('shows bytes, speed and time left while downloading, the file being fetched, and the check after', () => {
    expect(progressLine(base)).toBe('15.0 GiB of 30.0 GiB · 50 MiB/s · about 5 min left')
    expect(fileLine(base)).toBe('transformer/diffusion_pytorch_model-00001-of-00003.safetensors: 2.0 GiB of 9.0 GiB')
    expect(downloadFraction(base)).toBe(0.5)
    const checking = { ...base, state: 'checking' as const, checkedBytes: 3 * GIB }
    expect(progressLine(checking)).toBe('Checking the files against the hub: 3.0 GiB of 30.0 GiB read')
    expect(downloadFraction(checking)).toBeCloseTo(0.1)
    expect(fileLine(checking)).toBeNull()
  })

  it('offers the buttons each state allows and says how a download ended', () => {
    expect(downloadActions('downloading')).toEqual(['pause', 'cancel'])
    expect(downloadActions('paused')).toEqual(['resume', 'cancel'])
    expect(downloadActions('failed')).toEqual(['start'])
    expect(downloadActions('complete')).toEqual([])
    const failed = { ...base, state: 'failed' as const, error: { code: 'no-space', message: 'needs 20 more bytes, and only 10 bytes are free' } }
    expect(progressLine(failed)).toBe('needs 20 more bytes, and only 10 bytes are free')
    expect(progressLine({ ...base, state: 'complete' })).toMatch(/checked/)
  })
})
