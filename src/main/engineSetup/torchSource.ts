// Where torch comes from, by platform and the CUDA version the driver supports (nvidia-smi's header).
// PyPI's torch 2.15.0 is the CUDA 13.0 build on Linux x86_64 and CPU-only on Windows and macOS; the
// PyTorch index (https://download.pytorch.org/whl/cu<tag>) has a build per CUDA version. A build needs
// a driver whose CUDA version is at least the build's.

export const PYTORCH_INDEX = 'https://download.pytorch.org/whl'
/** CUDA builds published for the pinned torch (resources/sidecar/requirements/engine.txt); check them when the pin moves. */
export const TORCH_CUDA_BUILDS = ['12.6', '12.8', '13.0'] as const
/** The CUDA version of PyPI's Linux torch. */
export const PYPI_LINUX_CUDA = '13.0'

export type TorchSource = {
  /** Extra index for torch, or null for PyPI alone. */
  indexUrl: string | null
  /** One line for the log saying what was chosen and why. */
  reason: string
}

function versionAtLeast(version: string, minimum: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number)
  const [minMajor = 0, minMinor = 0] = minimum.split('.').map(Number)
  return major > minMajor || (major === minMajor && minor >= minMinor)
}

/** The newest build the driver can run, or null when it is older than all of them. */
export function cudaBuildFor(driverCuda: string): string | null {
  return [...TORCH_CUDA_BUILDS].reverse().find((build) => versionAtLeast(driverCuda, build)) ?? null
}

export function indexUrlFor(build: string): string {
  return `${PYTORCH_INDEX}/cu${build.replace('.', '')}`
}

export function chooseTorchSource(platform: NodeJS.Platform, driverCuda: string | null, explicitIndex: string | null): TorchSource {
  if (explicitIndex) return { indexUrl: explicitIndex, reason: `torch from ${explicitIndex} (--torch-index)` }
  if (platform === 'darwin') return { indexUrl: null, reason: 'macOS: torch from PyPI (no CUDA; the diffusers engine will run on the CPU or MPS)' }
  if (driverCuda === null) {
    return {
      indexUrl: null,
      reason:
        platform === 'linux'
          ? 'no NVIDIA driver found (nvidia-smi missing or silent): torch from PyPI, the CUDA build, whose CUDA libraries stay unused until a GPU is present'
          : 'no NVIDIA driver found (nvidia-smi missing or silent): torch from PyPI, the CPU-only build'
    }
  }
  if (platform === 'linux' && versionAtLeast(driverCuda, PYPI_LINUX_CUDA)) {
    return { indexUrl: null, reason: `driver supports CUDA ${driverCuda}: torch from PyPI (built for CUDA ${PYPI_LINUX_CUDA})` }
  }
  const build = cudaBuildFor(driverCuda)
  if (build === null) {
    return {
      indexUrl: null,
      reason: `driver supports only CUDA ${driverCuda}, older than every torch build (CUDA ${TORCH_CUDA_BUILDS[0]}+): torch from PyPI; update the NVIDIA driver to render on the GPU`
    }
  }
  return { indexUrl: indexUrlFor(build), reason: `driver supports CUDA ${driverCuda}: torch built for CUDA ${build} from ${indexUrlFor(build)}` }
}
