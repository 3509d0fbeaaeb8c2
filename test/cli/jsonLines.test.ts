// `wan-studio render --json` (the built CLI, `npm run build`): stderr is one JSON object per line,
// with the live previews among the progress lines; stdout stays the one summary.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { testEnv } from '../helpers/studio'
import { runCli, type CliRun } from '../helpers/cli'


type Line = { type: string; [key: string]: unknown }

const cli = (args: string[]): Promise<CliRun> => runCli(args, { env: testEnv(), maxBuffer: 64 * 1024 * 1024 })

describe('wan-studio render --json', () => {
  it('prints progress and every preview as JSON lines on stderr, and the summary alone on stdout', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'wan-json-')), 'clip.mp4')
    // 6 s = two segments of 8 steps: a preview every step (8 / 10 rounds to 1).
    const run = await cli(['render', '--prompt', 'a lighthouse at night', '--seconds', '6', '--steps', '8', '--seed', '3', '--engine', 'synthetic', '--out', out, '--json'])
    expect(run.code, run.stderr).toBe(0)
    expect(JSON.parse(run.stdout)).toMatchObject({ output: out, frames: 96, segmentsRendered: 2 })

    const lines = run.stderr.trim().split('\n').map((line) => JSON.parse(line) as Line)
    expect(lines.every((line) => ['progress', 'preview', 'log'].includes(line.type))).toBe(true)
    expect(lines.filter((line) => line.type === 'progress').map((line) => line.title)).toContain('Shot 1: a lighthouse at night')

    const previews = lines.filter((line) => line.type === 'preview')
    const shotJob = previews[0]!.jobId
    expect(previews.map((line) => [line.segment, line.step])).toEqual([1, 2].flatMap((segment) => [1, 2, 3, 4, 5, 6, 7, 8].map((step) => [segment, step])))
    for (const preview of previews) {
      expect(preview).toMatchObject({ jobId: shotJob, steps: 8, mime: 'image/jpeg' })
      expect(Math.max(preview.width as number, preview.height as number)).toBeLessThanOrEqual(256)
      // A real JPEG: its start-of-image marker.
      expect(Buffer.from(preview.data as string, 'base64').subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]))
    }
  })
})
