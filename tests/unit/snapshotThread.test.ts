// A snapshot of a large library is built on a thread from the files on disk and put in place
// by a rename, while the library keeps taking changes: the live database is never exported.
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import type { Db } from '../../electron/core/db/database'
import { Library } from '../../electron/core/store/library'
import { JournalWriter, readJournal } from '../../electron/core/store/journal'
import { removeStaleTemporaries } from '../../electron/core/store/files'
import { nodeDisk, useDisk } from '../../electron/core/store/disk'
import type { Disk } from '../../electron/core/store/disk'
import { fixedClock, tempDir } from '../helpers/fixtures'
import { threadedLibrary } from '../helpers/library'
import { makeAbstract, makeDump, makeRng, makeTitle } from '../../testkit/gen'

const byTitle = { field: 'title', direction: 'asc' } as const

function internalDb(lib: Library): Db {
  return (lib as unknown as { db: Db }).db
}

/** Temporary files lying beside the library. */
function temporaries(path: string): string[] {
  return readdirSync(dirname(path)).filter((name) => name.includes('.tmp-'))
}

/** Waits until `done` says so (a thread's work ends in a message, not at a known moment). */
async function until(done: () => boolean, what: string): Promise<void> {
  const started = Date.now()
  while (!done()) {
    if (Date.now() - started > 20_000) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

describe('snapshots written on a thread', () => {
  it('hold the changes up to their start; the journal keeps those made meanwhile; nothing is exported here', async () => {
    const { path, lib, ids } = await threadedLibrary()
    const exports = vi.spyOn(internalDb(lib).raw, 'export')
    const before = statSync(path).mtimeMs
    lib.setNote(ids[0]!, 'before the snapshot')
    const snapshot = lib.snapshotOffThread()
    // The app answers, and takes changes, while the thread works.
    for (let i = 0; i < 5; i += 1) lib.setNote(ids[1]!, `while it is written ${i}`)
    lib.setStatus(ids[2]!, 'read')
    const seqMeanwhile = lib.revision
    await snapshot
    expect(exports).not.toHaveBeenCalled()
    expect(statSync(path).mtimeMs).not.toBe(before)
    // The journal starts after the change the snapshot was taken at.
    const journal = readJournal(lib.journalPath)
    expect(journal.records.map((r) => r.seq)).toEqual(
      Array.from({ length: 6 }, (_, i) => seqMeanwhile - 5 + i),
    )
    lib.setNote(ids[3]!, 'after it was put in place')
    expect(temporaries(path)).toEqual([])
    lib.close()
    const reopened = await Library.open(path, { readOnly: true })
    expect(reopened.getPaper(ids[0]!).note).toBe('before the snapshot')
    expect(reopened.getPaper(ids[1]!).note).toBe('while it is written 4')
    expect(reopened.getPaper(ids[2]!).status).toBe('read')
    expect(reopened.getPaper(ids[3]!).note).toBe('after it was put in place')
    expect(reopened.revision).toBe(seqMeanwhile + 1)
    reopened.close()
  })

  it('is started by a journal grown past its limit, and the journal shrinks once it is in place', async () => {
    const { path, lib, ids } = await threadedLibrary()
    const exports = vi.spyOn(internalDb(lib).raw, 'export')
    for (let i = 0; i < 30; i += 1) lib.setNote(ids[i]!, `a longer note ${'n'.repeat(200)} ${i}`)
    await until(() => statSync(lib.journalPath).size < 4000, 'the journal to shrink')
    expect(exports).not.toHaveBeenCalled()
    lib.close()
    const reopened = await Library.open(path, { readOnly: true })
    for (let i = 0; i < 30; i += 1) {
      expect(reopened.getPaper(ids[i]!).note).toBe(`a longer note ${'n'.repeat(200)} ${i}`)
    }
    reopened.close()
  })

  it('waits for a backup reading the files before it is put in place', async () => {
    const { path, lib, ids } = await threadedLibrary()
    lib.setNote(ids[0]!, 'held')
    const source = lib.backupSource()
    const bytes = readFileSync(path)
    const journalBytes = statSync(lib.journalPath).size
    await lib.snapshotOffThread()
    // Written, but the files the backup reads are as they were.
    expect(readFileSync(path).equals(bytes)).toBe(true)
    expect(statSync(lib.journalPath).size).toBe(journalBytes)
    source.release()
    expect(readFileSync(path).equals(bytes)).toBe(false)
    expect(statSync(lib.journalPath).size).toBe(0)
    expect(temporaries(path)).toEqual([])
    lib.close()
    const reopened = await Library.open(path, { readOnly: true })
    expect(reopened.getPaper(ids[0]!).note).toBe('held')
    reopened.close()
  })

  it('is stopped by a snapshot written here or by close, and leaves no temporary file', async () => {
    const { path, lib, ids } = await threadedLibrary()
    lib.setNote(ids[0]!, 'one')
    const stopped = lib.snapshotOffThread()
    lib.checkpoint()
    await expect(stopped).rejects.toThrow(/stopped/)
    lib.setNote(ids[1]!, 'two')
    const closed = lib.snapshotOffThread()
    lib.close()
    await expect(closed).rejects.toThrow(/stopped/)
    // The thread is gone once told to stop; what it may have begun writing is removed then.
    await until(() => temporaries(path).length === 0, 'the temporary file to go')
    const reopened = await Library.open(path, { readOnly: true })
    expect(reopened.getPaper(ids[0]!).note).toBe('one')
    expect(reopened.getPaper(ids[1]!).note).toBe('two')
    reopened.close()
  })

  it('a library file damaged on disk is not built upon: the snapshot is written from memory', async () => {
    const { path, lib, ids } = await threadedLibrary()
    lib.setNote(ids[0]!, 'kept in memory')
    const data = readFileSync(path)
    data[data.length - 100] = (data[data.length - 100]! + 1) % 256
    writeFileSync(path, data)
    await lib.snapshotOffThread()
    lib.close()
    const reopened = await Library.open(path, { readOnly: true })
    expect(reopened.getPaper(ids[0]!).note).toBe('kept in memory')
    expect(reopened.stats().total).toBe(ids.length)
    reopened.close()
  })

  it('a crash after the snapshot is in place but before the journal is cut loses nothing', async () => {
    const { path, lib, ids } = await threadedLibrary()
    lib.setNote(ids[0]!, 'first')
    const cut = vi.spyOn(JournalWriter.prototype, 'dropThrough').mockImplementation(() => {
      throw new Error('the power went')
    })
    await expect(lib.snapshotOffThread()).rejects.toThrow(/the power went/)
    cut.mockRestore()
    lib.setNote(ids[1]!, 'second')
    // As a crash would leave it: the new snapshot, and a journal that still has its changes.
    const journal = readJournal(lib.journalPath)
    expect(journal.records.length).toBeGreaterThan(1)
    const reopened = await Library.open(path, { readOnly: true })
    expect(reopened.getPaper(ids[0]!).note).toBe('first')
    expect(reopened.getPaper(ids[1]!).note).toBe('second')
    reopened.close()
    lib.close()
  })

  it('on Windows the journal is cut by a rename that no open handle of it stands in the way of', async () => {
    // Windows refuses to rename over a file any handle holds (MoveFileEx, as libuv calls it):
    // this disk does the same, and the platform is Windows while the library runs on it.
    const held = new Map<number, string>()
    const windowsLike: Disk = {
      ...nodeDisk,
      open(path, flags, mode) {
        const fd = nodeDisk.open(path, flags, mode)
        held.set(fd, resolve(path))
        return fd
      },
      close(fd) {
        held.delete(fd)
        nodeDisk.close(fd)
      },
      closeInBackground(fd) {
        held.delete(fd)
        nodeDisk.closeInBackground(fd)
      },
      rename(from, to) {
        if ([...held.values()].includes(resolve(to))) {
          throw Object.assign(
            new Error(`EPERM: operation not permitted, rename '${from}' -> '${to}'`),
            {
              code: 'EPERM',
            },
          )
        }
        nodeDisk.rename(from, to)
      },
    }
    const platform = Object.getOwnPropertyDescriptor(process, 'platform')!
    const putBack = useDisk(windowsLike)
    Object.defineProperty(process, 'platform', { ...platform, value: 'win32' })
    try {
      const { path, lib, ids } = await threadedLibrary()
      lib.setNote(ids[0]!, 'first')
      await lib.snapshotOffThread()
      lib.setNote(ids[1]!, 'second')
      lib.close()
      const reopened = await Library.open(path, { readOnly: true })
      expect(reopened.getPaper(ids[0]!).note).toBe('first')
      expect(reopened.getPaper(ids[1]!).note).toBe('second')
      reopened.close()
    } finally {
      Object.defineProperty(process, 'platform', platform)
      putBack()
    }
  })

  it("a journal's temporary file left by a crash is removed at the next open", async () => {
    const path = join(tempDir(), 'library.sqlite')
    writeFileSync(join(dirname(path), '.library.sqlite.journal.tmp-123'), 'half a journal')
    expect(removeStaleTemporaries(path)).toBe(1)
  })
})

describe('closing a large library', () => {
  it('close writes no snapshot of a large library for a journal read again faster than it would be written', async () => {
    const path = join(tempDir(), 'library.sqlite')
    const seed = await Library.open(path, { now: fixedClock() })
    const rng = makeRng(5)
    const papers = Array.from({ length: 3000 }, (_, i) => ({
      title: makeTitle(rng, `P${i}`),
      abstract: makeAbstract(rng, 3000),
    }))
    seed.importText('big.txt', makeDump('Aug 20', papers))
    seed.checkpoint()
    seed.close()
    const libraryBytes = statSync(path).size
    // Large (every library is, with snapshotThreadBytes 0); a journal of 1.2 MB, under a tenth
    // of the library.
    const lib = await Library.open(path, {
      checkpointBytes: 64 * 1024 * 1024,
      snapshotThreadBytes: 0,
    })
    const id = lib.listPapers({ sort: byTitle, offset: 0, limit: 1 }).rows[0]!.id
    for (let i = 0; i < 12; i += 1) lib.setNote(id, `${'a long note. '.repeat(8000)}${i}`)
    const journalBytes = statSync(lib.journalPath).size
    expect(journalBytes).toBeGreaterThan(1024 * 1024)
    expect(journalBytes * 10).toBeLessThan(libraryBytes)
    const snapshot = readFileSync(path)
    lib.close()
    expect(readFileSync(path).equals(snapshot)).toBe(true)
    const reopened = await Library.open(path, { readOnly: true })
    expect(reopened.getPaper(id).note).toBe(`${'a long note. '.repeat(8000)}11`)
    reopened.close()
  })

  it('close writes one where reading the journal again would take longer (after a large import)', async () => {
    const path = join(tempDir(), 'library.sqlite')
    const lib = await Library.open(path, { now: fixedClock(), snapshotThreadBytes: 0 })
    const rng = makeRng(6)
    const papers = Array.from({ length: 800 }, (_, i) => ({
      title: makeTitle(rng, `Q${i}`),
      abstract: makeAbstract(rng, 1500),
    }))
    lib.importText('many.txt', makeDump('Aug 20', papers))
    expect(statSync(lib.journalPath).size).toBeGreaterThan(1024 * 1024)
    lib.close()
    expect(statSync(`${path}.journal`).size).toBe(0)
    const reopened = await Library.open(path, { readOnly: true })
    expect(reopened.stats().total).toBe(800)
    reopened.close()
  })

  it('a journal that would take longer to read again than the library to write starts one on the thread', async () => {
    const path = join(tempDir(), 'library.sqlite')
    const lib = await Library.open(path, { now: fixedClock(), snapshotThreadBytes: 0 })
    const rng = makeRng(7)
    const papers = Array.from({ length: 800 }, (_, i) => ({
      title: makeTitle(rng, `R${i}`),
      abstract: makeAbstract(rng, 1500),
    }))
    const exports = vi.spyOn(internalDb(lib).raw, 'export')
    // The import's end is the change that may start it (not each of its steps).
    const started = vi.spyOn(lib, 'snapshotOffThread')
    await lib.importInSteps([{ source: 'many.txt', text: makeDump('Aug 20', papers) }])
    expect(statSync(lib.journalPath).size).toBeGreaterThan(1024 * 1024)
    expect(started).toHaveBeenCalledTimes(1)
    await until(() => statSync(lib.journalPath).size < 1024 * 1024, 'the snapshot')
    expect(exports).not.toHaveBeenCalled()
    expect(temporaries(path)).toEqual([])
    lib.close()
    const reopened = await Library.open(path, { readOnly: true })
    expect(reopened.stats().total).toBe(800)
    reopened.close()
  })
})
