// The library file as the user names it: found through links at its real place, and refused
// when it is not a regular file (issue 10).
import { execFileSync } from 'node:child_process'
import {
  closeSync,
  constants,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  realpathSync,
  rmSync,
  symlinkSync,
} from 'node:fs'
import { createServer } from 'node:net'
import type { Server } from 'node:net'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { LibraryDamagedError, LibraryError } from '../../electron/core/errors'
import { keepAside } from '../../electron/core/safety/recovery'
import { LibrarySession } from '../../electron/core/safety/session'
import { Library } from '../../electron/core/store/library'
import { lectern } from '../helpers/cli'
import { SAMPLE, fixedClock, tempDir } from '../helpers/fixtures'

const byTitle = { field: 'title', direction: 'asc' } as const
const unix = process.platform !== 'win32'

/** A closed library of the sample in a folder of its own; the id of its first paper by title. */
async function sampleLibrary(name = 'library.sqlite'): Promise<{ path: string; id: number }> {
  const path = join(tempDir(), name)
  const lib = await Library.open(path, { now: fixedClock() })
  lib.importText('sample.txt', SAMPLE)
  const id = lib.listPapers({ sort: byTitle, offset: 0, limit: 1 }).rows[0]!.id
  lib.close()
  return { path, id }
}

/** What `open` rejects with (it must reject). */
async function refusal(open: () => Promise<unknown>): Promise<Error> {
  try {
    await open()
  } catch (error) {
    return error as Error
  }
  throw new Error('it opened')
}

const cleanUps: (() => void)[] = []
afterEach(() => {
  while (cleanUps.length) cleanUps.pop()!()
})

/**
 * A named pipe at `path`. The test holds it open for writing as well, so that a Lectern that did
 * open it to read would get an empty read instead of waiting forever for a writer: the test then
 * fails rather than hangs.
 */
function fifoAt(path: string): string {
  execFileSync('mkfifo', [path])
  const fd = openSync(path, constants.O_RDWR)
  cleanUps.push(() => closeSync(fd))
  return path
}

/** A listening Unix socket at `path`. */
async function socketAt(path: string): Promise<string> {
  const server: Server = createServer()
  await new Promise<void>((resolve) => server.listen(path, resolve))
  cleanUps.push(() => server.close())
  return path
}

describe('a library opened through a symbolic link', () => {
  it('writes beside the real file: the link stays a link and the real library has the change', async () => {
    const { path: real, id } = await sampleLibrary()
    const link = join(tempDir(), 'link.sqlite')
    symlinkSync(real, link)
    const lib = await Library.open(link, { now: fixedClock() })
    expect(lib.path).toBe(realpathSync(real))
    lib.setStatus(id, 'read')
    lib.checkpoint() // a snapshot: the rename that used to replace the link
    lib.setNote(id, 'kept in the journal beside the real file')
    lib.close()
    expect(lstatSync(link).isSymbolicLink()).toBe(true)
    expect(readdirSync(join(link, '..'))).toEqual(['link.sqlite'])
    const again = await Library.open(real, { readOnly: true })
    expect(again.getPaper(id)).toMatchObject({
      status: 'read',
      note: 'kept in the journal beside the real file',
    })
    again.close()
  })

  it('takes the one lock of the real file, whichever name opens it', async () => {
    const { path: real } = await sampleLibrary()
    const link = join(tempDir(), 'link.sqlite')
    symlinkSync(real, link)
    const first = await Library.open(link, { owner: 'the first program' })
    const second = await refusal(() => Library.open(real, { owner: 'the second program' }))
    first.close()
    expect(second).toBeInstanceOf(LibraryError)
    expect(second.message).toContain('in use by the first program')
  })

  it('a library not made yet in a linked folder is made in the real folder', async () => {
    const real = tempDir()
    const link = join(tempDir(), 'linked')
    symlinkSync(real, link)
    const lib = await Library.open(join(link, 'new', 'library.sqlite'))
    lib.importText('sample.txt', SAMPLE)
    lib.close()
    expect(lib.path).toBe(join(realpathSync(real), 'new', 'library.sqlite'))
    expect(readdirSync(join(real, 'new')).sort()).toEqual([
      'library.sqlite',
      'library.sqlite.journal',
      'library.sqlite.sum',
    ])
  })

  it('a backup is not written over the library, by its real name or through the link', async () => {
    const { path: real } = await sampleLibrary()
    const link = join(tempDir(), 'link.sqlite')
    symlinkSync(real, link)
    const bytes = readFileSync(real)
    const session = await LibrarySession.start(link, { owner: 'test', now: fixedClock() })
    try {
      for (const file of [real, link, `${real}.journal`]) {
        await expect(session.backupNow(file)).rejects.toThrow(
          `${file} is one of the library's own files; back up to another place`,
        )
      }
    } finally {
      session.close()
    }
    expect(readFileSync(real).equals(bytes)).toBe(true)
  })

  it('refuses a link whose target is missing, and creates nothing there', async () => {
    const target = join(tempDir(), 'gone', 'library.sqlite')
    const link = join(tempDir(), 'link.sqlite')
    symlinkSync(target, link)
    const error = await refusal(() => Library.open(link))
    expect(error).toBeInstanceOf(LibraryError)
    expect(error.message).toBe(
      `the library ${link} is a link to ${target}, which does not exist; connect the disk it is on, or remove the link`,
    )
    expect(lstatSync(link).isSymbolicLink()).toBe(true)
    expect(existsSync(join(target, '..'))).toBe(false)
  })

  it('through the command line: a change made through the link is in the real library, backups beside it', async () => {
    const { path: real, id } = await sampleLibrary()
    const link = join(tempDir(), 'link.sqlite')
    symlinkSync(real, link)
    expect((await lectern('--library', link, 'set', String(id), '--status', 'read')).code).toBe(0)
    expect((await lectern('--library', link, 'backup')).code).toBe(0)
    expect(lstatSync(link).isSymbolicLink()).toBe(true)
    expect(readdirSync(join(link, '..'))).toEqual(['link.sqlite'])
    expect(readdirSync(join(real, '..', 'backups'))).toHaveLength(1)
    const shown = await lectern('--library', real, 'show', String(id), '--json')
    expect(JSON.parse(shown.out)).toMatchObject({ status: 'read' })
  })
})

describe.skipIf(!unix)('a library path that is not a regular file', () => {
  const kinds: [string, (dir: string) => Promise<string>, RegExp][] = [
    [
      'a folder',
      async (dir) => {
        mkdirSync(join(dir, 'library.sqlite'))
        return join(dir, 'library.sqlite')
      },
      /is a folder, not a library file; name the library file in it \(for example .*library\.sqlite\/library\.sqlite\)$/,
    ],
    [
      'a character device (through a link)',
      async (dir) => {
        symlinkSync('/dev/zero', join(dir, 'zero.sqlite'))
        return join(dir, 'zero.sqlite')
      },
      /zero\.sqlite \(a link to \/dev\/zero\) is a character device, not a library file; Lectern reads and writes only regular files$/,
    ],
    [
      'a named pipe',
      async (dir) => fifoAt(join(dir, 'pipe.sqlite')),
      /pipe\.sqlite is a named pipe \(FIFO\), not a library file/,
    ],
    [
      'a socket',
      async (dir) => socketAt(join(dir, 'socket.sqlite')),
      /socket\.sqlite is a socket, not a library file/,
    ],
  ]

  for (const [kind, make, message] of kinds) {
    it(`refuses ${kind} before reading it, for writing and for reading, and leaves nothing beside it`, async () => {
      const dir = tempDir()
      const path = await make(dir)
      const before = readdirSync(dir)
      for (const options of [{}, { readOnly: true }]) {
        const error = await refusal(() => Library.open(path, options))
        expect(error).toBeInstanceOf(LibraryError)
        expect(error).not.toBeInstanceOf(LibraryDamagedError)
        expect(error.message).toMatch(message)
      }
      expect(readdirSync(dir)).toEqual(before)
    })
  }

  it('refuses a journal, checksum or lock file that is not a regular file, naming it', async () => {
    // Folders where a pipe would leave the unchanged code reading forever (it read both whole).
    const cases: [string, string, (file: string) => void, string][] = [
      ['.journal', 'journal', fifoAt, 'a named pipe (FIFO)'],
      ['.sum', 'checksum file', (file) => mkdirSync(file), 'a folder'],
      ['.lock', 'lock file', (file) => mkdirSync(file), 'a folder'],
    ]
    for (const [suffix, label, make, kind] of cases) {
      const { path } = await sampleLibrary()
      const node = `${path}${suffix}`
      rmSync(node, { force: true })
      make(node)
      const error = await refusal(() => Library.open(path))
      expect(error).toBeInstanceOf(LibraryError)
      expect(error).not.toBeInstanceOf(LibraryDamagedError)
      expect(error.message).toBe(
        `the library's ${label} ${node} is ${kind}, not a regular file; move it away and open the library again`,
      )
      expect(lstatSync(node).isFile()).toBe(false)
    }
  })

  it('the command line says what is wrong with a folder given as the library', async () => {
    const dir = tempDir()
    const folder = join(dir, 'lib')
    mkdirSync(folder)
    const listed = await lectern('--library', folder, 'list')
    expect(listed.code).toBe(1)
    expect(listed.err).toBe(
      `lectern: ${folder} is a folder, not a library file; name the library file in it (for example ${join(folder, 'library.sqlite')})\n`,
    )
  })

  it('`recover --empty` never moves a node that is not a regular file', async () => {
    const { path } = await sampleLibrary()
    rmSync(`${path}.journal`)
    const pipe = fifoAt(`${path}.journal`)
    const recovered = await lectern('--library', path, 'recover', '--empty')
    expect(recovered.code).toBe(1)
    expect(recovered.err).toContain('is a named pipe (FIFO), not a regular file')
    expect(lstatSync(pipe).isFIFO()).toBe(true)
    expect(readdirSync(join(path, '..')).sort()).toEqual(
      ['library.sqlite', 'library.sqlite.journal', 'library.sqlite.sum'].sort(),
    )
  })

  it('keeping files aside refuses to move a node that is not a regular file', () => {
    const path = fifoAt(join(tempDir(), 'library.sqlite'))
    expect(() => keepAside(path, 'damaged', new Date('2026-11-30T12:00:00Z'))).toThrow(
      `the library file ${path} is a named pipe (FIFO), not a regular file; move it away and open the library again`,
    )
    expect(lstatSync(path).isFIFO()).toBe(true)
  })

  it('a backup is neither restored from nor written over a node that is not a regular file', async () => {
    const { path } = await sampleLibrary()
    const session = await LibrarySession.start(path, { owner: 'test', now: fixedClock() })
    try {
      const pipe = fifoAt(join(tempDir(), 'backup.sqlite'))
      await expect(session.restoreFrom(pipe)).rejects.toThrow(
        `${pipe} is a named pipe (FIFO), not a regular file`,
      )
      await expect(session.backupNow(pipe)).rejects.toThrow(
        `${pipe} is a named pipe (FIFO), not a regular file`,
      )
      expect(lstatSync(pipe).isFIFO()).toBe(true)
      expect(session.get().stats().total).toBe(95)
    } finally {
      session.close()
    }
  })
})
