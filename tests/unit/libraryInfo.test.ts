// Where a library lives and what it holds (the Settings screen, `lectern settings`), and a
// library opened only to read: every change refused before its handler runs, in words that say
// why, and the files left exactly as they were.
import { chmodSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { METHOD_ACCESS } from '../../shared/methods'
import type { Method, Request } from '../../shared/api'
import { dispatch } from '../../electron/core/api/dispatch'
import type { HandlerContext } from '../../electron/core/api/dispatch'
import { readOnlyFile } from '../../electron/core/api/access'
import { LibrarySession } from '../../electron/core/safety/session'
import { lectern } from '../helpers/cli'
import { SAMPLE_PATH, fixedClock, tempDir } from '../helpers/fixtures'

const unix = process.platform !== 'win32'

function contextOf(session: LibrarySession): HandlerContext {
  return { session, samplePath: SAMPLE_PATH, localFiles: false, maxImportChars: 1 << 20 }
}

async function call<M extends Method>(ctx: HandlerContext, method: M, request: Request<M>) {
  const reply = await dispatch(ctx, method, request)
  if (!reply.ok) throw new Error(`${method}: ${reply.error.message}`)
  return reply.value
}

/** A library of the sample in a folder of its own, closed. */
async function sampleLibrary(): Promise<string> {
  const path = join(tempDir(), 'library.sqlite')
  const session = await LibrarySession.start(path, { owner: 'test', now: fixedClock() })
  await call(contextOf(session), 'importSample', {})
  session.close()
  return path
}

type WriteMethod = { [M in Method]: (typeof METHOD_ACCESS)[M] extends 'write' ? M : never }[Method]

/** A request each write method accepts: the refusal must come from the library, not the schema. */
const WRITES: { [M in WriteMethod]: Request<M> } = {
  setStatus: { id: 1, status: 'read' },
  setNote: { id: 1, note: 'a note' },
  updatePaper: { id: 1, status: 'reading' },
  updatePapers: { ids: [1], starred: true },
  restorePapers: { papers: [{ id: 1, starred: false }] },
  renameTag: { from: 'a', to: 'b' },
  deleteTag: { name: 'a' },
  deletePapers: { ids: [1] },
  restoreDeleted: {},
  importText: { source: 'a.txt', text: 'Aug 20\n\nOne More Paper\n\nIts abstract.' },
  importTexts: { dumps: [{ source: 'a.txt', text: 'Aug 20\n\nOne More\n\nAn abstract.' }] },
  importSample: {},
  startImport: { dumps: [{ source: 'a.txt', text: 'Aug 20\n\nOne More\n\nAn abstract.' }] },
  cancelImport: { id: 'job-1' },
  undoImport: { importId: 1 },
  updateSettings: { watchInbox: true },
  recover: { action: 'empty' },
  restoreBackup: { name: 'library-manual-20261130T120000000Z.sqlite' },
  moveLibrary: { folder: '/nowhere' },
  syncNow: { folder: '/nowhere' },
  setSyncFolder: { folder: '/nowhere' },
  resolveNoteConflict: { id: 1, version: 'aaaaaaaaaaaaaaaa:1', keep: true },
}

describe('libraryInfo', () => {
  it('says where the library is, its size on disk, its papers and its backups', async () => {
    const dir = tempDir()
    const path = join(dir, 'library.sqlite')
    const session = await LibrarySession.start(path, { owner: 'test', now: fixedClock() })
    const ctx = contextOf(session)
    try {
      const empty = await call(ctx, 'libraryInfo', {})
      expect(empty).toMatchObject({
        path,
        papers: 0,
        writable: true,
        readOnlyFile: null,
        backups: { folder: join(dir, 'backups'), autoKept: 7, last: null, lastAuto: null },
      })
      await call(ctx, 'importSample', {})
      const manual = await call(ctx, 'backupNow', {})
      const info = await call(ctx, 'libraryInfo', {})
      const onDisk = [path, `${path}.journal`, `${path}.sum`].reduce(
        (n, file) => n + statSync(file).size,
        0,
      )
      expect(info).toMatchObject({ papers: 95, bytes: onDisk })
      expect(info.bytes).toBeGreaterThan(empty.bytes)
      expect(info.backups.last).toMatchObject({ name: manual.name, kind: 'manual' })
      expect(info.backups.lastAuto).toBeNull()
      const auto = await session.autoBackup()
      expect(auto).not.toBeNull()
      const after = await call(ctx, 'libraryInfo', {})
      expect(after.backups.last?.name).toBe(auto!.name)
      expect(after.backups.lastAuto?.name).toBe(auto!.name)
    } finally {
      session.close()
    }
  })

  it('lectern settings prints it, and switches the inbox', async () => {
    const path = await sampleLibrary()
    const dir = join(path, '..')
    const shown = await lectern('--library', path, 'settings')
    expect(shown).toMatchObject({ code: 0, err: '' })
    expect(shown.out.split('\n')).toEqual([
      `Library  ${path}`,
      expect.stringMatching(/^ {9}95 papers, [\d.]+ (KB|MB) on disk$/),
      `Backups  ${join(dir, 'backups')}`,
      '         once a day while the app or lectern serve has the library open; the newest 7 kept',
      '         last: none yet',
      `Inbox    ${join(dir, 'inbox')}`,
      '         off (lectern settings --inbox on)',
      '',
    ])
    const on = await lectern('--library', path, 'settings', '--inbox', 'on')
    expect(on.code).toBe(0)
    expect(on.out).toContain('         on: dumps saved there are imported')
    const stored = JSON.parse((await lectern('--library', path, 'api', 'getSettings')).out)
    expect(stored.watchInbox).toBe(true)
    await lectern('--library', path, 'backup')
    const json = JSON.parse((await lectern('--library', path, 'settings', '--json')).out)
    expect(json).toMatchObject({
      library: { path, papers: 95, backups: { last: { kind: 'manual' } } },
      inbox: { folder: join(dir, 'inbox'), watch: true },
    })
    const wrong = await lectern('--library', path, 'settings', '--inbox', 'maybe')
    expect(wrong.code).toBe(2)
    expect(wrong.err).toContain('--inbox: expected on or off, got "maybe"')
  })

  it('through the command line, by the same method', async () => {
    const path = await sampleLibrary()
    const r = await lectern('--library', path, 'api', 'libraryInfo')
    expect(r.code).toBe(0)
    // The command line opens a library only to read for a method that reads.
    expect(JSON.parse(r.out)).toMatchObject({ path, papers: 95, writable: false })
  })
})

// The refusal rests on the permission bits (root, as in CI, could write anyway).
describe.skipIf(!unix)('a library whose files are read-only, opened only to read', () => {
  it('is refused for writing, and readOnlyFile names the file', async () => {
    const path = await sampleLibrary()
    expect(readOnlyFile(path)).toBeNull()
    chmodSync(`${path}.sum`, 0o444)
    expect(readOnlyFile(path)).toBe(`${path}.sum`)
    chmodSync(path, 0o444)
    expect(readOnlyFile(path)).toBe(path)
    await expect(LibrarySession.start(path, { owner: 'test' })).rejects.toThrow('is read-only')
    expect(readOnlyFile(join(tempDir(), 'nothing-here.sqlite'))).toBeNull()
  })

  it('lectern settings says so, and cannot switch its inbox', async () => {
    const path = await sampleLibrary()
    chmodSync(path, 0o444)
    const shown = await lectern('--library', path, 'settings')
    expect(shown.out).toContain(
      `         read-only: ${path} cannot be written; it can be read, not changed`,
    )
    const on = await lectern('--library', path, 'settings', '--inbox', 'on')
    expect(on.code).toBe(1)
    expect(on.err).toContain(`the library file ${path} is read-only`)
  })

  it('reads, searches, exports and backs up; every change is refused and nothing is written', async () => {
    const path = await sampleLibrary()
    chmodSync(path, 0o444)
    const files = [path, `${path}.journal`, `${path}.sum`].map((f) => {
      try {
        return [f, readFileSync(f)] as const
      } catch {
        return [f, null] as const
      }
    })
    const session = await LibrarySession.openReadOnly(path, { now: fixedClock() })
    const ctx = contextOf(session)
    try {
      expect(await call(ctx, 'libraryInfo', {})).toMatchObject({
        path,
        papers: 95,
        writable: false,
        readOnlyFile: path,
      })
      const page = await call(ctx, 'listPapers', {
        sort: { field: 'relevance', direction: 'desc' },
        search: 'video',
        offset: 0,
        limit: 5,
      })
      expect(page.rows.length).toBeGreaterThan(0)
      expect((await call(ctx, 'exportPapers', { format: 'bibtex' })).papers).toBe(95)
      expect((await call(ctx, 'backupNow', {})).papers).toBe(95)
      for (const [method, request] of Object.entries(WRITES)) {
        expect(await dispatch(ctx, method as Method, request), method).toEqual({
          ok: false,
          error: {
            code: 'read-only',
            message: `this library is read-only (${path} cannot be written), so nothing in it can be changed; it can still be read, searched, exported and backed up. To change it, make its files writable and open it again`,
          },
        })
      }
      // Every write method is in the list (a new one must say what it does here).
      expect(Object.keys(WRITES).sort()).toEqual(
        Object.entries(METHOD_ACCESS)
          .filter(([, access]) => access === 'write')
          .map(([m]) => m)
          .sort(),
      )
      // A request the schema refuses is refused for that first, as on any library.
      expect(await dispatch(ctx, 'setStatus', { id: 'x' })).toMatchObject({
        ok: false,
        error: { code: 'invalid-request' },
      })
    } finally {
      session.close()
    }
    for (const [file, bytes] of files) {
      if (bytes) expect(readFileSync(file).equals(bytes), file).toBe(true)
    }
    expect(statSync(path).mode & 0o777).toBe(0o444)
  })
})
