// Moving a library to another folder: its file, journal, checksum file, list of backup folders
// and the backups beside it are copied, checked, remembered at the new place, and only then
// removed from the old one. A move that cannot be made is refused before anything changes; one
// that fails halfway is taken back; and a crash or a power cut at any moment leaves the library
// the app would open whole, with every backup.
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { dirname, isAbsolute, join, relative } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Method, Request } from '../../shared/api'
import { CHOSEN_LIBRARY_FILE, chosenLibrary } from '../../electron/core/paths'
import { dispatch } from '../../electron/core/api/dispatch'
import type { HandlerContext } from '../../electron/core/api/dispatch'
import { backupFoldersPath, verifyBackupFile } from '../../electron/core/safety/backups'
import { followMove, rememberLibrary } from '../../electron/core/safety/remembered'
import { LibrarySession } from '../../electron/core/safety/session'
import { nodeDisk, useDisk } from '../../electron/core/store/disk'
import type { Disk } from '../../electron/core/store/disk'
import { RecordingDisk, extremeImagesAt, materialize } from '../../testkit/power/simDisk'
import { lectern } from '../helpers/cli'
import { SAMPLE_PATH, fixedClock, tempDir } from '../helpers/fixtures'

const DUMP = `Aug 20

A First Paper About Moving

Its abstract, long enough to be an abstract.

A Second Paper

Another abstract, about libraries that move.

A Third Paper

And a third abstract.
`

const sessions: LibrarySession[] = []
afterEach(() => {
  while (sessions.length) sessions.pop()!.close()
})

function contextOf(session: LibrarySession, libraryMoved?: HandlerContext['libraryMoved']) {
  const ctx: HandlerContext = {
    session,
    samplePath: SAMPLE_PATH,
    localFiles: true,
    maxImportChars: 1 << 20,
    libraryMoved,
  }
  return ctx
}

async function call<M extends Method>(ctx: HandlerContext, method: M, request: Request<M>) {
  const reply = await dispatch(ctx, method, request)
  if (!reply.ok) throw new Error(`${method}: ${reply.error.message}`)
  return reply.value
}

/**
 * A library of three papers in `dir`, a note on the first (in the journal only), and a backup
 * beside it; open.
 */
async function small(dir = tempDir()) {
  const path = join(dir, 'library.sqlite')
  const session = await LibrarySession.start(path, { owner: 'test', now: fixedClock() })
  sessions.push(session)
  const ctx = contextOf(session)
  await call(ctx, 'importText', { source: 'dump.txt', text: DUMP })
  const backup = await call(ctx, 'backupNow', {})
  await call(ctx, 'setNote', { id: 1, note: 'written after the backup' })
  return { dir, path, session, ctx, backup }
}

/** The library's own files, byte for byte: a refusal must leave them so. */
function filesOf(path: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const file of [path, `${path}.journal`, `${path}.sum`, backupFoldersPath(path)]) {
    out[file] = existsSync(file) ? readFileSync(file).toString('base64') : '(none)'
  }
  return out
}

/** The real disk, but writes under `folder` fail with `code` once `after` of them went through. */
function failingDiskUnder(folder: string, code: string, after = 0): Disk {
  let writes = 0
  const fail = (path: string): void => {
    if (!path.startsWith(folder)) return
    if (writes++ < after) return
    throw Object.assign(new Error(`${code}: refused, '${path}'`), { code })
  }
  return {
    ...nodeDisk,
    open: (path, flags, mode) => {
      fail(path)
      return nodeDisk.open(path, flags, mode)
    },
    mkdir: (path) => {
      fail(path)
      nodeDisk.mkdir(path)
    },
  }
}

describe('moving a library', () => {
  it('moves its files and the backups beside it, checks them, and holds it at its new place', async () => {
    const { dir, path, session, ctx, backup } = await small()
    const target = join(dir, 'elsewhere', 'papers')
    const moved = await call(ctx, 'moveLibrary', { folder: target })
    const to = join(target, 'library.sqlite')
    expect(moved).toEqual({ from: path, path: to, backupsMoved: 1, remembered: false, left: [] })
    expect(session.path).toBe(to)
    // Nothing of the library is left where it was: not its files, its lock, nor its backups.
    expect(readdirSync(dir).sort()).toEqual(['backups', 'elsewhere', 'library.sqlite.moved'])
    expect(readdirSync(join(dir, 'backups'))).toEqual([])
    expect(readdirSync(target).sort()).toEqual([
      'backups',
      'library.sqlite',
      'library.sqlite.journal',
      'library.sqlite.lock',
      'library.sqlite.sum',
    ])
    // The change in the journal only came too, and the library works at its new place.
    expect((await call(ctx, 'getPaper', { id: 1 })).note).toBe('written after the backup')
    await call(ctx, 'setNote', { id: 2, note: 'written at the new place' })
    expect(session.listBackups().map((b) => [b.name, b.folder])).toEqual([
      [backup.name, join(target, 'backups')],
    ])
    expect(await verifyBackupFile(join(target, 'backups', backup.name))).toBe(3)
    expect((await call(ctx, 'libraryInfo', {})).backups.folder).toBe(join(target, 'backups'))
    expect((await call(ctx, 'getSettings', {})).inboxFolder).toBe(join(target, 'inbox'))
    sessions.splice(sessions.indexOf(session), 1)
    session.close()
    const again = await LibrarySession.openReadOnly(to)
    try {
      expect(again.get().getPaper(2).note).toBe('written at the new place')
    } finally {
      again.close()
    }
  })

  it('a backup under way when the move starts is finished first, and moves with the library', async () => {
    const { dir, session, ctx, backup } = await small()
    // The automatic backup is due (none made yet): it is on its thread when the move is asked.
    const inFlight = session.autoBackup()
    const moved = await call(ctx, 'moveLibrary', { folder: join(dir, 'moved') })
    const auto = await inFlight
    expect(auto).not.toBeNull()
    expect(moved.backupsMoved).toBe(2)
    // Nothing left behind in the old folder, both at the new place, whole.
    expect(readdirSync(join(dir, 'backups'))).toEqual([])
    expect(session.listBackups().map((b) => [b.name, b.folder])).toEqual(
      expect.arrayContaining([
        [backup.name, join(dir, 'moved', 'backups')],
        [auto!.name, join(dir, 'moved', 'backups')],
      ]),
    )
    expect(await verifyBackupFile(join(dir, 'moved', 'backups', auto!.name))).toBe(3)
  })

  it('leaves a note where it was, and a library is never opened, nor started empty, there', async () => {
    const { dir, path, session, ctx } = await small()
    const moved = await call(ctx, 'moveLibrary', { folder: join(dir, 'moved') })
    // A text file beside where the library was says where it went, and when.
    const note = readFileSync(`${path}.moved`, 'utf8')
    expect(note).toContain(`to: ${moved.path}\n`)
    expect(note).toMatch(/^when: 2026-11-30T12:00:\d\d\.000Z$/m)
    expect(readdirSync(dir).sort()).toEqual(['backups', 'library.sqlite.moved', 'moved'])
    const esc = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    const refused = new RegExp(`^the library ${esc(path)} was moved to ${esc(moved.path)} on 2026-`)
    // A script that still names the old place: not a new, empty library there, nor an error
    // that hides where the library went; for writing and for reading.
    await expect(LibrarySession.start(path, { owner: 'a script' })).rejects.toThrow(refused)
    await expect(LibrarySession.openReadOnly(path)).rejects.toThrow(refused)
    expect(readdirSync(dir).sort()).toEqual(['backups', 'library.sqlite.moved', 'moved'])
    const cli = await lectern('--library', path, 'import', SAMPLE_PATH)
    expect(cli.code).toBe(1)
    expect(cli.err).toContain(`was moved to ${moved.path}`)
    expect(cli.err).toContain(`remove ${path}.moved to start a new library there`)
    // Stale files there (copied back by hand, a sync service) are not opened either.
    writeFileSync(path, readFileSync(moved.path))
    await expect(LibrarySession.openReadOnly(path)).rejects.toThrow(refused)
    rmSync(path)
    // Nor through a link to where it was.
    const link = join(tempDir(), 'link.sqlite')
    symlinkSync(path, link)
    await expect(LibrarySession.start(link, { owner: 'test' })).rejects.toThrow(
      `was moved to ${moved.path}`,
    )
    // Moved back, the note goes: the library opens there again.
    await call(ctx, 'moveLibrary', { folder: dir })
    expect(existsSync(`${path}.moved`)).toBe(false)
    expect(existsSync(`${moved.path}.moved`)).toBe(true)
    expect(session.path).toBe(path)
    sessions.splice(sessions.indexOf(session), 1)
    session.close()
    const back = await LibrarySession.openReadOnly(path)
    sessions.push(back)
    expect(back.get().getPaper(1).note).toBe('written after the backup')
  })

  it('when the note cannot be left where it was, the old files stay there too (never nothing)', async () => {
    const { dir, path, session, ctx } = await small()
    const putBack = useDisk({
      ...nodeDisk,
      open: (file, flags, mode) => {
        if (file.includes('library.sqlite.moved')) {
          throw Object.assign(new Error(`EACCES: permission denied, open '${file}'`), {
            code: 'EACCES',
          })
        }
        return nodeDisk.open(file, flags, mode)
      },
    })
    let moved
    try {
      moved = await call(ctx, 'moveLibrary', { folder: join(dir, 'moved') })
    } finally {
      putBack()
    }
    // Moved, and told which files were left: a whole, stale copy rather than an empty place
    // where a script naming it would start a new library.
    expect(session.path).toBe(moved.path)
    expect(moved.left).toEqual(expect.arrayContaining([path, `${path}.journal`, `${path}.sum`]))
    expect(existsSync(path)).toBe(true)
    expect(existsSync(`${path}.moved`)).toBe(false)
    expect((await call(ctx, 'getPaper', { id: 1 })).note).toBe('written after the backup')
  })

  it('a backups folder chosen elsewhere stays where it is, still named, still listed', async () => {
    const { dir, ctx, session, backup } = await small()
    const chosen = join(dir, 'other-disk', 'backups')
    await call(ctx, 'updateSettings', { backupsFolder: chosen })
    const there = await call(ctx, 'backupNow', {})
    const moved = await call(ctx, 'moveLibrary', { folder: join(dir, 'moved') })
    expect(moved.backupsMoved).toBe(1)
    expect(readdirSync(chosen)).toEqual([there.name])
    expect(session.get().settings().backupsFolder).toBe(chosen)
    expect(readFileSync(backupFoldersPath(moved.path), 'utf8')).toContain(chosen)
    expect(
      session
        .listBackups()
        .map((b) => [b.name, b.folder])
        .sort(),
    ).toEqual(
      [
        [there.name, chosen],
        [backup.name, join(dir, 'moved', 'backups')],
      ].sort(),
    )
  })

  it('refuses, saying why, a place it cannot go; nothing changes and the library stays open', async () => {
    const { dir, path, ctx } = await small()
    const unchanged = filesOf(path)
    const holder = join(dir, 'holder')
    mkdirSync(holder)
    writeFileSync(join(holder, 'library.sqlite'), 'another library')
    // Another library under another name: its backups and its inbox would be shared.
    const other = join(dir, 'other')
    const otherLibrary = await LibrarySession.start(join(other, 'papers.sqlite'), { owner: 'test' })
    otherLibrary.close()
    const clash = join(dir, 'clash')
    mkdirSync(join(clash, 'backups'), { recursive: true })
    const backupName = readdirSync(join(dir, 'backups'))[0]!
    writeFileSync(join(clash, 'backups', backupName), 'x')
    const refusals: [string, RegExp][] = [
      [dir, /the library is in .* already; choose another folder/],
      [SAMPLE_PATH, /daily-papers-aug-19\.txt is a file, not a folder/],
      [
        holder,
        /holder holds a library already \(.*holder\/library\.sqlite\); choose another folder/,
      ],
      [other, /other holds a library already \(.*other\/papers\.sqlite\); choose another folder/],
      [join(dir, 'inbox', 'sub'), /is inside the library's inbox/],
      [join(dir, 'backups', 'sub'), /is inside a folder of its backups/],
      [clash, /exists already, and the backup of that name would go there/],
    ]
    for (const [folder, message] of refusals) {
      expect(await dispatch(ctx, 'moveLibrary', { folder })).toMatchObject({
        ok: false,
        error: { message: expect.stringMatching(message) },
      })
    }
    // A disk that takes nothing: the folder named, and why.
    const disk2 = join(dir, 'disk2')
    mkdirSync(disk2)
    const putBack = useDisk(failingDiskUnder(disk2, 'EROFS'))
    try {
      expect(await dispatch(ctx, 'moveLibrary', { folder: join(disk2, 'papers') })).toEqual({
        ok: false,
        error: {
          code: 'write-failed',
          message: `could not write ${join(disk2, 'papers')}: the disk is read-only (EROFS), so the library cannot be moved there; nothing was moved`,
        },
      })
    } finally {
      putBack()
    }
    expect(filesOf(path)).toEqual(unchanged)
    expect((await call(ctx, 'getPaper', { id: 1 })).note).toBe('written after the backup')
  })

  it('a disk that fills up halfway: the copies are taken back, the library is open where it was', async () => {
    const { dir, path, session, ctx } = await small()
    const unchanged = filesOf(path)
    const target = join(dir, 'small-disk')
    // The folder is made and tried, the first copies written, then the disk is full.
    const putBack = useDisk(failingDiskUnder(target, 'ENOSPC', 4))
    try {
      const reply = await dispatch(ctx, 'moveLibrary', { folder: target })
      expect(reply).toMatchObject({
        ok: false,
        error: {
          code: 'write-failed',
          message: expect.stringMatching(/the disk is full.*nothing was moved/),
        },
      })
    } finally {
      putBack()
    }
    expect(filesOf(path)).toEqual(unchanged)
    expect(session.path).toBe(path)
    // Only the folders it made are left there, empty.
    expect(readdirSync(target)).toEqual(['backups'])
    expect(readdirSync(join(target, 'backups'))).toEqual([])
    expect(existsSync(`${path}.lock`)).toBe(true)
    await call(ctx, 'setNote', { id: 3, note: 'still here' })
  })

  it('when the new place cannot be remembered, the move is taken back', async () => {
    const { dir, path, session } = await small()
    const unchanged = filesOf(path)
    const ctx = contextOf(session, () => {
      throw new Error('the data folder is read-only')
    })
    expect(await dispatch(ctx, 'moveLibrary', { folder: join(dir, 'moved') })).toMatchObject({
      ok: false,
      error: { message: 'unexpected error: the data folder is read-only' },
    })
    expect(filesOf(path)).toEqual(unchanged)
    expect(readdirSync(join(dir, 'moved')).filter((n) => n !== 'backups')).toEqual([])
    expect(session.path).toBe(path)
    expect((await call(ctx, 'stats', {})).total).toBe(3)
  })

  it('a move back to where the library was, taken back, leaves the note there as it was', async () => {
    const { dir, path, session, ctx } = await small()
    const moved = await call(ctx, 'moveLibrary', { folder: join(dir, 'moved') })
    const note = readFileSync(`${path}.moved`, 'utf8')
    const failing = contextOf(session, () => {
      throw new Error('the data folder is read-only')
    })
    expect(await dispatch(failing, 'moveLibrary', { folder: dir })).toMatchObject({ ok: false })
    expect(session.path).toBe(moved.path)
    expect(readFileSync(`${path}.moved`, 'utf8')).toBe(note)
    expect(existsSync(path)).toBe(false)
    await expect(LibrarySession.start(path, { owner: 'a script' })).rejects.toThrow(
      `was moved to ${moved.path}`,
    )
  })

  it('a damaged library is not moved (recover it first), nor one opened only to read', async () => {
    const { dir, path, session } = await small()
    sessions.splice(sessions.indexOf(session), 1)
    session.close()
    const readOnly = await LibrarySession.openReadOnly(path)
    sessions.push(readOnly)
    expect(
      await dispatch(contextOf(readOnly), 'moveLibrary', { folder: join(dir, 'x') }),
    ).toMatchObject({ ok: false, error: { code: 'read-only' } })
    writeFileSync(path, 'damaged')
    const damaged = await LibrarySession.start(path, { owner: 'test' })
    sessions.push(damaged)
    expect(
      await dispatch(contextOf(damaged), 'moveLibrary', { folder: join(dir, 'x') }),
    ).toMatchObject({ ok: false, error: { code: 'library-damaged' } })
    expect(existsSync(join(dir, 'x'))).toBe(false)
  })
})

describe('the library opened by default follows a move', () => {
  it('when it is the one remembered, or the default one with none remembered; never another', () => {
    const data = tempDir()
    const a = join(tempDir(), 'library.sqlite')
    const b = join(tempDir(), 'library.sqlite')
    writeFileSync(a, '')
    // Nothing remembered, and `a` is not the default library: nothing changes.
    expect(followMove(a, b, data)).toBe(false)
    expect(existsSync(join(data, CHOSEN_LIBRARY_FILE))).toBe(false)
    // The default library moved: the new place is remembered.
    const byDefault = join(data, 'library.sqlite')
    writeFileSync(byDefault, '')
    expect(followMove(byDefault, a, data)).toBe(true)
    expect(chosenLibrary(data)).toBe(a)
    // The one remembered moved.
    expect(followMove(a, b, data)).toBe(true)
    expect(chosenLibrary(data)).toBe(b)
    // Another library moved: the one remembered stays.
    rememberLibrary(b, data)
    expect(followMove(a, join(tempDir(), 'library.sqlite'), data)).toBe(false)
    expect(chosenLibrary(data)).toBe(b)
  })
})

describe('a crash or a power cut at any moment of a move', () => {
  it('leaves the library the app opens whole, with its note and its backup', async () => {
    // The recording's root is the app's data folder too: the library in it is the default one,
    // and the move remembers its new place there, as the app's would.
    const root = join(tempDir(), 'recorded')
    mkdirSync(root)
    const recording = new RecordingDisk()
    const putBack = useDisk(recording)
    let start: number
    let end: number
    try {
      const { session, backup } = await small(root)
      start = recording.log.length
      const ctx = contextOf(session, (from, to) => followMove(from, to, root))
      await call(ctx, 'moveLibrary', { folder: join(root, 'disk2', 'papers') })
      end = recording.log.length
      sessions.splice(sessions.indexOf(session), 1)
      session.close()
      expect(backup.name).toMatch(/^library-manual-/)
    } finally {
      putBack()
    }
    const check = tempDir()
    const kinds = new Set<string>()
    let opened = 0
    let refusedOld = 0
    // After every event of the move: a kill (the page cache survives: everything written is
    // there) and a power cut (only what was flushed is).
    for (let at = start; at <= end; at += 1) {
      const event = recording.log[at - 1]!.event
      kinds.add(
        event.kind === 'fsync' || event.kind === 'fsyncDirectory' ? event.point : event.kind,
      )
      for (const { name, image } of extremeImagesAt(root, recording.log, at)) {
        if (name !== 'nothing unsynced landed' && name !== 'everything unsynced landed') continue
        const folder = join(check, `${at}-${name.split(' ')[0]}`)
        const files = new Map([...image.files].filter(([f]) => !f.endsWith('.lock')))
        materialize({ ...image, files }, folder)
        let library = join(folder, 'library.sqlite')
        try {
          const { library: named } = JSON.parse(
            readFileSync(join(folder, CHOSEN_LIBRARY_FILE), 'utf8'),
          ) as { library: string }
          if (isAbsolute(named)) library = join(folder, relative(root, named))
        } catch {
          // None remembered: the default library.
        }
        const where = `after event ${at} (${event.kind}), ${name}: ${relative(folder, library)}`
        const session = await LibrarySession.start(library, { owner: 'check' })
        try {
          expect((await session.status()).state, where).toBe('open')
          expect(session.get().stats().total, where).toBe(3)
          expect(session.get().getPaper(1).note, where).toBe('written after the backup')
          const [backup] = session.listBackups()
          expect(backup, where).toBeDefined()
          expect(dirname(backup!.folder), where).toBe(dirname(library))
          expect(await verifyBackupFile(join(backup!.folder, backup!.name)), where).toBe(3)
        } finally {
          session.close()
        }
        // Where it was: once the move is done, or its old library file is gone, a note there
        // says where it went, and no library opens there (nor an empty one starts).
        const old = join(folder, 'library.sqlite')
        if (library !== old && (at === end || !existsSync(old))) {
          await expect(LibrarySession.start(old, { owner: 'a script' }), where).rejects.toThrow(
            `was moved to ${join(root, 'disk2', 'papers', 'library.sqlite')} on `,
          )
          refusedOld += 1
        }
        opened += 1
        rmSync(folder, { recursive: true, force: true })
      }
    }
    // Every step of the move was cut at: the copies, their renames, the remembered file, the
    // note left where it was, the old files' removal.
    for (const kind of [
      'move.mkdir.dir',
      'move.fsync',
      'move.dir',
      'remember.fsync',
      'remember.dir',
      'move-note.fsync',
      'move-note.dir',
      'rename',
      'unlink',
    ]) {
      expect(kinds, kind).toContain(kind)
    }
    expect(opened).toBeGreaterThan(60)
    expect(refusedOld).toBeGreaterThan(5)
  }, 120_000)
})

describe('lectern move-library', () => {
  it('moves it, says where, and refuses a library in use', async () => {
    const dir = tempDir()
    const path = join(dir, 'library.sqlite')
    expect((await lectern('--library', path, 'import', SAMPLE_PATH)).code).toBe(0)
    expect((await lectern('--library', path, 'backup')).code).toBe(0)
    const target = join(dir, 'Papers')
    const r = await lectern('--library', path, 'move-library', target)
    expect(r).toEqual({
      code: 0,
      out: `Moved the library to ${join(target, 'library.sqlite')}\n  with 1 backup\nName it with --library ${join(target, 'library.sqlite')} from now on.\n`,
      err: '',
    })
    expect(statSync(join(target, 'library.sqlite')).isFile()).toBe(true)
    const moved = join(target, 'library.sqlite')
    expect(JSON.parse((await lectern('--library', moved, 'stats', '--json')).out).total).toBe(95)
    const none = await lectern('--library', moved, 'move-library')
    expect(none.code).toBe(2)
    expect(none.err).toContain('move-library: name one folder to move the library into')
    // An empty name (a script's unset variable) is not the current folder: it is refused.
    for (const blank of ['', '  ']) {
      const empty = await lectern('--library', moved, 'move-library', blank)
      expect(empty.code, JSON.stringify(blank)).toBe(2)
      expect(empty.err).toContain('move-library: the folder name is empty')
    }
    const reader = await LibrarySession.openReadOnly(moved)
    sessions.push(reader)
    expect(await dispatch(contextOf(reader), 'moveLibrary', { folder: ' ' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-request' },
    })
    expect(readdirSync(target).sort()).toEqual([
      'backups',
      'library.sqlite',
      'library.sqlite.journal',
      'library.sqlite.sum',
    ])
    const holder = await LibrarySession.start(moved, { owner: 'lectern serve' })
    try {
      const busy = await lectern('--library', moved, 'move-library', join(dir, 'again'))
      expect(busy.code).toBe(1)
      expect(busy.err).toContain('is in use by lectern serve')
      expect(existsSync(join(dir, 'again'))).toBe(false)
    } finally {
      holder.close()
    }
  })
})
