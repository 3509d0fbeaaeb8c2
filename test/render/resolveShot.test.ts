// Resolving shots: each planned for its own size, mode and length from the cached system state.
import { describe, expect, it } from 'vitest'
import { renderKeyFor } from '../../src/main/render/renderKey'
import { RenderRequestError, resolveShot, type RealEngineReadiness, type ResolveContext } from '../../src/main/render/resolveShot'
import type { ShotPlanning } from '../../src/main/render/shotPlan'
import type { Plan } from '../../src/shared/plan'
import { newShot, type Shot } from '../../src/shared/project'
import type { PlanOverride } from '../../src/shared/settings'
import { CARDS, RAM_128_GB } from '../planner/hardware'

const LORA_HOW_TO_GET = 'hf download lightx2v/Wan2.2-Lightning --local-dir <models>/Wan2.2-Lightning'

function planning(fields: Partial<ShotPlanning> = {}): ShotPlanning {
  return {
    gpus: [CARDS.h100],
    ramTotalMiB: RAM_128_GB,
    calibration: [],
    planOverride: null,
    levers: { attentionBackends: ['sdpa'], compile: { available: false, reason: 'no compiler' }, fastMode: { available: true, reason: null } },
    fastModeFiles: {
      files: [
        { role: 'high-noise', path: '/models/Wan2.2-Lightning/high_noise_model.safetensors', present: true },
        { role: 'low-noise', path: '/models/Wan2.2-Lightning/low_noise_model.safetensors', present: true }
      ],
      howToGet: LORA_HOW_TO_GET
    },
    completeModels: ['t2v-a14b', 'ti2v-5b'],
    ...fields
  }
}

const ready = (fields: Partial<ShotPlanning> = {}): RealEngineReadiness => ({ ready: true, modelsDir: '/models', planning: planning(fields) })
const notReady: RealEngineReadiness = { ready: false, reason: 'no GPU was found' }

function context(fields: Partial<ResolveContext> = {}): ResolveContext {
  return { size: '1280x720', realEngine: ready(), previous: null, ...fields }
}

const shot = (fields: Partial<Shot> = {}): Shot => newShot('s1', { prompt: 'a heron lands on a post', seed: 11, seconds: 5, ...fields })
const planOf = (render: { engineOptions: Record<string, unknown> }): Plan => render.engineOptions.plan as Plan

function override(fields: Partial<PlanOverride>): PlanOverride {
  return { model: null, precision: null, experts: null, textEncoder: null, vaeTiling: null, segmentFrames: null, compile: null, attention: null, ...fields }
}

describe('resolveShot with the real engine', () => {
  it('plans a full-size quality shot at 1280x720, 16 fps, 40 steps', () => {
    const { render, notes } = resolveShot(shot({ engine: 'diffusers' }), context())
    expect(render).toMatchObject({ engine: 'diffusers', mode: 'quality', width: 1280, height: 720, fps: 16, frames: 80, steps: 40, gpuName: CARDS.h100.name })
    expect(planOf(render)).toMatchObject({ model: 't2v-a14b', mode: 'quality', width: 1280, height: 720 })
    expect(notes).toEqual([])
  })

  it('plans a draft for its own size: 832x480, and 480x832 in a vertical project', () => {
    const landscape = resolveShot(shot({ draft: true }), context()).render
    expect(landscape).toMatchObject({ width: 832, height: 480 })
    expect(planOf(landscape)).toMatchObject({ width: 832, height: 480 })
    const vertical = resolveShot(shot({ draft: true }), context({ size: '720x1280' })).render
    expect(vertical).toMatchObject({ width: 480, height: 832 })
    expect(planOf(vertical)).toMatchObject({ width: 480, height: 832 })
    // A draft is planned for itself: its predicted time is the draft's, far below the full size's.
    const full = resolveShot(shot(), context()).render
    expect(planOf(landscape).predicted.secondsPerSegment).toBeLessThan(planOf(full).predicted.secondsPerSegment / 2)
  })

  it('renders fast mode in 4 steps with the plan in fast mode, ignoring the shot’s steps with a note', () => {
    const { render, notes } = resolveShot(shot({ mode: 'fast', steps: 30 }), context())
    expect(render).toMatchObject({ mode: 'fast', steps: 4 })
    expect(planOf(render)).toMatchObject({ model: 't2v-a14b', mode: 'fast' })
    expect(notes).toEqual(['fast mode renders 4 steps (what its LoRAs were distilled for); the shot\'s 30 steps are ignored'])
    expect(resolveShot(shot({ mode: 'fast' }), context()).notes).toEqual([])
  })

  it('refuses fast mode where the LoRAs are missing, naming them and how to get them', () => {
    const missing = ready({
      levers: { attentionBackends: ['sdpa'], compile: { available: false, reason: null }, fastMode: { available: false, reason: 'the Wan2.2-Lightning LoRAs are not in the models folder' } },
      fastModeFiles: {
        files: [
          { role: 'high-noise', path: '/models/Wan2.2-Lightning/high_noise_model.safetensors', present: false },
          { role: 'low-noise', path: '/models/Wan2.2-Lightning/low_noise_model.safetensors', present: true }
        ],
        howToGet: LORA_HOW_TO_GET
      }
    })
    const attempt = (): unknown => resolveShot(shot({ mode: 'fast' }), context({ realEngine: missing }))
    expect(attempt).toThrow(RenderRequestError)
    expect(attempt).toThrow(
      'fast mode is not available: the Wan2.2-Lightning LoRAs are not in the models folder. It needs the Wan2.2-Lightning 4-step LoRAs; ' +
        `missing: high-noise LoRA /models/Wan2.2-Lightning/high_noise_model.safetensors. To get them: ${LORA_HOW_TO_GET}`
    )
    // An older sidecar that doesn't report fast mode at all.
    const older = ready({ levers: { attentionBackends: ['sdpa'], compile: { available: false, reason: null }, fastMode: { available: false, reason: 'the inference sidecar does not report fastMode (it predates it)' } }, fastModeFiles: null })
    expect(() => resolveShot(shot({ mode: 'fast' }), context({ realEngine: older }))).toThrow('fast mode is not available: the inference sidecar does not report fastMode (it predates it)')
  })

  it('renders a TI2V-5B shot at its native 24 fps: seconds x 24 frames in 4n+1 segments', () => {
    const { render } = resolveShot(shot({ seconds: 5 }), context({ realEngine: ready({ planOverride: override({ model: 'ti2v-5b' }) }) }))
    expect(planOf(render)).toMatchObject({ model: 'ti2v-5b', fps: 24 })
    expect(render).toMatchObject({ fps: 24, frames: 120, maxSegmentFrames: 121 })
    // The planner chose the 5B by itself on a 12 GB card; a 3.5 s shot there is 84 frames.
    const small = resolveShot(shot({ seconds: 3.5 }), context({ realEngine: ready({ gpus: [CARDS.rtx3060] }) })).render
    expect(planOf(small)).toMatchObject({ model: 'ti2v-5b', fps: 24 })
    expect(small).toMatchObject({ fps: 24, frames: 84 })
    expect((small.maxSegmentFrames - 1) % 4).toBe(0)
  })

  it('falls back to a model whose weights are complete, and says so when none is', () => {
    const onlyFive = ready({ completeModels: ['ti2v-5b'] })
    expect(planOf(resolveShot(shot(), context({ realEngine: onlyFive })).render)).toMatchObject({ model: 'ti2v-5b' })
    const none = ready({ completeModels: [] })
    expect(() => resolveShot(shot(), context({ realEngine: none }))).toThrow(/no plan for this shot \(1280x720, quality mode\): the t2v-a14b weights are not complete/)
  })

  it('keeps the user’s pinned placement per shot, with its own predictions', () => {
    const pinned = ready({ planOverride: override({ experts: 'stream', precision: 'int8' }) })
    const plan = planOf(resolveShot(shot({ draft: true }), context({ realEngine: pinned })).render)
    expect(plan).toMatchObject({ precision: 'int8', placement: { experts: 'stream' }, width: 832, height: 480 })
    expect(plan.reasons[0]).toBe('You pinned experts stream.')
  })
})

describe('resolveShot with the synthetic engine', () => {
  it('renders drafts at 832x480 and fast mode in 4 steps, at 16 fps', () => {
    const synthetic = context({ realEngine: notReady })
    expect(resolveShot(shot(), synthetic).render).toMatchObject({ engine: 'synthetic', width: 1280, height: 720, steps: 8, fps: 16, frames: 80, mode: 'quality' })
    expect(resolveShot(shot({ draft: true, mode: 'fast' }), synthetic).render).toMatchObject({ width: 832, height: 480, steps: 4, mode: 'fast' })
    expect(resolveShot(shot({ draft: true }), context({ realEngine: notReady, size: '720x1280' })).render).toMatchObject({ width: 480, height: 832 })
    expect(resolveShot(shot(), synthetic).notes).toEqual(['rendering with the synthetic engine because no GPU was found'])
  })
})

describe('render keys', () => {
  const keyOf = (fields: Partial<Shot>, at: ResolveContext = context()): string => resolveShot(shot(fields), at).renderKey

  it('change with the mode and the draft size, on both engines', () => {
    for (const at of [context(), context({ realEngine: notReady })]) {
      const base = keyOf({}, at)
      const keys = [base, keyOf({ mode: 'fast' }, at), keyOf({ draft: true }, at), keyOf({ draft: true, mode: 'fast' }, at)]
      expect(new Set(keys).size).toBe(4)
      // Trim and the join (other than continue) are the export's: the same key.
      expect(keyOf({ trim: { in: 4, out: 60 } }, at)).toBe(base)
      expect(keyOf({ join: { kind: 'crossfade', frames: 4 } }, at)).toBe(base)
    }
  })

  it('stay what they were for quality renders at 16 fps, so no older render is invalidated', () => {
    const { render, renderKey } = resolveShot(shot(), context({ realEngine: notReady }))
    const { mode: _mode, fps: _fps, ...beforeModes } = render
    expect(renderKeyFor(beforeModes)).toBe(renderKey)
    expect(renderKeyFor({ ...beforeModes, mode: 'fast' })).not.toBe(renderKey)
    expect(renderKeyFor({ ...beforeModes, fps: 24 })).not.toBe(renderKey)
  })

  it('do not change with speed levers or placement, which change how fast, not what', () => {
    const automatic = keyOf({})
    const levered = resolveShot(shot(), context({ realEngine: ready({ planOverride: override({ experts: 'swap', compile: false }) }) }))
    expect(levered.renderKey).toBe(automatic)
  })
})
