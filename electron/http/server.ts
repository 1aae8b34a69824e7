// `lectern serve`: the real UI in a browser. Serves the built renderer and the API over HTTP on
// 127.0.0.1 only. Each start makes a random token that only the served page learns; requests
// without it, or with a foreign Host or Origin (DNS rebinding, other sites), are refused.
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize, sep } from 'node:path'
import { MAX_IMPORT_CHARS } from '../../shared/api'
import { TOKEN_HEADER, isMethod } from '../../shared/methods'
import { CONTENT_SECURITY_POLICY } from '../../shared/csp'
import { dispatch } from '../core/api/dispatch'
import type { HandlerContext } from '../core/api/dispatch'

/** Room for the largest import (UTF-8 can take up to 3 bytes a character) and its JSON framing. */
const MAX_BODY_BYTES = MAX_IMPORT_CHARS * 3 + 64 * 1024

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
}

export interface RunningServer {
  url: string
  port: number
  token: string
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

const COOKIE = 'lectern_key'

function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=')
    if (k === name) return v.join('=')
  }
  return null
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/**
 * The body as text, or null when it is over the limit. An oversized body is still read to its
 * end (and dropped) so that the client, still sending, gets the 413 rather than a reset.
 */
function readBody(req: IncomingMessage): Promise<string | null> {
  const declared = Number(req.headers['content-length'] ?? 0)
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let over = declared > MAX_BODY_BYTES
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) over = true
      if (!over) chunks.push(chunk)
      else chunks.length = 0
    })
    req.on('end', () => resolve(over ? null : Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

export async function serve(options: ServeOptions): Promise<RunningServer> {
  const token = options.token ?? randomBytes(24).toString('base64url')
  const root = normalize(options.rendererDir)
  const indexHtml = await readFile(join(root, 'index.html'), 'utf8').catch(() => {
    throw new Error(
      `the built UI is missing (${join(root, 'index.html')}); run "npm run build" first`,
    )
  })
  const page = indexHtml.replace(
    '<head>',
    `<head>\n    <meta name="lectern-token" content="${token}" />`,
  )
  let allowedHosts: Set<string> = new Set()
  const context: HandlerContext = {
    ...options.context,
    localFiles: false,
    maxImportChars: MAX_IMPORT_CHARS,
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      sendJson(res, 500, { ok: false, error: { code: 'internal', message: String(error) } })
    })
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
      if (!sameToken(String(req.headers[TOKEN_HEADER] ?? ''), token)) {
        return sendJson(res, 403, {
          ok: false,
          error: { code: 'forbidden', message: 'missing or wrong token' },
        })
      }
      const method = url.pathname.slice('/api/'.length)
      if (!isMethod(method)) {
        return sendJson(res, 404, {
          ok: false,
          error: { code: 'invalid-request', message: `no method ${method}` },
        })
      }
      const body = await readBody(req)
      if (body === null) {
        res.setHeader('Connection', 'close')
        return sendJson(res, 413, {
          ok: false,
          error: { code: 'invalid-request', message: 'the request is too large' },
        })
      }
      let input: unknown
      try {
        input = body === '' ? {} : JSON.parse(body)
      } catch {
        return sendJson(res, 400, {
          ok: false,
          error: { code: 'invalid-request', message: 'the request is not JSON' },
        })
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
      // The page carries the API token, so only the browser given the printed address gets it:
      // the key in that address is swapped for an HttpOnly, same-site cookie.
      const key = url.searchParams.get('key')
      if (key !== null && sameToken(key, token)) {
        res.writeHead(303, {
          Location: '/',
          'Set-Cookie': `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
          'Cache-Control': 'no-store',
        })
        res.end()
        return
      }
      if (!sameToken(cookieValue(req.headers.cookie, COOKIE) ?? '', token)) {
        return send(
          res,
          403,
          TYPES['.html']!,
          '<!doctype html><title>Lectern</title><p>Open the address that <code>lectern serve</code> printed; it carries the key to this library.</p>',
        )
      }
      return send(res, 200, TYPES['.html']!, page)
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
  const port = (server.address() as AddressInfo).port
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`])
  return {
    url: `http://127.0.0.1:${port}/?key=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
