// The `preview` notification: its schema, and a client that passes good ones on and drops bad ones
// with a log line, never failing the render.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SidecarClient } from '../../src/main/sidecar/client'
import { notificationSchema, previewParamsSchema, type SidecarPreview } from '../../src/main/sidecar/protocol'
import { sidecarDir } from '../helpers/studio'

const good: SidecarPreview = { requestId: 3, shot: 7, segment: 0, step: 4, steps: 40, width: 256, height: 144, mime: 'image/jpeg', data: '/9j/4AAQSkZJRg==' }

function fakePython(lines: unknown[]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'fake-python-')), 'python')
  const ready = { jsonrpc: '2.0', method: 'ready', params: { version: '0', protocolVersion: 1, pid: 1 } }
  const echo = (message: unknown): string => `echo '${JSON.stringify(message)}'`
  writeFileSync(path, `#!/bin/sh\n${echo(ready)}\nsleep 0.3\n${lines.map(echo).join('\n')}\nexec sleep 30\n`)
  chmodSync(path, 0o755)
  return path
}

const preview = (params: unknown): unknown => ({ jsonrpc: '2.0', method: 'preview', params })

describe('preview notification schema', () => {
  it('accepts the documented shape', () => {
    expect(previewParamsSchema.parse(good)).toEqual(good)
    expect(notificationSchema.parse(preview(good))).toMatchObject({ method: 'preview', params: good })
  })

  it.each([
    ['data that is not base64', { ...good, data: 'not base64!' }],
    ['empty data', { ...good, data: '' }],
    ['another image type', { ...good, mime: 'image/png' }],
    ['a zero-step total', { ...good, steps: 0 }],
    ['a fractional width', { ...good, width: 25.5 }],
    ['a missing step', { ...good, step: undefined }]
  ])('refuses %s', (_name, params) => {
    expect(previewParamsSchema.safeParse(params).success).toBe(false)
  })
})

describe('SidecarClient previews', () => {
  it('emits good previews in order and drops a bad one with a warning naming the field', async () => {
    const second = { ...good, step: 8 }
    const client = await SidecarClient.start({ python: fakePython([preview(good), preview({ ...good, step: 'eight' }), preview(second)]), sidecarDir })
    const previews: SidecarPreview[] = []
    const logs: { level: string; message: string }[] = []
    client.on('preview', (received) => previews.push(received))
    client.on('log', (line) => logs.push(line))
    try {
      await expect.poll(() => previews.length).toBe(2)
      expect(previews).toEqual([good, second])
      expect(logs).toEqual([{ level: 'warning', message: expect.stringMatching(/preview outside the protocol \(params\.step: .*\); ignored/) }])
      expect(client.alive).toBe(true)
    } finally {
      await client.kill()
    }
  })
})
