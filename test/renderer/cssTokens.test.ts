// Every colour lives in tokens.css: a literal colour anywhere else is a palette nobody can change in one place.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const stylesDir = join(__dirname, '../../src/renderer/src/styles')
const literalColour = /#[0-9a-fA-F]{3,8}\b|\b(?:rgba?|hsla?)\(/g

function cssFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? cssFiles(join(dir, entry.name)) : entry.name.endsWith('.css') ? [join(dir, entry.name)] : []
  )
}

describe('renderer styles', () => {
  it('hold no literal colour outside tokens.css', () => {
    const files = cssFiles(join(stylesDir, '..')).filter((file) => !file.endsWith('/styles/tokens.css'))
    expect(files.length).toBeGreaterThan(10)
    const found = files.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, index) => (line.match(literalColour) ? [`${file}:${index + 1}: ${line.trim()}`] : []))
    )
    expect(found).toEqual([])
  })

  it('define every token they use', () => {
    const tokens = readFileSync(join(stylesDir, 'tokens.css'), 'utf8')
    const defined = new Set([...tokens.matchAll(/--([\w-]+):/g)].map((match) => match[1]))
    const used = cssFiles(stylesDir).flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/var\(--([\w-]+)/g)].map((match) => match[1]))
    expect(used.filter((name) => !defined.has(name))).toEqual([])
  })
})
