// A library has a ceiling (sql.js keeps it in one array of memory): a change that would pass it
// is refused and leaves the library as it was, triage still works at the ceiling, and a library
// file over 2 GiB (which readFileSync refuses) still opens.
import { closeSync, openSync, readFileSync, truncateSync, writeFileSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { sizeWarning } from '../../shared/domain'
import type { LibraryStats } from '../../shared/domain'
import { LibraryDamagedError } from '../../electron/core/errors'
import {
  fingerprint,
  readFingerprinted,
  readWhole,
  writeTemporary,
} from '../../electron/core/store/files'
import { Library } from '../../electron/core/store/library'
import { nodeDisk, useDisk } from '../../electron/core/store/disk'
import { makeAbstract, makeDump, makeRng, makeTitle } from '../../testkit/gen'
import { lectern } from '../helpers/cli'
import { SAMPLE, fixedClock, tempDir } from '../helpers/fixtures'

const byTitle = { field: 'title', direction: 'asc' } as const

/** A Daily Papers dump of `count` papers the sample does not have. */
function newPapers(count: number, seed = 9): string {
  const rng = makeRng(seed)
  return makeDump(
    'Aug 20',
    Array.from({ length: count }, (_, i) => ({
      title: makeTitle(rng, `N${i}`),
      abstract: makeAbstract(rng, 1500),
    })),
  )
}

async function sampleWithLimit(room: number): Promise<{ path: string; lib: Library }> {
  const path = join(tempDir(), 'library.sqlite')
  const seed = await Library.open(path, { now: fixedClock() })
  seed.importText('sample.txt', SAMPLE)
  const bytes = seed.stats().size.bytes
  seed.close()
  const lib = await Library.open(path, { now: fixedClock(), limitBytes: bytes + room })
  return { path, lib }
}

describe('the size limit', () => {
  it('refuses an import that would pass it, names the sizes, and changes nothing', async () => {
    const { lib } = await sampleWithLimit(64 * 1024)
    const before = lib.stats()
    const dump = newPapers(100)
    expect(() => lib.importText('big.txt', dump)).toThrow(
      /would grow to \d+\.\d\d GB, past the \d+\.\d\d GB Lectern can hold.*nothing was changed/,
    )
    await expect(lib.importInSteps([{ source: 'big.txt', text: dump }])).rejects.toThrow(
      /nothing was changed/,
    )
    // The same counts (the size counts pages the refused import used, free again).
    const counts = (s: LibraryStats) => ({ ...s, revision: 0, size: null })
    expect(counts(lib.stats())).toEqual(counts(before))
    expect(lib.imports()).toHaveLength(1)
    lib.close()
  })

  it('refuses a change that grew the library past it, inside its transaction; triage and deletion still work', async () => {
    const { path, lib } = await sampleWithLimit(16 * 1024)
    const [first, second] = lib.listPapers({ sort: byTitle, offset: 0, limit: 2 }).rows
    const revision = lib.revision
    expect(() => lib.setNote(first!.id, 'a very long note '.repeat(20_000))).toThrow(
      /past the .* GB Lectern can hold/,
    )
    expect(lib.getPaper(first!.id).note).toBe('')
    expect(lib.revision).toBe(revision)
    // What does not grow the library passes.
    expect(lib.setStatus(first!.id, 'read').status).toBe('read')
    lib.updatePapers({ ids: [second!.id], starred: true })
    expect(lib.deletePapers([second!.id]).deleted).toBe(1)
    lib.close()
    const reopened = await Library.open(path, { readOnly: true })
    expect(reopened.getPaper(first!.id).note).toBe('')
    expect(reopened.getPaper(first!.id).status).toBe('read')
    reopened.close()
  })

  it('is reported with the size, and warned about from 80%', async () => {
    const { lib } = await sampleWithLimit(1024 * 1024)
    const { size } = lib.stats()
    expect(size.bytes).toBeGreaterThan(100_000)
    expect(size.limitBytes).toBe(size.bytes + 1024 * 1024)
    expect(sizeWarning(size)).toBeNull()
    expect(sizeWarning({ bytes: 2.5 * 2 ** 30, limitBytes: 3 * 2 ** 30 })).toMatch(
      /holds 2\.5 GB of the 3\.0 GB/,
    )
    expect(sizeWarning({ bytes: 900 * 2 ** 20, limitBytes: 2 ** 30 })).toMatch(
      /holds 900 MB of the 1\.0 GB/,
    )
    lib.close()
  })
})

describe('files over 2 GiB', () => {
  it('are read whole, in pieces', () => {
    const file = join(tempDir(), 'pieces.bin')
    const data = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251))
    const fd = openSync(file, 'w')
    writeSync(fd, data)
    closeSync(fd)
    expect(readWhole(file, 7).equals(data)).toBe(true)
    // Written in pieces too: one write of more than 2 GiB is refused by Node.js.
    const tmp = writeTemporary(file, data, { tag: 'pieces', piece: 7 })
    expect(readWhole(tmp).equals(data)).toBe(true)
  })

  it('a large file is checksummed on a second thread while it is read, to the same fingerprint', async () => {
    const file = join(tempDir(), 'shared.bin')
    const data = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 256))
    writeFileSync(file, data)
    // Read in pieces of an odd size, each handed to the thread as it arrives.
    const read = await readFingerprinted(file, 0, 4099)
    expect(read.data.equals(data)).toBe(true)
    expect(read.fingerprint).toEqual(fingerprint(data))
    expect(read.data.buffer).toBeInstanceOf(SharedArrayBuffer)
    // One byte changed at the very end, in the last piece: the thread saw it.
    data[data.length - 1] = data.at(-1)! ^ 1
    writeFileSync(file, data)
    const changed = await readFingerprinted(file, 0, 4099)
    expect(changed.fingerprint).toEqual(fingerprint(data))
    expect(changed.fingerprint.crc32).not.toBe(read.fingerprint.crc32)
    // Small files are read here, to the same fingerprint.
    const here = await readFingerprinted(file)
    expect(here.fingerprint).toEqual(changed.fingerprint)
    expect(here.data.buffer).not.toBeInstanceOf(SharedArrayBuffer)
  })

  it('gives sql.js the file with room to grow, so the first write past its end copies nothing', async () => {
    const file = join(tempDir(), 'room.bin')
    const data = Buffer.from(Array.from({ length: 70_000 }, (_, i) => i % 253))
    writeFileSync(file, data)
    for (const alongsideFrom of [0, Infinity]) {
      const read = await readFingerprinted(file, alongsideFrom, 4099)
      expect(read.data.equals(data)).toBe(true)
      // What sql.js keeps as the file: the same memory, with room after it.
      const kept = read.data.slice(0, read.data.length)
      expect(kept.length).toBeGreaterThanOrEqual(data.length + 16 * 1024 * 1024)
      expect(kept.buffer).toBe(read.data.buffer)
      expect(Buffer.from(kept.subarray(0, data.length)).equals(data)).toBe(true)
      // Any other slice is an ordinary one.
      expect([...read.data.slice(3, 6)]).toEqual([3, 4, 5])
    }
  })

  it('a library file over 2 GiB is read (readFileSync refuses it) and judged on its content', async () => {
    const path = join(tempDir(), 'library.sqlite')
    const fd = openSync(path, 'w')
    // An SQLite header, so that the whole file is read before it is judged.
    writeSync(fd, Buffer.from('SQLite format 3\u0000'))
    closeSync(fd)
    truncateSync(path, 2 ** 31 + 4096) // sparse: no disk space taken
    expect(() => readFileSync(path)).toThrow(/greater than 2 GiB/)
    const error = await Library.open(path).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(LibraryDamagedError)
    expect((error as Error).message).toMatch(/library file .* (cannot be read|is damaged)/)
  }, 120_000)

  it('a file that is not a database is refused by its first bytes, before it is read whole', async () => {
    const path = join(tempDir(), 'library.sqlite')
    writeFileSync(path, 'not a database')
    // Larger than any file Lectern can read whole: judged by its head, it is not refused for that.
    truncateSync(path, 2 ** 32 + 4096)
    const error = await Library.open(path).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(LibraryDamagedError)
    expect((error as Error).message).toMatch(/is not an SQLite database/)
  })
})

describe('the size limit on the command line', () => {
  it('warns near it after an import and in stats, and refuses an import past it', async () => {
    const library = join(tempDir(), 'library.sqlite')
    const dump = join(tempDir(), 'aug-19.txt')
    writeFileSync(dump, SAMPLE)
    const limit = process.env.LECTERN_LIMIT_BYTES
    try {
      process.env.LECTERN_LIMIT_BYTES = '650000'
      const first = await lectern('--library', library, 'import', dump)
      expect(first.code).toBe(0)
      expect(first.err).toMatch(/lectern: warning: This library holds \d+ MB of the \d+ MB/)
      expect((await lectern('--library', library, 'stats')).out).toMatch(/warning: This library/)
      const other = join(tempDir(), 'other.txt')
      writeFileSync(other, newPapers(100))
      const refused = await lectern('--library', library, 'import', other)
      expect(refused.code).toBe(1)
      expect(refused.err).toMatch(/past the .* GB Lectern can hold.*nothing was changed/)
    } finally {
      if (limit === undefined) delete process.env.LECTERN_LIMIT_BYTES
      else process.env.LECTERN_LIMIT_BYTES = limit
    }
    const stats = await lectern('--library', library, 'stats', '--json')
    expect(JSON.parse(stats.out).total).toBe(95)
  })
})

describe('the size limit never traps a library (review findings)', () => {
  it('an import stopped part-way by the limit is taken back whole', async () => {
    const { lib } = await sampleWithLimit(0)
    const before = lib.stats()
    lib.close()
    const dump = newPapers(150)
    // Room for half the papers: the import begins, and the step that passes the limit stops it.
    const reopened = await Library.open(before.path, {
      now: fixedClock(),
      limitBytes: before.size.bytes + Math.round(dump.length * 0.8),
    })
    let written = 0
    await expect(
      reopened.importInSteps([{ source: 'new.txt', text: dump }], {
        step: 5,
        onProgress: (done) => (written = done),
      }),
    ).rejects.toThrow(/past the .* GB Lectern can hold/)
    expect(written).toBeGreaterThan(0)
    expect(reopened.stats().total).toBe(before.total)
    expect(reopened.imports()).toHaveLength(before.imports)
    reopened.close()
  })

  it('statuses, stars, deletions and undo pass at the limit; only what adds text is refused', async () => {
    const { lib } = await sampleWithLimit(0)
    const ids = lib.paperIds({ sort: byTitle, status: null })
    lib.updatePapers({ ids, status: 'read' })
    const starred = lib.updatePapers({ ids, starred: true })
    lib.restorePapers(starred)
    expect(lib.deletePapers(ids.slice(0, 60)).deleted).toBe(60)
    lib.restoreDeleted(null)
    expect(lib.stats().total).toBe(ids.length)
    expect(() => lib.setNote(ids[0]!, 'a long note '.repeat(200_000))).toThrow(/Lectern can hold/)
    lib.close()
  })

  it('a dump of papers the library already has is not refused for its length', async () => {
    const { lib } = await sampleWithLimit(16 * 1024)
    expect(lib.importText('again.txt', SAMPLE).added).toBe(0)
    const summaries = await lib.importInSteps([{ source: 'again.txt', text: SAMPLE }])
    expect(summaries[0]!.added).toBe(0)
    lib.close()
  })
})

describe('a change that cannot be finished (review findings)', () => {
  it('whose COMMIT fails is not in the journal, and the library takes the next change', async () => {
    const { path, lib } = await sampleWithLimit(2 ** 30)
    const [paper] = lib.listPapers({ sort: byTitle, offset: 0, limit: 1 }).rows
    const raw = (lib as unknown as { db: { raw: { run: (sql: string) => unknown } } }).db.raw
    const run = raw.run.bind(raw)
    const commit = vi.spyOn(raw, 'run').mockImplementation((sql: string, ...rest: unknown[]) => {
      if (sql === 'COMMIT') {
        commit.mockRestore()
        throw new Error('database or disk is full')
      }
      return (run as (...a: unknown[]) => unknown)(sql, ...rest)
    })
    expect(() => lib.setNote(paper!.id, 'told it failed')).toThrow(/full/)
    expect(lib.getPaper(paper!.id).note).toBe('')
    lib.setNote(paper!.id, 'the next change')
    lib.close()
    const reopened = await Library.open(path, { readOnly: true })
    expect(reopened.getPaper(paper!.id).note).toBe('the next change')
    reopened.close()
  })

  it.each([
    ['its truncate', 'truncate'],
    ['its fsync', 'fsync'],
  ] as const)(
    'whose COMMIT fails and whose record cannot be taken back (%s fails) stops the library taking changes, so none is lost',
    async (_what, failing) => {
      const { path, lib } = await sampleWithLimit(2 ** 30)
      const [paper] = lib.listPapers({ sort: byTitle, offset: 0, limit: 1 }).rows
      lib.setNote(paper!.id, 'first')
      // The disk fails the cut-back as it failed the COMMIT.
      let fail = false
      const putBack = useDisk({
        ...nodeDisk,
        truncate: (fd, length) => {
          if (fail && failing === 'truncate') throw new Error('EIO: i/o error, ftruncate')
          nodeDisk.truncate(fd, length)
        },
        fsync: (fd, point) => {
          if (fail && failing === 'fsync' && point === 'journal.cut-back')
            throw new Error('EIO: i/o error, fsync')
          nodeDisk.fsync(fd, point)
        },
      })
      try {
        const raw = (lib as unknown as { db: { raw: { run: (sql: string) => unknown } } }).db.raw
        const run = raw.run.bind(raw)
        const commit = vi
          .spyOn(raw, 'run')
          .mockImplementation((sql: string, ...rest: unknown[]) => {
            if (sql === 'COMMIT') {
              commit.mockRestore()
              fail = true
              throw new Error('database or disk is full')
            }
            return (run as (...a: unknown[]) => unknown)(sql, ...rest)
          })
        // The caller hears why the change failed, not the cut-back's error.
        expect(() => lib.setNote(paper!.id, 'told it failed')).toThrow(/full/)
        fail = false
        // The journal holds a record it could not take back: a change appended after it would
        // share its sequence number and be skipped at the next open. None is taken.
        expect(() => lib.setNote(paper!.id, 'second')).toThrow(
          expect.objectContaining({
            code: 'write-failed',
            message: expect.stringMatching(/reopen/i),
          }),
        )
      } finally {
        putBack()
      }
      lib.close()
      // Every change reported saved is there; the failed one may be back (its record was
      // flushed), never in place of one that was saved.
      const reopened = await Library.open(path, { readOnly: true })
      expect(['first', 'told it failed']).toContain(reopened.getPaper(paper!.id).note)
      reopened.close()
    },
  )

  it('too large for the memory SQLite has (a change to a million papers) is refused in words, and nothing changes', async () => {
    const { path, lib } = await sampleWithLimit(2 ** 30)
    const ids = lib.paperIds({ sort: byTitle, status: null })
    const raw = (lib as unknown as { db: { raw: { run: (sql: string) => unknown } } }).db.raw
    const run = raw.run.bind(raw)
    // sql.js's own error when the WebAssembly heap cannot grow, as a 1M-paper undo met it.
    const update = vi.spyOn(raw, 'run').mockImplementation((sql: string, ...rest: unknown[]) => {
      if (/^\s*UPDATE papers SET starred/.test(sql)) {
        update.mockRestore()
        throw Object.assign(new Error('out of memory'), { code: 'SQLITE_NOMEM', errcode: 7 })
      }
      return (run as (...a: unknown[]) => unknown)(sql, ...rest)
    })
    expect(() => lib.updatePapers({ ids, starred: true })).toThrow(
      expect.objectContaining({
        code: 'library-error',
        message: expect.stringMatching(
          /more memory .* fewer papers at a time.*nothing was changed/i,
        ),
      }),
    )
    expect(lib.listPapers({ sort: byTitle, starred: true, offset: 0, limit: 1 }).total).toBe(0)
    lib.updatePapers({ ids: ids.slice(0, 2), starred: true })
    lib.close()
    const reopened = await Library.open(path, { readOnly: true })
    expect(reopened.listPapers({ sort: byTitle, starred: true, offset: 0, limit: 1 }).total).toBe(2)
    reopened.close()
  })

  it('a snapshot thread that cannot start does not fail the change that asked for it', async () => {
    const { path, lib } = await sampleWithLimit(2 ** 30)
    lib.close()
    const threaded = await Library.open(path, { checkpointBytes: 1, snapshotThreadBytes: 0 })
    const start = vi.spyOn(threaded, 'snapshotOffThread').mockImplementation(() => {
      throw new Error('ERR_WORKER_INIT_FAILED')
    })
    const [paper] = threaded.listPapers({ sort: byTitle, offset: 0, limit: 1 }).rows
    expect(threaded.setNote(paper!.id, 'saved').note).toBe('saved')
    expect(start).toHaveBeenCalled()
    start.mockRestore()
    threaded.close()
  })
})

/** The database's size in pages, as its file's header says (bytes 28–31, big-endian). */
function headerPages(file: Uint8Array): number {
  return new DataView(file.buffer, file.byteOffset, file.byteLength).getUint32(28)
}

describe('room made for a large import', () => {
  // sql.js copies the whole file into an array an eighth larger each time a write passes the
  // end of the one it has: an import of 100,000 papers stopped for one such copy after another.
  it('moves the library into room for all of it first: sql.js writes the file in place', async () => {
    const path = join(tempDir(), 'library.sqlite')
    const lib = await Library.open(path, { now: fixedClock() })
    try {
      lib.importText('sample.txt', SAMPLE)
      expect(lib.room).toBeNull() // small: left to sql.js
      lib.importText('aug-20.txt', newPapers(4000))
      const room = lib.room?.deref()
      if (!room) throw new Error('no room was made')
      const { bytes } = lib.stats().size
      expect(room.length).toBeGreaterThan(bytes)
      // The file sql.js has now is in that room: its header counts every page written since.
      expect(Buffer.from(room.subarray(0, 16)).toString('latin1')).toBe('SQLite format 3\0')
      expect(headerPages(room) * 4096).toBe(bytes)
      // And it stays there as the library changes within the room.
      lib.importText('aug-21.txt', newPapers(300, 10))
      expect(lib.room?.deref()).toBe(room)
      expect(headerPages(room) * 4096).toBe(lib.stats().size.bytes)
      expect(lib.stats().size.bytes).toBeGreaterThan(bytes)
    } finally {
      lib.close()
    }
  }, 120_000)

  it('makes room for a batch of dumps together, each too small to make room alone', async () => {
    const lib = await Library.open(join(tempDir(), 'library.sqlite'), { now: fixedClock() })
    try {
      lib.importTexts([1, 2, 3].map((i) => ({ source: `aug-${i}.txt`, text: newPapers(1400, i) })))
      const room = lib.room?.deref()
      if (!room) throw new Error('no room was made')
      expect(headerPages(room) * 4096).toBe(lib.stats().size.bytes)
    } finally {
      lib.close()
    }
  }, 120_000)

  it('makes none for a library opened read-only, which refuses the import', async () => {
    const path = join(tempDir(), 'library.sqlite')
    const made = await Library.open(path, { now: fixedClock() })
    made.importText('sample.txt', SAMPLE)
    made.close()
    const lib = await Library.open(path, { now: fixedClock(), readOnly: true })
    try {
      expect(() => lib.importText('aug-20.txt', newPapers(4000))).toThrow(/read-only/)
      expect(lib.room).toBeNull()
    } finally {
      lib.close()
    }
  }, 120_000)

  it('the library moved is the same library: papers, notes, statuses, search; and after reopening', async () => {
    const path = join(tempDir(), 'library.sqlite')
    const lib = await Library.open(path, { now: fixedClock() })
    lib.importText('sample.txt', SAMPLE)
    const first = lib.listPapers({ sort: byTitle, offset: 0, limit: 1 }).rows[0]!
    lib.setNote(first.id, 'written before the move, zanzibarian')
    lib.setStatus(first.id, 'read')
    const search = (query: string): number[] =>
      lib
        .listPapers({
          search: query,
          sort: { field: 'relevance', direction: 'desc' },
          offset: 0,
          limit: 10,
        })
        .rows.map((r) => r.id)
    expect(search('zanzibarian')).toEqual([first.id])
    lib.importText('aug-20.txt', newPapers(4000))
    expect(lib.room?.deref()).toBeDefined()
    const paper = lib.getPaper(first.id)
    expect([paper.note, paper.status]).toEqual(['written before the move, zanzibarian', 'read'])
    // The search index moved with it, and takes what is written after.
    expect(search('zanzibarian')).toEqual([first.id])
    expect(search(`"${first.title}"`)[0]).toBe(first.id)
    lib.setNote(first.id, 'written after the move')
    expect(lib.stats().total).toBe(95 + 4000)
    lib.checkpoint() // the moved database exported as the snapshot
    lib.setStatus(first.id, 'reading') // and a change in the journal after it
    lib.close()
    const reopened = await Library.open(path, { now: fixedClock() })
    try {
      const back = reopened.getPaper(first.id)
      expect([back.note, back.status]).toEqual(['written after the move', 'reading'])
      expect(reopened.stats().total).toBe(95 + 4000)
    } finally {
      reopened.close()
    }
  }, 120_000)
})
