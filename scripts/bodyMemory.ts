// Benchmark: the browser host's peak memory while it takes one large authorised request body.
// The server runs in a process of its own (a fresh library, a stand-in UI); this process sends the
// body, as a browser's fetch does (its length declared) or in chunks (--chunked), and prints the
// server's peak resident memory before and after. Figures only; nothing here asserts.
//
//   node --conditions=import --import tsx scripts/bodyMemory.ts [--mb 190] [--char a]
//        [--method importText|uploadText] [--chunked]
//
// The default is a 190 MB importText of ASCII text: over the 64M-character cap of one message,
// so the server reads and parses it and then refuses it, and the figure is the transport's alone.
// `--method uploadText --mb 128 --char é` sends the largest piece the contract accepts.
import { fork } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { TOKEN_HEADER } from '../shared/methods'

const MB = 1024 * 1024

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1]! : fallback
}

interface Ready {
  port: number
  token: string
}

/** The server's side: serve a fresh library and report its peak memory when asked. */
async function child(): Promise<void> {
  const { LibrarySession } = await import('../electron/core/safety/session')
  const { serve } = await import('../electron/http/server')
  const dir = mkdtempSync(join(tmpdir(), 'lectern-body-memory-'))
  mkdirSync(join(dir, 'ui'))
  writeFileSync(join(dir, 'ui', 'index.html'), '<html><head></head><body></body></html>')
  const session = await LibrarySession.start(join(dir, 'library.sqlite'), { owner: 'bench' })
  const server = await serve({
    context: { session, samplePath: join(dir, 'none.txt') },
    rendererDir: join(dir, 'ui'),
  })
  process.on('message', (m) => {
    if (m === 'peak') process.send!({ peakMb: process.resourceUsage().maxRSS / 1024 })
    if (m === 'stop') {
      void server.close().then(() => {
        session.close()
        rmSync(dir, { recursive: true, force: true })
        process.exit(0)
      })
    }
  })
  process.send!({ port: server.port, token: server.token } satisfies Ready)
}

function ask<T>(proc: ChildProcess, message: string): Promise<T> {
  return new Promise((resolve) => {
    proc.once('message', (m) => resolve(m as T))
    proc.send(message)
  })
}

/** Sends `{ …fields, text: <char × n> }` without ever holding the whole body here. */
function post(
  ready: Ready,
  method: string,
  fields: Record<string, string>,
  char: string,
  bytes: number,
  chunked: boolean,
): Promise<string> {
  const unit = Buffer.from(char)
  const count = Math.floor(bytes / unit.length)
  const head = Buffer.from(`${JSON.stringify({ ...fields, text: '' }).slice(0, -2)}`)
  const tail = Buffer.from('"}')
  const length = head.length + count * unit.length + tail.length
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: ready.port,
        method: 'POST',
        path: `/api/${method}`,
        agent: false,
        headers: {
          Host: `127.0.0.1:${ready.port}`,
          [TOKEN_HEADER]: ready.token,
          'Content-Type': 'application/json',
          ...(chunked ? {} : { 'Content-Length': String(length) }),
        },
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8').on('data', (c: string) => (text += c))
        res.on('end', () => resolve(`${res.statusCode} ${text.slice(0, 160)}`))
      },
    )
    req.on('error', reject)
    const block = Buffer.alloc(Math.floor(MB / unit.length) * unit.length)
    for (let i = 0; i < block.length; i += unit.length) unit.copy(block, i)
    let left = count * unit.length
    const pump = (): void => {
      while (left > 0) {
        const n = Math.min(block.length, left)
        left -= n
        if (!req.write(block.subarray(0, n))) return void req.once('drain', pump)
      }
      req.end(tail)
    }
    req.write(head)
    pump()
  })
}

async function main(): Promise<void> {
  const mb = Number(arg('mb', '190'))
  const char = arg('char', 'a')
  const method = arg('method', 'importText')
  const chunked = process.argv.includes('--chunked')
  const proc = fork(__filename, ['--child'], {
    execArgv: ['--conditions=import', '--import', 'tsx'],
  })
  const ready = await new Promise<Ready>((resolve) =>
    proc.once('message', (m) => resolve(m as Ready)),
  )
  const before = await ask<{ peakMb: number }>(proc, 'peak')
  const fields: Record<string, string> = method === 'importText' ? { source: 'big.txt' } : {}
  const reply = await post(ready, method, fields, char, mb * MB, chunked)
  const after = await ask<{ peakMb: number }>(proc, 'peak')
  console.log(
    `${method}, ${mb} MB of "${char}" ${chunked ? 'in chunks' : 'with its length'}: server peak RSS ${before.peakMb.toFixed(0)} MB before, ${after.peakMb.toFixed(0)} MB after (${(after.peakMb - before.peakMb).toFixed(0)} MB for the body)`,
  )
  console.log(`  answer: ${reply}`)
  proc.send('stop')
}

if (process.argv.includes('--child')) void child()
else void main()
