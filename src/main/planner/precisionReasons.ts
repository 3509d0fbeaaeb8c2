// What the plan says about fp16, the precision of GPUs without bf16 (docs/planner.md, "fp16").

/**
 * Wan2.2 is trained and released in bf16; nobody publishes an fp16 result. diffusers keeps Wan's
 * time embedding, modulation table and norms in fp32 (WanTransformer3DModel._keep_in_fp32_modules)
 * and the sidecar runs the VAE in fp32, which removes the usual overflow spots, but the residual
 * stream itself may still leave fp16's range (65,504): other bf16-trained video DiTs (CogVideoX,
 * HunyuanVideo) give NaN, black frames, in fp16. So the plan runs it and says what to look for.
 */
export function precisionReason(computeCapability: number | null): string {
  return (
    `fp16: this GPU (compute ${computeCapability ?? 'unknown'}) has fp16 tensor cores but no bf16 ones, and 8-bit weights would compute in bf16 too. ` +
    'Wan2.2 was trained in bf16 and no fp16 result is published; its time embedding, modulation and norms stay in fp32, but the rest may overflow ' +
    'fp16 as other bf16-trained video models do: a black segment means this GPU can’t run it.'
  )
}
