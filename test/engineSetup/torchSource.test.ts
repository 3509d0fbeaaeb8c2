// Which torch build the set-up installs, by platform and the driver's CUDA version.
import { describe, expect, it } from 'vitest'
import { chooseTorchSource, cudaBuildFor } from '../../src/main/engineSetup/torchSource'

describe('torch source', () => {
  it('picks the newest CUDA build the driver can run', () => {
    expect(cudaBuildFor('13.1')).toBe('13.0')
    expect(cudaBuildFor('12.9')).toBe('12.8')
    expect(cudaBuildFor('12.6')).toBe('12.6')
    expect(cudaBuildFor('12.4')).toBeNull()
  })

  it('uses PyPI on Linux when the driver runs its CUDA 13.0 build, the PyTorch index when it is older', () => {
    expect(chooseTorchSource('linux', '13.0', null).indexUrl).toBeNull()
    expect(chooseTorchSource('linux', '12.8', null).indexUrl).toBe('https://download.pytorch.org/whl/cu128')
    expect(chooseTorchSource('linux', null, null)).toMatchObject({ indexUrl: null, reason: expect.stringMatching(/no NVIDIA driver found/) })
  })

  it('uses the PyTorch index for the driver’s CUDA version on Windows (PyPI’s torch is CPU-only there)', () => {
    expect(chooseTorchSource('win32', '12.6', null).indexUrl).toBe('https://download.pytorch.org/whl/cu126')
    expect(chooseTorchSource('win32', '13.2', null).indexUrl).toBe('https://download.pytorch.org/whl/cu130')
    expect(chooseTorchSource('win32', '11.8', null)).toMatchObject({ indexUrl: null, reason: expect.stringMatching(/update the NVIDIA driver/) })
    expect(chooseTorchSource('win32', null, null)).toMatchObject({ indexUrl: null, reason: expect.stringMatching(/CPU-only build/) })
  })

  it('takes --torch-index over any choice, and PyPI on macOS', () => {
    expect(chooseTorchSource('win32', '12.8', 'https://download.pytorch.org/whl/cpu').indexUrl).toBe('https://download.pytorch.org/whl/cpu')
    expect(chooseTorchSource('darwin', null, null).indexUrl).toBeNull()
  })
})
