// Benchmark: a large import through the browser host, as the window makes it (the text sent in
// pieces, then a background job), while another client keeps asking for a page of the table.
// Prints the import's rate, the server's peak memory, and how long the server left those
// requests waiting. Figures only; nothing here asserts a timing. Needs `npm run build` first
// (it runs the built `lectern serve`).
//
//   node --conditions=import --import tsx scripts/importLatency.ts [--papers 100000]
//        [--format daily-papers|bibtex] [--into N]  (--into: papers already in the library)
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { TOKEN_HEADER } from '../shared/methods'
import type { ImportJob } from '../shared/domain'
import { int, makeAbstract, makeDump, makeRng, makeTitle, token } from '../testkit/gen'
import type { Rng } from '../testkit/gen'

const CLI = resolve(__dirname, '..', 'bin', 'lectern.cjs')
const MB = 1024 * 1024
// As the window sends it (renderer/src/imports/sendDumps.ts PIECE_CHARS).
const PIECE = 2 * 1024 * 1024

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1]! : fallback
}

function papersOf(rng: Rng, count: number, from = 0): { title: string; abstract: string }[] {
  return Array.from({ length: count }, (_, i) => ({
    title: `${makeTitle(rng, token(rng))} ${from + i}`,
    abstract: makeAbstract(rng, int(rng, 600, 1800)),
  }))
}

function bibtexOf(papers: { title: string; abstract: string }[]): string {
  return papers
    .map(
      (p, i) =>
        `@article{key${i},\n  title = {${p.title}},\n  author = {Lovelace, Ada and Turing, Alan and Noether, Emmy},\n  year = {${2000 + (i % 25)}},\n  journal = {Journal of Generated Results},\n  doi = {10.5555/gen.${i}},\n  abstract = {${p.abstract}},\n}\n`,
    )
    .join('\n')
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0
}

/** The server process's peak resident memory so far (Linux), in MB. */
function peakRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024
}

function currentRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024
}

async function main(): Promise<void> {
  if (process.platform !== 'linux') {
    // The server's memory is read from /proc/PID/status, which only Linux has.
    console.error('bench:import measures the server’s memory through /proc: it runs on Linux only')
    process.exit(1)
  }
  const count = Number(arg('papers', '100000'))
  const format = arg('format', 'daily-papers')
  const into = Number(arg('into', '0'))
  const dir = mkdtempSync(join(tmpdir(), 'lectern-import-latency-'))
  const library = join(dir, 'library.sqlite')
  const rng = makeRng(20261130)
  if (into > 0) {
    const file = join(dir, 'before.txt')
    writeFileSync(file, makeDump('Aug 18', papersOf(rng, into, 10_000_000)))
    execFileSync(process.execPath, [CLI, '--library', library, 'import', file])
  }
  const papers = papersOf(rng, count)
  const text = format === 'bibtex' ? bibtexOf(papers) : makeDump('Aug 19', papers)
  const dumpFile = join(dir, format === 'bibtex' ? 'dump.bib' : 'dump.txt')
  writeFileSync(dumpFile, text)
  const dumpMb = statSync(dumpFile).size / MB

  const server = spawn(process.execPath, [CLI, '--library', library, 'serve', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const address = await new Promise<string>((done, fail) => {
    let out = ''
    server.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const match = /http:\/\/127\.0\.0\.1:\d+\/\?key=[\w-]+/.exec(out)
      if (match) done(match[0])
    })
    server.once('exit', (code) => fail(new Error(`lectern serve exited with ${code}`)))
  })
  // The one-time address opens a page that carries the API token.
  const base = `${new URL(address).origin}/`
  const key = /<meta name="lectern-token" content="([^"]+)"/.exec(
    await (await fetch(address)).text(),
  )?.[1]
  if (key === undefined) throw new Error(`${address} gave no token`)
  const call = async <T>(method: string, request: unknown): Promise<T> => {
    const res = await fetch(`${base}api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [TOKEN_HEADER]: key },
      body: JSON.stringify(request),
    })
    const envelope = (await res.json()) as
      { ok: true; value: T } | { ok: false; error: { message: string } }
    if (!envelope.ok) throw new Error(`${method}: ${envelope.error.message}`)
    return envelope.value
  }
  const pid = server.pid!
  const rssBefore = currentRss(pid)

  const started = performance.now()
  // The prober: a page of the table every 25 ms, each request timed from send to answer.
  const waits: number[] = []
  /** The longest waits, with the phase they fell in. */
  const slow: { at: number; ms: number; phase: string }[] = []
  let phase = 'upload'
  let probing = true
  const prober = (async () => {
    while (probing) {
      const t = performance.now()
      await call('listPapers', {
        sort: { field: 'addedAt', direction: 'desc' },
        offset: 0,
        limit: 50,
      })
      const ms = performance.now() - t
      waits.push(ms)
      if (ms > 200) slow.push({ at: Math.round(t - started), ms: Math.round(ms), phase })
      await new Promise((r) => setTimeout(r, 25))
    }
  })()

  let upload: string | undefined
  for (let at = 0; at < text.length; at += PIECE) {
    upload = (
      await call<{ upload: string }>('uploadText', { upload, text: text.slice(at, at + PIECE) })
    ).upload
  }
  const uploaded = performance.now()
  phase = 'read'
  let job = await call<ImportJob>('startImport', { dumps: [{ source: 'dump', upload }] })
  let readMs: number | null = null
  while (job.state === 'reading' || job.state === 'writing') {
    await new Promise((r) => setTimeout(r, 250))
    job = await call<ImportJob>('importJob', { id: job.id })
    if (readMs === null && job.state !== 'reading') readMs = performance.now() - uploaded
    phase = job.state === 'writing' && (job.done ?? 0) >= (job.total ?? 1) ? 'end' : job.state
  }
  const finished = performance.now()
  probing = false
  await prober
  if (job.state !== 'done') throw new Error(`the import ended ${job.state}: ${job.error?.message}`)
  const summary = job.summaries![0]!
  const peak = peakRss(pid)
  server.kill('SIGTERM')
  await new Promise((r) => server.once('exit', r))

  const sorted = [...waits].sort((a, b) => a - b)
  const writeMs = finished - uploaded - (readMs ?? 0)
  const rows: [string, string][] = [
    ['dump', `${count} papers, ${format}, ${dumpMb.toFixed(0)} MB${into ? `, into ${into}` : ''}`],
    ['upload (2M-char pieces)', `${((uploaded - started) / 1000).toFixed(1)} s`],
    ['read (parse)', `${((readMs ?? 0) / 1000).toFixed(1)} s`],
    ['write (steps of ~40 ms)', `${(writeMs / 1000).toFixed(1)} s`],
    ['import total (upload to done)', `${((finished - started) / 1000).toFixed(1)} s`],
    [
      'import rate (read + write)',
      `${Math.round(count / ((finished - uploaded) / 1000))} papers/s`,
    ],
    ['added / known', `${summary.added} / ${summary.duplicates}`],
    [
      'server RSS before / peak',
      `${rssBefore.toFixed(0)} / ${peak.toFixed(0)} MB (${(peak / dumpMb).toFixed(2)}× the dump)`,
    ],
    ['listPapers during the import', `${waits.length} calls`],
    [
      '  wait median / p95 / p99',
      `${quantile(sorted, 0.5).toFixed(0)} / ${quantile(sorted, 0.95).toFixed(0)} / ${quantile(sorted, 0.99).toFixed(0)} ms`,
    ],
    ['  longest wait', `${(sorted.at(-1) ?? 0).toFixed(0)} ms`],
  ]
  const width = Math.max(...rows.map(([k]) => k.length))
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`)
  const byPhase = new Map<string, number[]>()
  for (const w of slow) byPhase.set(w.phase, [...(byPhase.get(w.phase) ?? []), w.ms])
  for (const [p, list] of byPhase) {
    console.log(`  waits over 200 ms while ${p}: ${list.length} (longest ${Math.max(...list)} ms)`)
  }
  rmSync(dir, { recursive: true, force: true })
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
