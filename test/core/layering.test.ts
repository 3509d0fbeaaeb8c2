// "Core never imports electron": only the Electron wiring and the preload may.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
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
