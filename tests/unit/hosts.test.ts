// Every method of the contract is reachable from every host: the window (IPC and the preload),
// the browser host (HTTP and its client) and the command line. Each method is called with a
// request its schema refuses; the dispatcher's answer names the method, which proves the call
// went through that host all the way to that method's handler.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { IpcMainInvokeEvent } from 'electron'
import { METHODS, channelOf } from '../../shared/methods'
import type { Envelope, Method, Request } from '../../shared/api'
import { bindIpc } from '../../electron/main/ipc'
import { APP_ENTRY, isAppUrl } from '../../electron/main/appProtocol'
import { preloadApi } from '../../electron/preload/api'
import { LibrarySession } from '../../electron/core/safety/session'
import { createHttpApi } from '../../renderer/src/api/httpApi'
import { lectern } from '../helpers/cli'
import { SAMPLE_PATH, fixedClock, tempDir } from '../helpers/fixtures'
import { startTestServer } from '../helpers/testServer'

/** The page the desktop window loads (electron/main/appProtocol.ts). */
const APP_URL = APP_ENTRY

/**
 * A request each method accepts, run in this order on a library holding the sample. Typed by
 * the contract, so a new method cannot be left out. `fails` names the refusal a method gives
 * here on purpose (a healthy library has nothing to recover; there is no such backup).
 */
const VALID: { [M in Method]: { request: Request<M>; fails?: string } } = {
  importSample: { request: {} },
  previewImport: {
    request: { dumps: [{ source: 'p.txt', text: 'Aug 22\n\nA Previewed Paper\n\nIts abstract.' }] },
  },
  listImports: { request: {} },
  listPapers: {
    request: {
      sort: { field: 'relevance', direction: 'desc' },
      search: 'model -survey',
      offset: 0,
      limit: 5,
    },
  },
  listFullPapers: {
    request: { sort: { field: 'authors', direction: 'desc' }, offset: 0, limit: 2 },
  },
  getPaper: { request: { id: 1 } },
  stats: { request: {} },
  readingStats: { request: { weeks: 8 } },
  revision: { request: {} },
  setStatus: { request: { id: 1, status: 'read' } },
  setNote: { request: { id: 1, note: 'a note' } },
  updatePaper: { request: { id: 2, status: 'reading', note: 'both' } },
  updatePapers: { request: { ids: [1, 2], starred: true, addTags: ['robotics'] } },
  restorePapers: {
    request: {
      papers: [{ id: 2, starred: false }],
    },
  },
  listTags: { request: {} },
  paperIds: { request: { sort: { field: 'title', direction: 'asc' }, tag: 'robotics' } },
  renameTag: { request: { from: 'robotics', to: 'Robots' } },
  deleteTag: { request: { name: 'Robots' } },
  similarPapers: { request: { id: 1, limit: 5 } },
  deletePapers: { request: { ids: [3, 4] } },
  restoreDeleted: { request: {} },
  importText: { request: { source: 'a.txt', text: 'Aug 20\n\nOne More Paper\n\nIts abstract.' } },
  importTexts: {
    request: { dumps: [{ source: 'b.txt', text: 'Aug 21\n\nAnd Another\n\nAn abstract.' }] },
  },
  uploadText: { request: { text: 'Aug 23\n\nSent In Pieces\n\n' } },
  startImport: {
    request: { dumps: [{ source: 'c.txt', text: 'Aug 23\n\nWritten In Steps\n\nAn abstract.' }] },
  },
  // Jobs live as long as the process that started them: another one finds none.
  importJob: { request: { id: 'job-1' }, fails: 'no import job job-1' },
  cancelImport: { request: { id: 'job-1' }, fails: 'no import job job-1' },
  undoImport: { request: { importId: 4 } },
  exportPapers: { request: { format: 'bibtex', status: 'read' } },
  libraryStatus: { request: {} },
  libraryInfo: { request: {} },
  getSettings: { request: {} },
  updateSettings: {
    request: {
      watchInbox: false,
      savedSearches: [
        { id: 'v1', name: 'Robots', search: 'robot*', status: null, tag: null, starred: false },
      ],
    },
  },
  recover: { request: { action: 'empty' }, fails: 'not damaged' },
  listBackups: { request: {} },
  backupNow: { request: {} },
  restoreBackup: { request: { name: 'no-such-backup.sqlite' }, fails: 'no backup named' },
  // Moved to a file: refused, and the methods after it find the library where it was.
  moveLibrary: { request: { folder: SAMPLE_PATH }, fails: 'not a folder' },
  syncNow: { request: { folder: SAMPLE_PATH }, fails: 'does not exist' },
  syncStatus: { request: {} },
  setSyncFolder: { request: { folder: null } },
  resolveNoteConflict: {
    request: { id: 1, version: 'aaaaaaaaaaaaaaaa:1', keep: false },
    fails: 'is not among its other versions now',
  },
}
const NOT_A_REQUEST = 'not a request'

function refusedAt(method: string, envelope: unknown): void {
  expect(envelope, method).toMatchObject({
    ok: false,
    error: { code: 'invalid-request', message: expect.stringMatching(new RegExp(`^${method}: `)) },
  })
}

describe('one contract, every host', () => {
  it('IPC binds one channel per method, answered only for the app’s own page', async () => {
    const bound = new Map<string, (event: IpcMainInvokeEvent, request: unknown) => unknown>()
    const session = await LibrarySession.start(join(tempDir(), 'library.sqlite'), {
      owner: 'test',
      now: fixedClock(),
    })
    try {
      bindIpc(
        { handle: (channel, listener) => void bound.set(channel, listener) },
        () => ({ session, samplePath: SAMPLE_PATH, localFiles: false, maxImportChars: 1 << 20 }),
        isAppUrl,
      )
      expect([...bound.keys()].sort()).toEqual(METHODS.map(channelOf).sort())
      const from = (url: string) => ({ senderFrame: { url } }) as unknown as IpcMainInvokeEvent
      for (const method of METHODS) {
        refusedAt(method, await bound.get(channelOf(method))!(from(APP_URL), NOT_A_REQUEST))
        // Another site, or a file on the computer (where the page used to come from).
        for (const url of ['https://evil.example/', 'file:///app/out/renderer/index.html'])
          expect(await bound.get(channelOf(method))!(from(url), {}), url).toMatchObject({
            ok: false,
            error: { code: 'forbidden' },
          })
        // A frame inside the page, even one at the app's address, is not the page.
        const framed = { senderFrame: { url: APP_URL, parent: { url: APP_URL } } }
        expect(await bound.get(channelOf(method))!(framed as never, {})).toMatchObject({
          ok: false,
          error: { code: 'forbidden' },
        })
      }
      // And a real call through the binding works.
      expect(await bound.get(channelOf('stats'))!(from(APP_URL), {})).toMatchObject({
        ok: true,
        value: { total: 0 },
      })
    } finally {
      session.close()
    }
  })

  it('the preload exposes exactly the methods, each on its own channel', async () => {
    const calls: [string, unknown][] = []
    const api = preloadApi(async (channel, request) => {
      calls.push([channel, request])
      return { ok: true, value: null }
    })
    expect(Object.keys(api).sort()).toEqual([...METHODS].sort())
    for (const method of METHODS)
      await (api[method] as (r: unknown) => Promise<unknown>)({ m: method })
    expect(calls).toEqual(METHODS.map((m) => [channelOf(m), { m }]))
  })

  it('the browser host answers every method through the browser’s own client', async () => {
    const server = await startTestServer()
    const api = createHttpApi({ base: `http://127.0.0.1:${server.port}/`, token: server.token })
    expect(Object.keys(api).sort()).toEqual([...METHODS].sort())
    for (const method of METHODS) {
      const call = api[method] as (r: unknown) => Promise<Envelope<unknown>>
      refusedAt(method, await call(NOT_A_REQUEST))
    }
    expect(await api.stats({})).toMatchObject({ ok: true, value: { total: 0 } })
  })

  it('only hosts where the user typed a path may name files on the computer', async () => {
    const server = await startTestServer()
    const api = createHttpApi({ base: `http://127.0.0.1:${server.port}/`, token: server.token })
    await api.importSample({})
    const file = join(server.dir, 'elsewhere.sqlite')
    const folder = join(server.dir, 'elsewhere')
    for (const reply of [
      await api.backupNow({ file }),
      await api.restoreBackup({ file }),
      await api.updateSettings({ backupsFolder: folder }),
      await api.moveLibrary({ folder }),
      await api.syncNow({ folder }),
      await api.setSyncFolder({ folder }),
    ]) {
      expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    }
    expect(existsSync(folder)).toBe(false)
    expect(await api.backupNow({})).toMatchObject({ ok: true, value: { papers: 95 } })
  })

  it('the command line runs every method by name, through the dispatcher', async () => {
    const library = join(tempDir(), 'library.sqlite')
    const order = Object.keys(VALID) as Method[]
    expect([...order].sort()).toEqual([...METHODS].sort())
    for (const method of order) {
      const { request, fails } = VALID[method]
      const r = await lectern('--library', library, 'api', method, JSON.stringify(request))
      if (fails) {
        expect({ method, code: r.code }).toEqual({ method, code: 1 })
        expect(r.err, method).toContain(fails)
      } else {
        expect({ method, code: r.code, err: r.err }).toEqual({ method, code: 0, err: '' })
        expect(() => JSON.parse(r.out), method).not.toThrow()
      }
    }
    const stats = JSON.parse((await lectern('--library', library, 'stats', '--json')).out)
    // 95 + 2 imported, 2 deleted and restored; one status each for papers 1 and 2.
    expect(stats).toMatchObject({ total: 97, withNotes: 2, byStatus: { read: 1, reading: 1 } })
  })

  it('the command line refuses what the contract refuses, before opening the library', async () => {
    const library = join(tempDir(), 'library.sqlite')
    for (const method of METHODS) {
      const r = await lectern('--library', library, 'api', method, JSON.stringify(NOT_A_REQUEST))
      expect(r.code, method).toBe(2)
      expect(r.err, method).toMatch(/^lectern: request: /)
    }
    const unknown = await lectern('--library', library, 'api', 'dropTables', '{}')
    expect(unknown.code).toBe(2)
    expect(unknown.err).toContain(METHODS.join(', '))
    expect(existsSync(library)).toBe(false)
  })
})
