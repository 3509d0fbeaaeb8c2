// The facts about the two Wan2.2 models the memory and time model needs. Architecture numbers are
// the official configs (shared/notes/wan22.md); parameter counts come from the bf16 weight files
// (28.6 GB per A14B expert, 10.0 GB for the 5B: 2 bytes a parameter).
import type { ModelId, RenderMode } from '../../shared/plan'

export type WanModelSpec = {
  id: ModelId
  label: string
  /** A14B: a high-noise and a low-noise expert, one running at a time. */
  transformers: 1 | 2
  blocks: number
  dim: number
  ffnDim: number
  paramsPerTransformer: number
  /** Embeddings, time projection and head: everything outside the repeated blocks. */
  nonBlockParams: number
  /** Pixels per latent pixel (VAE stride); the DiT then patches 2x2 latent pixels into one token. */
  vaeSpatialStride: 8 | 16
  defaultSteps: number
  /** The VAE lives on the GPU in float32 (loading.py): Wan2.1_VAE.pth ~0.5 GB, Wan2.2_VAE.pth ~2.8 GB. */
  vaeWeightsMiB: number
  /**
   * Peak activation memory per token during one transformer pass in diffusers, batch 1 (estimate):
   * A14B: bf16 hidden state 10 KiB + GELU'd FFN intermediate 2 x 13824 x 2 B = 54 KiB + fp32 norm and
   * residual temporaries ~40 KiB, x1.25 for allocator slack. The 5B keeps a per-token time
   * modulation (expand_timesteps): 6 x 3072 fp32 = 72 KiB on top of its own FFN and temporaries.
   */
  activationKiBPerToken: number
}

export const WAN_MODELS: Record<ModelId, WanModelSpec> = {
  't2v-a14b': {
    id: 't2v-a14b',
    label: 'T2V-A14B',
    transformers: 2,
    blocks: 40,
    dim: 5120,
    ffnDim: 13824,
    paramsPerTransformer: 14.3e9,
    // patch 0.3M + text embedding 47.2M + time embedding 27.5M + time projection 157.3M + head 0.3M
    nonBlockParams: 232.6e6,
    vaeSpatialStride: 8,
    defaultSteps: 40,
    vaeWeightsMiB: 485,
    activationKiBPerToken: 128
  },
  'ti2v-5b': {
    id: 'ti2v-5b',
    label: 'TI2V-5B',
    transformers: 1,
    blocks: 30,
    dim: 3072,
    ffnDim: 14336,
    paramsPerTransformer: 5.0e9,
    // patch 0.6M + text embedding 22.0M + time embedding 10.2M + time projection 56.6M + head 0.6M
    nonBlockParams: 90.0e6,
    vaeSpatialStride: 16,
    defaultSteps: 50,
    vaeWeightsMiB: 2700,
    activationKiBPerToken: 240
  }
}

/** umT5-XXL encoder, bf16 (umt5-xxl-enc-bf16.pth is 11.4 GB); the planner never quantizes it. */
export const TEXT_ENCODER_BYTES = 11.4e9
/** umT5's max_sequence_length: cross-attention keys per pass. */
export const TEXT_TOKENS = 512

/** Tokens one transformer pass sees: latent frames x latent rows / 2 x latent columns / 2. */
export function latentTokens(model: WanModelSpec, width: number, height: number, frames: number): number {
  const latentFrames = (frames - 1) / 4 + 1
  const perToken = model.vaeSpatialStride * 2
  return latentFrames * Math.floor(height / perToken) * Math.floor(width / perToken)
}

export function blockParams(model: WanModelSpec): number {
  return (model.paramsPerTransformer - model.nonBlockParams) / model.blocks
}

/**
 * Transformer passes per denoising step. quality: classifier-free guidance, a conditional and an
 * unconditional pass one after the other. fast: the Lightning LoRAs were distilled for guidance 1,
 * so the unconditional pass is skipped (the sidecar really skips it).
 */
export function forwardsPerStep(mode: RenderMode): 1 | 2 {
  return mode === 'fast' ? 1 : 2
}

/**
 * Wan2.2-Lightning T2V-A14B 4-step LoRAs (lightx2v/Wan2.2-Lightning model card): rank 64, a
 * high-noise and a low-noise file. LoRA on every linear layer of each block: self- and
 * cross-attention q, k, v, o (dim x dim each; the text is projected to dim before the blocks) and
 * the FFN's two layers: rank x (in + out) parameters each.
 */
export const LIGHTNING_RANK = 64

export function loraParamsPerTransformer(model: WanModelSpec, rank = LIGHTNING_RANK): number {
  const perBlock = rank * (8 * 2 * model.dim + 2 * (model.dim + model.ffnDim))
  return model.blocks * perBlock
}
