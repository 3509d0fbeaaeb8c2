// ESLint 9 flat config. `npm run lint` runs it over src, test, scripts and the build config.
//
// Besides the usual correctness rules it enforces the layer map of docs/ARCHITECTURE.md: a lower
// layer never imports an upper one (the idea of VS Code's code-import-patterns). Each layer below
// lists what it MAY import; anything else under src/ is reported. npm packages are not restricted
// here (only Node builtins and electron, further down). test/core/layering.test.ts proves it fires.
import { builtinModules } from 'node:module'
import { fileURLToPath } from 'node:url'
import js from '@eslint/js'
import { defineConfig } from 'eslint/config'
import { createNodeResolver, importX } from 'eslint-plugin-import-x'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'

const root = fileURLToPath(new URL('.', import.meta.url))

/** Paths are relative to the repository root; a folder covers everything under it. */
const MAIN = ['core', 'cli', 'electron', 'batch', 'doctor', 'render', 'queue', 'sidecar', 'media', 'project', 'planner', 'gpu', 'telemetry', 'appPaths', 'models', 'engineSetup', 'prompting'].map((name) => `src/main/${name}`)
const mainExcept = (...names) => [...MAIN.filter((dir) => !names.some((name) => dir === `src/main/${name}`)), 'src/main/index.ts']

/**
 * The layer map, lowest first: target -> what it may import (besides npm packages), and why.
 * Keep in step with docs/ARCHITECTURE.md.
 */
const LAYERS = [
  // Both processes and the renderer read it, so it can depend on nothing of theirs.
  { target: 'src/shared', may: ['src/shared'], why: 'src/shared is the bottom layer: it imports only src/shared.' },
  // Probing the hardware needs no plan; the planner and the doctor sit above it.
  { target: 'src/main/gpu', may: ['src/shared', 'src/main/gpu'], why: 'src/main/gpu only probes the hardware: it imports src/shared and src/main/gpu.' },
  // Pure planning: facts in, plan out. The one exception is the calibration store writing its file
  // atomically (the same helper media uses); it reads no other module of the app.
  {
    target: 'src/main/planner',
    may: ['src/shared', 'src/main/planner', 'src/main/project/atomicFile.ts'],
    why: 'src/main/planner is pure planning: it imports src/shared, src/main/planner and project/atomicFile.ts only (the doctor, not the planner, calls the probes).'
  },
  // Settings, data folder, atomic writes: used by everyone, so it uses no one.
  { target: 'src/main/project', may: ['src/shared', 'src/main/project'], why: 'src/main/project is a leaf: it imports src/shared and src/main/project only.' },
  // ffmpeg and media files; writes its outputs atomically.
  {
    target: 'src/main/media',
    may: ['src/shared', 'src/main/media', 'src/main/project/atomicFile.ts'],
    why: 'src/main/media imports src/shared, src/main/media and project/atomicFile.ts only.'
  },
  // The Python process and its JSON-RPC; knows nothing about plans beyond the shared types.
  { target: 'src/main/sidecar', may: ['src/shared', 'src/main/sidecar'], why: 'src/main/sidecar imports src/shared and src/main/sidecar only.' },
  // Probe + plan + verdicts: the one place that needs both gpu and planner.
  {
    target: 'src/main/doctor',
    may: ['src/shared', 'src/main/doctor', 'src/main/gpu', 'src/main/planner'],
    why: 'src/main/doctor imports src/shared, gpu, planner and doctor only.'
  },
  // Render jobs talk to the engine through a function the Studio passes in, never to the sidecar.
  {
    target: 'src/main/render',
    may: ['src/shared', 'src/main/render', 'src/main/media', 'src/main/project', 'src/main/planner'],
    why: 'src/main/render imports src/shared, render, media, project and planner only (the engine comes in as a function, not through src/main/sidecar).'
  },
  // The render queue persists itself through project; it runs jobs through callbacks.
  { target: 'src/main/queue', may: ['src/shared', 'src/main/queue', 'src/main/project'], why: 'src/main/queue imports src/shared, queue and project only.' },
  // Batches: prompt lists into queue jobs; below core (the Studio comes in as an interface).
  {
    target: 'src/main/batch',
    may: ['src/shared', 'src/main/batch', 'src/main/queue', 'src/main/media', 'src/main/project'],
    why: 'src/main/batch imports src/shared, batch, queue, media and project only (the Studio comes in as the BatchStudio interface).'
  },
  // Telemetry out: the Prometheus registry and its HTTP endpoint, fed by the Studio's events.
  { target: 'src/main/telemetry', may: ['src/shared', 'src/main/telemetry'], why: 'src/main/telemetry imports src/shared and src/main/telemetry only (the core feeds it).' },
  // Where everything is, in the source checkout and the packaged app: pure, so it imports nothing of the app.
  { target: 'src/main/appPaths', may: ['src/shared', 'src/main/appPaths'], why: 'src/main/appPaths is pure path logic: it imports src/shared and src/main/appPaths only.' },
  // Finding weights where people keep them (HF cache, ComfyUI folders): reads folders, nothing else.
  { target: 'src/main/models', may: ['src/shared', 'src/main/models'], why: 'src/main/models imports src/shared and src/main/models only.' },
  // Prompt language, translation and extension: the sidecar's prompt.* methods come in as a function.
  { target: 'src/main/prompting', may: ['src/shared', 'src/main/prompting'], why: 'src/main/prompting imports src/shared and src/main/prompting only (the sidecar call comes in as a function).' },
  // Building the engine environment with uv: probes the GPU for torch's CUDA build, runs commands in a
  // process group with a guard (media), locks the engine folder, starts the sidecar to check it.
  {
    target: 'src/main/engineSetup',
    may: ['src/shared', 'src/main/engineSetup', 'src/main/gpu', 'src/main/sidecar', 'src/main/media/childGuard.ts', 'src/main/media/pathLock.ts', 'src/main/project/atomicFile.ts'],
    why: 'src/main/engineSetup imports src/shared, engineSetup, gpu, sidecar, media/childGuard.ts, media/pathLock.ts and project/atomicFile.ts only.'
  },
  // The Studio wires the layers together for the app, the CLI and the tests.
  { target: 'src/main/core', may: ['src/shared', ...mainExcept('electron', 'cli')], why: 'src/main/core may not import src/main/electron or src/main/cli (the CLI and tests run it without Electron).' },
  // The CLI sits on the Studio, without Electron.
  { target: 'src/main/cli', may: ['src/shared', ...mainExcept('electron')], why: 'src/main/cli may not import src/main/electron (it runs under plain Node).' },
  // The Electron wiring and entry: anything in main but the CLI.
  {
    target: ['src/main/electron', 'src/main/index.ts'],
    may: ['src/shared', ...mainExcept('cli')],
    why: 'The Electron wiring may not import src/main/cli, the preload or the renderer.'
  },
  // The preload exposes the IPC contract and nothing else.
  { target: 'src/preload', may: ['src/shared', 'src/preload'], why: 'src/preload imports src/shared only.' },
  // The renderer reaches main only through the preload's bridge (window.wanStudio), never by import.
  { target: 'src/renderer', may: ['src/shared', 'src/renderer'], why: 'src/renderer imports src/shared and src/renderer only; it reaches main through window.wanStudio (the preload).' }
]

const layerZones = LAYERS.map(({ target, may, why }) => ({
  target,
  from: 'src',
  // no-restricted-paths resolves exceptions against `from`.
  except: may.map((path) => `./${path.slice('src/'.length)}`),
  message: why
}))

const ELECTRON_ONLY = 'Only src/main/electron, src/main/index.ts and the preload import electron.'
const noElectron = { paths: [{ name: 'electron', message: ELECTRON_ONLY }], patterns: [{ group: ['electron/*'], message: ELECTRON_ONLY }] }
const BROWSER_TOO = 'No Node builtins here: this code also runs in the renderer.'
const noElectronNorNode = {
  paths: [...noElectron.paths, ...builtinModules.filter((name) => !name.startsWith('_')).map((name) => ({ name, message: BROWSER_TOO }))],
  patterns: [...noElectron.patterns, { group: ['node:*'], message: BROWSER_TOO }]
}

export default defineConfig(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'resources/**', 'shared/**', 'test/fixtures/**/*.json'] },

  js.configs.recommended,
  // Type-aware: catches floating promises, promises passed where callbacks return void, `any`
  // leaking out of JSON.parse. The whole lint takes about 28 s of CPU with it, 8 s without.
  ...tseslint.configs.recommendedTypeChecked,
  { languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: root } } },
  // Plain JavaScript (scripts, fixtures, this file) belongs to no tsconfig.
  { files: ['**/*.{js,mjs,cjs}'], ...tseslint.configs.disableTypeChecked },

  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { 'import-x': importX },
    settings: {
      // import-x follows imports into .ts/.tsx files (no-cycle reads them) only when told they are modules.
      'import-x/extensions': ['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx', '.mts', '.cts'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.mts', '.cts', '.d.ts', '.js', '.mjs', '.cjs', '.json'] })]
    },
    rules: {
      // `let child` declared before the closures that read it, assigned once after them, is deliberate.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // `_` marks an argument a signature needs but the body doesn't use.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }]
    }
  },

  // Node-side code: the main process, the preload, tests, scripts, the CLI launcher, build configs.
  {
    files: ['src/main/**', 'src/preload/**', 'test/**', 'scripts/**', '*.config.{ts,mjs}', 'bin/**'],
    languageOptions: { globals: { ...globals.node } }
  },
  {
    files: ['test/**'],
    // vitest's asymmetric matchers (expect.any, expect.objectContaining) are typed `any`, and
    // `toEqual({ tags: expect.objectContaining(...) })` is how tests say "at least these".
    rules: { '@typescript-eslint/no-unsafe-assignment': 'off' }
  },
  { files: ['src/renderer/**'], languageOptions: { globals: { ...globals.browser } } },
  // CommonJS (bin/wan-studio.cjs) loads modules with require; that is its module system.
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' }, rules: { '@typescript-eslint/no-require-imports': 'off' } },

  // The layer map, and no import cycles anywhere in main.
  {
    files: ['src/**/*.{ts,tsx,mts,cts}'],
    rules: { 'import-x/no-restricted-paths': ['error', { basePath: root, zones: layerZones }] }
  },
  // Unbounded depth: over src/main it takes about 1.5 s, so no maxDepth.
  {
    files: ['src/main/**/*.ts'],
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] }
  },

  // Only the Electron wiring, the entry and the preload may import electron.
  {
    files: ['src/**'],
    ignores: ['src/main/electron/**', 'src/main/index.ts', 'src/preload/**'],
    rules: { 'no-restricted-imports': ['error', noElectron] }
  },
  // Shared code and the renderer also run in the browser: no Node builtins either (this block
  // replaces the one above for them, so it repeats electron).
  { files: ['src/shared/**', 'src/renderer/**'], rules: { 'no-restricted-imports': ['error', noElectronNorNode] } },

  // React: the hooks rules, for the renderer only.
  { files: ['src/renderer/**/*.{ts,tsx}'], ...reactHooks.configs.flat.recommended }
)
