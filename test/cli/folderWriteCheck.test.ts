// The CLI's write check on --out's folder: it really writes, and a probe left by a check that was
// killed mid-way (found by the crash harness) is swept by the next one instead of staying there.
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { folderWriteProblem } from '../../src/main/cli/renderArgs'

describe('folderWriteProblem', () => {
  it('leaves nothing behind and removes probes a killed check left', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wan-write-check-'))
    writeFileSync(join(dir, '.wan-studio-write-check-deadbeef'), '')
    writeFileSync(join(dir, 'film.mp4'), 'kept')
    expect(folderWriteProblem(dir)).toBeNull()
    expect(readdirSync(dir)).toEqual(['film.mp4'])
  })

})
