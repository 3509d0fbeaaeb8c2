import { fileURLToPath } from 'node:url'

export const FAKE_NVIDIA_SMI = fileURLToPath(new URL('../fixtures/nvidia-smi/fake-nvidia-smi.mjs', import.meta.url))

/** An environment whose nvidia-smi replays the recorded case `fixture`, on a 128 GB machine. */
export function fakeEnv(fixture: string): NodeJS.ProcessEnv {
  return { ...process.env, WAN_STUDIO_NVIDIA_SMI: FAKE_NVIDIA_SMI, FAKE_NVIDIA_SMI_CASE: fixture, WAN_STUDIO_RAM_MIB: String(128 * 1024) }
}
