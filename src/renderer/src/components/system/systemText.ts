// Words and numbers the System report's parts share.
import type { ModelVerdict } from '../../../../shared/doctor'
import type { Plan } from '../../../../shared/plan'

export const modelText: Record<Plan['model'], string> = { 't2v-a14b': 'Wan2.2 T2V-A14B', 'ti2v-5b': 'Wan2.2 TI2V-5B' }
export const precisionText: Record<Plan['precision'], string> = { bf16: 'bf16', fp16: 'fp16', fp8: 'fp8 weights', int8: 'int8 weights' }
export const expertsText: Record<Plan['placement']['experts'], string> = {
  resident: 'all on the GPU',
  swap: 'active expert on the GPU, the other in RAM',
  stream: 'blocks streamed from RAM'
}
export const verdictText: Record<ModelVerdict['verdict'], string> = { ok: 'runs', slow: 'slow', 'wont-fit': 'won’t fit' }

export function percentOf(part: number | null, whole: number | null): number | null {
  if (part === null || whole === null || whole <= 0) return null
  return Math.round((part / whole) * 100)
}
