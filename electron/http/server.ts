// `lectern serve`: the real UI in a browser. Serves the built renderer and the API over HTTP on
// 127.0.0.1 only; requests with a foreign Host or Origin (DNS rebinding, other sites) are refused.
//
// Two secrets per start, and why each is shaped as it is:
// - The API token. The page sends it in a header with every call; the browser keeps it in the
//   tab's sessionStorage, which belongs to this origin (scheme, host and port). It is never a
//   cookie: browsers send 127.0.0.1's cookies to every port, so any other local server the
//   browser visits would receive it, and whatever a cookie unlocks (the page holding the token)
//   a program can fetch too, since it can send any Host header it likes.
// - One-time entry keys. An address `/?key=…` is answered once with the page carrying the token;
//   the key is then spent, so the copy in the browser's history, in the terminal's scrollback or
//   on a command line (visible to every user in `ps`) opens nothing.
//
// Any local program can connect, with or without a secret, so connections, their idle time and
// the size of a body are bounded: one process must not be able to take the server's open files
// or its memory.
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { extname, join, normalize, sep } from 'node:path'
import { MAX_IMPORT_CHARS } from '../../shared/api'
import { TOKEN_HEADER, isMethod } from '../../shared/methods'
import { CONTENT_SECURITY_POLICY } from '../../shared/csp'
import { dispatch } from '../core/api/dispatch'
import type { HandlerContext } from '../core/api/dispatch'
import { parseJsonBody } from './jsonBody'

export interface Limits {
  /**
   * Connections open at once. A new one beyond it closes the oldest that is not in the middle of
   * a request, so a flood of idle sockets cannot lock the browser out; when every one is busy,
   * the new one is closed.
   */
  maxConnections: number
  /** From a connection's start (or its previous request) to the end of a request's headers. */
  headersTimeoutMs: number
  /** To receive a whole request, body included (not to answer it: an import may take long). */
  requestTimeoutMs: number
  /** How long a connection is kept for the browser's next request. */
  keepAliveTimeoutMs: number
  /** Silence after which a connection that has no request in hand is closed. */
  idleTimeoutMs: number
  /** The largest request body. */
  maxBodyBytes: number
}

export const LIMITS: Limits = {
  // A browser opens at most 6 connections to one host; room for several tabs and scripts.
  maxConnections: 64,
  // The browser is on this computer: its headers arrive at once.
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 120_000,
  keepAliveTimeoutMs: 5_000,
  idleTimeoutMs: 30_000,
  // The largest import (UTF-8 can take up to 3 bytes a character) and its JSON framing.
  maxBodyBytes: MAX_IMPORT_CHARS * 3 + 64 * 1024,
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
}

export interface ServeOptions {
  /** The browser host never lets a request name a file on this machine, and caps imports. */
  context: Omit<HandlerContext, 'localFiles' | 'maxImportChars'>
  rendererDir: string
  port?: number
  /** Fixed token for tests; random otherwise. */
  token?: string
  /** Tests shorten the timeouts; LIMITS otherwise. */
  limits?: Partial<Limits>
  /** Hears that a browser used an address of `slot` (see `entryUrl`), which no longer works. */
  onEntry?: (slot: string) => void
}

export interface RunningServer {
  /** The first one-time address into the app, for the terminal: `entryUrl('terminal')`. */
  url: string
  port: number
  token: string
  /**
   * A new one-time address into the app. A slot (say, one per way of handing out addresses)
   * holds one live address: a new one for the same slot retires the one before it.
   */
  entryUrl: (slot: string) => string
  close: () => Promise<void>
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  })
  res.end(body)
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(value))
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

const SPENT_PAGE =
  '<!doctype html><meta charset="utf-8"><title>Lectern</title><p>This address has already opened Lectern, or it belongs to an earlier start: each address works once. Open the newest address that <code>lectern serve</code> printed in its terminal; it prints the next one each time one is used.</p>'

/**
 * The body of a request that declared its length, into one buffer of that length: the only copy
 * of it the server holds (see jsonBody.ts for the parsing).
 */
async function readBody(req: IncomingMessage, length: number): Promise<Buffer> {
  const body = Buffer.allocUnsafe(length)
  let at = 0
  // Node's parser delivers exactly the declared number of bytes, or fails the request.
  for await (const chunk of req as AsyncIterable<Buffer>) at += chunk.copy(body, at)
  return body.subarray(0, at)
}

export async function serve(options: ServeOptions): Promise<RunningServer> {
  const limits: Limits = { ...LIMITS, ...options.limits }
  const token = options.token ?? randomBytes(24).toString('base64url')
  const root = normalize(options.rendererDir)
  const indexHtml = await readFile(join(root, 'index.html'), 'utf8').catch(() => {
    throw new Error(
      `the built UI is missing (${join(root, 'index.html')}); run "npm run build" first`,
    )
  })
  // The page as every tab gets it, and the page a browser gets once, for an entry key.
  const page = indexHtml
  const pageWithToken = indexHtml.replace(
    '<head>',
    `<head>\n    <meta name="lectern-token" content="${token}" />`,
  )
  let allowedHosts: Set<string> = new Set()
  const context: HandlerContext = {
    ...options.context,
    localFiles: false,
    maxImportChars: MAX_IMPORT_CHARS,
  }

  // The live entry keys, each with its slot, and each slot's live key.
  const keys = new Map<string, string>()
  const slots = new Map<string, string>()
  let port = 0
  function entryUrl(slot: string): string {
    const previous = slots.get(slot)
    if (previous !== undefined) keys.delete(previous)
    const key = randomBytes(24).toString('base64url')
    keys.set(key, slot)
    slots.set(slot, key)
    return `http://127.0.0.1:${port}/?key=${key}`
  }
  /** Uses up `candidate` if it is a live key; true if it was. */
  function spend(candidate: string): boolean {
    for (const [key, slot] of keys) {
      if (!sameSecret(candidate, key)) continue
      keys.delete(key)
      slots.delete(slot)
      options.onEntry?.(slot)
      return true
    }
    return false
  }

  // Every open connection, oldest first, with how many of its requests are being worked on. A
  // request counts until its answer is handed over, not until the client has read it all: a
  // client that asks and never reads must not hold its connection out of reach for good.
  const connections = new Map<Socket, { busy: number }>()
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      // How often the two timeouts above are checked: often enough to hold them to a second.
      connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs),
    },
    (req, res) => {
      const socket = req.socket
      const open = connections.get(socket)
      if (open) open.busy += 1
      handle(req, res)
        .catch((error: unknown) => {
          if (!res.headersSent) {
            sendJson(res, 500, { ok: false, error: { code: 'internal', message: String(error) } })
          } else res.destroy()
        })
        .finally(() => {
          if (open) open.busy -= 1
        })
    },
  )

  server.on('connection', (socket: Socket) => {
    if (connections.size >= limits.maxConnections) {
      const idle = [...connections].find(([, c]) => c.busy === 0)
      if (idle === undefined) return void socket.destroy()
      idle[0].destroy()
    }
    connections.set(socket, { busy: 0 })
    socket.once('close', () => connections.delete(socket))
  })
  // A silent connection is closed unless it is waiting for an answer (an import can be long).
  server.setTimeout(limits.idleTimeoutMs, (socket: Socket) => {
    if ((connections.get(socket)?.busy ?? 0) === 0) socket.destroy()
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!allowedHosts.has(req.headers.host ?? '')) {
      return sendJson(res, 421, {
        ok: false,
        error: { code: 'forbidden', message: 'unknown host' },
      })
    }
    const origin = req.headers.origin
    if (origin !== undefined && !allowedHosts.has(origin.replace(/^http:\/\//, ''))) {
      return sendJson(res, 403, {
        ok: false,
        error: { code: 'forbidden', message: 'foreign origin' },
      })
    }
    const url = new URL(req.url ?? '/', 'http://localhost')
    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') {
        return sendJson(res, 405, {
          ok: false,
          error: { code: 'invalid-request', message: 'use POST' },
        })
      }
      if (!sameSecret(String(req.headers[TOKEN_HEADER] ?? ''), token)) {
        return sendJson(res, 403, {
          ok: false,
          error: {
            code: 'forbidden',
            message:
              'this page holds no key to the library (or one from an earlier start); open the newest address that lectern serve printed',
          },
        })
      }
      const method = url.pathname.slice('/api/'.length)
      if (!isMethod(method)) {
        return sendJson(res, 404, {
          ok: false,
          error: { code: 'invalid-request', message: `no method ${method}` },
        })
      }
      // A body says how long it is (every browser's does), so that one over the limit is refused
      // before a byte of it is read and one within it is read into a single buffer of its size.
      // Node reads and drops the rest of a refused body, so that the client gets the answer.
      const declared = req.headers['content-length']
      if (declared === undefined && req.headers['transfer-encoding'] !== undefined) {
        return sendJson(res, 411, {
          ok: false,
          error: { code: 'invalid-request', message: 'send the request with a Content-Length' },
        })
      }
      const length = Number(declared ?? 0)
      if (length > limits.maxBodyBytes) {
        return sendJson(res, 413, {
          ok: false,
          error: { code: 'invalid-request', message: 'the request is too large' },
        })
      }
      let input: unknown = {}
      if (length > 0) {
        try {
          input = parseJsonBody(await readBody(req, length))
        } catch (error) {
          if (!(error instanceof SyntaxError)) throw error
          return sendJson(res, 400, {
            ok: false,
            error: { code: 'invalid-request', message: 'the request is not JSON' },
          })
        }
      }
      return sendJson(res, 200, await dispatch(context, method, input))
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return sendJson(res, 405, {
        ok: false,
        error: { code: 'invalid-request', message: 'use GET' },
      })
    }
    if (url.pathname === '/' || url.pathname === '/index.html') {
      const key = url.searchParams.get('key')
      // A HEAD (a link checker, a preview) learns nothing and spends nothing.
      if (key === null || req.method === 'HEAD') return send(res, 200, TYPES['.html']!, page)
      if (!spend(key)) return send(res, 403, TYPES['.html']!, SPENT_PAGE)
      // The one answer that carries the token. The page keeps it in the tab and takes the spent
      // key out of the address bar, so a reload asks for the plain page.
      return send(res, 200, TYPES['.html']!, pageWithToken)
    }
    let decoded: string
    try {
      decoded = decodeURIComponent(url.pathname)
    } catch {
      return send(res, 400, 'text/plain', 'bad path')
    }
    const file = normalize(join(root, decoded))
    if (!file.startsWith(root + sep)) return send(res, 404, 'text/plain', 'not found')
    try {
      const data = await readFile(file)
      return send(res, 200, TYPES[extname(file)] ?? 'application/octet-stream', data)
    } catch {
      return send(res, 404, 'text/plain', 'not found')
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  port = (server.address() as AddressInfo).port
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`])
  return {
    url: entryUrl('terminal'),
    port,
    token,
    entryUrl,
    close: () =>
      new Promise<void>((resolve) => {
        keys.clear()
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
