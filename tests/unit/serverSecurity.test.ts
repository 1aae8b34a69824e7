// The browser host against other programs on the same computer (issue 10, findings 1 and 4):
// what a browser keeps for the app must be worth nothing to another server on 127.0.0.1, and an
// address with a key must open the app once.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { delimiter, dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tempDir } from '../helpers/fixtures'
import { api, pathOf, send, visit } from '../helpers/http'
import type { CookieJar } from '../helpers/http'
import { startServeProcess } from '../helpers/serveProcess'
import { startTestServer } from '../helpers/testServer'

/** Waits for `done()` to hold, looking again every few milliseconds. */
async function until(what: string, done: () => boolean): Promise<void> {
  for (let i = 0; i < 2000; i += 1) {
    if (done()) return
    await new Promise((r) => setTimeout(r, 10))
  }
  throw new Error(`still waiting for ${what}`)
}

describe('the key, the cookie and the API token (findings 1 and 4)', () => {
  it('leaves nothing in the browser that another program on 127.0.0.1 could replay', async () => {
    const s = await startTestServer()
    const jar: CookieJar = new Map()
    const first = await visit(s.port, pathOf(s.url), jar)
    expect(first.token).toBe(s.token)
    // Browsers send a site's cookies to every port of 127.0.0.1, so another local server sees
    // each of them: none may work as the token, nor fetch the page that holds the token, even
    // with the Host header a browser would send (a program can send any).
    for (const [name, value] of jar) {
      expect((await api(s, 'stats', {}, { 'X-Lectern-Token': value })).status).toBe(403)
      const withCookie = await api(
        s,
        'stats',
        {},
        { 'X-Lectern-Token': '', Cookie: `${name}=${value}` },
      )
      expect(withCookie.status).toBe(403)
    }
    const replay = await visit(s.port, '/', new Map(jar))
    expect(replay.body).not.toContain(s.token)
  })

  it('opens the app once per address: a second visit gets no token and says how to get another', async () => {
    const s = await startTestServer()
    const first = await visit(s.port, pathOf(s.url))
    expect(first.token).toBe(s.token)
    const again = await visit(s.port, pathOf(s.url))
    expect(again.body).not.toContain(s.token)
    expect(again.status).toBe(403)
    expect(again.body).toContain('newest address that <code>lectern serve</code> printed')
    // The app itself is no secret: a plain visit gets the page, without the token.
    const plain = await visit(s.port, '/')
    expect(plain.status).toBe(200)
    expect(plain.token).toBeNull()
  })

  it('hands out one live address per slot, and spends none on a HEAD request', async () => {
    const s = await startTestServer()
    const printed = s.entryUrl('terminal')
    const opened = s.entryUrl('browser')
    // A new address for the terminal retires the one printed before it (s.url), not another slot's.
    expect((await visit(s.port, pathOf(s.url))).token).toBeNull()
    const head = await send(s.port, pathOf(printed), {
      method: 'HEAD',
      headers: { Host: `127.0.0.1:${s.port}` },
    })
    expect(head.status).toBe(200)
    expect((await visit(s.port, pathOf(printed))).token).toBe(s.token)
    expect((await visit(s.port, pathOf(opened))).token).toBe(s.token)
    expect((await visit(s.port, `/?key=`)).status).toBe(403)
  })

  it.skipIf(process.platform === 'win32')(
    'serve --open gives the browser no working key on a command line; each address used is followed by the next',
    async () => {
      // Stand-ins for the system's openers that write down the command line they were given,
      // which every user of the computer can read (ps, /proc/PID/cmdline).
      const bin = tempDir()
      const opened = join(bin, 'opened.txt')
      for (const name of ['xdg-open', 'open']) {
        writeFileSync(join(bin, name), `#!/bin/sh\nprintf '%s\\n' "$@" >> '${opened}'\n`, {
          mode: 0o755,
        })
      }
      const s = await startServeProcess({
        args: ['--open'],
        env: { PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` },
      })
      await until('the browser to be opened', () => existsSync(opened))
      const argv = readFileSync(opened, 'utf8').trim().split('\n')
      for (const arg of argv) {
        for (const word of arg.match(/[\w-]{16,}/g) ?? []) {
          expect((await visit(s.port, `/?key=${word}`)).token, arg).toBeNull()
          expect((await api({ port: s.port, token: word }, 'stats', {})).status, arg).toBe(403)
        }
      }
      // The browser is given a page that only this user can read, which sends it on to a
      // one-time address of its own; the page goes once the address is used.
      const [page] = argv
      expect(statSync(page!).mode & 0o077).toBe(0)
      expect(statSync(dirname(page!)).mode & 0o077).toBe(0)
      const inPage = /url=(http:\/\/127\.0\.0\.1:\d+\/\?key=[\w-]+)/.exec(
        readFileSync(page!, 'utf8'),
      )
      const browser = await visit(s.port, pathOf(inPage![1]!))
      expect(browser.token).not.toBeNull()
      expect((await api({ port: s.port, token: browser.token! }, 'stats', {})).status).toBe(200)
      expect(existsSync(page!)).toBe(false)
      expect((await visit(s.port, pathOf(inPage![1]!))).token).toBeNull()
      // The address in the terminal is another, still unused; once used, the next is printed.
      const [printed] = s.addresses()
      expect((await visit(s.port, pathOf(printed!))).token).toBe(browser.token)
      expect((await visit(s.port, pathOf(printed!))).token).toBeNull()
      const next = await s.next(printed!)
      expect((await visit(s.port, pathOf(next))).token).toBe(browser.token)
      expect(s.output()).toContain('Each address opens Lectern once')
    },
  )
})
