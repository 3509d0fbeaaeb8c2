import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { findCachedSnapshots, hubCacheLocation } from '../../src/main/models/huggingFaceCache'
import { writeHubSnapshot } from './fakeWeights'

const MAIN = 'a'.repeat(40)
const OLD = 'b'.repeat(40)

describe('hubCacheLocation (huggingface_hub constants.py order)', () => {
  it('HF_HUB_CACHE wins, then HUGGINGFACE_HUB_CACHE, then HF_HOME/hub, then XDG_CACHE_HOME, then ~/.cache', () => {
    const all = { HF_HUB_CACHE: '/a/hub', HUGGINGFACE_HUB_CACHE: '/b/hub', HF_HOME: '/c', XDG_CACHE_HOME: '/d' }
    expect(hubCacheLocation(all, '/home/ada')).toEqual({ path: '/a/hub', from: 'HF_HUB_CACHE', problem: null })
    expect(hubCacheLocation({ ...all, HF_HUB_CACHE: undefined }, '/home/ada').path).toBe('/b/hub')
    expect(hubCacheLocation({ HF_HOME: '/c', XDG_CACHE_HOME: '/d' }, '/home/ada').path).toBe('/c/hub')
    expect(hubCacheLocation({ XDG_CACHE_HOME: '/d' }, '/home/ada').path).toBe('/d/huggingface/hub')
    expect(hubCacheLocation({}, '/home/ada')).toEqual({ path: '/home/ada/.cache/huggingface/hub', from: 'the default', problem: null })
  })

  it('expands ~ like expanduser and refuses a relative folder with a reason', () => {
    expect(hubCacheLocation({ HF_HOME: '~/hf' }, '/home/ada').path).toBe('/home/ada/hf/hub')
    expect(hubCacheLocation({ HF_HUB_CACHE: 'cache/hub' }, '/home/ada')).toEqual({
      path: null,
      from: 'HF_HUB_CACHE',
      problem: 'HF_HUB_CACHE is "cache/hub", a relative path; the app can\'t tell what it is relative to'
    })
  })
})

describe('findCachedSnapshots', () => {
  let hub: string
  beforeEach(() => {
    hub = mkdtempSync(join(tmpdir(), 'wan-hub-'))
  })
  afterEach(() => rmSync(hub, { recursive: true, force: true }))

  it('finds a complete T2V snapshot through refs/main and uses the snapshot folder in place', () => {
    const snapshot = writeHubSnapshot(hub, 't2v-a14b', MAIN)
    expect(findCachedSnapshots(hub)).toEqual([
      { model: 't2v-a14b', repo: 'Wan-AI/Wan2.2-T2V-A14B-Diffusers', path: snapshot, revision: MAIN, isMain: true, complete: true, missing: [] }
    ])
  })

  it('names each missing file: an absent shard, and a link whose blob never finished', () => {
    const snapshot = writeHubSnapshot(hub, 'ti2v-5b', MAIN, {
      leaveOut: ['transformer/diffusion_pytorch_model-00002-of-00002.safetensors'],
      danglingLinks: ['vae/diffusion_pytorch_model.safetensors']
    })
    const [found] = findCachedSnapshots(hub)
    expect(found).toMatchObject({ model: 'ti2v-5b', complete: false, path: snapshot })
    expect(found!.missing).toEqual([
      join(snapshot, 'transformer', 'diffusion_pytorch_model-00002-of-00002.safetensors'),
      join(snapshot, 'vae', 'diffusion_pytorch_model.safetensors')
    ])
  })

  it('prefers a complete older snapshot over an incomplete refs/main one', () => {
    writeHubSnapshot(hub, 't2v-a14b', MAIN, { leaveOut: ['model_index.json'] })
    const old = writeHubSnapshot(hub, 't2v-a14b', OLD, { main: false })
    expect(findCachedSnapshots(hub)).toMatchObject([{ path: old, revision: OLD, isMain: false, complete: true }])
  })

  it('works without refs/main (a download by revision) and reports nothing for models not in the cache', () => {
    const snapshot = writeHubSnapshot(hub, 'i2v-a14b', OLD, { main: false })
    expect(findCachedSnapshots(hub)).toMatchObject([{ model: 'i2v-a14b', path: snapshot, isMain: false, complete: true }])
    expect(findCachedSnapshots(join(hub, 'no-such-cache'))).toEqual([])
  })

  it('reports an unreadable shard index instead of throwing', () => {
    const snapshot = writeHubSnapshot(hub, 'ti2v-5b', MAIN, { leaveOut: ['text_encoder/model.safetensors.index.json'] })
    writeFileSync(join(snapshot, 'text_encoder', 'model.safetensors.index.json'), '{ not json')
    expect(findCachedSnapshots(hub)[0]!.missing).toEqual([`${join(snapshot, 'text_encoder', 'model.safetensors.index.json')} (unreadable)`])
  })
})
