import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { appPathsForThisMachine, type AppPaths } from '../../src/main/appPaths/appPaths'
import { STUDIO_VERSION } from '../../src/main/core/appInfo'
import { Studio } from '../../src/main/core/studio'
import { resolveFfmpeg } from '../../src/main/media/ffmpegPath'

export const repoRoot = join(__dirname, '..', '..')
export const sidecarDir = join(repoRoot, 'resources', 'sidecar')

/** The environment tests run the core in: a fresh data folder, Debian's ffmpeg unless FFMPEG_BIN says otherwise. */
export function testEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, WAN_STUDIO_HOME: mkdtempSync(join(tmpdir(), 'wan-studio-test-')), ...extra }
  if (!env.FFMPEG_BIN && existsSync('/usr/bin/ffmpeg')) env.FFMPEG_BIN = '/usr/bin/ffmpeg'
  return env
}

/** The source checkout's paths for a test environment (its data folder is WAN_STUDIO_HOME). */
export function sourcePaths(env: NodeJS.ProcessEnv): AppPaths {
  return appPathsForThisMachine({ layout: 'source', appRoot: repoRoot, resourcesPath: null, dataDir: env.WAN_STUDIO_HOME ?? mkdtempSync(join(tmpdir(), 'wan-studio-test-')), env })
}

export function ffmpegFor(env: NodeJS.ProcessEnv): string {
  return resolveFfmpeg(env).path
}

export function createTestStudio(env: NodeJS.ProcessEnv, mediaUrl?: (path: string) => string): Studio {
  return new Studio({
    version: STUDIO_VERSION,
    dataDir: env.WAN_STUDIO_HOME!,
    paths: sourcePaths(env),
    env,
    mediaUrl: mediaUrl ?? ((path) => pathToFileURL(path).href)
  })
}

/** Expected stamp layout of a synthetic render: segment i keeps frames [overlap, overlap + take). */
export function expectedStampSegments(plans: { index: number; overlap: number; take: number }[]) {
  return plans.map((plan) => ({ segment: plan.index, firstFrame: plan.overlap, frames: plan.take }))
}
