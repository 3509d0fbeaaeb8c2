// The prompt helper models as the planner needs them. The list mirrors the sidecar's catalogue
// (resources/sidecar/wan_sidecar/prompting/catalog.py; test/planner/promptHelperPlan.test.ts checks
// they agree); the shapes are each model's config.json on huggingface.co (Qwen/Qwen2.5-3B-Instruct,
// Qwen/Qwen2.5-1.5B-Instruct), the same numbers benchmarks/bench_prompt_helper.py builds.

export type HelperModelShape = {
  id: string
  repo: string
  /** From the model card (3.09 B, 1.54 B). */
  parametersBillions: number
  /** The sidecar's default helper model. */
  default: boolean
  layers: number
  intermediateSize: number
  keyValueHeads: number
  headDim: number
}

export const HELPER_MODEL_SHAPES: readonly HelperModelShape[] = [
  // hidden 2048, 16 attention heads of 128, 2 key-value heads
  { id: 'qwen2.5-3b-instruct', repo: 'Qwen/Qwen2.5-3B-Instruct', parametersBillions: 3.09, default: true, layers: 36, intermediateSize: 11008, keyValueHeads: 2, headDim: 128 },
  // hidden 1536, 12 attention heads of 128, 2 key-value heads
  { id: 'qwen2.5-1.5b-instruct', repo: 'Qwen/Qwen2.5-1.5B-Instruct', parametersBillions: 1.54, default: false, layers: 28, intermediateSize: 8960, keyValueHeads: 2, headDim: 128 }
]

/** bf16: the sidecar loads the weights in bf16 on either device (PROMPTING.md). */
export const HELPER_BYTES_PER_PARAM = 2

/**
 * The longest exchange the memory is planned for: Wan2.2's extension instruction (~1,300 tokens,
 * docs/prompting.md), the longest prompt the sidecar takes (4,000 characters, at most about one
 * token each) and the default answer (512 new tokens).
 */
export const HELPER_CONTEXT_TOKENS = 1300 + 4000 + 512

/** Key and value, per layer, per key-value head, bf16: 36 KiB a token for the 3B. */
export function kvCacheBytesPerToken(shape: HelperModelShape): number {
  return 2 * shape.layers * shape.keyValueHeads * shape.headDim * HELPER_BYTES_PER_PARAM
}

/** The prefill's largest temporaries: the MLP's gate, up and their product over every token, bf16. */
export function prefillWorkBytes(shape: HelperModelShape, tokens = HELPER_CONTEXT_TOKENS): number {
  return 3 * tokens * shape.intermediateSize * HELPER_BYTES_PER_PARAM
}

export function helperShape(id: string): HelperModelShape | undefined {
  return HELPER_MODEL_SHAPES.find((shape) => shape.id === id)
}
