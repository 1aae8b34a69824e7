// When, how many and where automatic backups are made: settings kept in the library (through
// its journal, like the inbox switch), changed from every host. A folder chosen is created,
// tried and written down beside the library before the setting names it; a folder that cannot
// take backups is refused, naming it, and nothing changes. Backups made before stay where they
// are and are still listed, rotated and restorable — from the library's own list beside it when
// the library itself is damaged.
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Method, Request } from '../../shared/api'
import { dispatch } from '../../electron/core/api/dispatch'
import type { HandlerContext } from '../../electron/core/api/dispatch'
import { backupFoldersPath, notedFolders } from '../../electron/core/safety/backups'
import { LibrarySession } from '../../electron/core/safety/session'
import { nodeDisk, useDisk } from '../../electron/core/store/disk'
import type { Disk } from '../../electron/core/store/disk'
import { lectern } from '../helpers/cli'
import { SAMPLE_PATH, tempDir } from '../helpers/fixtures'

const HOUR = 60 * 60 * 1000
const DAY = 24 * HOUR
const sessions: LibrarySession[] = []
afterEach(() => {
  while (sessions.length) sessions.pop()!.close()
})

/** A clock the test moves: `at.t` is now. */
function movableClock(start = '2026-11-30T12:00:00.000Z') {
  const at = { t: Date.parse(start) }
  return { at, now: () => new Date(at.t) }
}

async function open(path: string, now: () => Date): Promise<LibrarySession> {
  const session = await LibrarySession.start(path, { owner: 'test', now })
  sessions.push(session)
  return session
}

function contextOf(session: LibrarySession, localFiles = true): HandlerContext {
  return { session, samplePath: SAMPLE_PATH, localFiles, maxImportChars: 1 << 20 }
}

async function call<M extends Method>(ctx: HandlerContext, method: M, request: Request<M>) {
  const reply = await dispatch(ctx, method, request)
  if (!reply.ok) throw new Error(`${method}: ${reply.error.message}`)
  return reply.value
}

/** A library of the sample (95 papers), open, with a clock the test moves. */
async function sample() {
  const dir = tempDir()
  const path = join(dir, 'library.sqlite')
  const clock = movableClock()
  const session = await open(path, clock.now)
  const ctx = contextOf(session)
  await call(ctx, 'importSample', {})
  return { dir, path, clock, session, ctx }
}

/** The library's own files, byte for byte: a refusal must leave them so. */
function filesOf(path: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const file of [path, `${path}.journal`, `${path}.sum`, backupFoldersPath(path)]) {
    out[file] = existsSync(file) ? readFileSync(file).toString('base64') : '(none)'
  }
  return out
}

/** The real disk, but every write under `folder` fails as a read-only disk's does. */
function readOnlyDiskUnder(folder: string): Disk {
  const refuse = (path: string): void => {
    if (path.startsWith(folder)) {
      throw Object.assign(new Error(`EROFS: read-only file system, open '${path}'`), {
        code: 'EROFS',
      })
    }
  }
  return {
    ...nodeDisk,
    open: (path, flags, mode) => {
      refuse(path)
      return nodeDisk.open(path, flags, mode)
    },
    mkdir: (path) => {
      refuse(path)
      nodeDisk.mkdir(path)
    },
  }
}

describe('the backup settings', () => {
  it('a library that never chose has what Lectern always did: once a day, seven kept, beside it', async () => {
    const { dir, ctx } = await sample()
    expect(await call(ctx, 'getSettings', {})).toMatchObject({
      backupEvery: 'daily',
      backupsKept: 7,
      backupsFolder: null,
    })
    expect((await call(ctx, 'libraryInfo', {})).backups).toMatchObject({
      folder: join(dir, 'backups'),
      isDefault: true,
      otherFolders: [],
      every: 'daily',
      autoKept: 7,
    })
  })

  it('are kept in the library through its journal: a reopened library has them', async () => {
    const { dir, path, clock, session, ctx } = await sample()
    const folder = join(dir, 'elsewhere', 'backups')
    const journalBefore = statSync(`${path}.journal`).size
    await call(ctx, 'updateSettings', {
      backupEvery: 'weekly',
      backupsKept: 3,
      backupsFolder: folder,
    })
    expect(statSync(`${path}.journal`).size).toBeGreaterThan(journalBefore)
    sessions.splice(sessions.indexOf(session), 1)
    session.close()
    const again = await open(path, clock.now)
    expect(again.get().settings()).toMatchObject({
      backupEvery: 'weekly',
      backupsKept: 3,
      backupsFolder: folder,
    })
  })

  it('off makes none; hourly and weekly keep to their period', async () => {
    const { clock, session, ctx } = await sample()
    await call(ctx, 'updateSettings', { backupEvery: 'off' })
    expect(await session.autoBackup()).toBeNull()
    clock.at.t += 30 * DAY
    expect(await session.autoBackup()).toBeNull()

    await call(ctx, 'updateSettings', { backupEvery: 'hourly' })
    expect(await session.autoBackup()).not.toBeNull()
    clock.at.t += 30 * 60 * 1000
    expect(await session.autoBackup()).toBeNull()
    // Checked every ten minutes: the next check past the hour makes the next one.
    clock.at.t += 30 * 60 * 1000
    expect(await session.autoBackup()).not.toBeNull()

    await call(ctx, 'updateSettings', { backupEvery: 'weekly' })
    clock.at.t += 6 * DAY
    expect(await session.autoBackup()).toBeNull()
    clock.at.t += DAY
    expect(await session.autoBackup()).not.toBeNull()
    expect(session.listBackups().filter((b) => b.kind === 'auto')).toHaveLength(3)
  })

  it('a backup stamped ahead of the clock (made while it was wrong) does not stop the schedule', async () => {
    const { clock, session } = await sample()
    // The clock runs a month ahead, a backup is made, then the clock is put right.
    const right = clock.at.t
    clock.at.t += 30 * DAY
    expect(await session.autoBackup()).not.toBeNull()
    clock.at.t = right
    const made = await session.autoBackup()
    expect(made?.createdAt).toBe(new Date(right).toISOString())
    // And then once a day again, not at every check.
    clock.at.t += HOUR
    expect(await session.autoBackup()).toBeNull()
    clock.at.t += DAY
    expect(await session.autoBackup()).not.toBeNull()
    expect(session.listBackups().filter((b) => b.kind === 'auto')).toHaveLength(3)
  })

  it('keep the newest as many as asked; fewer take effect at the next automatic backup', async () => {
    const { clock, session, ctx } = await sample()
    for (let i = 0; i < 5; i += 1) {
      expect(await session.autoBackup()).not.toBeNull()
      clock.at.t += DAY
    }
    const manual = await call(ctx, 'backupNow', {})
    await call(ctx, 'updateSettings', { backupsKept: 2 })
    // Nothing is deleted by the change itself: a slip of the hand costs no backup.
    expect(session.listBackups()).toHaveLength(6)
    await session.autoBackup()
    const left = session.listBackups()
    expect(left.filter((b) => b.kind === 'auto')).toHaveLength(2)
    expect(left.filter((b) => b.kind === 'auto')[0]!.createdAt).toBe(clock.now().toISOString())
    // Only automatic ones rotate.
    expect(left.map((b) => b.name)).toContain(manual.name)
  })

  it('another folder: created, new backups go there, those made before stay listed and restorable', async () => {
    const { dir, path, clock, session, ctx } = await sample()
    const before = await call(ctx, 'backupNow', {})
    clock.at.t += 1000
    const auto = await session.autoBackup()
    clock.at.t += 1000
    const folder = join(dir, 'disk2', 'lectern', 'backups')
    expect(existsSync(folder)).toBe(false)
    const settings = await call(ctx, 'updateSettings', { backupsFolder: folder })
    expect(settings.backupsFolder).toBe(folder)
    expect(statSync(folder).isDirectory()).toBe(true)
    // Written down beside the library before the setting was saved.
    expect(notedFolders(path)).toEqual([folder])
    // The folder was tried with a file, which is gone.
    expect(readdirSync(folder)).toEqual([])

    const made = await call(ctx, 'backupNow', {})
    expect(made.folder).toBe(folder)
    expect(readdirSync(folder)).toEqual([made.name])
    const info = await call(ctx, 'libraryInfo', {})
    expect(info.backups).toMatchObject({
      folder,
      isDefault: false,
      otherFolders: [join(dir, 'backups')],
    })
    expect(session.listBackups().map((b) => [b.name, b.folder])).toEqual([
      [made.name, folder],
      [auto!.name, join(dir, 'backups')],
      [before.name, join(dir, 'backups')],
    ])
    // The automatic ones left behind rotate out as new ones come in the new folder.
    await call(ctx, 'updateSettings', { backupsKept: 1 })
    clock.at.t += DAY
    const next = await session.autoBackup()
    expect(next!.folder).toBe(folder)
    expect(existsSync(join(dir, 'backups', auto!.name))).toBe(false)
    expect(existsSync(join(dir, 'backups', before.name))).toBe(true)

    // A backup from the folder used before is restored by its name.
    await call(ctx, 'setNote', { id: 1, note: 'after the first backup' })
    expect(await call(ctx, 'restoreBackup', { name: before.name })).toMatchObject({ papers: 95 })
    expect((await call(ctx, 'getPaper', { id: 1 })).note).toBe('')
    // The library restored is from before the folder was chosen: its setting says beside it,
    // and its backups still list the chosen folder's (the list beside the library keeps it).
    expect(session.get().settings().backupsFolder).toBeNull()
    expect(session.listBackups().some((b) => b.folder === folder)).toBe(true)
    // And back to the folder beside the library, which is no path: every host may ask it.
    await call(ctx, 'updateSettings', { backupsFolder: folder })
    await call(contextOf(session, false), 'updateSettings', { backupsFolder: null })
    expect((await call(ctx, 'backupNow', {})).folder).toBe(join(dir, 'backups'))
  })

  it('a damaged library still finds the backups in the folder chosen for them', async () => {
    const { dir, path, clock, session, ctx } = await sample()
    const folder = join(dir, 'other-disk', 'backups')
    await call(ctx, 'updateSettings', { backupsFolder: folder })
    const good = await call(ctx, 'backupNow', {})
    sessions.splice(sessions.indexOf(session), 1)
    session.close()
    writeFileSync(path, 'damaged')
    const damaged = await open(path, clock.now)
    const status = await damaged.status()
    expect(status).toMatchObject({
      state: 'damaged',
      backups: [{ name: good.name, folder }],
      newestGoodBackup: { name: good.name, folder, papers: 95 },
    })
    await damaged.recover({ action: 'backup', name: good.name })
    expect(damaged.get().stats().total).toBe(95)
  })

  it('a list of backup folders that cannot be read is not written over: the folders it names are not lost', async () => {
    const { dir, path, session, ctx } = await sample()
    const first = join(dir, 'disk2', 'backups')
    await call(ctx, 'updateSettings', { backupsFolder: first })
    const there = await call(ctx, 'backupNow', {})
    await call(ctx, 'updateSettings', { backupsFolder: null })
    // The list damaged (a bit flipped, a sync service's conflict, an editor): it cannot be read.
    const list = backupFoldersPath(path)
    const damaged = readFileSync(list, 'utf8').replace('"folders"', '"folders' + '\u0000')
    for (const bytes of [damaged, readFileSync(list, 'utf8').slice(0, 20), '']) {
      writeFileSync(list, bytes)
      const unchanged = filesOf(path)
      const second = join(dir, 'disk3', 'backups')
      const reply = await dispatch(ctx, 'updateSettings', { backupsFolder: second })
      expect(reply).toMatchObject({
        ok: false,
        error: {
          code: 'write-failed',
          message: expect.stringMatching(
            /^the list of backup folders .*library\.sqlite\.backup-folders cannot be read: it (is damaged|holds no list of folders); written again it would lose the folders it names, and the backups in them: put it right or move it away, then choose the folder again; the backups folder was not changed$/,
          ),
        },
      })
      expect(filesOf(path)).toEqual(unchanged)
      expect(session.get().settings().backupsFolder).toBeNull()
    }
    // Put right, the folder is chosen, and the backup in the first is still found.
    writeFileSync(list, JSON.stringify({ format: 1, folders: [first] }))
    await call(ctx, 'updateSettings', { backupsFolder: join(dir, 'disk3', 'backups') })
    expect(notedFolders(path)).toEqual([first, join(dir, 'disk3', 'backups')])
    expect(session.listBackups().map((b) => b.name)).toContain(there.name)
  })

  it('a folder that cannot take backups is refused, naming it, and nothing changes', async () => {
    const { dir, path, ctx } = await sample()
    const inbox = join(dir, 'inbox')
    mkdirSync(inbox)
    const unchanged = filesOf(path)
    const refusals: [string, RegExp][] = [
      [SAMPLE_PATH, /the backups folder .*daily-papers-aug-19\.txt is a file, not a folder/],
      [join(inbox, 'backups'), /is the inbox .* or inside it/],
    ]
    for (const [folder, message] of refusals) {
      const reply = await dispatch(ctx, 'updateSettings', { backupsFolder: folder })
      expect(reply).toMatchObject({ ok: false, error: { message: expect.stringMatching(message) } })
    }
    // A disk that takes nothing: the folder named, and why.
    const disk2 = join(dir, 'disk2')
    mkdirSync(disk2)
    const putBack = useDisk(readOnlyDiskUnder(disk2))
    try {
      for (const folder of [disk2, join(disk2, 'new', 'backups')]) {
        expect(await dispatch(ctx, 'updateSettings', { backupsFolder: folder })).toEqual({
          ok: false,
          error: {
            code: 'write-failed',
            message: `could not write ${folder}: the disk is read-only (EROFS), so backups cannot be kept there; choose another folder`,
          },
        })
      }
    } finally {
      putBack()
    }
    expect(filesOf(path)).toEqual(unchanged)
    expect(await call(ctx, 'getSettings', {})).toMatchObject({ backupsFolder: null })
    // Nonsense is refused by the contract, naming the field.
    for (const [request, field] of [
      [{ backupEvery: 'monthly' }, 'backupEvery'],
      [{ backupsKept: 0 }, 'backupsKept'],
      [{ backupsKept: 2.5 }, 'backupsKept'],
      [{ backupsFolder: '' }, 'backupsFolder'],
    ] as const) {
      expect(await dispatch(ctx, 'updateSettings', request)).toMatchObject({
        ok: false,
        error: {
          code: 'invalid-request',
          message: expect.stringMatching(`^updateSettings: ${field}: `),
        },
      })
    }
    expect(filesOf(path)).toEqual(unchanged)
  })

  it('a host whose requests come from a web page may change when and how many, not where', async () => {
    const { dir, session } = await sample()
    const page = contextOf(session, false)
    expect(await dispatch(page, 'updateSettings', { backupsFolder: join(dir, 'x') })).toMatchObject(
      {
        ok: false,
        error: { code: 'forbidden' },
      },
    )
    expect(existsSync(join(dir, 'x'))).toBe(false)
    expect(
      await call(page, 'updateSettings', { backupEvery: 'hourly', backupsKept: 24 }),
    ).toMatchObject({ backupEvery: 'hourly', backupsKept: 24, backupsFolder: null })
  })
})

describe('lectern settings', () => {
  it('sets when, how many and where; prints them; refuses what is not a choice', async () => {
    const dir = tempDir()
    const path = join(dir, 'library.sqlite')
    expect((await lectern('--library', path, 'import', SAMPLE_PATH)).code).toBe(0)
    expect((await lectern('--library', path, 'backup')).code).toBe(0)
    const folder = join(dir, 'usb', 'lectern-backups')
    const set = await lectern(
      '--library',
      path,
      'settings',
      '--backups',
      'weekly',
      '--keep',
      '4',
      '--backups-folder',
      folder,
    )
    expect(set).toMatchObject({ code: 0, err: '' })
    expect(set.out).toContain(`Backups  ${folder}\n`)
    expect(set.out).toContain(
      '         once a week while the app or lectern serve has the library open; the newest 4 kept\n',
    )
    expect(set.out).toContain(`         also listed: ${join(dir, 'backups')}\n`)
    const made = await lectern('--library', path, 'backup')
    expect(made.out).toContain(folder)
    const off = await lectern(
      '--library',
      path,
      'settings',
      '--backups',
      'off',
      '--backups-folder',
      'default',
    )
    expect(off.out).toContain(`Backups  ${join(dir, 'backups')}\n`)
    expect(off.out).toContain('automatic backups off (lectern settings --backups daily)')
    // The backup made in the folder chosen before is still listed.
    const listed = await lectern('--library', path, 'backups')
    expect(listed.out).toContain(`Backups in ${folder}:`)
    for (const [option, value, said] of [
      ['--backups', 'monthly', '--backups: expected off, hourly, daily, weekly, got "monthly"'],
      ['--keep', '0', '--keep: expected a number from 1 to 100, got "0"'],
      ['--keep', 'seven', '--keep: expected a number from 1 to 100, got "seven"'],
      // An empty name (a script's unset variable) is not the current folder.
      ['--backups-folder', '', '--backups-folder: the folder name is empty'],
      ['--backups-folder', ' ', '--backups-folder: the folder name is empty'],
    ]) {
      const wrong = await lectern('--library', path, 'settings', option!, value!)
      expect(wrong.code).toBe(2)
      expect(wrong.err).toContain(said)
    }
    // Nor is an empty library name the default library.
    const noLibrary = await lectern('--library', '', 'settings', '--keep', '3')
    expect(noLibrary.code).toBe(2)
    expect(noLibrary.err).toContain('--library: the file name is empty')
    const json = JSON.parse((await lectern('--library', path, 'settings', '--json')).out)
    expect(json.library.backups).toMatchObject({ every: 'off', autoKept: 4, isDefault: true })
  })
})
