// Every path the app needs, decided in one place for the source checkout and the packaged app on
// Linux, Windows and macOS. Pure: the caller says where it runs (layout, platform, folders, env);
// nothing here touches the disk, so the packaged layout of every platform is testable anywhere.
import { posix, win32, type PlatformPath } from 'node:path'

export type AppLayout = 'source' | 'packaged'

export interface AppPathsInput {
  /** 'packaged' when Electron says app.isPackaged; the CLI, tests and `npm run dev` are 'source'. */
  layout: AppLayout
  platform: NodeJS.Platform
  arch: NodeJS.Architecture
  /** The repository root in the source checkout (findAppRoot); unused when packaged. */
  appRoot: string
  /** process.resourcesPath when packaged (holds app.asar, sidecar/, uv/); null in the source checkout. */
  resourcesPath: string | null
  /** The app's data folder, shared by the app and the CLI (project/dataDir.ts: WAN_STUDIO_HOME or the platform's). */
  dataDir: string
  env: NodeJS.ProcessEnv
}

export interface AppPaths {
  layout: AppLayout
  platform: NodeJS.Platform
  /** The Python sidecar package's folder (the sidecar runs `python -m wan_sidecar` with this as cwd). */
  sidecarDir: string
  /** The pinned requirement sets (base.txt, engine.txt, test.txt, ...). */
  requirementsDir: string
  /** The pinned `uv` binary: shipped in <resources>/uv when packaged, fetched by scripts/fetch-uv.mjs in the checkout. */
  uvBinary: string
  /** Where the engine environment lives: <repo>/.engine, or <dataDir>/engine when packaged. */
  engineDir: string
  engineVenvDir: string
  /** The venv's interpreter (Scripts\python.exe on Windows, bin/python elsewhere). */
  engineVenvPython: string
  /** uv's managed Pythons (UV_PYTHON_INSTALL_DIR) and download cache (UV_CACHE_DIR), kept with the engine. */
  uvPythonDir: string
  uvCacheDir: string
  /** The last engine set-up's log. */
  engineSetupLog: string
  /** Where ffmpeg-static's binary is: inside app.asar.unpacked when packaged (FFMPEG_BIN still wins, media/ffmpegPath.ts). */
  ffmpegStaticBinary: string
  dataDir: string
  /** Where the app puts weights it downloads (the models folder setting still wins). */
  defaultModelsDir: string
}

export class AppPathsError extends Error {}

/** The folder names electron-builder's ${os} macro gives, used for build/uv/<os>-<arch>. */
const BUILDER_OS: Partial<Record<NodeJS.Platform, string>> = { linux: 'linux', darwin: 'mac', win32: 'win' }

/** build/uv/<os>-<arch>: where scripts/fetch-uv.mjs puts uv and electron-builder takes it from. */
export function uvBuildFolderName(platform: NodeJS.Platform, arch: NodeJS.Architecture): string {
  const os = BUILDER_OS[platform]
  if (!os) throw new AppPathsError(`Wan Studio runs on linux, win32 and darwin, not ${platform}`)
  return `${os}-${arch}`
}

export function pathFlavour(platform: NodeJS.Platform): PlatformPath {
  return platform === 'win32' ? win32 : posix
}

/** An environment override must be absolute: a relative one would depend on the working folder. */
function absoluteOverride(path: PlatformPath, env: NodeJS.ProcessEnv, name: string): string | null {
  const value = env[name]
  if (!value) return null
  if (!path.isAbsolute(value)) throw new AppPathsError(`${name} must be an absolute path, but it is "${value}"`)
  return path.normalize(value)
}

function requireAbsolute(path: PlatformPath, value: string, what: string): string {
  if (!path.isAbsolute(value)) throw new AppPathsError(`${what} must be an absolute path, but it is "${value}"`)
  return path.normalize(value)
}

export function resolveAppPaths(input: AppPathsInput): AppPaths {
  const path = pathFlavour(input.platform)
  const exe = input.platform === 'win32' ? '.exe' : ''
  const { env, layout } = input
  const dataDir = requireAbsolute(path, input.dataDir, 'the data folder')

  let sidecarDir: string
  let bundledUv: string
  let defaultEngineDir: string
  let ffmpegStaticBinary: string
  if (layout === 'packaged') {
    if (!input.resourcesPath) throw new AppPathsError('the packaged layout needs the resources folder (process.resourcesPath)')
    const resources = requireAbsolute(path, input.resourcesPath, 'the resources folder')
    sidecarDir = path.join(resources, 'sidecar')
    bundledUv = path.join(resources, 'uv', `uv${exe}`)
    // The install folder is read-only for the user (Program Files, /opt, a mounted AppImage).
    defaultEngineDir = path.join(dataDir, 'engine')
    // asarUnpack (electron-builder.yml) puts the binary next to the archive, where it can be spawned.
    ffmpegStaticBinary = path.join(resources, 'app.asar.unpacked', 'node_modules', 'ffmpeg-static', `ffmpeg${exe}`)
  } else {
    const root = requireAbsolute(path, input.appRoot, 'the app root')
    sidecarDir = path.join(root, 'resources', 'sidecar')
    bundledUv = path.join(root, 'build', 'uv', uvBuildFolderName(input.platform, input.arch), `uv${exe}`)
    defaultEngineDir = path.join(root, '.engine')
    ffmpegStaticBinary = path.join(root, 'node_modules', 'ffmpeg-static', `ffmpeg${exe}`)
  }

  const engineDir = absoluteOverride(path, env, 'WAN_STUDIO_ENGINE_DIR') ?? defaultEngineDir
  const engineVenvDir = path.join(engineDir, 'venv')
  return {
    layout,
    platform: input.platform,
    sidecarDir,
    requirementsDir: path.join(sidecarDir, 'requirements'),
    uvBinary: absoluteOverride(path, env, 'WAN_STUDIO_UV') ?? bundledUv,
    engineDir,
    engineVenvDir,
    engineVenvPython: input.platform === 'win32' ? path.join(engineVenvDir, 'Scripts', 'python.exe') : path.join(engineVenvDir, 'bin', 'python'),
    uvPythonDir: path.join(engineDir, 'python'),
    uvCacheDir: path.join(engineDir, 'uv-cache'),
    engineSetupLog: path.join(engineDir, 'setup.log'),
    ffmpegStaticBinary,
    dataDir,
    defaultModelsDir: path.join(dataDir, 'models')
  }
}

/** The paths for this process's platform and architecture. */
export function appPathsForThisMachine(input: Omit<AppPathsInput, 'platform' | 'arch'>): AppPaths {
  return resolveAppPaths({ ...input, platform: process.platform, arch: process.arch })
}
