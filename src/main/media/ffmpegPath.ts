import { accessSync, constants, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { delimiter, dirname, join, sep } from 'node:path'

export type FfmpegSource = 'FFMPEG_BIN' | 'ffmpeg-static' | 'PATH'

export type ResolvedFfmpeg = { path: string; source: FfmpegSource }

const executableSuffix = process.platform === 'win32' ? '.exe' : ''

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/**
 * Binaries inside app.asar cannot be spawned; electron-builder's `asarUnpack` puts them in
 * app.asar.unpacked, while require() still reports the path inside the archive.
 */
export function toUnpackedAsarPath(path: string): string {
  return path.replace(`${sep}app.asar${sep}`, `${sep}app.asar.unpacked${sep}`)
}

/**
 * Where ffmpeg-static keeps its downloaded binary. Computed from the package folder rather than
 * taken from `require('ffmpeg-static')`, because that export is replaced by process.env.FFMPEG_BIN
 * when the module loads and would then not be ffmpeg-static's binary at all.
 */
export function ffmpegStaticBinaryPath(): string | null {
  try {
    const require = createRequire(import.meta.url)
    const packageDir = dirname(require.resolve('ffmpeg-static/package.json'))
    return toUnpackedAsarPath(join(packageDir, `ffmpeg${executableSuffix}`))
  } catch {
    return null
  }
}

/** The first executable called `name` on the PATH of `env`, like `which`. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const searchPath = env.PATH ?? env.Path ?? ''
  for (const dir of searchPath.split(delimiter)) {
    if (!dir) continue
    const candidate = join(dir, `${name}${executableSuffix}`)
    if (isExecutableFile(candidate)) return candidate
  }
  return null
}

/**
 * Picks the ffmpeg binary: FFMPEG_BIN (an explicit choice, so a wrong value is an error, not a
 * reason to fall back), then ffmpeg-static's binary, then `ffmpeg` on PATH.
 */
export function resolveFfmpeg(
  env: NodeJS.ProcessEnv = process.env,
  staticBinary: string | null = ffmpegStaticBinaryPath()
): ResolvedFfmpeg {
  const override = env.FFMPEG_BIN
  if (override) {
    if (!isExecutableFile(override)) {
      throw new Error(
        `FFMPEG_BIN is set to "${override}", which is not an executable file. ` +
          'Point FFMPEG_BIN at an ffmpeg binary or unset it.'
      )
    }
    return { path: override, source: 'FFMPEG_BIN' }
  }

  if (staticBinary) {
    const unpacked = toUnpackedAsarPath(staticBinary)
    if (isExecutableFile(unpacked)) return { path: unpacked, source: 'ffmpeg-static' }
  }

  const onPath = findOnPath('ffmpeg', env)
  if (onPath) return { path: onPath, source: 'PATH' }

  throw new Error(
    'No ffmpeg found: FFMPEG_BIN is not set, ffmpeg-static has no binary ' +
      `(${staticBinary ?? 'package not found'}) and there is no ffmpeg on PATH. ` +
      'Set FFMPEG_BIN to an ffmpeg binary, or reinstall ffmpeg-static with network access ' +
      '(npm rebuild ffmpeg-static) so that it downloads its binary.'
  )
}

/**
 * ffmpeg-static ships no ffprobe, so this is optional: an ffprobe next to ffmpeg, else on PATH.
 */
export function findFfprobe(ffmpegPath: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const sibling = join(dirname(ffmpegPath), `ffprobe${executableSuffix}`)
  if (isExecutableFile(sibling)) return sibling
  return findOnPath('ffprobe', env)
}
