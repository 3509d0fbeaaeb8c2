#!/usr/bin/env node
// node scripts/check-package.mjs <unpacked app's resources folder> [--platform linux|win32|darwin] [--arch x64|arm64]
//
// After `npm run package` (or `electron-builder --dir`): checks that everything the packaged app
// looks for (src/main/appPaths, packaged layout) is in the resources folder electron-builder made,
// e.g. dist/linux-unpacked/resources, dist/win-unpacked/resources, dist/mac-arm64/Wan Studio.app/Contents/Resources.
import { accessSync, constants, existsSync, statSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { loadSource } from './loadSource.mjs'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { platform: { type: 'string', default: process.platform }, arch: { type: 'string', default: process.arch } }
})
if (positionals.length !== 1) {
  console.error('usage: node scripts/check-package.mjs <resources folder> [--platform P] [--arch A]')
  process.exit(2)
}
const resources = resolve(positionals[0])
const { resolveAppPaths } = await loadSource('check-package', ["export { resolveAppPaths } from './src/main/appPaths/appPaths'"])
const paths = resolveAppPaths({ layout: 'packaged', platform: values.platform, arch: values.arch, appRoot: resources, resourcesPath: resources, dataDir: resolve('/nonexistent-data'), env: {} })

const executable = (path) => {
  if (values.platform === 'win32') return true
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}
const checks = [
  ['the sidecar package', `${paths.sidecarDir}/wan_sidecar/__main__.py`, 'file'],
  ['the pinned requirements', `${paths.requirementsDir}/base.txt`, 'file'],
  ['the bundled uv', paths.uvBinary, 'executable'],
  ["ffmpeg-static's ffmpeg (unpacked from the asar)", paths.ffmpegStaticBinary, 'executable'],
  ['the app archive', `${resources}/app.asar`, 'file']
]
let failed = 0
for (const [what, path, kind] of checks) {
  const ok = existsSync(path) && statSync(path).isFile() && (kind !== 'executable' || executable(path))
  console.log(`${ok ? 'ok  ' : 'MISSING'} ${what}: ${path}`)
  if (!ok) failed++
}
if (existsSync(`${paths.sidecarDir}/tests`)) {
  console.log(`EXTRA   the sidecar's tests were shipped: ${paths.sidecarDir}/tests`)
  failed++
}
process.exit(failed ? 1 : 0)
