import type { Plan } from '../../shared/plan'

/**
 * How the sidecar must be started and addressed to run a plan on its GPU. A MIG slice can only be
 * reached through CUDA_VISIBLE_DEVICES=<its UUID>, where it becomes CUDA device 0; whole GPUs are
 * addressed by index (the sidecar orders CUDA devices by PCI bus, as nvidia-smi does).
 */
export function gpuSelection(plan: Plan): { cudaVisibleDevices: string | null; plan: Plan } {
  if (plan.gpuUuid?.startsWith('MIG-')) return { cudaVisibleDevices: plan.gpuUuid, plan: { ...plan, gpuIndex: 0 } }
  return { cudaVisibleDevices: null, plan }
}
