import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import packageJson from '../../../package.json'

export const STUDIO_VERSION: string = packageJson.version

/** The folder holding package.json and resources/, found upwards from the running file. */
export function findAppRoot(start: string): string {
  let dir = start
  for (;;) {
    if (existsSync(join(dir, 'resources', 'sidecar', 'wan_sidecar'))) return dir
    const parent = dirname(dir)
    if (parent === dir) throw new Error(`cannot find resources/sidecar above ${start}`)
    dir = parent
  }
}
