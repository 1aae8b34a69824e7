import { execFileSync } from 'node:child_process'
import {
  closeSync,
  openSync,
  writeSync,
  existsSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { DEFAULT_BACKUPS_KEPT } from '../../shared/domain'
import type { Db } from '../../electron/core/db/database'
import { Library } from '../../electron/core/store/library'
import { LibraryDamagedError } from '../../electron/core/errors'
import { LibrarySession } from '../../electron/core/safety/session'
import {
  autoBackupIfDue,
  backupsDir,
  listBackups,
  newestGoodBackup,
  writeBackup,
} from '../../electron/core/safety/backups'
import { lectern } from '../helpers/cli'
import { SAMPLE, SAMPLE_PATH, fixedClock, tempDir } from '../helpers/fixtures'

const byTitle = { field: 'title', direction: 'asc' } as const

/** A closed library with the sample, one note and one status. */
/** The library's database, for what only a test looks at. */
function internalDb(lib: Library): Db {
  return (lib as unknown as { db: Db }).db
}

async function sampleLibrary(): Promise<{ path: string; id: number }> {
  const path = join(tempDir(), 'library.sqlite')
  const lib = await Library.open(path, { now: fixedClock() })
  lib.importText('sample.txt', SAMPLE)
  const id = lib.listPapers({ sort: byTitle, offset: 0, limit: 1 }).rows[0]!.id
  lib.setNote(id, 'irreplaceable thoughts')
  lib.setStatus(id, 'read')
  lib.close()
  return { path, id }
}

async function damage(path: string): Promise<LibraryDamagedError> {
  try {
    ;(await Library.open(path)).close()
  } catch (error) {
    if (error instanceof LibraryDamagedError) return error
    throw error
  }
  throw new Error('the damage was not detected')
}

describe('damaged files are detected at open and left untouched', () => {
  const cases: [string, (bytes: Buffer) => Buffer][] = [
    ['truncated', (b) => b.subarray(0, Math.floor(b.length / 2))],
    ['zero-length', () => Buffer.alloc(0)],
    [
      'bit-flipped',
      (b) => {
        const copy = Buffer.from(b)
        copy[Math.floor(copy.length * 0.6)]! ^= 0x10
        return copy
      },
    ],
    ['not SQLite', () => Buffer.from('<html>my thesis</html>')],
  ]
  for (const [name, mangle] of cases) {
    it(`a ${name} library file`, async () => {
      const { path } = await sampleLibrary()
      const bad = mangle(readFileSync(path))
      writeFileSync(path, bad)
      const error = await damage(path)
      expect(error.kind).toBe('snapshot')
      expect(error.message).toContain(path)
      expect(readFileSync(path).equals(bad)).toBe(true)
      expect(existsSync(`${path}.lock`)).toBe(false)
    })
  }

  it('a damaged journal record: nothing after it is applied silently', async () => {
    const path = join(tempDir(), 'library.sqlite')
    const lib = await Library.open(path, { now: fixedClock() })
    lib.importText('sample.txt', SAMPLE)
    lib.setNote(1, 'first')
    lib.setNote(2, 'second')
    lib.setNote(3, 'third')
    const journal = readFileSync(`${path}.journal`)
    // Simulate a crash (no final snapshot) and damage the second note's record.
    const snapshot = readFileSync(path)
    const sum = readFileSync(`${path}.sum`)
    lib.close()
    writeFileSync(path, snapshot)
    writeFileSync(`${path}.sum`, sum)
    const bad = Buffer.from(journal)
    const second = bad.indexOf('"second"')
    bad[second + 2] = 'X'.charCodeAt(0)
    writeFileSync(`${path}.journal`, bad)
    const error = await damage(path)
    expect(error.kind).toBe('journal')
    expect(readFileSync(`${path}.journal`).equals(bad)).toBe(true)

    // Recovering keeps every change before the damage and a copy of the damaged journal.
    const session = await LibrarySession.start(path, { owner: 'test' })
    const status = await session.status()
    expect(status).toMatchObject({ state: 'damaged', damage: 'journal' })
    const { kept } = await session.recover({ action: 'journal' })
    expect(readFileSync(kept[0]!).equals(bad)).toBe(true)
    const recovered = session.get()
    expect(recovered.stats().total).toBe(95)
    expect(recovered.getPaper(1).note).toBe('first')
    expect(recovered.getPaper(2).note).toBe('')
    expect(recovered.getPaper(3).note).toBe('')
    session.close()
  })
})

describe('the journal tells a cut-short write from damage', () => {
  /** A library whose last three notes live only in the journal (as after a crash). */
  async function crashed(): Promise<{ path: string; journal: Buffer }> {
    const path = join(tempDir(), 'library.sqlite')
    const lib = await Library.open(path, { now: fixedClock() })
    lib.importText('sample.txt', SAMPLE)
    lib.checkpoint()
    const snapshot = readFileSync(path)
    const sum = readFileSync(`${path}.sum`)
    lib.setNote(1, 'first')
    lib.setNote(2, 'second')
    lib.setNote(3, 'third')
    const journal = readFileSync(`${path}.journal`)
    lib.close()
    writeFileSync(path, snapshot)
    writeFileSync(`${path}.sum`, sum)
    writeFileSync(`${path}.journal`, journal)
    return { path, journal }
  }

  it('a flipped bit in a record length is damage, not a torn tail, and nothing is cut', async () => {
    const { path, journal } = await crashed()
    const bad = Buffer.from(journal)
    bad[2] = bad[2]! ^ 0x40
    writeFileSync(`${path}.journal`, bad)
    const error = await damage(path)
    expect(error.kind).toBe('journal')
    expect(readFileSync(`${path}.journal`).equals(bad)).toBe(true)
  })

  it('zeros after the last record (a power loss) are a torn tail', async () => {
    const { path, journal } = await crashed()
    writeFileSync(`${path}.journal`, Buffer.concat([journal, Buffer.alloc(4096)]))
    const lib = await Library.open(path)
    expect(lib.getPaper(3).note).toBe('third')
    lib.close()
  })

  it('a record cut short at the end is dropped, and its bytes are kept aside', async () => {
    const { path, journal } = await crashed()
    writeFileSync(`${path}.journal`, journal.subarray(0, journal.length - 5))
    const lib = await Library.open(path)
    expect(lib.getPaper(2).note).toBe('second')
    expect(lib.getPaper(3).note).toBe('')
    lib.close()
    const torn = readdirSync(join(path, '..')).filter((n) => n.includes('.journal.torn-'))
    expect(torn).toHaveLength(1)
  })

  it('a journal that does not follow on from the snapshot can still be recovered up to the gap', async () => {
    const { path, journal } = await crashed()
    // Drop the middle record: the third no longer follows the first.
    const first = 12 + journal.readUInt32LE(0)
    const second = first + 12 + journal.readUInt32LE(first)
    writeFileSync(
      `${path}.journal`,
      Buffer.concat([journal.subarray(0, first), journal.subarray(second)]),
    )
    const session = await LibrarySession.start(path, { owner: 'test' })
    expect(await session.status()).toMatchObject({ state: 'damaged', journalRecoverable: true })
    await session.recover({ action: 'journal' })
    expect(session.get().getPaper(1).note).toBe('first')
    expect(session.get().getPaper(3).note).toBe('')
    session.close()
  })

  it('a missing library file with its journal still there is damage, not a new empty library', async () => {
    const { path } = await crashed()
    rmSync(path)
    expect((await damage(path)).kind).toBe('snapshot')
  })

  it("a library without a checksum file is vouched for once it passes SQLite's check", async () => {
    const { path } = await sampleLibrary()
    rmSync(`${path}.sum`)
    const lib = await Library.open(path)
    expect(existsSync(`${path}.sum`)).toBe(true)
    lib.close()
    ;(await Library.open(path)).close()
  })
})

describe('backups', () => {
  it('are verified, made once a day, and rotated', async () => {
    const { path } = await sampleLibrary()
    const lib = await Library.open(path)
    const day = 24 * 60 * 60 * 1000
    const start = Date.parse('2026-11-01T09:00:00Z')
    expect(await autoBackupIfDue(lib, new Date(start))).not.toBeNull()
    expect(await autoBackupIfDue(lib, new Date(start + 3600_000))).toBeNull()
    for (let i = 1; i <= DEFAULT_BACKUPS_KEPT + 2; i += 1) {
      expect(await autoBackupIfDue(lib, new Date(start + i * day))).not.toBeNull()
    }
    const autos = listBackups(path).filter((b) => b.kind === 'auto')
    expect(autos).toHaveLength(DEFAULT_BACKUPS_KEPT)
    expect(autos[0]!.createdAt).toBe(
      new Date(start + (DEFAULT_BACKUPS_KEPT + 2) * day).toISOString(),
    )
    lib.close()
  })

  it("a new library's daily copies never rotate out the copies of the library before it", async () => {
    const { path } = await sampleLibrary()
    const day = 24 * 60 * 60 * 1000
    const start = Date.parse('2026-11-01T09:00:00Z')
    const old = await Library.open(path)
    for (let i = 0; i < 3; i += 1) await autoBackupIfDue(old, new Date(start + i * day))
    old.close()
    const session = await LibrarySession.start(path, { owner: 'test' })
    writeFileSync(path, 'damage')
    session.close()
    const fresh = await LibrarySession.start(path, { owner: 'test' })
    await fresh.recover({ action: 'empty' })
    fresh.get().importText('sample.txt', SAMPLE)
    for (let i = 3; i < 3 + DEFAULT_BACKUPS_KEPT + 3; i += 1) {
      expect(await autoBackupIfDue(fresh.get(), new Date(start + i * day))).not.toBeNull()
    }
    const autos = listBackups(path).filter((b) => b.kind === 'auto')
    expect(autos).toHaveLength(DEFAULT_BACKUPS_KEPT + 3)
    fresh.close()
  })

  it('are made from the files on disk, on a thread: the changes not yet in a snapshot are in', async () => {
    const { path, id } = await sampleLibrary()
    const lib = await Library.open(path, { checkpointBytes: 2000 })
    const exports = vi.spyOn(internalDb(lib).raw, 'export')
    lib.setNote(id, 'written after the last snapshot')
    // While the backup reads the files, no snapshot is written (it would change them under it).
    const source = lib.backupSource()
    const snapshotAt = statSync(path).mtimeMs
    for (let i = 0; i < 20; i += 1) lib.setNote(id, `a long note ${'x'.repeat(200)} ${i}`)
    expect(statSync(path).mtimeMs).toBe(snapshotAt)
    source.release()
    lib.setNote(id, 'the note at the backup')
    exports.mockClear() // the snapshots written so far (the journal grew past 2,000 bytes)
    const backup = writeBackup(lib, { kind: 'manual', now: new Date('2026-11-03T00:00:00Z') })
    // The app answers meanwhile.
    await new Promise((resolve) => setImmediate(resolve))
    expect(lib.getPaper(id).note).toBe('the note at the backup')
    const written = await backup
    expect(written.papers).toBe(lib.stats().total)
    // The live database was never exported for it (that stopped the app for seconds).
    expect(exports).not.toHaveBeenCalled()
    lib.close()
    const copy = await Library.open(written.file, { readOnly: true })
    expect(copy.getPaper(id).note).toBe('the note at the backup')
    copy.close()
  })

  it('a reader backs up what the writer saved since it opened; a file damaged on disk is backed up from memory', async () => {
    const { path, id } = await sampleLibrary()
    const writer = await Library.open(path)
    const reader = await Library.open(path, { readOnly: true })
    writer.setNote(id, 'saved by the app after the reader opened')
    const copy = await writeBackup(reader, {
      kind: 'manual',
      now: new Date('2026-11-04T00:00:00Z'),
    })
    reader.close()
    const opened = await Library.open(copy.file, { readOnly: true })
    expect(opened.getPaper(id).note).toBe('saved by the app after the reader opened')
    opened.close()
    // The snapshot on disk damaged since the library was opened: the library in memory is
    // whole, and the backup is made from it.
    const bytes = readFileSync(path)
    bytes[bytes.length - 100] = (bytes[bytes.length - 100]! + 1) % 256
    writeFileSync(path, bytes)
    const fromMemory = await writeBackup(writer, {
      kind: 'manual',
      now: new Date('2026-11-05T00:00:00Z'),
    })
    expect(fromMemory.papers).toBe(writer.stats().total)
    writer.close()
  })

  it('no change is taken while the library is saved aside before a restore', async () => {
    const { path, id } = await sampleLibrary()
    const session = await LibrarySession.start(path, { owner: 'test' })
    const first = await session.backupNow()
    const restoring = session.restoreFrom(first.file)
    // Notes typed on while the restore goes on: once the library's copy is being written (on a
    // thread, for a while), they are refused, not saved where neither library would keep them.
    let refused: Error | null = null
    let typed = 'irreplaceable thoughts'
    for (let i = 0; i < 2000 && !refused; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 2))
      try {
        session.get().setNote(id, `typed during the restore ${i}`)
        typed = `typed during the restore ${i}`
      } catch (error) {
        refused = error as Error
      }
    }
    await restoring
    expect(refused?.message).toMatch(/being restored from a backup/)
    expect(session.get().getPaper(id).note).toBe('irreplaceable thoughts')
    // The last note saved before that is in the copy kept of the library before the restore.
    const before = listBackups(path).find((b) => b.kind === 'before-restore')!
    const kept = await Library.open(join(backupsDir(path), before.name), { readOnly: true })
    expect(kept.getPaper(id).note).toBe(typed)
    kept.close()
    session.close()
  })

  it('an empty library is not backed up automatically (it would push out good copies)', async () => {
    const lib = await Library.open(join(tempDir(), 'library.sqlite'))
    expect(await autoBackupIfDue(lib, new Date())).toBeNull()
    lib.close()
  })

  it('a damaged library is restored from the newest good backup; the damaged file is kept', async () => {
    const { path, id } = await sampleLibrary()
    const lib = await Library.open(path)
    await writeBackup(lib, { kind: 'auto', now: new Date('2026-11-01T00:00:00Z') })
    const newest = await writeBackup(lib, { kind: 'auto', now: new Date('2026-11-02T00:00:00Z') })
    lib.close()
    // The newest backup is itself damaged: the older one must be offered.
    writeFileSync(newest.file, readFileSync(newest.file).subarray(0, 4096))
    writeFileSync(path, 'garbage')

    const session = await LibrarySession.start(path, { owner: 'test' })
    const status = await session.status()
    expect(status.state).toBe('damaged')
    if (status.state !== 'damaged') return
    expect(status.newestGoodBackup).toMatchObject({
      createdAt: '2026-11-01T00:00:00.000Z',
      papers: 95,
    })
    const { kept } = await session.recover({
      action: 'backup',
      name: status.newestGoodBackup!.name,
    })
    expect(kept.some((k) => readFileSync(k, 'utf8') === 'garbage')).toBe(true)
    expect(session.get().getPaper(id)).toMatchObject({
      note: 'irreplaceable thoughts',
      status: 'read',
    })
    session.close()
    expect(readdirSync(backupsDir(path)).length).toBe(2)
  })

  it('start empty keeps the damaged files aside', async () => {
    const { path } = await sampleLibrary()
    writeFileSync(path, Buffer.alloc(0))
    const session = await LibrarySession.start(path, { owner: 'test' })
    const { kept } = await session.recover({ action: 'empty' })
    expect(kept.some((k) => k.startsWith(`${path}.damaged-`))).toBe(true)
    expect(session.get().stats().total).toBe(0)
    session.close()
  })

  it('restoring over a healthy library saves it as a backup first', async () => {
    const { path, id } = await sampleLibrary()
    const session = await LibrarySession.start(path, { owner: 'test' })
    const before = await session.backupNow()
    session.get().setNote(id, 'changed after the backup')
    await session.restore(before.name)
    expect(session.get().getPaper(id).note).toBe('irreplaceable thoughts')
    const saved = listBackups(path).find((b) => b.kind === 'before-restore')
    expect(saved).toBeDefined()
    await session.restore(saved!.name)
    expect(session.get().getPaper(id).note).toBe('changed after the backup')
    session.close()
  })

  it('newestGoodBackup ignores files that only look like backups', async () => {
    const { path } = await sampleLibrary()
    const dir = backupsDir(path)
    rmSync(dir, { recursive: true, force: true })
    expect(await newestGoodBackup(path)).toBeNull()
  })
})

describe('writes that fail', () => {
  /** A tiny file system of our own to fill up; needs root (CI and these machines run as root). */
  function smallDisk(): string | null {
    const dir = tempDir()
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { stdio: 'ignore' })
    } catch {
      return null
    }
    mounted.push(dir)
    return dir
  }
  const mounted: string[] = []
  afterEach(() => {
    while (mounted.length) execFileSync('umount', ['-l', mounted.pop()!], { stdio: 'ignore' })
  })

  it('a full disk: the change is refused in plain words, not half-applied, and succeeds once there is room', async (ctx) => {
    const disk = smallDisk()
    if (!disk) return ctx.skip('cannot mount a small tmpfs here (needs root)')
    const path = join(disk, 'library.sqlite')
    const lib = await Library.open(path, { now: fixedClock() })
    lib.importText('sample.txt', SAMPLE)
    const id = lib.listPapers({ sort: byTitle, offset: 0, limit: 1 }).rows[0]!.id
    lib.setNote(id, 'saved while there was room')
    // Fill the disk to the last byte.
    const filler = join(disk, 'filler')
    const fd = openSync(filler, 'w')
    const chunk = Buffer.alloc(4096, 1)
    try {
      for (;;) writeSync(fd, chunk)
    } catch (error) {
      expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC')
    }
    try {
      for (;;) writeSync(fd, chunk, 0, 1)
    } catch {
      // full to the byte
    }
    closeSync(fd)
    expect(() => lib.setNote(id, 'x'.repeat(8192))).toThrow(
      /could not write .*library\.sqlite\.journal: the disk is full \(ENOSPC\); the change was not saved/,
    )
    expect(lib.getPaper(id).note).toBe('saved while there was room')
    const bigDump = Array.from(
      { length: 20 },
      (_, n) => `Fresh Paper ${n}\n\nWe study ${n}. ${'It is long. '.repeat(60)}`,
    ).join('\n\n')
    expect(() => lib.importText('more.txt', `Aug 20\n\n${bigDump}`)).toThrow(/disk is full/)
    expect(lib.stats().total).toBe(95)
    // A short journal is not turned into a snapshot at close (the next open reads it again in
    // a moment): nothing is written, and the journal still holds everything.
    lib.close()
    rmSync(filler)
    const again = await Library.open(path)
    expect(again.getPaper(id).note).toBe('saved while there was room')
    again.setNote(id, 'x'.repeat(8192))
    again.close()
    expect(readdirSync(disk).filter((n) => n.includes('.tmp-'))).toEqual([])
  })
})

describe('one writer at a time', () => {
  it('a CLI write while the app holds the library is refused, naming the holder', async () => {
    const { path } = await sampleLibrary()
    const session = await LibrarySession.start(path, { owner: 'the Lectern app' })
    const before = readFileSync(path)
    const refused = await lectern('--library', path, 'set', '1', '--status', 'skipped')
    expect(refused.code).toBe(1)
    expect(refused.err).toMatch(/is in use by the Lectern app \(process \d+/)
    // Reading is fine while another program writes.
    expect((await lectern('--library', path, 'show', '1', '--json')).code).toBe(0)
    session.close()
    expect(readFileSync(path).equals(before)).toBe(true)
  })
})

describe('command line backup, restore and recover', () => {
  it('backs up, lists, restores and recovers', async () => {
    const dir = tempDir()
    const lib = join(dir, 'lib.sqlite')
    expect((await lectern('--library', lib, 'import', SAMPLE_PATH)).code).toBe(0)
    const backedUp = await lectern('--library', lib, 'backup')
    expect(backedUp.code).toBe(0)
    expect(backedUp.out).toMatch(/^Backed up 95 papers to .*library-manual-/m)
    const [backup] = listBackups(lib)
    writeFileSync(lib, 'not a library any more')
    const damaged = await lectern('--library', lib, 'list')
    expect(damaged.code).toBe(1)
    expect(damaged.err).toMatch(/lectern restore BACKUP/)
    const restored = await lectern('--library', lib, 'restore', backup!.name)
    expect(restored.code).toBe(0)
    expect(restored.out).toMatch(/Restored 95 papers/)
    const stats = await lectern('--library', lib, 'stats', '--json')
    expect(stats.code).toBe(0)
    expect(JSON.parse(stats.out)).toMatchObject({ total: 95 })
    writeFileSync(lib, Buffer.alloc(0))
    expect((await lectern('--library', lib, 'recover', '--empty')).code).toBe(0)
    expect((await lectern('--library', lib, 'recover')).code).toBe(2)
  })
})

// Keeps mtime-based tools honest: a backup's date comes from its name, not the file's mtime.
describe('backup dates', () => {
  it('come from the name', async () => {
    const { path } = await sampleLibrary()
    const lib = await Library.open(path)
    const b = await writeBackup(lib, { kind: 'manual', now: new Date('2025-01-02T03:04:05.678Z') })
    lib.close()
    utimesSync(b.file, new Date(), new Date())
    expect(listBackups(path)[0]!.createdAt).toBe('2025-01-02T03:04:05.678Z')
  })
})
