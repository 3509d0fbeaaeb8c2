// Benchmarks run the TypeScript source as it is, without an app build: `loadSource` bundles the
// given export lines with esbuild (vite's own dependency) into node_modules/.cache and imports it.
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build } from 'esbuild'

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..')

/**
 * `name` keeps each script's bundle apart; `exportLines` are `export { x } from './src/...'` lines;
 * `options` are more esbuild options (a `define`, say).
 */
export async function loadSource(name, exportLines, options = {}) {
  const outfile = join(repoRoot, 'node_modules', '.cache', 'wan-studio-bench', `${name}.mjs`)
  await build({
    stdin: { contents: exportLines.join('\n'), resolveDir: repoRoot, loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    outfile,
    logLevel: 'warning',
    ...options
  })
  return import(pathToFileURL(outfile).href)
}
