// electron-builder.yml checked without packing (packing needs Electron's download): the config passes
// electron-builder's own schema, and what it ships lands where src/main/appPaths looks for it.
import { existsSync, readFileSync } from 'node:fs'
import { join, posix } from 'node:path'
import { pathToFileURL } from 'node:url'
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config'
import type { Configuration, FileSet } from 'electron-builder'
import { describe, expect, it } from 'vitest'
import { resolveAppPaths, uvBuildFolderName } from '../../src/main/appPaths/appPaths'

const repo = join(__dirname, '..', '..')

/** What the tests use of scripts/fetch-uv.mjs (plain JavaScript, so typed here). */
interface FetchUvScript {
  WHEEL_TAGS: Record<string, string>
  wheelFileName: (platform: string, arch: string) => string
  targetFolder: (platform: string, arch: string) => string
  checkSha256: (bytes: Uint8Array, expected: string, what: string) => void
  beforePack: (context: { electronPlatformName: string; arch: number }) => Promise<void>
}
const { beforePack, checkSha256, targetFolder, WHEEL_TAGS, wheelFileName } = (await import(pathToFileURL(join(repo, 'scripts', 'fetch-uv.mjs')).href)) as FetchUvScript
const loadConfig = (): Promise<Configuration> => getConfig(repo, join(repo, 'electron-builder.yml'), null)
const extraResource = (config: Configuration, to: string): FileSet => {
  const entry = (config.extraResources as FileSet[]).find((set) => set.to === to)
  if (!entry) throw new Error(`no extraResources entry for ${to}`)
  return entry
}
/** electron-builder's ${os} and ${arch} macros for one target. */
const expand = (pattern: string, os: string, arch: string): string => pattern.replace('${os}', os).replace('${arch}', arch)

describe('electron-builder.yml', () => {
  it("passes electron-builder's schema and builds AppImage + deb, NSIS and dmg", async () => {
    const config = await loadConfig()
    const debugLogger = { isEnabled: false, add: () => undefined } as never
    await expect(validateConfiguration(config, debugLogger)).resolves.toBeUndefined()
    // The schema check is real: a misspelt key fails it.
    await expect(validateConfiguration({ ...config, extraResource: [] } as Configuration, debugLogger)).rejects.toThrow(/extraResource/)
    expect(config.linux?.target).toEqual(['AppImage', 'deb'])
    expect(config.win?.target).toEqual(['nsis'])
    expect(config.mac?.target).toEqual(['dmg'])
  })

  it('ships the sidecar (without its tests) where the packaged paths look for it', async () => {
    const sidecar = extraResource(await loadConfig(), 'sidecar')
    expect(existsSync(join(repo, sidecar.from!, 'wan_sidecar', '__main__.py'))).toBe(true)
    expect(existsSync(join(repo, sidecar.from!, 'requirements', 'base.txt'))).toBe(true)
    expect(sidecar.filter).toEqual(expect.arrayContaining(['!tests/**', '!**/__pycache__/**']))
    const paths = resolveAppPaths({ layout: 'packaged', platform: 'linux', arch: 'x64', appRoot: '/r', resourcesPath: '/opt/Wan Studio/resources', dataDir: '/d', env: {} })
    expect(paths.sidecarDir).toBe(posix.join('/opt/Wan Studio/resources', sidecar.to!))
    expect(paths.requirementsDir).toBe(posix.join('/opt/Wan Studio/resources', sidecar.to!, 'requirements'))
  })

  it('ships uv from build/uv/<os>-<arch>, the folder fetch-uv fills and the checkout runs it from, for every target', async () => {
    const config = await loadConfig()
    const uv = extraResource(config, 'uv')
    for (const target of Object.keys(WHEEL_TAGS)) {
      const [platform, arch] = target.split('-') as [NodeJS.Platform, NodeJS.Architecture]
      const os = uvBuildFolderName(platform, arch).split('-')[0]!
      expect(join(repo, expand(uv.from!, os, arch))).toBe(targetFolder(platform, arch))
      const exe = platform === 'win32' ? 'uv.exe' : 'uv'
      expect(uv.filter).toContain(exe)
      const resources = platform === 'win32' ? 'C:\\Wan\\resources' : '/wan/resources'
      const paths = resolveAppPaths({ layout: 'packaged', platform, arch, appRoot: resources, resourcesPath: resources, dataDir: platform === 'win32' ? 'C:\\d' : '/d', env: {} })
      expect(paths.uvBinary).toBe((platform === 'win32' ? (p: string[]) => p.join('\\') : (p: string[]) => p.join('/'))([resources, uv.to!, exe]))
      const source = resolveAppPaths({ layout: 'source', platform, arch, appRoot: repo, resourcesPath: null, dataDir: '/d', env: {} })
      if (platform !== 'win32') expect(source.uvBinary).toBe(join(targetFolder(platform, arch), exe))
      expect(wheelFileName(platform, arch)).toMatch(/^uv-\d+\.\d+\.\d+-py3-none-.+\.whl$/)
    }
    // beforePack fetches it before extraResources are copied.
    expect(config.beforePack).toBe('./scripts/fetch-uv.mjs')
    expect(typeof beforePack).toBe('function')
  })

  it('keeps ffmpeg-static out of the asar, at the path the packaged layout spawns', async () => {
    const config = await loadConfig()
    expect(config.asarUnpack).toContain('node_modules/ffmpeg-static/**')
    const packageJson = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }
    expect(packageJson.dependencies['ffmpeg-static']).toBeDefined()
    const paths = resolveAppPaths({ layout: 'packaged', platform: 'darwin', arch: 'arm64', appRoot: '/A', resourcesPath: '/A/Contents/Resources', dataDir: '/d', env: {} })
    expect(paths.ffmpegStaticBinary).toBe('/A/Contents/Resources/app.asar.unpacked/node_modules/ffmpeg-static/ffmpeg')
  })

  it('refuses a packing for another platform, whose ffmpeg-static binary would be the wrong one', async () => {
    const other = process.platform === 'linux' ? 'win32' : 'linux'
    await expect(beforePack({ electronPlatformName: other, arch: 1 })).rejects.toThrow(/build each platform on that platform/)
  })
})

describe('fetch-uv', () => {
  it('refuses a wheel whose sha256 differs from PyPI\'s', () => {
    const bytes = new TextEncoder().encode('not the wheel')
    expect(() => checkSha256(bytes, '0'.repeat(64), 'uv.whl')).toThrow(/uv\.whl: sha256 is [0-9a-f]{64}, PyPI says 0{64}; not using it/)
  })

  it('knows no wheel for a platform the app does not run on', () => {
    expect(() => wheelFileName('freebsd', 'x64')).toThrow('no uv wheel for freebsd-x64')
  })
})
