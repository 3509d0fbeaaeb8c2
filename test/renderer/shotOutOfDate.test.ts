// A shot is out of date in the editor exactly when queueing it again gives another render key: a
// changed translate setting (the project's or the shot's) or accepted model prompt included. Main's
// own preparation and resolving make the keys here, so the editor's rule is checked against the queue's.
import { describe, expect, it } from 'vitest'
import { prepareShotPrompts, type HelperAvailability } from '../../src/main/core/shotPrompts'
import { PromptHelper, type SidecarCall } from '../../src/main/prompting/promptHelper'
import { resolveShot } from '../../src/main/render/resolveShot'
import { withFinishedRender } from '../../src/renderer/src/store/renderResults'
import { differsFromRender, modelPromptDiffers, shotStatus, type ShotStatusContext } from '../../src/renderer/src/timeline/shotStatus'
import { modelPromptSource } from '../../src/shared/modelPrompt'
import { newProject, newShot, TRANSLATE_MODES, type Project, type Shot, type ShotRender, type TranslateMode } from '../../src/shared/project'
import type { QueueJob, ResolvedShot } from '../../src/shared/queue'

const ENGLISH = 'A red fox runs through deep snow at dusk'
const CHINESE = '一只红狐狸在黄昏的深雪中奔跑'
/** The scripted helper's translation (greedy decoding: one per prompt). */
const translation = (prompt: string): string => `译:${prompt}`

const helperCall: SidecarCall = (method, params) =>
  Promise.resolve({ task: 'translate', language: 'zh', model: 'qwen2.5-1.5b-instruct', seed: null, systemPrompt: 'x', text: translation(String(params.prompt)), cached: false, load: null, elapsedSeconds: 0 })
const installed = (): Promise<HelperAvailability> => Promise.resolve({ helper: new PromptHelper({ call: helperCall, modelsDir: () => Promise.resolve('/m'), cacheFile: '/d/cache.json' }) })
const missing = (): Promise<HelperAvailability> => Promise.resolve({ missing: 'no helper model' })

type State = { projectMode: TranslateMode; shotMode: TranslateMode | null; accepted: string | null }

function projectOf(prompt: string, state: State): Project {
  const shot = newShot('s', { prompt, seed: 7, seconds: 1, translate: state.shotMode, modelPrompt: state.accepted === null ? null : { text: state.accepted, typed: prompt } })
  return { ...newProject('P'), settings: { size: '1280x720', translate: state.projectMode }, shots: [shot] }
}

/** What main queues for the project's shot (the synthetic engine), or null when it refuses. */
async function queued(project: Project, helper: () => Promise<HelperAvailability>): Promise<{ render: ResolvedShot; renderKey: string } | null> {
  try {
    const { modelPrompts } = await prepareShotPrompts(project, { extend: false, helper })
    const shot = project.shots[0]!
    const modelPrompt = modelPrompts[shot.id]
    return resolveShot(shot, { size: project.settings.size, realEngine: { ready: false, reason: 'test' }, previous: null, ...(modelPrompt === undefined ? {} : { modelPrompt }) })
  } catch {
    return null
  }
}

function states(prompt: string): State[] {
  const accepted = [null, translation(prompt), '雪中的狐狸，电影感', prompt]
  return TRANSLATE_MODES.flatMap((projectMode) => [null, ...TRANSLATE_MODES].flatMap((shotMode) => accepted.map((text) => ({ projectMode, shotMode, accepted: text }))))
}

describe('out of date agrees with the render key', () => {
  for (const prompt of [ENGLISH, CHINESE]) {
    for (const [helperReady, helper] of [[true, installed], [false, missing]] as const) {
      it(`for every change of translate setting and accepted prompt (${prompt === ENGLISH ? 'English' : 'Chinese'} prompt, helper model ${helperReady ? 'installed' : 'missing'})`, async () => {
        const all = states(prompt)
        const made = await Promise.all(all.map((state) => queued(projectOf(prompt, state), helper)))
        let compared = 0
        for (const [i, before] of all.entries()) {
          const render = made[i]
          if (!render) continue
          for (const [j, after] of all.entries()) {
            const again = made[j]
            if (!again) continue
            const project = projectOf(prompt, after)
            const shot = project.shots[0]!
            // The one case the editor says more than the key: an accepted text that is word for word the
            // helper's translation, later left to the helper. It can't know the helper would write the
            // same text, so it says out of date; queueing finds the same key and reuses every segment.
            const source = modelPromptSource(project.settings, shot)
            const sameTextFromHelper = helperReady && before.accepted === translation(prompt) && source.from === 'translation' && render.render.typedPrompt !== undefined
            const context: ShotStatusContext = { settings: project.settings, helperReady }
            expect(differsFromRender(shot, render.render, context), `out of date from ${JSON.stringify(before)} to ${JSON.stringify(after)}`).toBe(render.renderKey !== again.renderKey || sameTextFromHelper)
            compared++
          }
        }
        expect(compared).toBeGreaterThan(100)
      })
    }
  }
})

describe('the job records where its model prompt came from', () => {
  it('accepted, or the helper; nothing for the prompt as typed', async () => {
    const state: State = { projectMode: 'auto', shotMode: null, accepted: null }
    expect((await queued(projectOf(ENGLISH, state), installed))?.render).toMatchObject({ prompt: translation(ENGLISH), typedPrompt: ENGLISH, modelPromptFrom: 'helper' })
    expect((await queued(projectOf(ENGLISH, { ...state, accepted: '雪中的狐狸' }), installed))?.render).toMatchObject({ prompt: '雪中的狐狸', modelPromptFrom: 'accepted' })
    const typed = (await queued(projectOf(ENGLISH, { ...state, projectMode: 'never' }), installed))?.render
    expect(typed && 'modelPromptFrom' in typed).toBe(false)
  })
})

describe('out of date after a translate change', () => {
  const settings = (translate: TranslateMode) => ({ size: '1280x720', translate }) as const
  const shot = newShot('s', { prompt: ENGLISH, seed: 7, seconds: 1 })
  const translated = { prompt: translation(ENGLISH), typedPrompt: ENGLISH, modelPromptFrom: 'helper', negativePrompt: null, seed: 7, frames: 16, steps: 8, engine: 'synthetic', mode: 'quality', fps: 16, width: 1280, height: 720 } as const
  const asTyped = { ...translated, prompt: ENGLISH, typedPrompt: undefined, modelPromptFrom: undefined }

  it('marks a translated render out of date once the project or the shot says never, and one as typed once it translates', () => {
    expect(differsFromRender(shot, translated, { settings: settings('auto'), helperReady: true })).toBe(false)
    expect(differsFromRender(shot, translated, { settings: settings('never'), helperReady: true })).toBe(true)
    expect(differsFromRender({ ...shot, translate: 'never' }, translated, { settings: settings('auto'), helperReady: true })).toBe(true)
    expect(differsFromRender(shot, asTyped, { settings: settings('never'), helperReady: true })).toBe(false)
    expect(differsFromRender(shot, asTyped, { settings: settings('auto'), helperReady: true })).toBe(true)
    expect(differsFromRender({ ...shot, translate: 'always' }, asTyped, { settings: settings('never'), helperReady: true })).toBe(true)
    // auto and always translate an English prompt alike: the same translation, the same key.
    expect(differsFromRender(shot, translated, { settings: settings('always'), helperReady: true })).toBe(false)
  })

  it('under auto without a helper model expects the prompt as typed, and either while that is not known', () => {
    expect(differsFromRender(shot, asTyped, { settings: settings('auto'), helperReady: false })).toBe(false)
    expect(differsFromRender(shot, translated, { settings: settings('auto'), helperReady: false })).toBe(true)
    expect(differsFromRender(shot, asTyped, { settings: settings('auto'), helperReady: null })).toBe(false)
    expect(differsFromRender(shot, translated, { settings: settings('auto'), helperReady: null })).toBe(false)
  })

  it('compares an accepted model prompt with what the model received, and going back to the prompt as typed', () => {
    const accepted = (text: string): Shot => ({ ...shot, modelPrompt: { text, typed: ENGLISH } })
    const context = { settings: settings('never'), helperReady: true }
    expect(differsFromRender(accepted(translation(ENGLISH)), translated, context)).toBe(false)
    expect(differsFromRender(accepted('雪中的狐狸'), translated, context)).toBe(true)
    expect(differsFromRender(accepted('雪中的狐狸'), asTyped, context)).toBe(true)
    expect(differsFromRender(shot, translated, context)).toBe(true)
    // Back to the prompt as typed under auto: the helper's translation replaces the accepted text.
    const fromAccepted = { ...translated, prompt: '雪中的狐狸', modelPromptFrom: 'accepted' } as const
    expect(differsFromRender(shot, fromAccepted, { settings: settings('auto'), helperReady: true })).toBe(true)
    expect(differsFromRender(accepted('雪中的狐狸'), fromAccepted, { settings: settings('auto'), helperReady: true })).toBe(false)
    // The prompt as typed is compared too (trimmed, as main resolves it), translated or not.
    expect(differsFromRender({ ...shot, prompt: `${ENGLISH}  ` }, translated, { settings: settings('auto'), helperReady: true })).toBe(false)
    expect(differsFromRender({ ...shot, prompt: 'A grey wolf' }, translated, { settings: settings('auto'), helperReady: true })).toBe(true)
    // An accepted text made for another prompt no longer applies.
    expect(differsFromRender({ ...accepted(translation(ENGLISH)), prompt: 'A grey wolf' }, { ...translated, typedPrompt: 'A grey wolf' }, context)).toBe(true)
  })

  it('tells from the shot’s own render when its job has left the queue', () => {
    const render: ShotRender = { renderKey: 'k', engine: 'synthetic', seed: 7, frames: 16, width: 1280, height: 720, fps: 16, model: 'synthetic', plan: '', modelPrompt: translation(ENGLISH), segments: [{ index: 0, path: '/x.mp4', frames: 16, skipHeadFrames: 0, takeFrames: 16 }], renderedAt: '' }
    expect(shotStatus({ ...shot, render }, {}, {}, { settings: settings('auto'), helperReady: true })).toEqual({ kind: 'done' })
    expect(shotStatus({ ...shot, render }, {}, {}, { settings: settings('never'), helperReady: true })).toEqual({ kind: 'stale' })
    expect(modelPromptDiffers(shot, null, { settings: settings('never'), helperReady: true })).toBe(false)
    // Its render doesn't record where its model prompt came from: a translation is taken as the helper's.
    expect(modelPromptDiffers(shot, { text: translation(ENGLISH) }, { settings: settings('auto'), helperReady: true })).toBe(false)
  })

  it('does not adopt a finished translated render into a shot set to never since it was queued', () => {
    const job = {
      id: 'j',
      state: 'done',
      payload: { kind: 'render-shot', shotId: 's', render: translated, renderKey: 'k', rendersDir: '/r' },
      result: { kind: 'render-shot', render: { renderKey: 'k' } }
    } as unknown as QueueJob
    const project: Project = { ...newProject('P'), shots: [shot] }
    expect(withFinishedRender(project, job).shots[0]?.render?.renderKey).toBe('k')
    const never: Project = { ...project, shots: [{ ...shot, translate: 'never' }] }
    expect(withFinishedRender(never, job)).toBe(never)
  })
})
