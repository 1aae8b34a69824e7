// Files the system opens with Lectern: the installers claim exactly the formats the main process
// takes, paths are found on command lines, read only when they are regular files within the
// bound, and held until the window's page can take them.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parse } from 'yaml'
import { EventEmitter } from 'node:events'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { OPENED_EXTENSIONS, isClaimedPath, isOpenedFile } from '../../shared/openedFiles'
import type { OpenedFile } from '../../shared/openedFiles'
import { IMPORTERS } from '../../shared/importers'
import { MAX_IMPORT_CHARS } from '../../shared/api'
import { OpenedFiles, claimedPathsIn, readOpenedFile } from '../../electron/main/openedFiles'

// The preload runs against stand-ins for Electron's contextBridge and ipcRenderer.
vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events')
  return { contextBridge: { exposeInMainWorld: () => undefined }, ipcRenderer: new Emitter() }
})
const { openedFilesBridge } = await import('../../electron/preload/index')
import { OPENED_FILE_CHANNEL } from '../../shared/openedFiles'

const ROOT = resolve(__dirname, '..', '..')

describe('the formats claimed', () => {
  it('are the ones electron-builder.yml associates with the app, and no others', () => {
    const config = parse(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as {
      fileAssociations: { ext: string | string[] }[]
    }
    const associated = config.fileAssociations.flatMap((a) => a.ext)
    expect([...associated].sort()).toEqual([...OPENED_EXTENSIONS].sort())
  })

  it('are read by an importer, and leave text, JSON and CSV to other programs', () => {
    const formats = IMPORTERS.map((i) => i.format)
    expect(formats).toEqual(expect.arrayContaining(['bibtex', 'ris']))
    for (const ext of ['txt', 'json', 'csv', 'tsv', 'xml', 'md', 'nbib', 'enw']) {
      expect(isClaimedPath(`refs.${ext}`)).toBe(false)
    }
    expect(isClaimedPath('C:\\Papers\\Refs.BIB')).toBe(true)
    expect(isClaimedPath('refs.bibtex')).toBe(true)
    expect(isClaimedPath('/papers/export.ris')).toBe(true)
    expect(isClaimedPath('bib')).toBe(false)
  })

  it('travel as a name and a text only', () => {
    expect(isOpenedFile({ name: 'a.bib', text: '@article{}' })).toBe(true)
    expect(isOpenedFile({ name: 'a.bib' })).toBe(false)
    expect(isOpenedFile('a.bib')).toBe(false)
    expect(isOpenedFile(null)).toBe(false)
  })
})

describe('paths on a command line', () => {
  it('are the claimed files, made absolute against the instance’s folder', () => {
    const cwd = resolve('/home/ada/papers')
    const argv = [
      '/opt/Lectern/lectern',
      '--allow-file-access-from-files',
      'refs.bib',
      '--flag=x.ris',
      'notes.txt',
      resolve('/downloads/export.RIS'),
    ]
    expect(claimedPathsIn(argv, cwd)).toEqual([
      join(cwd, 'refs.bib'),
      resolve('/downloads/export.RIS'),
    ])
  })

  it('do not count the program itself', () => {
    expect(claimedPathsIn(['/weird/place/lectern.bib'], '/')).toEqual([])
  })
})

describe('reading an opened file', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lectern-opened-'))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('gives its name and decoded text', async () => {
    const path = join(dir, 'refs.bib')
    writeFileSync(
      path,
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('@a{k, title={Ü}}')]),
    )
    expect(await readOpenedFile(path)).toEqual({ name: 'refs.bib', text: '@a{k, title={Ü}}' })
  })

  it('refuses a folder, a missing file and a file over the bound, naming it', async () => {
    const folder = join(dir, 'folder.bib')
    mkdirSync(folder)
    await expect(readOpenedFile(folder)).rejects.toThrow(/^folder\.bib: not a file but a folder/)
    await expect(readOpenedFile(join(dir, 'gone.ris'))).rejects.toThrow(
      /gone\.ris: cannot read it \(ENOENT\)/,
    )
    const huge = join(dir, 'huge.bib')
    writeFileSync(huge, '')
    truncateSync(huge, MAX_IMPORT_CHARS + 1)
    await expect(readOpenedFile(huge)).rejects.toThrow(/^huge\.bib: .* more than the/)
  })

  it.runIf(process.platform !== 'win32')('refuses a device without reading it', async () => {
    await expect(readOpenedFile('/dev/zero')).rejects.toThrow(/not a file but a character device/)
  })
})

describe('files waiting for the page', () => {
  const fakeRead = async (path: string): Promise<OpenedFile> => {
    if (path.includes('bad')) throw new Error(`${path}: not a file but a folder`)
    return { name: path, text: `text of ${path}` }
  }

  it('wait until a page takes them, then go in the order opened, each group together', async () => {
    const sent: OpenedFile[][] = []
    const files = new OpenedFiles(() => undefined, fakeRead)
    // macOS: open-file before the app is ready; Windows: the command line of the first instance.
    await files.add(['a.bib'])
    await files.add(['b.ris', 'c.bib'])
    expect(sent).toEqual([])
    await files.attach((group) => sent.push(group))
    await files.add(['d.bib'])
    expect(sent.map((group) => group.map((f) => f.name))).toEqual([
      ['a.bib'],
      ['b.ris', 'c.bib'],
      ['d.bib'],
    ])
  })

  it('wait again while there is no page, and none is sent twice', async () => {
    const sent: string[] = []
    const files = new OpenedFiles(() => undefined, fakeRead)
    await files.attach((group) => sent.push(...group.map((f) => f.name)))
    files.detach()
    await files.add(['later.bib'])
    expect(sent).toEqual([])
    await files.attach((group) => sent.push(...group.map((f) => f.name)))
    await files.attach((group) => sent.push(...group.map((f) => f.name)))
    expect(sent).toEqual(['later.bib'])
  })

  it('report a file that cannot be read and send the rest of its group', async () => {
    const sent: string[] = []
    const reports: string[] = []
    const files = new OpenedFiles((message) => reports.push(message), fakeRead)
    await files.attach((group) => sent.push(...group.map((f) => f.name)))
    await files.add(['bad.bib', 'good.ris'])
    await files.add(['bad2.bib'])
    expect(sent).toEqual(['good.ris'])
    expect(reports).toEqual([
      'bad.bib: not a file but a folder',
      'bad2.bib: not a file but a folder',
    ])
  })
})

describe('the preload’s opened files', () => {
  const A = { name: 'a.bib', text: '@a{k}' }
  const B = { name: 'b.ris', text: 'TY  - JOUR' }

  it('keeps files sent before the page listens, then passes each group on at once', () => {
    const ipc = new EventEmitter()
    const bridge = openedFilesBridge(ipc as never)
    ipc.emit(OPENED_FILE_CHANNEL, {}, [A])
    const got: string[][] = []
    const stop = bridge.onOpen((files) => got.push(files.map((f) => f.name)))
    expect(got).toEqual([['a.bib']])
    ipc.emit(OPENED_FILE_CHANNEL, {}, [A, B])
    expect(got).toEqual([['a.bib'], ['a.bib', 'b.ris']])
    stop()
    ipc.emit(OPENED_FILE_CHANNEL, {}, [B])
    expect(got).toHaveLength(2)
  })

  it('drops anything that is not a list of named texts, and the IPC event with it', () => {
    const ipc = new EventEmitter()
    const got: unknown[] = []
    openedFilesBridge(ipc as never).onOpen((...args) => got.push(args))
    for (const bad of [null, 'a.bib', [], [{ name: 'a.bib' }], [A, 3]]) {
      ipc.emit(OPENED_FILE_CHANNEL, { sender: ipc }, bad)
    }
    ipc.emit(OPENED_FILE_CHANNEL, { sender: ipc }, [A])
    expect(got).toEqual([[[A]]])
  })
})
