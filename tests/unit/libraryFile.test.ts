// The library file as the user names it: found through links at its real place, refused when it
// is not a regular file, and left alone when the user made it read-only (issue 10).
import { execFileSync } from 'node:child_process'
import {
  chmodSync,
  closeSync,
  constants,
  existsSync,
  lstatSync,
  mkdirSync,
  open,
  openSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { createServer } from 'node:net'
import type { Server } from 'node:net'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import { LibraryDamagedError, LibraryError } from '../../electron/core/errors'
import { keepAside } from '../../electron/core/safety/recovery'
import { LibrarySession } from '../../electron/core/safety/session'
import { putInPlace } from '../../electron/core/store/files'
import { Library } from '../../electron/core/store/library'
import { lectern, until } from '../helpers/cli'
import { SAMPLE, SYMLINKS, fixedClock, tempDir } from '../helpers/fixtures'

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

/** Permission bits of a file. */
function modeOf(path: string): number {
  return statSync(path).mode & 0o777
}

// Windows lets only Developer Mode or an administrator make links.
describe.skipIf(!SYMLINKS)('a library opened through a symbolic link', () => {
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

// The refusal rests on the permission bits, not on a write failing: running as root (as CI
// does), chmod stops no write, and the rename of a snapshot never needed the file writable.
describe.skipIf(!unix)('a library file the user made read-only', () => {
  it('is not opened for writing: the refusal names it, and the file stays as it was; reading works', async () => {
    const { path, id } = await sampleLibrary()
    chmodSync(path, 0o444)
    const bytes = readFileSync(path)
    const error = await refusal(() => Library.open(path))
    expect(error).toBeInstanceOf(LibraryError)
    expect(error.message).toBe(
      `the library file ${path} is read-only, so Lectern leaves it as it is: it can still be read (lectern list, show, search, export, stats, backup); to change it, make it writable again`,
    )
    expect(modeOf(path)).toBe(0o444)
    expect(readFileSync(path).equals(bytes)).toBe(true)
    expect(existsSync(`${path}.lock`)).toBe(false)
    const reader = await Library.open(path, { readOnly: true })
    expect(reader.getPaper(id).status).toBe('new')
    reader.close()
  })

  it('a read-only journal or checksum file is refused for writing too', async () => {
    for (const [suffix, label] of [
      ['.journal', 'journal'],
      ['.sum', 'checksum file'],
    ]) {
      const { path, id } = await sampleLibrary()
      const lib = await Library.open(path)
      lib.setStatus(id, 'read') // a journal to protect
      lib.close()
      chmodSync(`${path}${suffix}`, 0o444)
      const error = await refusal(() => Library.open(path))
      expect(error.message).toMatch(
        new RegExp(`^the library's ${label} .*${suffix} is read-only, so Lectern leaves it`),
      )
      expect(modeOf(`${path}${suffix}`)).toBe(0o444)
    }
  })

  it('through the command line: `set` is refused and the file unchanged; `show` still reads it', async () => {
    const { path, id } = await sampleLibrary()
    chmodSync(path, 0o444)
    const bytes = readFileSync(path)
    const set = await lectern('--library', path, 'set', String(id), '--status', 'read')
    expect(set.code).toBe(1)
    expect(set.err).toContain(`the library file ${path} is read-only`)
    expect(modeOf(path)).toBe(0o444)
    expect(readFileSync(path).equals(bytes)).toBe(true)
    const shown = await lectern('--library', path, 'show', String(id), '--json')
    expect(shown.code).toBe(0)
    expect(JSON.parse(shown.out)).toMatchObject({ status: 'new' })
  })

  it('a snapshot does not replace a library file made read-only while it is open; the change stays in the journal', async () => {
    const { path, id } = await sampleLibrary()
    const lib = await Library.open(path, { now: fixedClock() })
    chmodSync(path, 0o444)
    const bytes = readFileSync(path)
    lib.setStatus(id, 'read')
    expect(() => lib.checkpoint()).toThrow(
      `could not write ${path}: it is read-only (its permissions allow no writing), so Lectern leaves it as it is`,
    )
    lib.close()
    expect(modeOf(path)).toBe(0o444)
    expect(readFileSync(path).equals(bytes)).toBe(true)
    const reader = await Library.open(path, { readOnly: true })
    expect(reader.getPaper(id).status).toBe('read')
    reader.close()
  })

  it('the library file, its checksum file and its journal keep their permissions when rewritten', async () => {
    const { path, id } = await sampleLibrary()
    const seed = await Library.open(path)
    seed.setNote(id, 'a journal to keep')
    seed.close()
    // Group bits a umask of 022 would take away, so that only an explicit mode keeps them.
    const modes = { [path]: 0o660, [`${path}.sum`]: 0o620, [`${path}.journal`]: 0o640 }
    for (const [file, mode] of Object.entries(modes)) chmodSync(file, mode)
    const lib = await Library.open(path, { now: fixedClock(), snapshotThreadBytes: 0 })
    lib.setStatus(id, 'read')
    lib.checkpoint() // on this thread
    lib.setStatus(id, 'reading')
    await lib.snapshotOffThread() // on a thread of its own; the journal is rewritten after it
    lib.setNote(id, 'after both')
    lib.close()
    for (const [file, mode] of Object.entries(modes))
      expect([file, modeOf(file)]).toEqual([file, mode])
  })

  it('a backup restored in the library’s place takes the library file’s permissions', async () => {
    const { path } = await sampleLibrary()
    chmodSync(path, 0o640)
    const session = await LibrarySession.start(path, { owner: 'test', now: fixedClock() })
    try {
      const backup = await session.backupNow()
      await session.restoreFrom(backup.file)
      expect(session.get().stats().total).toBe(95)
    } finally {
      session.close()
    }
    expect(modeOf(path)).toBe(0o640)
  })
})

/** The files this process holds open that no name leads to any more ("… (deleted)"). */
function heldWithoutName(): string[] {
  const fds = '/proc/self/fd'
  return readdirSync(fds)
    .map((fd) => {
      try {
        return readlinkSync(join(fds, fd))
      } catch {
        return '' // closed meanwhile (the listing's own descriptor)
      }
    })
    .filter((target) => target.endsWith(' (deleted)'))
}

/**
 * Every thread of libuv's pool (4 unless UV_THREADPOOL_SIZE says otherwise) kept waiting, each
 * opening a named pipe no writer has opened yet, until `free` is called: what is queued behind
 * them waits that long, however slow the machine.
 */
function holdThePool(dir: string): { free: () => Promise<void> } {
  const threads = Number(process.env.UV_THREADPOOL_SIZE ?? 4)
  const pipes = Array.from({ length: threads }, (_, i) => join(dir, `pipe-${i}`))
  for (const pipe of pipes) execFileSync('mkfifo', [pipe])
  const opened = pipes.map((pipe) => promisify(open)(pipe, 'r'))
  return {
    free: async () => {
      // A writer each (there is a reader waiting, so this does not block), then every end closed.
      const writers = pipes.map((pipe) => openSync(pipe, constants.O_WRONLY | constants.O_NONBLOCK))
      for (const fd of [...(await Promise.all(opened)), ...writers]) closeSync(fd)
    },
  }
}

// Freeing a large file's blocks happens when its last name and descriptor go, in that system
// call: on a file system mounted with `discard` a rename over a written 3 GB file took 1.26 s,
// and the main thread stood still for it (the 1.43 s wait during a snapshot of 1M papers).
describe.skipIf(process.platform !== 'linux')(
  'a file replaced is let go of off the main thread',
  () => {
    it('a snapshot put in place: the old file is held across the rename, then closed on the pool', async () => {
      const dir = tempDir()
      const path = join(dir, 'library.sqlite')
      writeFileSync(path, 'the old snapshot')
      const tmp = join(dir, 'next')
      writeFileSync(tmp, 'the new snapshot')
      // The pool's threads kept waiting, so that the close waits in its queue while we look.
      const pool = holdThePool(dir)
      putInPlace(tmp, path, 'snapshot.dir')
      expect(readFileSync(path, 'utf8')).toBe('the new snapshot')
      expect(heldWithoutName()).toEqual([`${path} (deleted)`])
      await pool.free()
      await until('the old file closed', () => heldWithoutName().length === 0)
    })

    it('nothing is held when there was no file to replace', () => {
      const dir = tempDir()
      const tmp = join(dir, 'next')
      writeFileSync(tmp, 'the first snapshot')
      putInPlace(tmp, join(dir, 'library.sqlite'), 'snapshot.dir')
      expect(heldWithoutName()).toEqual([])
    })
  },
)
