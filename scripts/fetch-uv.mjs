#!/usr/bin/env node
// node scripts/fetch-uv.mjs [--platform linux|win32|darwin] [--arch x64|arm64] [--force]
//
// Puts the pinned `uv` binary where the app finds it: build/uv/<os>-<arch>/uv[.exe] (electron-builder's
// ${os}-${arch}: linux-x64, win-x64, mac-arm64, ...). The source checkout runs it from there
// (src/main/appPaths) and `npm run package` ships it as <resources>/uv (electron-builder.yml).
// uv's wheels on PyPI carry the binary (uv-<version>.data/scripts/uv); the wheel is checked against
// the sha256 PyPI's JSON index (PEP 691) lists for it before anything is extracted.
import { createHash } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import yauzl from 'yauzl'

/** The uv the app is built and tested with; the engine set-up parses this version's output. */
export const UV_VERSION = '0.13.9'

const INDEX_URL = 'https://pypi.org/simple/uv/'
const root = join(dirname(fileURLToPath(import.meta.url)), '..')

/** The wheel's platform tag for each target: glibc 2.17 on Linux (the oldest uv supports), 10.12/11.0 on macOS. */
export const WHEEL_TAGS = {
  'linux-x64': 'manylinux_2_17_x86_64.manylinux2014_x86_64',
  'linux-arm64': 'manylinux_2_17_aarch64.manylinux2014_aarch64.musllinux_1_1_aarch64',
  'win32-x64': 'win_amd64',
  'win32-arm64': 'win_arm64',
  'darwin-x64': 'macosx_10_12_x86_64',
  'darwin-arm64': 'macosx_11_0_arm64'
}
const BUILDER_OS = { linux: 'linux', win32: 'win', darwin: 'mac' }

export function wheelFileName(platform, arch, version = UV_VERSION) {
  const tag = WHEEL_TAGS[`${platform}-${arch}`]
  if (!tag) throw new Error(`no uv wheel for ${platform}-${arch}; targets: ${Object.keys(WHEEL_TAGS).join(', ')}`)
  return `uv-${version}-py3-none-${tag}.whl`
}

export function targetFolder(platform, arch) {
  return join(root, 'build', 'uv', `${BUILDER_OS[platform]}-${arch}`)
}

/** The wheel's entry in PyPI's JSON index: { url, hashes: { sha256 }, size }. */
export async function findWheel(fileName, fetchImpl = fetch) {
  const response = await fetchImpl(INDEX_URL, { headers: { Accept: 'application/vnd.pypi.simple.v1+json' } })
  if (!response.ok) throw new Error(`${INDEX_URL} answered ${response.status} ${response.statusText}`)
  const index = await response.json()
  const entry = index.files?.find((file) => file.filename === fileName)
  if (!entry) throw new Error(`PyPI lists no ${fileName} (is uv ${UV_VERSION} still on PyPI?)`)
  if (!/^[0-9a-f]{64}$/.test(entry.hashes?.sha256 ?? '')) throw new Error(`PyPI lists no sha256 for ${fileName}`)
  return entry
}

export function checkSha256(bytes, expected, what) {
  const actual = createHash('sha256').update(bytes).digest('hex')
  if (actual !== expected) throw new Error(`${what}: sha256 is ${actual}, PyPI says ${expected}; not using it`)
}

/** The bytes of one member of a zip held in memory. */
export function readZipMember(zipBytes, memberName) {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zipBytes, { lazyEntries: true }, (openError, zip) => {
      if (openError) return reject(openError)
      zip.on('error', reject)
      zip.on('end', () => reject(new Error(`the wheel holds no ${memberName}`)))
      zip.on('entry', (entry) => {
        if (entry.fileName !== memberName) return zip.readEntry()
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError) return reject(streamError)
          const chunks = []
          stream.on('data', (chunk) => chunks.push(chunk))
          stream.on('error', reject)
          stream.on('end', () => {
            zip.close()
            resolve(Buffer.concat(chunks))
          })
        })
      })
      zip.readEntry()
    })
  })
}

/** Writes uv into its folder atomically (temp + rename), with a stamp saying which wheel it came from. */
function install(folder, binaryName, bytes, stamp) {
  mkdirSync(folder, { recursive: true })
  const target = join(folder, binaryName)
  const temporary = `${target}.partial`
  writeFileSync(temporary, bytes, { mode: 0o755 })
  chmodSync(temporary, 0o755)
  renameSync(temporary, target)
  writeFileSync(join(folder, 'uv-version.json'), `${JSON.stringify(stamp, null, 2)}\n`)
  return target
}

export async function fetchUv({ platform, arch, force = false, log = console.log }) {
  const fileName = wheelFileName(platform, arch)
  const folder = targetFolder(platform, arch)
  const binaryName = platform === 'win32' ? 'uv.exe' : 'uv'
  const stampFile = join(folder, 'uv-version.json')
  if (!force && existsSync(join(folder, binaryName)) && existsSync(stampFile)) {
    const stamp = JSON.parse(readFileSync(stampFile, 'utf8'))
    if (stamp.wheel === fileName) {
      log(`uv ${UV_VERSION} for ${platform}-${arch} is already in ${folder}`)
      return join(folder, binaryName)
    }
  }
  const wheel = await findWheel(fileName)
  log(`downloading ${wheel.url} (${Math.round(wheel.size / 1e6)} MB)`)
  const response = await fetch(wheel.url)
  if (!response.ok) throw new Error(`${wheel.url} answered ${response.status} ${response.statusText}`)
  const bytes = Buffer.from(await response.arrayBuffer())
  checkSha256(bytes, wheel.hashes.sha256, fileName)
  const binary = await readZipMember(bytes, `uv-${UV_VERSION}.data/scripts/${binaryName}`)
  const target = install(folder, binaryName, binary, { version: UV_VERSION, wheel: fileName, sha256: wheel.hashes.sha256 })
  log(`uv ${UV_VERSION} -> ${target}`)
  return target
}

async function main() {
  const { values } = parseArgs({
    options: {
      platform: { type: 'string', default: process.platform },
      arch: { type: 'string', default: process.arch },
      force: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false }
    }
  })
  if (values.help) {
    console.log('node scripts/fetch-uv.mjs [--platform linux|win32|darwin] [--arch x64|arm64] [--force]')
    return
  }
  await fetchUv({ platform: values.platform, arch: values.arch, force: values.force })
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error) => {
    console.error(`fetch-uv failed: ${error.message}`)
    process.exitCode = 1
  })
}

/** builder-util's Arch enum, by value. */
const BUILDER_ARCH = ['ia32', 'x64', 'armv7l', 'arm64', 'universal']

/**
 * electron-builder's beforePack hook (electron-builder.yml): fetches uv for the platform and arch
 * being packed, before extraResources are copied. ffmpeg-static holds only this machine's ffmpeg,
 * so a build for another platform or arch is refused rather than shipped with the wrong binary,
 * and so is a build whose ffmpeg-static never downloaded its binary.
 */
export async function beforePack(context) {
  const platform = context.electronPlatformName
  const arch = BUILDER_ARCH[context.arch]
  if (platform !== process.platform || arch !== process.arch) {
    throw new Error(
      `packaging for ${platform}-${arch} on ${process.platform}-${process.arch}: ffmpeg-static downloaded only ` +
        "this machine's ffmpeg, so build each platform on that platform (docs/packaging.md)"
    )
  }
  const ffmpeg = join(root, 'node_modules', 'ffmpeg-static', platform === 'win32' ? 'ffmpeg.exe' : 'ffmpeg')
  if (!existsSync(ffmpeg)) {
    throw new Error(`${ffmpeg} is missing: ffmpeg-static downloads it when installed; run \`npm rebuild ffmpeg-static\` with network access`)
  }
  await fetchUv({ platform, arch })
}
