// The crash harness's quick mode (4 kill points: start-up, mid-segment, right after a segment's
// rename, mid-export), each rerun at once: nothing broken called done, nothing rendered twice,
// nothing left behind. The full run (32 kill points) is `node scripts/crash-harness.mjs`.
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoRoot, testEnv } from '../helpers/studio'

describe('crash harness, quick mode', () => {
  it('4 kill -9 points, each rerun: identical clips, 0 corrupt, 0 rendered again, 0 leftovers', async () => {
    const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve) =>
      execFile(process.execPath, [join(repoRoot, 'scripts', 'crash-harness.mjs'), '--quick', '--json'], { env: testEnv(), timeout: 280_000 }, (_error, out, err) =>
        resolve({ stdout: out, stderr: err })
      )
    )
    const report = JSON.parse(stdout) as Record<string, unknown>
    expect(report, stderr).toMatchObject({ kills: 4, corruptClipsReportedDone: 0, finishedSegmentsRenderedAgain: 0, leftoverTemporaryFiles: 0, problems: [] })
    expect(report.clipsVerifiedIdentical).toBe(report.clipsChecked)
  }, 300_000)
})
