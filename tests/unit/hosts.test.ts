// Every method of the contract is reachable from every host: the window (IPC and the preload),
// the browser host (HTTP and its client) and the command line. Each method is called with a
// request its schema refuses; the dispatcher's answer names the method, which proves the call
// went through that host all the way to that method's handler.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { IpcMainInvokeEvent } from 'electron'
import { METHODS, channelOf } from '../../shared/methods'
import type { Envelope } from '../../shared/api'
import { bindIpc } from '../../electron/main/ipc'
import { preloadApi } from '../../electron/preload/api'
import { LibrarySession } from '../../electron/core/safety/session'
import { createHttpApi } from '../../renderer/src/api/httpApi'
import { lectern } from '../helpers/cli'
import { SAMPLE_PATH, fixedClock, tempDir } from '../helpers/fixtures'
import { startTestServer } from '../helpers/testServer'

const APP_URL = 'file:///app/index.html'
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
        (url) => url === APP_URL,
      )
      expect([...bound.keys()].sort()).toEqual(METHODS.map(channelOf).sort())
      const from = (url: string) => ({ senderFrame: { url } }) as unknown as IpcMainInvokeEvent
      for (const method of METHODS) {
        refusedAt(method, await bound.get(channelOf(method))!(from(APP_URL), NOT_A_REQUEST))
        expect(
          await bound.get(channelOf(method))!(from('https://evil.example/'), {}),
        ).toMatchObject({
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
    for (const reply of [await api.backupNow({ file }), await api.restoreBackup({ file })]) {
      expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    }
    expect(await api.backupNow({})).toMatchObject({ ok: true, value: { papers: 95 } })
  })

  it('the command line reaches every method by name', async () => {
    const library = join(tempDir(), 'library.sqlite')
    for (const method of METHODS) {
      const r = await lectern('--library', library, 'api', method, JSON.stringify(NOT_A_REQUEST))
      expect(r.code, method).toBe(2)
      expect(r.err, method).toMatch(/^lectern: request: /)
    }
    const unknown = await lectern('--library', library, 'api', 'dropTables', '{}')
    expect(unknown.code).toBe(2)
    expect(unknown.err).toContain(METHODS.join(', '))
    const imported = await lectern('--library', library, 'api', 'importSample')
    expect(imported.code).toBe(0)
    expect(JSON.parse(imported.out)).toMatchObject({ added: 95 })
  })
})
