// The speed levers in the time model: attention backend and regional compilation. Factors are
// estimates from the primary sources named beside them (docs/planner.md, "Speed levers"); a real
// run's seconds per step replaces them through calibration, which keys on the levers too.
import type { GpuArchitecture } from '../../shared/knownGpus'
import type { AttentionBackend, LeverSupport } from '../../shared/plan'

/** Nothing reported: SDPA only, no compilation, no fast mode (an older sidecar, or none yet). */
export const NO_LEVERS: LeverSupport = {
  attentionBackends: ['sdpa'],
  compile: { available: false, reason: 'the engine reported no compilation support' },
  fastMode: { available: false, reason: 'the engine reported no fast-mode LoRAs' }
}

/**
 * Speed of each backend's attention kernels relative to PyTorch SDPA on the same GPU, applied to
 * the attention FLOPs only (the linear layers don't change).
 * - flash: SDPA's own fast path is the FlashAttention-2 kernel (PyTorch 2.2 release notes), so the
 *   flash-attn package gains nothing measurable over it.
 * - flash3: FlashAttention-3 (Shah et al. 2024) is 1.5-2.0x FlashAttention-2 in bf16 on H100, and
 *   runs on Hopper only; the low end is taken.
 * - sage: SageAttention (Zhang et al., ICLR 2025) quantizes Q and K to INT8 and reports ~2.1x
 *   FlashAttention-2 on Ampere/Ada; on Hopper it does not beat FlashAttention-3, so it is given
 *   FA3's figure there (and loses the tie to the exact kernel).
 * - Before compute 8.0 neither flash-attn nor SageAttention runs: SDPA only.
 */
const ATTENTION_SPEEDUP: Record<GpuArchitecture, Record<AttentionBackend, number | null>> = {
  volta: { sdpa: 1, flash: null, flash3: null, sage: null },
  turing: { sdpa: 1, flash: null, flash3: null, sage: null },
  ampere: { sdpa: 1, flash: 1, flash3: null, sage: 2 },
  ada: { sdpa: 1, flash: 1, flash3: null, sage: 2 },
  hopper: { sdpa: 1, flash: 1, flash3: 1.5, sage: 1.5 },
  blackwell: { sdpa: 1, flash: 1, flash3: null, sage: 2 }
}

/** Among equally fast backends, exact kernels first: SageAttention quantizes. */
const ATTENTION_PREFERENCE: readonly AttentionBackend[] = ['sdpa', 'flash3', 'flash', 'sage']

export const ATTENTION_LABEL: Record<AttentionBackend, string> = {
  sdpa: 'PyTorch SDPA',
  flash: 'FlashAttention-2',
  flash3: 'FlashAttention-3',
  sage: 'SageAttention'
}

/** The attention speedup on this architecture; null where the backend can't run on it. */
export function attentionSpeedup(backend: AttentionBackend, architecture: GpuArchitecture | null): number | null {
  if (backend === 'sdpa') return 1
  return architecture === null ? null : ATTENTION_SPEEDUP[architecture][backend]
}

/**
 * Regional compilation (diffusers compile_repeated_blocks: torch.compile of WanTransformerBlock,
 * the 40 or 30 repeated blocks) fuses the norms, modulation and elementwise work around the matmuls.
 * Estimate: 1.2x on a transformer pass; the diffusers / PyTorch torch.compile guide reports
 * 1.2-1.5x on Flux with full-graph compile, and regional compile keeps the same speedup.
 */
export const COMPILE_SPEEDUP = 1.2
/**
 * Compile cost, paid in the first segment of each frame size and length (a new shape recompiles):
 * one block compiled cold (the PyTorch regional-compilation recipe: 8-10x less than the whole
 * model), and the same from Inductor's on-disk cache on a later run. Estimates until the sidecar's
 * compileSeconds is measured on a CUDA machine.
 */
export const COMPILE_COLD_SECONDS = 60
export const COMPILE_CACHED_SECONDS = 10

export type AttentionChoice = { backend: AttentionBackend; reason: string }

/** The fastest reported backend on this architecture, or the user's choice when it can run. */
export function chooseAttention(levers: LeverSupport, architecture: GpuArchitecture | null, asked: AttentionBackend | undefined): AttentionChoice {
  const runnable = levers.attentionBackends.filter((backend) => attentionSpeedup(backend, architecture) !== null)
  const offered = runnable.includes('sdpa') ? runnable : ['sdpa' as const, ...runnable]
  const listed = offered.map((backend) => ATTENTION_LABEL[backend]).join(', ')
  if (asked) {
    if (offered.includes(asked)) return { backend: asked, reason: `Attention: ${ATTENTION_LABEL[asked]}, as asked.` }
    const why = levers.attentionBackends.includes(asked)
      ? `it doesn't run on this GPU's architecture (${architecture ?? 'unknown'})`
      : `the engine doesn't report it (it reports ${listed})`
    return { backend: 'sdpa', reason: `Attention: PyTorch SDPA; ${ATTENTION_LABEL[asked]} was asked for but ${why}.` }
  }
  const speed = (backend: AttentionBackend): number => attentionSpeedup(backend, architecture) ?? 0
  const best = [...offered].sort((a, b) => speed(b) - speed(a) || ATTENTION_PREFERENCE.indexOf(a) - ATTENTION_PREFERENCE.indexOf(b))[0]!
  if (best === 'sdpa') {
    return {
      backend: 'sdpa',
      reason:
        offered.length > 1
          ? `Attention: PyTorch SDPA, as fast here as the others installed (${listed}) and exact.`
          : 'Attention: PyTorch SDPA, the only backend installed (flash-attn or SageAttention would be faster on Ampere and newer).'
    }
  }
  const quantized = best === 'sage' ? ' It quantizes Q and K to 8 bits (the paper reports no measurable loss on video models); pin SDPA for exact attention.' : ''
  return {
    backend: best,
    reason: `Attention: ${ATTENTION_LABEL[best]}, about ${speed(best)}x SDPA's attention on this architecture (of ${listed}).${quantized}`
  }
}
