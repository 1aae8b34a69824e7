// The browser host, `lectern serve`, started by a benchmark on a library: the app's core as it
// ships (the built command line), driven over its HTTP API. Needs `npm run build` first.
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { TOKEN_HEADER } from '../shared/methods'

export const CLI = resolve(__dirname, '..', 'bin', 'lectern.cjs')
const BUILT = resolve(__dirname, '..', 'out', 'main', 'cli.js')

/** Why the host cannot be started (not built), or null. */
export function hostMissing(): string | null {
  return existsSync(BUILT) ? null : 'the app is not built (npm run build)'
}

/** The API token, from the page that a one-time address of `lectern serve` opens. */
async function exchange(address: string): Promise<string> {
  const page = await (await fetch(address)).text()
  const token = /<meta name="lectern-token" content="([^"]+)"/.exec(page)?.[1]
  if (token === undefined) throw new Error(`${address} gave no token`)
  return token
}

export async function startServer(library: string): Promise<{
  base: string
  /** The app's plain address: it works in a tab that has been given the token already. */
  url: string
  /** A one-time address that gives a tab the token. */
  entry: string
  token: string
  stop: () => Promise<void>
  pid: number
}> {
  const server = spawn(process.execPath, [CLI, '--library', library, 'serve', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let out = ''
  const printed = (count: number): Promise<string[]> =>
    new Promise((done, fail) => {
      const check = (): void => {
        const all = out.match(/http:\/\/127\.0\.0\.1:\d+\/\?key=[\w-]+/g) ?? []
        if (all.length < count) return
        server.stdout!.off('data', check)
        done(all)
      }
      server.stdout!.on('data', check)
      server.once('exit', (code) => fail(new Error(`lectern serve exited with ${code}`)))
      check()
    })
  server.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()))
  // The first address is this script's (for its own calls); the one printed next, the browser's.
  const [first] = await printed(1)
  const token = await exchange(first!)
  const [, entry] = await printed(2)
  const base = `${new URL(first!).origin}/`
  return {
    base,
    url: base,
    entry: entry!,
    token,
    pid: server.pid!,
    stop: () =>
      new Promise<void>((done) => {
        if (server.exitCode !== null) return done()
        server.once('exit', () => done())
        server.kill('SIGTERM')
      }),
  }
}

/** Calls one API method of a started host; throws with the host's message when it refuses. */
export async function callHost<T>(
  server: { base: string; token: string },
  method: string,
  request: unknown,
): Promise<T> {
  const res = await fetch(`${server.base}api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [TOKEN_HEADER]: server.token },
    body: JSON.stringify(request),
  })
  const envelope = (await res.json()) as
    { ok: true; value: T } | { ok: false; error: { message: string } }
  if (!envelope.ok) throw new Error(`${method}: ${envelope.error.message}`)
  return envelope.value
}

/** A process's resident memory now and at its peak, in bytes (the peak where the system says it). */
export function residentMemory(pid: number): { rss: number; peak: number | null } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = (name: string): number | null => {
      const m = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)
      return m ? Number(m[1]) * 1024 : null
    }
    return { rss: kb('VmRSS') ?? 0, peak: kb('VmHWM') }
  } catch {
    // Not Linux: ps says the resident size (KB) on macOS too.
    const out = execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' })
    return { rss: Number(out.trim()) * 1024, peak: null }
  }
}
