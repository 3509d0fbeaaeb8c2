import { describe, expect, it } from 'vitest'
import { AppPathsError, resolveAppPaths, uvBuildFolderName, type AppPathsInput } from '../../src/main/appPaths/appPaths'

// Where each platform's installer puts the app, and where defaultDataDir puts the data.
const packaged: Record<'linux' | 'win32' | 'darwin', Omit<AppPathsInput, 'env'>> = {
  linux: {
    layout: 'packaged',
    platform: 'linux',
    arch: 'x64',
    appRoot: '/tmp/.mount_WanStuXYZ/resources',
    resourcesPath: '/tmp/.mount_WanStuXYZ/resources',
    dataDir: '/home/ada/.local/share/wan-studio'
  },
  win32: {
    layout: 'packaged',
    platform: 'win32',
    arch: 'x64',
    appRoot: 'C:\\Users\\Ada\\AppData\\Local\\Programs\\Wan Studio\\resources',
    resourcesPath: 'C:\\Users\\Ada\\AppData\\Local\\Programs\\Wan Studio\\resources',
    dataDir: 'C:\\Users\\Ada\\AppData\\Roaming\\Wan Studio'
  },
  darwin: {
    layout: 'packaged',
    platform: 'darwin',
    arch: 'arm64',
    appRoot: '/Applications/Wan Studio.app/Contents/Resources',
    resourcesPath: '/Applications/Wan Studio.app/Contents/Resources',
    dataDir: '/Users/ada/Library/Application Support/Wan Studio'
  }
}

describe('resolveAppPaths, packaged layout', () => {
  it('Linux (AppImage mount or /opt for the deb): everything shipped under resources, the engine in the data folder', () => {
    expect(resolveAppPaths({ ...packaged.linux, env: {} })).toEqual({
      layout: 'packaged',
      platform: 'linux',
      sidecarDir: '/tmp/.mount_WanStuXYZ/resources/sidecar',
      requirementsDir: '/tmp/.mount_WanStuXYZ/resources/sidecar/requirements',
      uvBinary: '/tmp/.mount_WanStuXYZ/resources/uv/uv',
      engineDir: '/home/ada/.local/share/wan-studio/engine',
      engineVenvDir: '/home/ada/.local/share/wan-studio/engine/venv',
      engineVenvPython: '/home/ada/.local/share/wan-studio/engine/venv/bin/python',
      uvPythonDir: '/home/ada/.local/share/wan-studio/engine/python',
      uvCacheDir: '/home/ada/.local/share/wan-studio/engine/uv-cache',
      engineSetupLog: '/home/ada/.local/share/wan-studio/engine/setup.log',
      ffmpegStaticBinary: '/tmp/.mount_WanStuXYZ/resources/app.asar.unpacked/node_modules/ffmpeg-static/ffmpeg',
      dataDir: '/home/ada/.local/share/wan-studio',
      defaultModelsDir: '/home/ada/.local/share/wan-studio/models'
    })
  })

  it('Windows (NSIS per-user install): backslashes, .exe binaries, Scripts\\python.exe', () => {
    const resources = 'C:\\Users\\Ada\\AppData\\Local\\Programs\\Wan Studio\\resources'
    const engine = 'C:\\Users\\Ada\\AppData\\Roaming\\Wan Studio\\engine'
    expect(resolveAppPaths({ ...packaged.win32, env: {} })).toEqual({
      layout: 'packaged',
      platform: 'win32',
      sidecarDir: `${resources}\\sidecar`,
      requirementsDir: `${resources}\\sidecar\\requirements`,
      uvBinary: `${resources}\\uv\\uv.exe`,
      engineDir: engine,
      engineVenvDir: `${engine}\\venv`,
      engineVenvPython: `${engine}\\venv\\Scripts\\python.exe`,
      uvPythonDir: `${engine}\\python`,
      uvCacheDir: `${engine}\\uv-cache`,
      engineSetupLog: `${engine}\\setup.log`,
      ffmpegStaticBinary: `${resources}\\app.asar.unpacked\\node_modules\\ffmpeg-static\\ffmpeg.exe`,
      dataDir: 'C:\\Users\\Ada\\AppData\\Roaming\\Wan Studio',
      defaultModelsDir: 'C:\\Users\\Ada\\AppData\\Roaming\\Wan Studio\\models'
    })
  })

  it('macOS (.app bundle from the dmg): Contents/Resources, the engine in Application Support', () => {
    const resources = '/Applications/Wan Studio.app/Contents/Resources'
    const engine = '/Users/ada/Library/Application Support/Wan Studio/engine'
    expect(resolveAppPaths({ ...packaged.darwin, env: {} })).toMatchObject({
      sidecarDir: `${resources}/sidecar`,
      requirementsDir: `${resources}/sidecar/requirements`,
      uvBinary: `${resources}/uv/uv`,
      engineDir: engine,
      engineVenvPython: `${engine}/venv/bin/python`,
      ffmpegStaticBinary: `${resources}/app.asar.unpacked/node_modules/ffmpeg-static/ffmpeg`,
      defaultModelsDir: '/Users/ada/Library/Application Support/Wan Studio/models'
    })
  })

  it('needs the resources folder', () => {
    expect(() => resolveAppPaths({ ...packaged.linux, resourcesPath: null, env: {} })).toThrow(/resources folder/)
  })
})

describe('resolveAppPaths, source checkout', () => {
  it('Linux: the repository holds the sidecar, .engine and the fetched uv (unchanged from before)', () => {
    const paths = resolveAppPaths({ layout: 'source', platform: 'linux', arch: 'x64', appRoot: '/src/wan-studio', resourcesPath: null, dataDir: '/data', env: {} })
    expect(paths).toMatchObject({
      layout: 'source',
      sidecarDir: '/src/wan-studio/resources/sidecar',
      requirementsDir: '/src/wan-studio/resources/sidecar/requirements',
      uvBinary: '/src/wan-studio/build/uv/linux-x64/uv',
      engineDir: '/src/wan-studio/.engine',
      engineVenvPython: '/src/wan-studio/.engine/venv/bin/python',
      ffmpegStaticBinary: '/src/wan-studio/node_modules/ffmpeg-static/ffmpeg',
      defaultModelsDir: '/data/models'
    })
  })

  it('Windows: build\\uv\\win-x64\\uv.exe and the venv\'s Scripts\\python.exe', () => {
    const paths = resolveAppPaths({ layout: 'source', platform: 'win32', arch: 'x64', appRoot: 'D:\\code\\wan-studio', resourcesPath: null, dataDir: 'C:\\data', env: {} })
    expect(paths).toMatchObject({
      sidecarDir: 'D:\\code\\wan-studio\\resources\\sidecar',
      uvBinary: 'D:\\code\\wan-studio\\build\\uv\\win-x64\\uv.exe',
      engineDir: 'D:\\code\\wan-studio\\.engine',
      engineVenvPython: 'D:\\code\\wan-studio\\.engine\\venv\\Scripts\\python.exe',
      ffmpegStaticBinary: 'D:\\code\\wan-studio\\node_modules\\ffmpeg-static\\ffmpeg.exe'
    })
  })

  it('macOS on Apple silicon: build/uv/mac-arm64 (electron-builder\'s ${os}-${arch})', () => {
    const paths = resolveAppPaths({ layout: 'source', platform: 'darwin', arch: 'arm64', appRoot: '/Users/ada/wan-studio', resourcesPath: null, dataDir: '/d', env: {} })
    expect(paths.uvBinary).toBe('/Users/ada/wan-studio/build/uv/mac-arm64/uv')
    expect(paths.engineVenvPython).toBe('/Users/ada/wan-studio/.engine/venv/bin/python')
  })
})

describe('overrides and bad input', () => {
  it('WAN_STUDIO_ENGINE_DIR moves the engine in both layouts; WAN_STUDIO_UV picks another uv', () => {
    const env = { WAN_STUDIO_ENGINE_DIR: 'E:\\engine', WAN_STUDIO_UV: 'C:\\tools\\uv.exe' }
    const paths = resolveAppPaths({ ...packaged.win32, env })
    expect(paths.engineVenvPython).toBe('E:\\engine\\venv\\Scripts\\python.exe')
    expect(paths.uvPythonDir).toBe('E:\\engine\\python')
    expect(paths.uvBinary).toBe('C:\\tools\\uv.exe')
    const source = resolveAppPaths({ layout: 'source', platform: 'linux', arch: 'x64', appRoot: '/r', resourcesPath: null, dataDir: '/d', env: { WAN_STUDIO_ENGINE_DIR: '/opt/engine/' } })
    expect(source.engineDir).toBe('/opt/engine/')
    expect(source.engineVenvPython).toBe('/opt/engine/venv/bin/python')
  })

  it('refuses a relative override, naming the variable', () => {
    expect(() => resolveAppPaths({ ...packaged.linux, env: { WAN_STUDIO_ENGINE_DIR: 'engine' } })).toThrow(AppPathsError)
    expect(() => resolveAppPaths({ ...packaged.linux, env: { WAN_STUDIO_ENGINE_DIR: 'engine' } })).toThrow('WAN_STUDIO_ENGINE_DIR must be an absolute path, but it is "engine"')
    expect(() => resolveAppPaths({ ...packaged.win32, env: { WAN_STUDIO_UV: 'tools\\uv.exe' } })).toThrow(/WAN_STUDIO_UV/)
  })

  it('refuses relative folders from the caller', () => {
    expect(() => resolveAppPaths({ ...packaged.linux, dataDir: 'data', env: {} })).toThrow(/data folder must be an absolute path/)
    expect(() => resolveAppPaths({ layout: 'source', platform: 'linux', arch: 'x64', appRoot: '.', resourcesPath: null, dataDir: '/d', env: {} })).toThrow(/app root/)
  })

  it('names the platforms it runs on', () => {
    expect(uvBuildFolderName('linux', 'arm64')).toBe('linux-arm64')
    expect(() => uvBuildFolderName('freebsd', 'x64')).toThrow('Wan Studio runs on linux, win32 and darwin, not freebsd')
  })
})
