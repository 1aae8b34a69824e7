// The browser host against other programs on the same computer (issue 10, findings 1, 4 and 7):
// what a browser keeps for the app must be worth nothing to another server on 127.0.0.1, an
// address with a key must open the app once, and no local process may exhaust the server.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import type { Socket } from 'node:net'
import { request } from 'node:http'
import { delimiter, dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { MAX_IMPORT_CHARS } from '../../shared/api'
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

interface Idle {
  socket: Socket
  /** Settles when the server has closed it (heard from the moment it connected). */
  closed: Promise<void>
}

/** An open connection to 127.0.0.1:`port` that has sent nothing. */
function idleConnection(port: number): Promise<Idle> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve({ socket, closed }))
    const closed = new Promise<void>((done) => socket.once('close', () => done()))
    socket.on('data', () => undefined)
    socket.once('error', reject)
  })
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

  // The stand-in openers are shell scripts found on PATH, which Windows does not run.
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

describe('connections and bodies (finding 7)', () => {
  // The file limit is set with sh's ulimit, which Windows has neither of.
  it.skipIf(process.platform === 'win32')(
    'a flood of idle connections does not use up the files the server may open: the browser is still answered',
    async () => {
      const s = await startServeProcess({ fileLimit: 256 })
      const { token } = await visit(s.port, pathOf(s.addresses()[0]!))
      expect(token).not.toBeNull()
      const flood: Socket[] = []
      try {
        for (let i = 0; i < 400; i += 1) {
          const { socket } = await idleConnection(s.port)
          socket.on('error', () => undefined)
          flood.push(socket)
        }
        const reply = await api({ port: s.port, token: token! }, 'stats', {})
        expect(reply.status).toBe(200)
        expect(JSON.parse(reply.body)).toMatchObject({ ok: true, value: { total: 0 } })
      } finally {
        for (const socket of flood) socket.destroy()
      }
    },
  )

  it('connections that ask for files and never read the answers cannot lock the browser out (review finding)', async () => {
    const s = await startTestServer({ limits: { maxConnections: 4 } })
    // A file large enough that a few answers to it fill the buffers between the two ends.
    writeFileSync(join(s.rendererDir, 'assets', 'big.js'), 'x'.repeat(4 * 1024 * 1024))
    const ask = `GET /assets/big.js HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\n\r\n`
    const stalled: Socket[] = []
    try {
      for (let i = 0; i < 4; i += 1) {
        const { socket } = await idleConnection(s.port)
        socket.removeAllListeners('data')
        socket.pause() // never reads: the server's answers back up
        socket.on('error', () => undefined)
        socket.write(ask.repeat(8))
        stalled.push(socket)
      }
      // Every connection the server allows is taken, each stuck writing an answer.
      await until('answers on every connection', () => stalled.every((c) => c.readableLength > 0))
      const reply = await api(s, 'stats', {})
      expect(reply.status).toBe(200)
    } finally {
      for (const socket of stalled) socket.destroy()
    }
  })

  it('closes a connection that sends nothing, and one that stops half way through its headers', async () => {
    const s = await startTestServer({ limits: { headersTimeoutMs: 100, idleTimeoutMs: 100 } })
    const silent = await idleConnection(s.port)
    const half = await idleConnection(s.port)
    half.socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\n`)
    await Promise.all([silent.closed, half.closed])
    expect((await api(s, 'stats', {})).status).toBe(200)
  })

  it('refuses a body whose Content-Length is over the limit before a byte of it is sent', async () => {
    const s = await startTestServer()
    const limit = MAX_IMPORT_CHARS * 3 + 64 * 1024
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({
        host: '127.0.0.1',
        port: s.port,
        method: 'POST',
        path: '/api/importText',
        headers: {
          Host: `127.0.0.1:${s.port}`,
          'X-Lectern-Token': s.token,
          'Content-Length': String(limit + 1),
        },
      })
      req.on('response', (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
        req.destroy()
      })
      req.on('error', reject)
      req.flushHeaders()
    })
    expect(status).toBe(413)
    expect((await api(s, 'stats', {})).status).toBe(200)
  })

  it('asks for a body without a declared length to be sent with one (411), having read none of it', async () => {
    const s = await startTestServer()
    const chunked = await send(s.port, '/api/stats', {
      method: 'POST',
      headers: { Host: `127.0.0.1:${s.port}`, 'X-Lectern-Token': s.token },
      body: { size: 4 * 1024 * 1024, chunked: true },
    })
    expect(chunked.status).toBe(411)
    expect((await api(s, 'stats', {})).status).toBe(200)
  })

  it('reads a body whose characters arrive cut in two, long strings and short alike', async () => {
    const s = await startTestServer()
    const title = 'Ünïcödé ∑ — 数学 🎓 Across Packets'
    const text = `Aug 19\n\n${title}\n\nAn abstract ${'é'.repeat(70_000)} "quoted" \\ done.\n`
    for (const body of [
      JSON.stringify({ source: 'long.txt', text }),
      JSON.stringify({ source: 'short.txt', text: text.replace('é'.repeat(70_000), 'short') }),
    ]) {
      const reply = await new Promise<string>((resolve, reject) => {
        const bytes = Buffer.from(body)
        const req = request(
          {
            host: '127.0.0.1',
            port: s.port,
            method: 'POST',
            path: '/api/previewImport',
            agent: false,
            headers: {
              Host: `127.0.0.1:${s.port}`,
              'X-Lectern-Token': s.token,
              'Content-Length': String(bytes.length + '{"dumps":[]}'.length),
            },
          },
          (res) => {
            let t = ''
            res.setEncoding('utf8').on('data', (c: string) => (t += c))
            res.on('end', () => resolve(t))
          },
        )
        req.on('error', reject)
        // One byte at a time around the title: every character of more than one byte is cut.
        const at = bytes.indexOf(Buffer.from('Ü'))
        req.write('{"dumps":[')
        req.write(bytes.subarray(0, at))
        for (let i = at; i < at + 64; i += 1) req.write(bytes.subarray(i, i + 1))
        req.end(Buffer.concat([bytes.subarray(at + 64), Buffer.from(']}')]))
      })
      const preview = JSON.parse(reply)
      expect(preview).toMatchObject({ ok: true, value: [{ papers: [{ title }] }] })
      const whole = await api(s, 'previewImport', { dumps: [JSON.parse(body)] })
      expect(preview).toEqual(JSON.parse(whole.body))
    }
  })
})
