// The app's page comes from app://lectern/, a scheme of its own, not from file:// (where the
// CSP's 'self' would be every file on the computer). The scheme serves the files of the built
// renderer and nothing else: no path leaves its folder, however it is written.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  APP_ENTRY,
  APP_SCHEME,
  appFilePath,
  appProtocolHandler,
  isAppUrl,
  privilegedAppScheme,
  serveApp,
} from '../../electron/main/appProtocol'
import { CONTENT_SECURITY_POLICY } from '../../shared/csp'

let dir: string
let root: string

beforeAll(() => {
  // The renderer's folder, a secret beside it, and a sibling whose name starts like it.
  dir = mkdtempSync(join(tmpdir(), 'lectern-app-protocol-'))
  root = join(dir, 'renderer')
  mkdirSync(join(root, 'assets'), { recursive: true })
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Lectern</title>')
  writeFileSync(join(root, 'assets', 'index-abc.js'), 'console.log(1)')
  writeFileSync(join(root, 'assets', 'index-abc.css'), 'body{}')
  writeFileSync(join(root, 'assets', 'font.woff2'), 'w')
  writeFileSync(join(root, 'assets', 'a b.js'), 'spaced')
  writeFileSync(join(dir, 'secret.txt'), 'secret')
  mkdirSync(join(dir, 'renderer-evil'))
  writeFileSync(join(dir, 'renderer-evil', 'x.js'), 'evil')
})

afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** `..` the URL parser resolves itself: these stay in the folder, where no secret.txt is. */
const RESOLVED = [
  'app://lectern/../secret.txt',
  'app://lectern/%2e%2e/secret.txt',
  'app://lectern/.%2E/secret.txt',
  'app://lectern/assets/../../secret.txt',
]

/** Ways of writing a path out of the renderer's folder (or into nothing). */
const ESCAPES = [
  'app://lectern/..%2fsecret.txt',
  'app://lectern/assets/..%2f..%2fsecret.txt',
  'app://lectern/..%5csecret.txt',
  'app://lectern/..\\secret.txt',
  'app://lectern/%2e%2e%5csecret.txt',
  'app://lectern/..%2frenderer-evil/x.js',
  'app://lectern/%2Fetc%2Fpasswd',
  'app://lectern//etc/passwd',
  'app://lectern/C:%5cWindows%5cwin.ini',
  'app://lectern/index.html%00.js',
  'app://lectern/%E0%A4%A',
  'app://other/index.html',
  'app://lectern:8080/index.html',
  'app://user@lectern/index.html',
  'file:///etc/passwd',
  'https://lectern/index.html',
  'not a url',
]

describe('the app scheme', () => {
  it('is privileged like a web origin: standard, secure, fetch', () => {
    expect(privilegedAppScheme()).toEqual({
      scheme: 'app',
      privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
    })
    expect(APP_ENTRY).toBe('app://lectern/index.html')
  })

  it('knows the app’s own page, and nothing else', () => {
    expect(isAppUrl(APP_ENTRY)).toBe(true)
    expect(isAppUrl(`${APP_ENTRY}#paper-3`)).toBe(true)
    for (const url of [
      'file:///app/out/renderer/index.html',
      'app://lectern/other.html',
      'app://lectern/index.html?x=1',
      'app://lectern/',
      'app://evil/index.html',
      'app://lectern.evil/index.html',
      'http://127.0.0.1:4000/index.html',
      'about:blank',
      '',
    ])
      expect(isAppUrl(url), url).toBe(false)
  })

  it('names files inside the renderer’s folder only', () => {
    expect(appFilePath(root, 'app://lectern/')).toBe(join(root, 'index.html'))
    expect(appFilePath(root, 'app://lectern/index.html')).toBe(join(root, 'index.html'))
    expect(appFilePath(root, 'app://lectern/assets/index-abc.js?v=1#x')).toBe(
      join(root, 'assets', 'index-abc.js'),
    )
    expect(appFilePath(root, 'app://lectern/assets/a%20b.js')).toBe(join(root, 'assets', 'a b.js'))
    for (const url of RESOLVED) expect(appFilePath(root, url), url).toBe(join(root, 'secret.txt'))
    for (const url of ESCAPES) expect(appFilePath(root, url), url).toBeNull()
  })

  it('serves the page and its assets, typed, under the app’s CSP', async () => {
    const handle = appProtocolHandler(root)
    const page = await handle(new Request('app://lectern/index.html'))
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
    expect(page.headers.get('x-content-type-options')).toBe('nosniff')
    expect(await page.text()).toContain('<title>Lectern</title>')
    const types = async (url: string) =>
      (await handle(new Request(url))).headers.get('content-type')
    expect(await types('app://lectern/assets/index-abc.js')).toBe('text/javascript; charset=utf-8')
    expect(await types('app://lectern/assets/index-abc.css')).toBe('text/css; charset=utf-8')
    expect(await types('app://lectern/assets/font.woff2')).toBe('font/woff2')
  })

  it('refuses every way out of the folder, and what is not there', async () => {
    const handle = appProtocolHandler(root)
    // Not every string is a request: fetch refuses credentials in a URL and non-URLs itself.
    const requests = [...RESOLVED, ...ESCAPES].filter((u) => URL.canParse(u) && !u.includes('@'))
    expect(requests.length).toBe(RESOLVED.length + ESCAPES.length - 2)
    for (const url of requests) {
      const response = await handle(new Request(url))
      expect(response.status, url).toBe(404)
      expect(await response.text(), url).not.toMatch(/secret|evil|root:/)
    }
    for (const url of ['app://lectern/missing.js', 'app://lectern/assets', 'app://lectern/assets/'])
      expect((await handle(new Request(url))).status, url).toBe(404)
  })

  it('answers reads only', async () => {
    const handle = appProtocolHandler(root)
    const post = await handle(new Request(APP_ENTRY, { method: 'POST', body: 'x' }))
    expect(post.status).toBe(405)
    const head = await handle(new Request(APP_ENTRY, { method: 'HEAD' }))
    expect(head.status).toBe(200)
  })

  it('is installed on the protocol the window uses', async () => {
    const handled: [string, (request: Request) => Response | Promise<Response>][] = []
    serveApp({ handle: (scheme, handler) => void handled.push([scheme, handler]) }, root)
    expect(handled.map(([scheme]) => scheme)).toEqual([APP_SCHEME])
    expect((await handled[0]![1](new Request(APP_ENTRY))).status).toBe(200)
  })
})
