// An HTTP client for the test server: plain `node:http`, so a test sees exactly what the server
// sent (status, headers, body) and can send what no browser would.
import { request } from 'node:http'
import type { RunningServer } from '../../electron/http/server'

export interface HttpReply {
  status: number
  body: string
  headers: Record<string, string | string[] | undefined>
}

export interface SendOptions {
  method?: string
  headers?: Record<string, string>
  /**
   * The body as text, or `size` bytes of spaces streamed in chunks (to test size limits), with
   * their length declared unless `chunked`.
   */
  body?: string | { size: number; chunked?: boolean }
}

/**
 * Sends one request to the server on 127.0.0.1:`port`, on a connection of its own (never one kept
 * alive from an earlier request), and collects the whole reply.
 */
export function send(port: number, path: string, options: SendOptions = {}): Promise<HttpReply> {
  const { method = 'GET', body } = options
  const headers =
    typeof body === 'object' && !body.chunked
      ? { ...options.headers, 'Content-Length': String(body.size) }
      : options.headers
  return new Promise((resolve, reject) => {
    let answered = false
    const req = request({ host: '127.0.0.1', port, path, method, headers, agent: false }, (res) => {
      answered = true
      let text = ''
      res.on('data', (c: Buffer) => (text += c.toString()))
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }),
      )
    })
    // The server may stop reading a body it has refused; only an unanswered request failed.
    req.on('error', (error) => {
      if (!answered) reject(error)
    })
    if (body === undefined || typeof body === 'string') return void req.end(body)
    const chunk = Buffer.alloc(1024 * 1024, 0x20)
    let sent = 0
    const pump = (): void => {
      while (sent < body.size) {
        const n = Math.min(chunk.length, body.size - sent)
        sent += n
        if (!req.write(chunk.subarray(0, n))) return void req.once('drain', pump)
      }
      req.end()
    }
    pump()
  })
}

/**
 * Calls an API method the way the browser client does: POST `/api/METHOD` with the server's
 * host and token and `body` as JSON. `headers` are added last, so a test can replace or blank
 * any of them.
 */
export function api(
  server: Pick<RunningServer, 'port' | 'token'>,
  method: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<HttpReply> {
  return send(server.port, `/api/${method}`, {
    method: 'POST',
    headers: {
      Host: `127.0.0.1:${server.port}`,
      'X-Lectern-Token': server.token,
      'Content-Type': 'application/json',
      ...headers,
    },
    body: JSON.stringify(body),
  })
}

/** What a browser keeps for one site: cookie name → value. */
export type CookieJar = Map<string, string>

export interface Visit extends HttpReply {
  /** The API token in the page the visit ended on, if it carried one. */
  token: string | null
}

/**
 * Opens `path` on 127.0.0.1:`port` as a browser tab does: with the server's own Host, the cookies
 * in `jar` (and keeping those it is given), following redirects.
 */
export async function visit(
  port: number,
  path: string,
  jar: CookieJar = new Map(),
): Promise<Visit> {
  let at = path
  for (let hops = 0; hops < 5; hops += 1) {
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ')
    const reply = await send(port, at, {
      headers: { Host: `127.0.0.1:${port}`, ...(cookie === '' ? {} : { Cookie: cookie }) },
    })
    const setCookies = reply.headers['set-cookie'] ?? []
    for (const line of Array.isArray(setCookies) ? setCookies : [setCookies]) {
      const [pair, ...attributes] = line.split(';')
      const [name, ...value] = pair!.trim().split('=')
      if (attributes.some((a) => /^\s*max-age=0\s*$/i.test(a))) jar.delete(name!)
      else jar.set(name!, value.join('='))
    }
    const location = reply.headers.location
    if (reply.status >= 300 && reply.status < 400 && typeof location === 'string') {
      const next = new URL(location, `http://127.0.0.1:${port}${at}`)
      at = next.pathname + next.search
      continue
    }
    const token = /<meta name="lectern-token" content="([^"]*)"/.exec(reply.body)?.[1] ?? null
    return { ...reply, token }
  }
  throw new Error(`more than 5 redirects from ${path}`)
}

/** The path and query of an address the server printed, as a browser would request it. */
export function pathOf(url: string): string {
  const u = new URL(url)
  return u.pathname + u.search
}
