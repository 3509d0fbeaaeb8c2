// The sidecar client's process handling, against the real sidecar and against broken interpreters.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SidecarClient, SidecarError, SidecarExitedError } from '../../src/main/sidecar/client'
import { groupAlive } from '../../src/main/sidecar/process'
import { initializeResultSchema, RpcCode } from '../../src/main/sidecar/protocol'
import { findPython } from '../../src/main/sidecar/python'
import { ffmpegFor, sidecarDir, sourcePaths, testEnv } from '../helpers/studio'

function fakePython(script: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'fake-python-')), 'python')
  writeFileSync(path, `#!/bin/sh\n${script}\n`)
  chmodSync(path, 0o755)
  return path
}

describe('SidecarClient', () => {
  it('starts the real sidecar, waits for ready, initializes and shuts down cleanly', async () => {
    const env = testEnv()
    const python = findPython(sourcePaths(env).engineVenvPython, env)
    const client = await SidecarClient.start({ python: python.path, sidecarDir, env })
    const init = await client.request('initialize', { ffmpegPath: ffmpegFor(env), allowedRoots: [tmpdir()] }, initializeResultSchema)
    expect(init.protocolVersion).toBe(1)
    expect(init.engines.map((engine) => engine.id)).toEqual(expect.arrayContaining(['synthetic', 'diffusers']))
    const pid = client.pid!
    await client.shutdown()
    expect(groupAlive(pid)).toBe(false)
    expect(client.alive).toBe(false)
    await expect(client.request('initialize', {}, initializeResultSchema)).rejects.toThrow(SidecarExitedError)
  })

  it('turns protocol errors into SidecarError with the JSON-RPC code', async () => {
    const env = testEnv()
    const client = await SidecarClient.start({ python: findPython(sourcePaths(env).engineVenvPython, env).path, sidecarDir, env })
    try {
      const error = await client.request('no_such_method', {}, initializeResultSchema).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(SidecarError)
      expect((error as SidecarError).code).toBe(RpcCode.methodNotFound)
      const invalid = await client.request('initialize', { ffmpegPath: 42 }, initializeResultSchema).catch((e: unknown) => e)
      expect((invalid as SidecarError).code).toBe(RpcCode.invalidParams)
    } finally {
      await client.shutdown()
    }
  })

  it('explains a sidecar that dies before it is ready with its stderr', async () => {
    const python = fakePython('echo "ModuleNotFoundError: No module named numpy" >&2; exit 1')
    const error = await SidecarClient.start({ python, sidecarDir }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SidecarExitedError)
    expect((error as Error).message).toMatch(/exited before it was ready \(exit code 1\)/)
    expect((error as SidecarExitedError).stderrTail).toContain('ModuleNotFoundError: No module named numpy')
  })

  it('times out a sidecar that never reports ready, and kills it', async () => {
    const python = fakePython('echo starting >&2; exec sleep 30')
    const started = Date.now()
    const error = await SidecarClient.start({ python, sidecarDir, readyTimeoutMs: 500 }).catch((e: unknown) => e)
    expect((error as Error).message).toMatch(/did not report ready within 0.5 s/)
    expect(Date.now() - started).toBeLessThan(5000)
  })

  it('stops waiting when the start is aborted', async () => {
    const python = fakePython('exec sleep 30')
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 200)
    await expect(SidecarClient.start({ python, sidecarDir, signal: controller.signal })).rejects.toThrow(/cancelled/)
  })

  it('ignores lines outside the protocol instead of crashing', async () => {
    const python = fakePython(
      `echo '{"jsonrpc":"2.0","method":"ready","params":{"version":"0","protocolVersion":1,"pid":1}}'\n` +
        `sleep 0.5\necho 'not json at all'\necho '{"jsonrpc":"2.0","id":99,"result":1}'\nexec sleep 30`
    )
    const client = await SidecarClient.start({ python, sidecarDir })
    const logs: string[] = []
    client.on('log', ({ message }) => logs.push(message))
    await expect.poll(() => logs.length).toBe(2)
    expect(logs[0]).toMatch(/not JSON/)
    expect(logs[1]).toMatch(/unknown request id 99/)
    await client.kill()
    expect(client.alive).toBe(false)
  })
})

describe('SidecarClient writing to a sidecar that stopped reading', () => {
  it('rejects the request instead of crashing the process on EPIPE', async () => {
    // Ready, then closes its stdin while still running, as a dying sidecar does.
    const python = fakePython(`echo '{"jsonrpc":"2.0","method":"ready","params":{"version":"0","protocolVersion":1,"pid":1}}'\nexec 0<&-\nexec sleep 2`)
    const client = await SidecarClient.start({ python, sidecarDir })
    await new Promise((resolve) => setTimeout(resolve, 200))
    const big = 'x'.repeat(1 << 20)
    const results = await Promise.allSettled([1, 2, 3].map(() => client.request('initialize', { big }, initializeResultSchema)))
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected', 'rejected'])
    await client.kill()
  })
})

describe('SidecarClient request timeout', () => {
  it('gives up on a sidecar that never answers, and stops it', async () => {
    const python = fakePython(`echo '{"jsonrpc":"2.0","method":"ready","params":{"version":"0","protocolVersion":1,"pid":1}}'\nexec sleep 30`)
    const client = await SidecarClient.start({ python, sidecarDir })
    const pid = client.pid!
    await expect(client.request('initialize', {}, initializeResultSchema, { timeoutMs: 300 })).rejects.toThrow(/did not answer initialize within 0.3 s/)
    await expect.poll(() => groupAlive(pid)).toBe(false)
  })
})
