import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { loadProject, MIGRATIONS, PROJECT_FILE_EXTENSION, ProjectFileError, saveProject } from '../../src/main/project/projectFile'
import { newShot, PROJECT_FORMAT_VERSION } from '../../src/shared/project'
import { threeShots } from './projectFixtures'

// Pass-throughs, so single tests can make a rename, write or read fail the way a disk does.
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>()
  return { ...actual, open: vi.fn(actual.open), rename: vi.fn(actual.rename), readFile: vi.fn(actual.readFile) }
})
const fs = await import('node:fs/promises')
const actualFs = await vi.importActual<typeof import('node:fs/promises')>('node:fs/promises')

const failure = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: simulated`), { code })

let dir: string
let file: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wan-project-'))
  file = join(dir, `film${PROJECT_FILE_EXTENSION}`)
})
afterEach(async () => {
  vi.clearAllMocks()
  await rm(dir, { recursive: true, force: true })
})

async function writeJson(value: unknown): Promise<void> {
  await writeFile(file, JSON.stringify(value, null, 2))
}

/** The message loadProject refuses `file` with (and that it is a ProjectFileError for that file). */
async function loadError(): Promise<string> {
  const error = await loadProject(file).then(
    () => null,
    (thrown: unknown) => thrown
  )
  expect(error).toBeInstanceOf(ProjectFileError)
  expect((error as ProjectFileError).path).toBe(file)
  return (error as Error).message
}

describe('saveProject and loadProject', () => {
  it('round-trip a project as pretty JSON in a .wanproj file', async () => {
    const project = threeShots({ b: { join: { kind: 'continue' } }, c: { join: { kind: 'crossfade', frames: 8 }, trim: { in: 2, out: 30 } } })
    await saveProject(file, project)
    expect(await loadProject(file)).toEqual(project)
    const text = await readFile(file, 'utf8')
    expect(text).toMatch(/^{\n {2}"formatVersion": 2,\n/)
    expect(text.endsWith('}\n')).toBe(true)
    expect(PROJECT_FILE_EXTENSION).toBe('.wanproj')
  })

  it('replaces an existing file and leaves no temp file', async () => {
    await saveProject(file, threeShots())
    await saveProject(file, { ...threeShots(), name: 'Second cut' })
    expect((await loadProject(file)).name).toBe('Second cut')
    expect(await readdir(dir)).toEqual(['film.wanproj'])
  })

  it('refuses to save an invalid project and writes nothing', async () => {
    const broken = { ...threeShots(), shots: [newShot('a', { seconds: 1, trim: { in: 0, out: 30 } })] }
    await expect(saveProject(file, broken)).rejects.toThrow(
      `${file}: not saved, the project is invalid: shots[0].trim.out: trim out 30 is past the shot's last frame (16 frames)`
    )
    expect(await readdir(dir)).toEqual([])
  })

  it('keeps the old file whole and leaves no temp file when the rename or the write fails', async () => {
    await saveProject(file, threeShots())
    const before = await readFile(file, 'utf8')
    vi.mocked(fs.rename).mockRejectedValueOnce(failure('EXDEV'))
    await expect(saveProject(file, { ...threeShots(), name: 'Lost' })).rejects.toThrow(`${file}: not saved: EXDEV: simulated`)
    vi.mocked(fs.open).mockImplementationOnce(async (...args: Parameters<typeof actualFs.open>) => {
      const handle = await actualFs.open(...args)
      handle.writeFile = () => Promise.reject(failure('ENOSPC'))
      return handle
    })
    await expect(saveProject(file, { ...threeShots(), name: 'Lost' })).rejects.toThrow(`${file}: not saved: no space left on device (ENOSPC)`)
    expect(await readFile(file, 'utf8')).toBe(before)
    expect(await readdir(dir)).toEqual(['film.wanproj'])
  })

  it('says why a save could not happen: a folder in the way, a missing folder', async () => {
    await mkdir(file)
    await expect(saveProject(file, threeShots())).rejects.toThrow(`${file}: not saved: a folder has that name`)
    expect(await readdir(dir)).toEqual(['film.wanproj'])
    const nowhere = join(dir, 'missing', 'film.wanproj')
    await expect(saveProject(nowhere, threeShots())).rejects.toThrow(`${nowhere}: not saved: its folder doesn't exist`)
  })
})

describe('loadProject refuses a damaged file, naming the file and the place', () => {
  it('a missing file, a folder, an unreadable file', async () => {
    expect(await loadError()).toBe(`${file}: not found`)
    await mkdir(file)
    expect(await loadError()).toBe(`${file}: a folder, not a project file`)
    vi.mocked(fs.readFile).mockRejectedValueOnce(failure('EACCES'))
    expect(await loadError()).toBe(`${file}: can't be read: permission denied`)
    vi.mocked(fs.readFile).mockRejectedValueOnce(failure('EIO'))
    expect(await loadError()).toBe(`${file}: can't be read: EIO: simulated`)
  })

  it('an empty file, invalid UTF-8 and binary garbage', async () => {
    await writeFile(file, '')
    expect(await loadError()).toBe(`${file}: the file is empty`)
    await writeFile(file, ' \n\t')
    expect(await loadError()).toBe(`${file}: the file is empty`)
    await writeFile(file, Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]))
    expect(await loadError()).toBe(`${file}: not UTF-8 text, so not a Wan Studio project`)
    await writeFile(file, Buffer.from('PK\u0003\u0004 some zip', 'latin1'))
    expect(await loadError()).toBe(`${file}: not valid JSON at line 1, column 1 (Unexpected token 'P')`)
  })

  it('truncated JSON and syntax errors, with the line and column', async () => {
    await saveProject(file, threeShots())
    const text = await readFile(file, 'utf8')
    const cut = text.slice(0, text.indexOf('"prompt": ') + '"prompt": '.length)
    await writeFile(file, cut)
    const lines = cut.split('\n')
    expect(await loadError()).toBe(`${file}: not valid JSON at line ${lines.length}, column ${lines.at(-1)!.length + 1} (Unexpected end of JSON input)`)
    await writeFile(file, '{\n  "formatVersion": 1,\n  "name": }\n')
    expect(await loadError()).toBe(`${file}: not valid JSON at line 3, column 11 (Unexpected token '}')`)
    await writeFile(file, '{\n  "formatVersion": 1,\n}')
    expect(await loadError()).toBe(`${file}: not valid JSON at line 3, column 1 (Expected double-quoted property name)`)
  })

  it('JSON that is not an object', async () => {
    for (const [value, found] of [[[], 'an array'], [null, 'null'], [3, 'a number'], ['film', 'a string']] as const) {
      await writeJson(value)
      expect(await loadError()).toBe(`${file}: holds ${found}, not a Wan Studio project`)
    }
  })

  it('a missing, malformed, newer or unknown formatVersion', async () => {
    const { formatVersion: _, ...unversioned } = threeShots()
    await writeJson(unversioned)
    expect(await loadError()).toBe(`${file}: no formatVersion, so not a Wan Studio project`)
    await writeJson({ ...threeShots(), formatVersion: '1' })
    expect(await loadError()).toBe(`${file}: formatVersion "1" is not a format number`)
    await writeJson({ ...threeShots(), formatVersion: 3 })
    expect(await loadError()).toBe(`${file}: written by a newer Wan Studio (format 3); this version reads up to format 2`)
    await writeJson({ ...threeShots(), formatVersion: -1 })
    expect(await loadError()).toBe(`${file}: format -1 is unknown; this version reads formats 0 to 2`)
  })

  it('fields of the wrong type, deep inside, with their paths', async () => {
    const project = threeShots()
    await writeJson({ ...project, shots: [project.shots[0], { ...project.shots[1], trim: { in: 0, out: 'end' } }, project.shots[2]] })
    expect(await loadError()).toBe(`${file}: invalid fields: shots[1].trim.out: Invalid input: expected number, received string`)
    await writeJson({ ...project, name: '', settings: { size: 'huge' }, shots: [{ id: 'x' }] })
    const message = await loadError()
    expect(message).toMatch(new RegExp(`^${file}: invalid fields: name: project name is empty; settings.size: Invalid option: .*; shots\\[0\\]\\.prompt: .* \\(and \\d+ more\\)$`))
  })

  it('cross-field problems: duplicate shot ids, a trim past the end', async () => {
    const project = threeShots()
    await writeJson({ ...project, shots: project.shots.with(2, { ...project.shots[2]!, id: 'a' }) })
    expect(await loadError()).toBe(`${file}: inconsistent: shots[2].id: shot id "a" is used twice`)
    await writeJson({ ...project, shots: project.shots.with(0, { ...project.shots[0]!, trim: { in: 0, out: 90 } }) })
    expect(await loadError()).toBe(`${file}: inconsistent: shots[0].trim.out: trim out 90 is past the shot's last frame (80 frames)`)
  })

  it('accepts a file that starts with a byte order mark', async () => {
    await writeFile(file, `\uFEFF${JSON.stringify(threeShots())}`)
    expect(await loadProject(file)).toEqual(threeShots())
  })
})

describe('migrations', () => {
  it('cover every format older than the current one', () => {
    expect(Object.keys(MIGRATIONS).map(Number)).toEqual(Array.from({ length: PROJECT_FORMAT_VERSION }, (_, version) => version))
  })

  it('open a format 0 render request as a one-shot project', async () => {
    await writeJson({ formatVersion: 0, prompt: 'a fox in snow', seconds: 3.5, seed: 42 })
    expect(await loadProject(file)).toEqual({
      formatVersion: 2,
      name: 'Untitled',
      settings: { size: '1280x720' },
      shots: [newShot('shot-1', { prompt: 'a fox in snow', seconds: 3.5, seed: 42 })]
    })
    await writeJson({ formatVersion: 0, prompt: 'a fox', negativePrompt: '', seconds: 1, engine: 'synthetic', steps: 4 })
    expect((await loadProject(file)).shots[0]).toMatchObject({ negativePrompt: '', engine: 'synthetic', steps: 4, seed: null })
  })

  it('open a format 1 file (written by the release before render modes) with every shot in quality mode at full size', async () => {
    const fixture = join(import.meta.dirname, 'fixtures', 'format-1.wanproj')
    const original = JSON.parse(await readFile(fixture, 'utf8')) as { formatVersion: number; shots: Record<string, unknown>[] }
    expect(original.formatVersion).toBe(1)
    const project = await loadProject(fixture)
    expect(project.formatVersion).toBe(PROJECT_FORMAT_VERSION)
    expect(project.shots.map((shot) => [shot.mode, shot.draft])).toEqual([
      ['quality', false],
      ['quality', false],
      ['quality', false]
    ])
    // Nothing else changes: the shots are the format 1 shots plus the two new fields.
    expect(project.shots).toEqual(original.shots.map((shot) => ({ ...shot, mode: 'quality', draft: false })))
    expect({ ...project, shots: [] }).toEqual({ ...original, formatVersion: 2, shots: [] })
    // Saved again, it is a format 2 file that loads unchanged.
    await saveProject(file, project)
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ formatVersion: 2 })
    expect(await loadProject(file)).toEqual(project)
  })

  it('refuse a format 1 file whose shots are not a list, in that format’s terms', async () => {
    await writeJson({ formatVersion: 1, name: 'x', settings: { size: '1280x720' }, shots: 'none' })
    expect(await loadError()).toBe(`${file}: invalid format 1 fields: shots: shots must be a list of shots`)
  })

  it('refuse a format 2 shot without its mode or draft fields', async () => {
    const project = threeShots()
    const { mode: _mode, draft: _draft, ...formatOneShot } = project.shots[1]!
    await writeJson({ ...project, shots: project.shots.with(1, formatOneShot as never) })
    expect(await loadError()).toMatch(new RegExp(`^${file}: invalid fields: shots\\[1\\]\\.mode: .*; shots\\[1\\]\\.draft: draft must be true or false$`))
  })

  it('refuse a format 0 file with invalid fields, in that format’s terms', async () => {
    await writeJson({ formatVersion: 0, prompt: ' ', seconds: 400 })
    expect(await loadError()).toBe(
      `${file}: invalid format 0 fields: prompt: prompt is empty: describe the shot to render; seconds: seconds must be at most 300`
    )
  })
})
