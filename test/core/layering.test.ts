// "Core never imports electron": only the Electron wiring and the preload may. The full layer map
// (docs/ARCHITECTURE.md) is enforced by ESLint's import-x/no-restricted-paths; the last block here
// proves that rule actually fires.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { ESLint } from 'eslint'
import tseslint from 'typescript-eslint'
import { describe, expect, it } from 'vitest'

const root = join(__dirname, '..', '..')
const ALLOWED = [join('src', 'main', 'electron') + sep, join('src', 'main', 'index.ts'), join('src', 'preload', 'index.ts')]
const IMPORTS_ELECTRON = /(?:from\s+['"]electron(?:\/[^'"]*)?['"]|require\(\s*['"]electron['"]\s*\)|import\(\s*['"]electron['"]\s*\))/

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return /\.(ts|tsx|mts|cts|js|mjs)$/.test(name) ? [path] : []
  })
}

describe('layering', () => {
  it('imports electron only from the Electron wiring and the preload', () => {
    const offenders = sourceFiles(join(root, 'src'))
      .map((path) => relative(root, path))
      .filter((path) => !ALLOWED.some((allowed) => path === allowed || path.startsWith(allowed)))
      .filter((path) => IMPORTS_ELECTRON.test(readFileSync(join(root, path), 'utf8')))
    expect(offenders).toEqual([])
  })

  it('keeps the renderer and shared code free of main-process modules', () => {
    const offenders = [...sourceFiles(join(root, 'src', 'renderer')), ...sourceFiles(join(root, 'src', 'shared'))]
      .filter((path) => /from\s+['"][./]*\/main\//.test(readFileSync(path, 'utf8')) || /from\s+['"]node:/.test(readFileSync(path, 'utf8')))
      .map((path) => relative(root, path))
    expect(offenders).toEqual([])
  })

  it('would catch an offending import (the detector itself works)', () => {
    expect(IMPORTS_ELECTRON.test("import { app } from 'electron'")).toBe(true)
    expect(IMPORTS_ELECTRON.test("const { ipcMain } = require('electron')")).toBe(true)
    expect(IMPORTS_ELECTRON.test("import type { WebContents } from 'electron/main'")).toBe(true)
    expect(IMPORTS_ELECTRON.test("import { x } from 'electron-vite'")).toBe(false)
  })
})

describe('the layer map in eslint.config.mjs', () => {
  // The repository's own config, without type information (the snippets exist only in memory) and
  // with only the layer rule, so nothing else can make these pass or fail.
  const eslint = new ESLint({
    cwd: root,
    overrideConfig: tseslint.configs.disableTypeChecked,
    ruleFilter: ({ ruleId }) => ruleId === 'import-x/no-restricted-paths'
  })

  /** Lints `code` as if it were the file at `path`; returns the layer rule's messages. */
  async function layerErrors(path: string, code: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath: join(root, path) })
    return result!.messages.map((message) => `${message.ruleId}: ${message.message}`)
  }

  // Whatever render module exists today (render is being rewritten); the rule skips imports it
  // can't resolve, so the target must be a real file.
  const renderModule = readdirSync(join(root, 'src', 'main', 'render'))
    .filter((name) => name.endsWith('.ts'))
    .sort()[0]!
    .replace(/\.ts$/, '')

  it('reports the planner importing render (an upper layer)', async () => {
    expect(await layerErrors('src/main/planner/layeringProbe.ts', `import * as render from '../render/${renderModule}'\nexport const probe = render\n`)).toEqual([
      expect.stringMatching(/^import-x\/no-restricted-paths: .*src\/main\/planner is pure planning/)
    ])
  })

  it('reports gpu importing the planner (the cycle that was removed) and the renderer importing main', async () => {
    expect(await layerErrors('src/main/gpu/layeringProbe.ts', "import { planRender } from '../planner/planner'\nexport const probe = planRender\n")).toHaveLength(1)
    expect(await layerErrors('src/renderer/src/layeringProbe.ts', "import { doctor } from '../../main/doctor/doctor'\nexport const probe = doctor\n")).toHaveLength(1)
  })

  it('allows what the map allows', async () => {
    const code = "import type { Plan } from '../../shared/plan'\nimport { WAN_MODELS } from './wanModels'\nexport const probe: [Plan | null, unknown] = [null, WAN_MODELS]\n"
    expect(await layerErrors('src/main/planner/layeringProbe.ts', code)).toEqual([])
    expect(await layerErrors('src/main/doctor/layeringProbe.ts', "import { planRender } from '../planner/planner'\nimport { probeGpus } from '../gpu/probe'\nexport const probe = [planRender, probeGpus]\n")).toEqual([])
  })
})
