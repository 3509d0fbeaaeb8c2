// Path confinement through the real sidecar: initialize names the allowed folders, a generate
// outside them (or over an existing file) is invalid params, and the supervisor re-initializes with
// a new folder added when initializeParams starts naming one (a CLI work folder).
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SidecarClient, SidecarError } from '../../src/main/sidecar/client'
import { generateResultSchema, initializeResultSchema, RpcCode } from '../../src/main/sidecar/protocol'
import { findPython } from '../../src/main/sidecar/python'
import { SidecarSupervisor, type InitializeParams } from '../../src/main/sidecar/supervisor'
import { ffmpegFor, sidecarDir, sourcePaths, testEnv } from '../helpers/studio'

const segment = (output: string): Record<string, unknown> => ({
  engine: 'synthetic',
  shot: 0,
  segment: 0,
  prompt: 'a paper boat',
  seed: 1,
  frames: 9,
  width: 160,
  height: 96,
  fps: 16,
  steps: 2,
  output,
  startFrame: 0
})

const failure = (promise: Promise<unknown>): Promise<SidecarError> => promise.then(() => Promise.reject(new Error('expected a refusal')), (error: unknown) => error as SidecarError)

describe('sidecar path confinement', () => {
  it('refuses outputs outside initialize’s roots, relative inputs and existing outputs; renders inside', async () => {
    const env = testEnv()
    const root = mkdtempSync(join(tmpdir(), 'wan-confine-'))
    const renders = join(root, 'renders')
    mkdirSync(renders)
    const client = await SidecarClient.start({ python: findPython(sourcePaths(env).engineVenvPython, env).path, sidecarDir, env })
    try {
      await client.request('initialize', { ffmpegPath: ffmpegFor(env), allowedRoots: [renders] }, initializeResultSchema)
      const outside = await failure(client.request('generate', segment(join(root, 'outside.mp4')), generateResultSchema))
      expect(outside.code).toBe(RpcCode.invalidParams)
      expect(outside.message).toContain('is outside the folders allowed by initialize')
      const relative = await failure(
        client.request('generate', { ...segment(join(renders, 'b.mp4')), startFrame: 4, continueFrom: { path: '../../../../etc/passwd', frames: 5 } }, generateResultSchema)
      )
      expect(relative.code).toBe(RpcCode.invalidParams)
      writeFileSync(join(renders, 'taken.mp4'), 'an earlier segment')
      const existing = await failure(client.request('generate', segment(join(renders, 'taken.mp4')), generateResultSchema))
      expect(existing.message).toContain('already exists')
      const inside = await client.request('generate', segment(join(renders, 'a.mp4')), generateResultSchema)
      expect(inside.output).toBe(join(renders, 'a.mp4'))
      const notFfmpeg = await failure(client.request('initialize', { ffmpegPath: '/bin/true', allowedRoots: [renders] }, initializeResultSchema))
      expect(notFfmpeg.message).toContain('is not ffmpeg')
    } finally {
      await client.shutdown()
    }
  })

  it('the supervisor re-initializes when a new root appears, so a new work folder can be rendered into', async () => {
    const env = testEnv()
    const root = mkdtempSync(join(tmpdir(), 'wan-confine-roots-'))
    const roots = [join(root, 'renders')]
    const params = (): Promise<InitializeParams> => Promise.resolve({ ffmpegPath: ffmpegFor(env), modelsDir: null, modelDirs: {}, modelFiles: {}, allowedRoots: [...roots] })
    const supervisor = new SidecarSupervisor({ enginePython: sourcePaths(env).engineVenvPython, sidecarDir, env, initializeParams: params, log: () => undefined })
    try {
      const workRenders = join(root, 'work', 'renders')
      mkdirSync(workRenders, { recursive: true })
      const first = await supervisor.ensure()
      const refused = await failure(first.request('generate', segment(join(workRenders, 'a.mp4')), generateResultSchema))
      expect(refused.code).toBe(RpcCode.invalidParams)
      roots.push(workRenders)
      const widened = await supervisor.ensure()
      expect(widened).toBe(first)
      await widened.request('generate', segment(join(workRenders, 'a.mp4')), generateResultSchema)
      expect(existsSync(join(workRenders, 'a.mp4'))).toBe(true)
    } finally {
      await supervisor.stop()
    }
  })
})
