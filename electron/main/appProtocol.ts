// The app's page is served from app://lectern/, a privileged scheme of Lectern's own, instead of
// file://. Under file:// the CSP's `script-src 'self'` allows every file on the computer, so a
// script anyone managed to save to disk could run in the window; under app://lectern/ 'self' is
// this scheme, which serves the built renderer's files and nothing else.
//
// Only the scheme's name and privileges come from Electron (passed in by wiring.ts); the handler
// is plain Node and the Fetch API, so a unit test runs it on a folder of its own.
import { readFile } from 'node:fs/promises'
import { extname, isAbsolute, join, relative, resolve } from 'node:path'
import type { CustomScheme, Protocol } from 'electron'
import { CONTENT_SECURITY_POLICY } from '../../shared/csp'

export const APP_SCHEME = 'app'
const APP_HOST = 'lectern'
export const APP_ENTRY = `${APP_SCHEME}://${APP_HOST}/index.html`

/**
 * What the scheme may do, given before the app is ready: `standard` so that it has an origin and
 * relative URLs resolve as on the web, `secure` so that the page is a secure context, fetch for
 * the renderer's module scripts, and the V8 code cache that `file://` had.
 */
export function privilegedAppScheme(): CustomScheme {
  return {
    scheme: APP_SCHEME,
    privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
  }
}

/** Whether `url` is the app's own page (the one the window loads), whatever its fragment. */
export function isAppUrl(url: string): boolean {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  return (
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.host === APP_HOST &&
    parsed.username === '' &&
    parsed.pathname === '/index.html' &&
    parsed.search === ''
  )
}

/**
 * The file inside `root` that `url` names, or null when it names none: another scheme or host,
 * a path that is not valid percent-encoding, or one that, decoded, would climb out of `root`
 * (`..`, an encoded slash or backslash, a drive, a NUL). `/` is the page.
 */
export function appFilePath(root: string, url: string): string | null {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return null
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST || parsed.username !== '')
    return null
  let path: string
  try {
    path = decodeURIComponent(parsed.pathname)
  } catch {
    return null
  }
  if (path === '/') path = '/index.html'
  // The URL parser has already resolved the `..` it could see; what decoding revealed is refused
  // here rather than interpreted.
  const segments = path.slice(1).split('/')
  if (
    !path.startsWith('/') ||
    /[\\\0:]/.test(path) ||
    segments.some((s) => s === '' || s === '.' || s === '..')
  )
    return null
  const file = resolve(root, ...segments)
  // The same rule once more on the path itself: inside root, never root.
  const inside = relative(root, file)
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return null
  return join(root, inside)
}

/** The types of the files a Vite build writes; anything else is bytes. */
const CONTENT_TYPES: Partial<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
}

const notFound = () => new Response('Not found', { status: 404 })

/** Answers the scheme's requests from the files in `root` (the built renderer). */
export function appProtocolHandler(root: string): (request: Request) => Promise<Response> {
  const folder = resolve(root)
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return new Response('Method not allowed', { status: 405, headers: { Allow: 'GET, HEAD' } })
    const file = appFilePath(folder, request.url)
    if (file === null) return notFound()
    let body: Uint8Array<ArrayBuffer>
    try {
      // A copy the Fetch API's types accept (a Buffer's memory might be shared, for all they know).
      body = new Uint8Array(await readFile(file))
    } catch {
      // Missing, a folder, unreadable: all the same to the page.
      return notFound()
    }
    return new Response(request.method === 'HEAD' ? null : body, {
      status: 200,
      headers: {
        'Content-Type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
        'X-Content-Type-Options': 'nosniff',
      },
    })
  }
}

/** Serves the built renderer in `root` on the app's scheme of `protocol` (the window's session). */
export function serveApp(protocol: Pick<Protocol, 'handle'>, root: string): void {
  protocol.handle(APP_SCHEME, appProtocolHandler(root))
}
