// Benchmark: builds libraries of 10,000 and 100,000 synthetic papers (and 1,000,000 with
// --million) and prints how long the everyday operations take and how much memory the library
// needs; then, on a library of the same size with authors, years, notes, tags and stars, how
// long searching takes, and what the search index costs an import, the file and the memory;
// then the same import, sort, page, search and note-save work on native SQLite (testkit/native.ts)
// with each ratio. Figures only; nothing here asserts a timing.
//
//   node --expose-gc --import tsx scripts/bench.ts [--million | --papers N] [--batch 10000]
//        [--samples 200] [--search-rounds 3] [--no-search | --search-only] [--bare] [--json FILE]
//        [--keep]
// --bare: at 1M too, import once more without the search index to show what the index costs
// (below 1M that is always measured).
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { SORT_FIELDS, STATUSES } from '../shared/domain'
import type { Sort, SortDirection, SortField, Status } from '../shared/domain'
import type { Db } from '../electron/core/db/database'
import { Library } from '../electron/core/store/library'
import { writeBackup } from '../electron/core/safety/backups'
import { disk, useDisk } from '../electron/core/store/disk'
import type { Disk } from '../electron/core/store/disk'
import { int, makeAbstract, makeDump, makeRng, makeTitle, pick, token } from '../testkit/gen'
import { NATIVE_SORTS, NativeLibrary, loadNative } from '../testkit/native'
import { callHost, hostMissing, residentMemory, startServer } from './benchServer'
import type { Rng } from '../testkit/gen'

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? Number(process.argv[i + 1]) : fallback
}

const MB = 1024 * 1024
/** How long the benchmark watches the library once changes stop (see Figures.idle). */
const IDLE_MS = 15_000
const gc = (globalThis as { gc?: () => void }).gc

function quantile(sorted: number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))
  return sorted[i]!
}

function latencies(samples: number[]): { median: number; p95: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b)
  return {
    median: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    max: sorted[sorted.length - 1]!,
  }
}

function time<T>(work: () => T): { ms: number; value: T } {
  const t = performance.now()
  const value = work()
  return { ms: performance.now() - t, value }
}

/** As `time`, with the CPU time the process spent (on a busy machine, less noisy than the clock). */
function measure<T>(work: () => T): { ms: number; cpu: number; value: T } {
  const cpu = process.cpuUsage()
  const t = performance.now()
  const value = work()
  const ms = performance.now() - t
  const used = process.cpuUsage(cpu)
  return { ms, cpu: (used.user + used.system) / 1000, value }
}

/** The 1, 5 and 15 minute load averages: on a shared machine they say how far to trust a clock. */
function loadText(): string {
  return loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ')
}

function memory(): NodeJS.MemoryUsage {
  gc?.()
  return process.memoryUsage()
}

/** A note like a person writes: a few lines of markdown, some of it not ASCII. */
function makeNoteText(rng: Rng): string {
  const lines = [
    '## Why it matters',
    `- compares against ${int(rng, 2, 9)} baselines; ablation in §${int(rng, 3, 6)}`,
    '- **read the appendix** before citing — résumé of the proof is thin',
    `- score ${int(rng, 1, 10)}/10, follow-up: ${pick(rng, ['yes', 'no', 'maybe'])} 🤔`,
    '',
    'Open questions: does it hold at scale? 多分。',
  ]
  return lines.slice(0, int(rng, 2, lines.length)).join('\n')
}

interface Figures {
  papers: number
  importMs: number
  importBatches: number
  closeMs: number
  reopenMs: number
  note: ReturnType<typeof latencies>
  status: ReturnType<typeof latencies>
  list: Record<string, { first: number; median: number }>
  /** A snapshot written on this thread (at open after a migration, at close). */
  checkpointMs: number
  /**
   * The seconds after the note saves, a page asked for every 20 ms: what the library does once
   * changes stop (the search index merged while idle) and how long a page waited meanwhile.
   */
  idle: Background
  /** A snapshot written on its own thread (as the app writes them), and meanwhile. */
  snapshot: Background
  /** A backup (made in a process of its own) and what the process went through meanwhile. */
  backup: Background
  snapshotBytes: number
  rssAfterOpen: number
  heapAfterOpen: number
  externalAfterOpen: number
  rssPeak: number
  /** The library opened again in a process of its own, as the app starts. */
  fresh: ChildMemory
  /** The same in the app's own process, built: the browser host. */
  host: HostMemory
}

/** Work on another thread, and what the process went through meanwhile (see measureWhile). */
interface Background {
  ms: number
  /** The longest a call waited: how late a 20 ms timer fired, or one page took. */
  longestWaitMs: number
  externalBefore: number
  externalAfter: number
  /**
   * Where the waits went: each wait over 100 ms (a late timer, or a slow page), and each call
   * this thread made to the disk that took over 20 ms, with when it began (ms from the start).
   */
  stalls: { atMs: number; ms: number; what: string }[]
}

/** The main thread's CPU time and page faults so far, from /proc (null where there is none). */
function mainThread(): { cpuMs: number; minflt: number; majflt: number } | null {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8')
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const tick = 10 // ms: USER_HZ is 100 on Linux
    return {
      cpuMs: (Number(f[11]) + Number(f[12])) * tick,
      minflt: Number(f[7]),
      majflt: Number(f[9]),
    }
  } catch {
    return null
  }
}

/** How many waits passed 100 ms, and the longest three stalls with when they began. */
function stallText(background: Background): string {
  const waits = background.stalls.filter(
    (s) => s.what === 'page' || s.what.startsWith('timer late'),
  )
  const longest = [...background.stalls].sort((a, b) => b.ms - a.ms).slice(0, 3)
  const told = longest.map((s) => `${s.what} ${ms(s.ms)} @${(s.atMs / 1000).toFixed(1)} s`)
  return `${waits.length}; ${told.join(', ') || '–'}`
}

/** The disk's calls, each timed: those over `over` ms are told to `slow` (see measureWhile). */
function timedDisk(
  inner: Disk,
  over: number,
  slow: (what: string, t: number, ms: number) => void,
): Disk {
  const timed =
    <A extends unknown[], R>(
      name: string,
      call: (...args: A) => R,
      label?: (...args: A) => string,
    ) =>
    (...args: A): R => {
      const t = performance.now()
      try {
        return call(...args)
      } finally {
        const ms = performance.now() - t
        if (ms > over) slow(label ? `${name} ${label(...args)}` : name, t, ms)
      }
    }
  return {
    ...inner,
    open: timed('open', inner.open),
    write: timed('write', inner.write),
    fsync: timed('fsync', inner.fsync, (_fd, point) => point),
    close: timed('close', inner.close),
    closeInBackground: timed('closeInBackground', inner.closeInBackground),
    rename: timed('rename', inner.rename),
    unlink: timed('unlink', inner.unlink),
    fsyncDirectory: timed('fsyncDirectory', inner.fsyncDirectory, (_dir, point) => point),
  }
}

/**
 * Work done on another thread, while the process keeps asking for a page of papers every 20 ms
 * as the window would: how long it took, the longest any of those waited (a late timer, or a
 * slow page), and the main process's memory outside its JS heap (sql.js) before and after.
 */
async function measureWhile(lib: Library, work: () => Promise<unknown>): Promise<Background> {
  gc?.()
  const externalBefore = process.memoryUsage().external
  let longest = 0
  let last = performance.now()
  const started = performance.now()
  const stalls: Background['stalls'] = []
  const waited = (what: string, at: number, ms: number): void => {
    longest = Math.max(longest, ms)
    if (ms > 100) stalls.push({ atMs: Math.round(at - started), ms: Math.round(ms), what })
  }
  // What this thread did while a timer was late: its CPU time and page faults (Linux), and
  // the garbage collections of its heap.
  let thread = mainThread()
  const gcs = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.duration > 50) waited('garbage collection', entry.startTime, entry.duration)
    }
  })
  gcs.observe({ entryTypes: ['gc'] })
  const ask = setInterval(() => {
    const now = performance.now()
    const was = thread
    thread = mainThread()
    const late = now - last - 20
    const did =
      was && thread
        ? ` (this thread: ${thread.cpuMs - was.cpuMs} ms CPU, ${thread.minflt - was.minflt} page faults, ${thread.majflt - was.majflt} major)`
        : ''
    waited(`timer late${did}`, last + 20, late)
    last = now
    const page = time(() =>
      lib.listPapers({ sort: { field: 'title', direction: 'asc' }, offset: 0, limit: 100 }),
    )
    waited('page', now, page.ms)
  }, 20)
  const restore = useDisk(
    timedDisk(disk(), 20, (what, at, ms) =>
      stalls.push({ atMs: Math.round(at - started), ms: Math.round(ms), what }),
    ),
  )
  try {
    await work()
  } finally {
    clearInterval(ask)
    gcs.disconnect()
    restore()
  }
  const ms = performance.now() - started
  waited('timer late', last + 20, performance.now() - last - 20)
  gc?.()
  return {
    ms,
    longestWaitMs: longest,
    externalBefore,
    externalAfter: process.memoryUsage().external,
    stalls: stalls.sort((a, b) => a.atMs - b.atMs),
  }
}

async function bench(
  papers: number,
  batch: number,
  samples: number,
  dir: string,
): Promise<Figures> {
  const rng = makeRng(papers)
  const path = join(dir, `bench-${papers}.sqlite`)
  let rssPeak = 0
  const peak = (): void => {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss)
  }

  // Import in dumps of `batch` papers (as someone importing many days of pages would).
  let lib = await Library.open(path, { owner: 'bench' })
  let importMs = 0
  let batches = 0
  for (let start = 0; start < papers; start += batch) {
    const count = Math.min(batch, papers - start)
    const items = Array.from({ length: count }, (_, i) => ({
      title: makeTitle(rng, `B${start + i}`),
      abstract: makeAbstract(rng, 1500),
    }))
    const text = makeDump(`Aug ${1 + (batches % 28)}`, items)
    const { ms, value } = time(() => lib.importText(`bench-${batches}.txt`, text))
    if (value.added !== count) throw new Error(`batch ${batches}: added ${value.added} of ${count}`)
    importMs += ms
    batches += 1
    peak()
    // The app has a turn between dumps (a snapshot written on its thread is put in place then).
    await new Promise((resolve) => setImmediate(resolve))
    process.stdout.write(
      `  ${papers}: imported ${start + count} papers (${(importMs / 1000).toFixed(1)} s)\r`,
    )
  }
  process.stdout.write('\n')
  const closeMs = time(() => lib.close()).ms
  peak()

  gc?.()
  const reopen = await (async () => {
    const t = performance.now()
    const opened = await Library.open(path, { owner: 'bench' })
    return { ms: performance.now() - t, lib: opened }
  })()
  lib = reopen.lib
  const afterOpen = memory()
  peak()
  if (lib.stats().total !== papers) throw new Error(`expected ${papers} papers`)

  const noteSamples: number[] = []
  const statusSamples: number[] = []
  for (let i = 0; i < samples; i += 1) {
    const id = int(rng, 1, papers)
    const note = makeNoteText(rng)
    noteSamples.push(time(() => lib.setNote(id, note)).ms)
  }
  for (let i = 0; i < samples; i += 1) {
    const id = int(rng, 1, papers)
    const status = pick(rng, STATUSES)
    statusSamples.push(time(() => lib.setStatus(id, status)).ms)
  }
  peak()

  const list: Figures['list'] = {}
  for (const field of SORT_FIELDS as readonly SortField[]) {
    for (const direction of ['asc', 'desc'] as SortDirection[]) {
      const runs: number[] = []
      for (let i = 0; i < 7; i += 1) {
        runs.push(
          time(() => lib.listPapers({ sort: { field, direction }, offset: 0, limit: 100 })).ms,
        )
      }
      list[`${field} ${direction}`] = { first: runs[0]!, median: latencies(runs.slice(1)).median }
    }
  }

  // Changes stopped: the library's idle work (merging the search index) starts a second later.
  const idle = await measureWhile(lib, () => new Promise((resolve) => setTimeout(resolve, IDLE_MS)))
  lib.setNote(int(rng, 1, papers), makeNoteText(rng))
  const snapshot = await measureWhile(lib, () => lib.snapshotOffThread())
  peak()
  lib.setNote(int(rng, 1, papers), makeNoteText(rng))
  const backup = await measureWhile(lib, () =>
    writeBackup(lib, {
      kind: 'manual',
      now: new Date(),
      file: join(dir, `backup-${papers}.sqlite`),
    }),
  )
  peak()
  const checkpoints: number[] = []
  for (let i = 0; i < 3; i += 1) {
    lib.setNote(int(rng, 1, papers), makeNoteText(rng))
    checkpoints.push(time(() => lib.checkpoint()).ms)
    peak()
  }
  const snapshotBytes = statSync(path).size
  lib.close()
  const fresh = memoryOf(path, { writes: true })
  const host = await hostMemory(path)

  return {
    papers,
    importMs,
    importBatches: batches,
    closeMs,
    reopenMs: reopen.ms,
    note: latencies(noteSamples),
    status: latencies(statusSamples),
    list,
    checkpointMs: latencies(checkpoints).median,
    idle,
    snapshot,
    backup,
    snapshotBytes,
    rssAfterOpen: afterOpen.rss,
    heapAfterOpen: afterOpen.heapUsed,
    externalAfterOpen: afterOpen.external,
    rssPeak,
    fresh,
    host,
  }
}

const ms = (n: number): string => (n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${n.toFixed(2)} ms`)
const mb = (n: number): string => `${(n / MB).toFixed(1)} MB`

/** A Markdown table: one row per figure, one column per library size. */
function renderTable<T extends { papers: number }>(
  results: T[],
  rows: [string, (f: T) => string][],
): string {
  const width = Math.max(...rows.map(([label]) => label.length))
  const cols = results.map((f) =>
    Math.max(`${f.papers} papers`.length, ...rows.map(([, v]) => v(f).length)),
  )
  const line = (cells: string[]): string =>
    `| ${cells[0]!.padEnd(width)} | ${cells
      .slice(1)
      .map((c, i) => c.padStart(cols[i]!))
      .join(' | ')} |`
  const out = [
    line(['', ...results.map((f) => `${f.papers} papers`)]),
    `|${'-'.repeat(width + 2)}|${cols.map((c) => '-'.repeat(c + 2)).join('|')}|`,
    ...rows.map(([label, value]) => line([label, ...results.map(value)])),
  ]
  return out.join('\n')
}

function table(results: Figures[], samples: number): string {
  const rows: [string, (f: Figures) => string][] = [
    ['import (all papers, dumps of ≤ batch)', (f) => `${ms(f.importMs)} (${f.importBatches})`],
    ['import rate', (f) => `${Math.round(f.papers / (f.importMs / 1000))} papers/s`],
    ['close (final snapshot)', (f) => ms(f.closeMs)],
    ['reopen here, after the import (Library.open)', (f) => ms(f.reopenMs)],
    [
      'open in a new process (as the app starts); → first page',
      (f) => `${ms(f.fresh.openMs)}; ${ms(f.fresh.firstPageMs)}`,
    ],
    [`note save median (n=${samples})`, (f) => ms(f.note.median)],
    ['note save p95', (f) => ms(f.note.p95)],
    ['note save max', (f) => ms(f.note.max)],
    [`status save median (n=${samples})`, (f) => ms(f.status.median)],
    ['status save p95', (f) => ms(f.status.p95)],
    ['status save max', (f) => ms(f.status.max)],
  ]
  for (const key of Object.keys(results[0]!.list)) {
    rows.push([
      `listPapers page 1 (100 rows) ${key}: first / median of 6`,
      (f) => `${ms(f.list[key]!.first)} / ${ms(f.list[key]!.median)}`,
    ])
  }
  rows.push(
    [
      `after the saves and pages, ${IDLE_MS / 1000} s idle: the longest a page waited`,
      (f) => ms(f.idle.longestWaitMs),
    ],
    ['  waits over 100 ms; slow disk calls here (the longest 3, at ms)', (f) => stallText(f.idle)],
    ['snapshot on its own thread (as the app writes them)', (f) => ms(f.snapshot.ms)],
    ['  longest wait of a page asked for meanwhile', (f) => ms(f.snapshot.longestWaitMs)],
    [
      '  waits over 100 ms; slow disk calls here (the longest 3, at ms)',
      (f) => stallText(f.snapshot),
    ],
    [
      '  main process memory outside the JS heap: before / after',
      (f) => `${mb(f.snapshot.externalBefore)} / ${mb(f.snapshot.externalAfter)}`,
    ],
    ['backup (in a process of its own)', (f) => ms(f.backup.ms)],
    ['  longest wait of a page asked for meanwhile', (f) => ms(f.backup.longestWaitMs)],
    [
      '  waits over 100 ms; slow disk calls here (the longest 3, at ms)',
      (f) => stallText(f.backup),
    ],
    [
      '  main process memory outside the JS heap: before / after',
      (f) => `${mb(f.backup.externalBefore)} / ${mb(f.backup.externalAfter)}`,
    ],
    ['snapshot written here (at open or close; median of 3)', (f) => ms(f.checkpointMs)],
    ['snapshot file size', (f) => mb(f.snapshotBytes)],
    ['bytes per paper on disk', (f) => `${Math.round(f.snapshotBytes / f.papers)} B`],
    ['RSS here after reopen (the import grew the heap)', (f) => mb(f.rssAfterOpen)],
    ['  of which JS heap used', (f) => mb(f.heapAfterOpen)],
    ['  external (incl. sql.js wasm + MEMFS)', (f) => mb(f.externalAfterOpen)],
    [
      'RSS here after reopen ÷ snapshot size',
      (f) => `${(f.rssAfterOpen / f.snapshotBytes).toFixed(2)}×`,
    ],
    [
      'RSS in a new process: after open / a snapshot / a backup',
      (f) =>
        [f.fresh.afterOpen, f.fresh.afterSnapshot, f.fresh.afterBackup]
          .map((m) => mb(m?.rss ?? 0))
          .join(' / '),
    ],
    [
      '  each ÷ snapshot size',
      (f) =>
        [f.fresh.afterOpen, f.fresh.afterSnapshot, f.fresh.afterBackup]
          .map((m) => `${((m?.rss ?? 0) / f.snapshotBytes).toFixed(2)}×`)
          .join(' / '),
    ],
    [
      "the app's own process (lectern serve, built): RSS after open / a backup; peak",
      (f) =>
        f.host.missing ??
        `${mb(f.host.afterOpen)} / ${mb(f.host.afterBackup)}; ${f.host.peak === null ? '–' : mb(f.host.peak)}`,
    ],
    [
      '  each ÷ snapshot size',
      (f) =>
        f.host.missing
          ? '–'
          : [f.host.afterOpen, f.host.afterBackup, f.host.peak]
              .map((b) => (b === null ? '–' : `${(b / f.snapshotBytes).toFixed(2)}×`))
              .join(' / '),
    ],
    ['RSS peak (sampled, whole run so far)', (f) => mb(f.rssPeak)],
  )
  return renderTable(results, rows)
}

// Search. The library searched is built from the same titles and abstracts as above, written as
// BibTeX so that papers also have authors, a year and a venue (what author: and year: look at),
// and then given a reader's traces: statuses, stars, tags and notes. The same dumps are also
// imported into a library whose search index is switched off, for what the index costs.

const FAMILY_NAMES = [
  'Chen',
  'Wang',
  'Li',
  'Zhang',
  'Liu',
  'Kim',
  'Smith',
  'Nguyen',
  'Singh',
  'Kumar',
  'Garcia',
  'Müller',
  'Tanaka',
  'Rossi',
  'Novak',
  'Okafor',
  'Silva',
  'Cohen',
  'Ivanova',
  'Haddad',
  'Dubois',
  'Jansen',
  'Kowalski',
  'Andersson',
  'Yılmaz',
  'Sato',
  'Park',
  'López',
  'Brown',
  'Wilson',
  'Ahmed',
  'Hughes',
  'Moreau',
  'Bianchi',
  'Horvat',
  'Lindqvist',
  'Oyelaran',
  'Petrov',
  'Fischer',
  'Schmidt',
  'Noether',
  'Lovelace',
  'Turing',
  'Hopper',
  'Ramanujan',
  'Kovalevskaya',
  'Gödel',
  'Erdős',
  'Shannon',
  'Hamming',
]
const GIVEN_NAMES = [
  'Wei',
  'Ana',
  'Jun',
  'María',
  'David',
  'Priya',
  'Kenji',
  'Olga',
  'Sam',
  'Fatima',
  'Luca',
  'Chloé',
  'Ibrahim',
  'Yuki',
  'Noah',
  'Zara',
]
const VENUES = ['NeurIPS', 'ICML', 'ICLR', 'ACL', 'CVPR', 'TMLR', 'Nature Machine Intelligence']
/** Each status, and the share of the papers a reader has given it. */
const STATUS_SHARES: [Status, number][] = [
  ['to-read', 0.12],
  ['reading', 0.02],
  ['read', 0.08],
  ['skipped', 0.04],
]
const TAG_SHARES: [string, number][] = [
  ['to-cite', 0.03],
  ['robotics', 0.02],
  ['reading-group', 0.01],
  ['ml/theory', 0.01],
  ['survey', 0.005],
  ['reproduce', 0.003],
]
const STARRED_SHARE = 0.02
const NOTE_SHARE = 0.01
/** The FTS triggers of migration 8: dropping them switches the index off. */
const FTS_TRIGGERS = [
  'papers_fts_after_insert',
  'papers_fts_before_update',
  'papers_fts_after_update',
  'papers_fts_before_delete',
]

/** An author, as a field's authors are spread: a few very common names and a long tail. */
function authorName(rng: Rng): string {
  return `${FAMILY_NAMES[Math.floor(FAMILY_NAMES.length * rng() ** 2)]!}, ${pick(rng, GIVEN_NAMES)}`
}

/** The search library's dumps, BibTeX of up to `batch` papers each; the same for the same sizes. */
export function* searchDumps(
  papers: number,
  batch: number,
): Generator<{ source: string; text: string; count: number }> {
  const rng = makeRng(0x5ea4c4 ^ papers)
  for (let start = 0, n = 0; start < papers; start += batch, n += 1) {
    const count = Math.min(batch, papers - start)
    const entries: string[] = []
    for (let i = start; i < start + count; i += 1) {
      const authors = new Set(Array.from({ length: int(rng, 1, 8) }, () => authorName(rng)))
      entries.push(
        [
          `@article{bench${i},`,
          `  title = {${makeTitle(rng, token(rng))}},`,
          `  author = {${[...authors].join(' and ')}},`,
          `  year = {${2012 + Math.floor(14 * Math.sqrt(rng()))}},`,
          `  journal = {${pick(rng, VENUES)}},`,
          `  doi = {10.5555/bench.${i}},`,
          `  abstract = {${makeAbstract(rng, int(rng, 600, 1800))}},`,
          '}',
          '',
        ].join('\n'),
      )
    }
    yield { source: `search-${n}.bib`, text: entries.join('\n'), count }
  }
}

/** Imports the search library's dumps; the time (and CPU time) spent in importText. */
async function importSearchDumps(
  lib: Library,
  papers: number,
  batch: number,
  label: string,
): Promise<{ ms: number; cpu: number }> {
  let spent = 0
  let cpu = 0
  let done = 0
  for (const dump of searchDumps(papers, batch)) {
    const run = measure(() => lib.importText(dump.source, dump.text, 'bibtex'))
    if (run.value.added !== dump.count) {
      throw new Error(`${dump.source}: added ${run.value.added} of ${dump.count}`)
    }
    spent += run.ms
    cpu += run.cpu
    done += dump.count
    await new Promise((resolve) => setImmediate(resolve))
    process.stdout.write(
      `  ${papers} (${label}): imported ${done} papers (${(spent / 1000).toFixed(1)} s)\r`,
    )
  }
  process.stdout.write('\n')
  return { ms: spent, cpu }
}

/** What the decoration asks of a library (Lectern's, or the native one of testkit/native.ts). */
interface Decorable {
  stats(): { total: number }
  updatePapers(change: Parameters<Library['updatePapers']>[0]): unknown
  setNote(id: number, note: string): unknown
}

/** A reader's traces on a share of the papers: statuses, stars, tags and notes. */
export function decorateSearchLibrary(lib: Decorable): void {
  const papers = lib.stats().total
  const rng = makeRng(0xdec0 ^ papers)
  // Papers are numbered from 1 in a library that only imports have written.
  const some = (share: number): number[] => {
    const ids: number[] = []
    for (let id = 1; id <= papers; id += 1) if (rng() < share) ids.push(id)
    return ids
  }
  for (const [status, share] of STATUS_SHARES) {
    const ids = some(share)
    if (ids.length) lib.updatePapers({ ids, status })
  }
  const starred = some(STARRED_SHARE)
  if (starred.length) lib.updatePapers({ ids: starred, starred: true })
  for (const [tag, share] of TAG_SHARES) {
    const ids = some(share)
    if (ids.length) lib.updatePapers({ ids, addTags: [tag] })
  }
  for (const id of some(NOTE_SHARE)) lib.setNote(id, makeNoteText(rng))
}

/** A word one paper alone has: the token that ends its title (see searchDumps). */
export function rareWordOf(title: string): string {
  return title.split(' ').at(-1)!.toLowerCase()
}

/** Twenty queries of every kind the search language has, over the search library's words. */
export function searchQueries(rare: string): { kind: string; query: string }[] {
  return [
    { kind: 'common word (1 title in 16)', query: 'diffusion' },
    { kind: 'very common word (abstracts)', query: 'baselines' },
    { kind: 'rare word (one paper)', query: rare },
    { kind: 'two words', query: 'sparse attention' },
    { kind: 'phrase', query: '"world models"' },
    { kind: 'prefix', query: 'multimod*' },
    { kind: 'short prefix', query: 're*' },
    { kind: 'exclusion', query: 'attention -sparse' },
    { kind: 'OR', query: 'diffusion OR transformers' },
    { kind: 'field', query: 'title:retrieval' },
    { kind: 'phrase in a field', query: 'title:"reward models"' },
    { kind: 'author', query: 'author:noether' },
    { kind: 'word in notes', query: 'note:appendix' },
    { kind: 'tag', query: 'tag:to-cite' },
    { kind: 'status', query: 'status:to-read' },
    { kind: 'year range', query: 'year:2020..2022' },
    { kind: 'has:note', query: 'has:note' },
    { kind: 'is:starred', query: 'is:starred' },
    { kind: 'exclusion only', query: '-diffusion' },
    { kind: 'combination', query: 'robust* "medical imaging" year:>=2021 -status:skipped' },
  ]
}

const RELEVANCE: Sort = { field: 'relevance', direction: 'desc' }
const BY_TITLE: Sort = { field: 'title', direction: 'asc' }
const SIMILAR_SAMPLES = 20

/** The Library's database, for what only a benchmark does behind its back. */
function internals(lib: Library): Db {
  return (lib as unknown as { db: Db }).db
}

interface QueryFigures {
  kind: string
  query: string
  hits: number
  /** First page by relevance (computes the ranking), once per round. */
  cold: number[]
  /** The same, CPU time. */
  coldCpu: number[]
  /** The second page by relevance (the ranking cached). */
  page2: number[]
  /** The first page sorted by title. */
  title: number[]
}

/** Each query in turn, `rounds` times: the cache holds one ranking, so each first page is cold. */
function runSearches(lib: Library, rounds: number): QueryFigures[] {
  const rare = rareWordOf(lib.getPaper(Math.ceil(lib.stats().total / 2)).title)
  const figures: QueryFigures[] = searchQueries(rare).map((q) => ({
    ...q,
    hits: 0,
    cold: [],
    coldCpu: [],
    page2: [],
    title: [],
  }))
  for (let round = 0; round < rounds; round += 1) {
    for (const f of figures) {
      const search = f.query
      const first = measure(() =>
        lib.listPapers({ sort: RELEVANCE, search, offset: 0, limit: 100 }),
      )
      f.hits = first.value.total
      f.cold.push(first.ms)
      f.coldCpu.push(first.cpu)
      f.page2.push(
        time(() => lib.listPapers({ sort: RELEVANCE, search, offset: 100, limit: 100 })).ms,
      )
      f.title.push(time(() => lib.listPapers({ sort: BY_TITLE, search, offset: 0, limit: 100 })).ms)
    }
  }
  return figures
}

interface TriageFigures {
  /** Each query's first page by relevance in the Inbox (status new), ranked cold. */
  inbox: number[]
  /** The same page again after a status change of its first paper (a triage key). */
  afterStatus: number[]
  /** A change to every paper of the library at once, and its undo (restorePapers). */
  bulk: { what: string; ms: number; undoMs: number; error?: string }[]
}

/**
 * Triage in a search: each query in the Inbox (cold: a note saved first changes the indexed
 * text, so nothing ranked is kept), then the page again after the first paper's status
 * changes, as a key press does. Then changes to every paper at once, and their undo.
 */
function runTriage(lib: Library): TriageFigures {
  const rare = rareWordOf(lib.getPaper(Math.ceil(lib.stats().total / 2)).title)
  const out: TriageFigures = { inbox: [], afterStatus: [], bulk: [] }
  let nudge = 0
  for (const { query } of searchQueries(rare)) {
    nudge += 1
    lib.setNote(1, `bench note ${nudge}`)
    const inbox = { sort: RELEVANCE, status: 'new' as const, search: query, offset: 0, limit: 100 }
    const first = time(() => lib.listPapers(inbox))
    out.inbox.push(first.ms)
    const paper = first.value.rows[0]
    if (!paper) continue
    lib.setStatus(paper.id, 'to-read')
    out.afterStatus.push(time(() => lib.listPapers(inbox)).ms)
    lib.setStatus(paper.id, 'new')
  }
  const ids = lib.paperIds({ sort: BY_TITLE, status: null })
  const changes: [string, Parameters<Library['updatePapers']>[0]][] = [
    ['star', { ids, starred: true }],
    ['status → to read', { ids, status: 'to-read' }],
    ['add a tag', { ids, addTags: ['bench-bulk'] }],
  ]
  for (const [what, change] of changes) {
    gc?.()
    // At a million papers one change to all of them can need more memory than SQLite has in
    // sql.js (it is refused, nothing changed): that is a figure too, not the end of the run.
    let done: { ms: number; value: ReturnType<Library['updatePapers']> } | null = null
    try {
      done = time(() => lib.updatePapers(change))
      const states = done.value
      const undo = time(() => lib.restorePapers(states))
      out.bulk.push({ what, ms: done.ms, undoMs: undo.ms })
    } catch (error) {
      const failed = done ? 'its undo' : 'the change'
      out.bulk.push({
        what,
        ms: done?.ms ?? Number.NaN,
        undoMs: Number.NaN,
        error: `${failed} refused: ${(error as Error).message.slice(0, 160)}`,
      })
      console.log(`  every paper at once: ${what}: ${failed} refused: ${(error as Error).message}`)
      // A change made whose undo was refused is taken back in steps, for the figures after it.
      if (done) {
        for (let at = 0; at < done.value.length; at += 50_000)
          lib.restorePapers(done.value.slice(at, at + 50_000))
      }
    }
  }
  return out
}

/** More like this, for papers chosen at random: the times, and how many rows each found. */
function runSimilar(lib: Library): {
  ms: number[]
  cpu: number[]
  rows: number[]
  terms: number[]
} {
  const papers = lib.stats().total
  const rng = makeRng(0x5111 ^ papers)
  const out = {
    ms: [] as number[],
    cpu: [] as number[],
    rows: [] as number[],
    terms: [] as number[],
  }
  for (let i = 0; i < SIMILAR_SAMPLES; i += 1) {
    const run = measure(() => lib.similarPapers(int(rng, 1, papers), 20))
    out.ms.push(run.ms)
    out.cpu.push(run.cpu)
    out.rows.push(run.value.rows.length)
    out.terms.push(run.value.terms.length)
  }
  return out
}

interface Memory {
  rss: number
  heapUsed: number
  external: number
}

interface ChildMemory {
  openMs: number
  /** From the call to open to the first page of 100 rows by title in hand. */
  firstPageMs: number
  afterOpen: Memory
  /** After a snapshot on its own thread, then a backup (only when asked for). */
  afterSnapshot: Memory | null
  afterBackup: Memory | null
  /** After the 20 queries and 20 "more like this" (only when asked for). */
  afterSearch: Memory | null
  /** Rows of the index's segment directory: how many b-trees a lookup visits. */
  segments: number
}

function memoryFigures(m: NodeJS.MemoryUsage): Memory {
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external }
}

/**
 * In a process of its own, so that no library opened before counts: how long a library takes to
 * open, and its memory then, after searching (`search`), or after a snapshot and a backup
 * (`writes`: the library is opened for writing, as the app opens it).
 */
function memoryOf(path: string, then: { search?: boolean; writes?: boolean }): ChildMemory {
  const out = execFileSync(
    process.execPath,
    [
      '--expose-gc',
      '--conditions=import',
      '--import',
      'tsx',
      __filename,
      '--memory-of',
      path,
      ...(then.search ? ['--search'] : []),
      ...(then.writes ? ['--writes'] : []),
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  )
  return JSON.parse(out.trim().split('\n').at(-1)!) as ChildMemory
}

/** The app's own process on a library (see hostMemory); byte counts, or why there are none. */
interface HostMemory {
  missing: string | null
  afterOpen: number
  afterBackup: number
  /** The most the process held at any moment (null where the system does not say). */
  peak: number | null
}

/**
 * The library served by the browser host, `lectern serve`, as built: the app's core as it runs,
 * without this script's TypeScript loader and modules (which the child of memoryOf carries,
 * some 30–60 MB). Its resident memory once it has served the first page, then after a backup
 * (asked for over its API). A snapshot is not asked for: the host writes one when its journal
 * is long enough, not on request.
 */
async function hostMemory(path: string): Promise<HostMemory> {
  const missing = hostMissing()
  if (missing) return { missing, afterOpen: 0, afterBackup: 0, peak: null }
  const server = await startServer(path)
  try {
    await callHost(server, 'listPapers', {
      sort: { field: 'title', direction: 'asc' },
      status: null,
      offset: 0,
      limit: 100,
    })
    const afterOpen = residentMemory(server.pid).rss
    await callHost(server, 'backupNow', {})
    const after = residentMemory(server.pid)
    return { missing: null, afterOpen, afterBackup: after.rss, peak: after.peak }
  } finally {
    await server.stop()
  }
}

/** The child's side of memoryOf: prints its figures as one line of JSON. */
async function reportMemory(path: string, search: boolean, writes: boolean): Promise<void> {
  const started = performance.now()
  const lib = await Library.open(path, writes ? { owner: 'bench' } : { readOnly: true })
  const openMs = performance.now() - started
  lib.listPapers({ sort: { field: 'title', direction: 'asc' }, offset: 0, limit: 100 })
  const firstPageMs = performance.now() - started
  const afterOpen = memoryFigures(memory())
  let afterSearch: Memory | null = null
  if (search) {
    runSearches(lib, 1)
    runSimilar(lib)
    afterSearch = memoryFigures(memory())
  }
  let afterSnapshot: Memory | null = null
  let afterBackup: Memory | null = null
  if (writes) {
    const rng = makeRng(11)
    lib.setNote(1, makeNoteText(rng))
    await lib.snapshotOffThread()
    afterSnapshot = memoryFigures(memory())
    lib.setNote(2, makeNoteText(rng))
    const file = `${path}.bench-backup`
    await writeBackup(lib, { kind: 'manual', now: new Date(), file })
    rmSync(file, { force: true })
    afterBackup = memoryFigures(memory())
  }
  const segments = Number(internals(lib).value('SELECT COUNT(*) FROM papers_fts_segdir'))
  lib.close()
  const figures: ChildMemory = {
    openMs,
    firstPageMs,
    afterOpen,
    afterSearch,
    afterSnapshot,
    afterBackup,
    segments,
  }
  console.log(JSON.stringify(figures))
}

/** One kind of work, Lectern and native SQLite (null: better-sqlite3 is not installed). */
interface Versus {
  lectern: number
  native: number | null
}

/** The same work done by Lectern's core and by native SQLite (see testkit/native.ts). */
interface NativeFigures {
  /** Why there is no native side, when there is none. */
  missing: string | null
  importMs: Versus
  bytes: Versus
  /** Per sort key and direction: page 1 and the page at the middle of the library, medians. */
  sorts: { key: string; first: Versus; middle: Versus }[]
  /** Over the 20 queries' medians: page 1 by relevance with its count of hits. */
  searchP50: Versus
  searchP95: Versus
  /** Hits per query, Lectern / native (the same query language, FTS4 and FTS5 tokenizers). */
  hits: { query: string; lectern: number; native: number | null }[]
  noteSave: Versus
}

const SORT_RUNS = 5

/** Lectern's page 1 and middle page for every sort key (medians of SORT_RUNS). */
function lecternSorts(lib: Library): { key: string; first: number; middle: number }[] {
  const middle = Math.floor(lib.stats().total / 2)
  const out: { key: string; first: number; middle: number }[] = []
  for (const field of NATIVE_SORTS) {
    for (const direction of ['asc', 'desc'] as SortDirection[]) {
      const page = (offset: number): number => {
        const runs: number[] = []
        for (let i = 0; i < SORT_RUNS; i += 1) {
          runs.push(
            time(() => lib.listPapers({ sort: { field, direction }, offset, limit: 100 })).ms,
          )
        }
        return latencies(runs).median
      }
      out.push({ key: `${field} ${direction}`, first: page(0), middle: page(middle) })
    }
  }
  return out
}

/** Note saves on random papers: the median. */
function noteSaves(setNote: (id: number, note: string) => unknown, papers: number): number {
  const rng = makeRng(0x0a7e ^ papers)
  const runs: number[] = []
  for (let i = 0; i < 100; i += 1) {
    const id = int(rng, 1, papers)
    const note = makeNoteText(rng)
    runs.push(time(() => setNote(id, note)).ms)
  }
  return latencies(runs).median
}

/**
 * The native side: the same dumps imported (parsed by the same parser, written by the same
 * import code), the same decoration, then the same sorts, pages, searches and note saves.
 */
function runNative(
  papers: number,
  batch: number,
  rounds: number,
  dir: string,
  lectern: {
    importMs: number
    bytes: number
    sorts: { key: string; first: number; middle: number }[]
    queries: QueryFigures[]
    noteSave: number
  },
): NativeFigures {
  const lecternSearch = latencies(lectern.queries.map((q) => latencies(q.cold).median))
  const only = (value: number): Versus => ({ lectern: value, native: null })
  const empty = (missing: string): NativeFigures => ({
    missing,
    importMs: only(lectern.importMs),
    bytes: only(lectern.bytes),
    sorts: lectern.sorts.map((s) => ({ key: s.key, first: only(s.first), middle: only(s.middle) })),
    searchP50: only(lecternSearch.median),
    searchP95: only(lecternSearch.p95),
    hits: lectern.queries.map((q) => ({ query: q.query, lectern: q.hits, native: null })),
    noteSave: only(lectern.noteSave),
  })
  const engine = loadNative()
  if ('missing' in engine) return empty(engine.missing)
  const path = join(dir, `native-${papers}.sqlite`)
  const lib = new NativeLibrary(engine.open, path)
  try {
    let importMs = 0
    let done = 0
    for (const dump of searchDumps(papers, batch)) {
      const run = time(() => lib.importText(dump.source, dump.text, 'bibtex'))
      if (run.value !== dump.count) throw new Error(`native ${dump.source}: added ${run.value}`)
      importMs += run.ms
      done += dump.count
      process.stdout.write(
        `  ${papers} (native SQLite): imported ${done} papers (${(importMs / 1000).toFixed(1)} s)\r`,
      )
    }
    process.stdout.write('\n')
    decorateSearchLibrary(lib)
    const middle = Math.floor(papers / 2)
    const sorts = lectern.sorts.map((s) => {
      const [field, direction] = s.key.split(' ') as [SortField, SortDirection]
      const page = (offset: number): number => {
        const runs: number[] = []
        for (let i = 0; i < SORT_RUNS; i += 1)
          runs.push(time(() => lib.page(field, direction, offset)).ms)
        return latencies(runs).median
      }
      return {
        key: s.key,
        first: { lectern: s.first, native: page(0) },
        middle: { lectern: s.middle, native: page(middle) },
      }
    })
    const hits: NativeFigures['hits'] = []
    const medians: number[] = []
    for (const q of lectern.queries) {
      const runs: number[] = []
      let found = 0
      for (let round = 0; round < rounds; round += 1) {
        const run = time(() => lib.search(q.query))
        runs.push(run.ms)
        found = run.value.hits
      }
      medians.push(latencies(runs).median)
      hits.push({ query: q.query, lectern: q.hits, native: found })
    }
    const nativeSearch = latencies(medians)
    const noteSave = noteSaves((id, note) => lib.setNote(id, note), papers)
    return {
      missing: null,
      importMs: { lectern: lectern.importMs, native: importMs },
      bytes: { lectern: lectern.bytes, native: lib.bytes() },
      sorts,
      searchP50: { lectern: lecternSearch.median, native: nativeSearch.median },
      searchP95: { lectern: lecternSearch.p95, native: nativeSearch.p95 },
      hits,
      noteSave: { lectern: lectern.noteSave, native: noteSave },
    }
  } finally {
    lib.close()
    rmSync(path, { force: true })
    rmSync(`${path}-wal`, { force: true })
    rmSync(`${path}-shm`, { force: true })
  }
}

interface BareFigures {
  importWithoutIndex: { ms: number; cpu: number }
  /** The whole index built in one statement, on the library imported without it. */
  rebuildIndexMs: number
  segmentsAfterRebuild: number
  bytesWithoutIndex: number
  memoryWithoutIndex: ChildMemory
}

interface SearchFigures {
  papers: number
  native: NativeFigures
  batches: number
  /** The same import without the search index; null where it was skipped (1M, unless --bare). */
  bare: BareFigures | null
  importWithIndex: { ms: number; cpu: number }
  bytesWithIndex: number
  memoryWithIndex: ChildMemory
  reopenMs: number
  rounds: number
  queries: QueryFigures[]
  /** Over the queries, each query's median of its rounds. */
  cold: ReturnType<typeof latencies>
  coldCpu: ReturnType<typeof latencies>
  page2: ReturnType<typeof latencies>
  title: ReturnType<typeof latencies>
  similar: ReturnType<typeof latencies> & {
    cpu: ReturnType<typeof latencies>
    samples: number[]
    rows: number[]
    terms: number[]
  }
  triage: {
    inbox: ReturnType<typeof latencies>
    afterStatus: ReturnType<typeof latencies>
    bulk: TriageFigures['bulk']
  }
}

async function benchWithoutIndex(papers: number, batch: number, dir: string): Promise<BareFigures> {
  const bareDir = join(dir, `search-${papers}-without-index`)
  const bare = join(bareDir, 'library.sqlite')
  // Its snapshots are written here: a thread would rebuild it from the files, whose schema still
  // has the triggers (dropping them is not a change the journal knows).
  const lib = await Library.open(bare, {
    owner: 'bench',
    snapshotThreadBytes: Number.POSITIVE_INFINITY,
  })
  internals(lib).run(FTS_TRIGGERS.map((t) => `DROP TRIGGER ${t};`).join('\n'))
  const importWithoutIndex = await importSearchDumps(lib, papers, batch, 'without the index')
  lib.checkpoint()
  if (Number(internals(lib).value('SELECT COUNT(*) FROM papers_fts_segdir')) !== 0) {
    throw new Error('the index was written with its triggers dropped')
  }
  const bytesWithoutIndex = statSync(bare).size
  const rebuildIndexMs = time(() =>
    internals(lib).run(`INSERT INTO papers_fts (papers_fts) VALUES ('rebuild')`),
  ).ms
  const segmentsAfterRebuild = Number(
    internals(lib).value('SELECT COUNT(*) FROM papers_fts_segdir'),
  )
  lib.close() // nothing journaled since the checkpoint: the file stays without the index
  const memoryWithoutIndex = memoryOf(bare, {})
  rmSync(bareDir, { recursive: true, force: true })
  return {
    importWithoutIndex,
    rebuildIndexMs,
    segmentsAfterRebuild,
    bytesWithoutIndex,
    memoryWithoutIndex,
  }
}

async function benchSearch(
  papers: number,
  batch: number,
  rounds: number,
  dir: string,
  withBare: boolean,
): Promise<SearchFigures> {
  const batches = Math.ceil(papers / batch)

  // A first import compiles the importer's and the engine's code: not counted against either.
  const warmDir = join(dir, 'search-warm-up')
  let lib = await Library.open(join(warmDir, 'library.sqlite'), { owner: 'bench' })
  await importSearchDumps(lib, Math.min(1000, papers), 1000, 'warm-up')
  lib.close()
  rmSync(warmDir, { recursive: true, force: true })

  // The same dumps, first into a library without the index: what the index costs. At 1M that is
  // another forty minutes here, so it runs there only when asked (--bare).
  const bare = withBare ? await benchWithoutIndex(papers, batch, dir) : null

  const path = join(dir, `search-${papers}.sqlite`)
  lib = await Library.open(path, { owner: 'bench' })
  const importWithIndex = await importSearchDumps(lib, papers, batch, 'with the index')
  decorateSearchLibrary(lib)
  lib.close()
  const bytesWithIndex = statSync(path).size
  const memoryWithIndex = memoryOf(path, { search: true })

  gc?.()
  const reopen = await (async () => {
    const t = performance.now()
    const opened = await Library.open(path, { owner: 'bench' })
    return { ms: performance.now() - t, lib: opened }
  })()
  lib = reopen.lib
  const sorts = lecternSorts(lib)
  const queries = runSearches(lib, rounds)
  const similar = runSimilar(lib)
  const noteSave = noteSaves((id, note) => lib.setNote(id, note), papers)
  const triage = runTriage(lib)
  lib.close()
  const native = runNative(papers, batch, rounds, dir, {
    importMs: importWithIndex.ms,
    bytes: bytesWithIndex,
    sorts,
    queries,
    noteSave,
  })

  const medians = (pick: (q: QueryFigures) => number[]): number[] =>
    queries.map((q) => latencies(pick(q)).median)
  return {
    papers,
    native,
    batches,
    bare,
    importWithIndex,
    bytesWithIndex,
    memoryWithIndex,
    reopenMs: reopen.ms,
    rounds,
    queries,
    cold: latencies(medians((q) => q.cold)),
    coldCpu: latencies(medians((q) => q.coldCpu)),
    page2: latencies(medians((q) => q.page2)),
    title: latencies(medians((q) => q.title)),
    similar: {
      ...latencies(similar.ms),
      cpu: latencies(similar.cpu),
      samples: similar.ms,
      rows: similar.rows,
      terms: similar.terms,
    },
    triage: {
      inbox: latencies(triage.inbox),
      afterStatus: latencies(triage.afterStatus),
      bulk: triage.bulk,
    },
  }
}

function searchTable(results: SearchFigures[]): string {
  const trio = (l: ReturnType<typeof latencies>): string =>
    `${ms(l.median)} / ${ms(l.p95)} / ${ms(l.max)}`
  const rounds = results[0]!.rounds
  const rows: [string, (f: SearchFigures) => string][] = [
    [
      'import without the index (BibTeX, dumps of ≤ batch)',
      (f) => `${f.bare ? ms(f.bare.importWithoutIndex.ms) : '– (--bare)'} (${f.batches})`,
    ],
    ['import with the index', (f) => ms(f.importWithIndex.ms)],
    [
      '  with ÷ without: clock (CPU time)',
      (f) =>
        f.bare
          ? `${(f.importWithIndex.ms / f.bare.importWithoutIndex.ms).toFixed(2)}× (${(f.importWithIndex.cpu / f.bare.importWithoutIndex.cpu).toFixed(2)}×)`
          : '–',
    ],
    [
      '  rate without / with',
      (f) =>
        `${f.bare ? Math.round(f.papers / (f.bare.importWithoutIndex.ms / 1000)) : '–'} / ${Math.round(f.papers / (f.importWithIndex.ms / 1000))} papers/s`,
    ],
    ['index built in one go (rebuild)', (f) => (f.bare ? ms(f.bare.rebuildIndexMs) : '–')],
    [
      'index segments: imported / rebuilt',
      (f) => `${f.memoryWithIndex.segments} / ${f.bare?.segmentsAfterRebuild ?? '–'}`,
    ],
    [
      'file size without / with the index',
      (f) => `${f.bare ? mb(f.bare.bytesWithoutIndex) : '–'} / ${mb(f.bytesWithIndex)}`,
    ],
    [
      '  with ÷ without',
      (f) => (f.bare ? `${(f.bytesWithIndex / f.bare.bytesWithoutIndex).toFixed(2)}×` : '–'),
    ],
    [
      'RSS after open (own process) without / with',
      (f) =>
        `${f.bare ? mb(f.bare.memoryWithoutIndex.afterOpen.rss) : '–'} / ${mb(f.memoryWithIndex.afterOpen.rss)}`,
    ],
    [
      '  external (sql.js) without / with',
      (f) =>
        `${f.bare ? mb(f.bare.memoryWithoutIndex.afterOpen.external) : '–'} / ${mb(f.memoryWithIndex.afterOpen.external)}`,
    ],
    [
      'RSS after 20 searches + 20 more-like-this',
      (f) => mb(f.memoryWithIndex.afterSearch?.rss ?? 0),
    ],
    ['reopen (with the index)', (f) => ms(f.reopenMs)],
    ['search page 1 by relevance, cold: p50 / p95 / max', (f) => trio(f.cold)],
    ['  CPU time: p50 / p95 / max', (f) => trio(f.coldCpu)],
    ['search page 2 (ranking cached): p50 / p95 / max', (f) => trio(f.page2)],
    ['search page 1 by title: p50 / p95 / max', (f) => trio(f.title)],
    [`more like this (20 rows, n=${SIMILAR_SAMPLES}): p50 / p95 / max`, (f) => trio(f.similar)],
    ['  CPU time: p50 / p95 / max', (f) => trio(f.similar.cpu)],
    ['search in the Inbox, page 1, cold: p50 / p95 / max', (f) => trio(f.triage.inbox)],
    ['  again after a status change (a triage key)', (f) => trio(f.triage.afterStatus)],
  ]
  results[0]!.triage.bulk.forEach((b, i) => {
    rows.push([
      `every paper at once: ${b.what}; its undo`,
      (f) => {
        const b = f.triage.bulk[i]!
        return b.error
          ? `${Number.isNaN(b.ms) ? '–' : ms(b.ms)}; ${b.error}`
          : `${ms(b.ms)}; ${ms(b.undoMs)}`
      },
    ])
  })
  results[0]!.queries.forEach((q, i) => {
    rows.push([
      `  ${q.kind}: ${q.query.length > 30 ? `${q.query.slice(0, 29)}…` : q.query}`,
      (f) => {
        const r = f.queries[i]!
        const med = (xs: number[]): string => ms(latencies(xs).median)
        return `${r.hits} hits · ${med(r.cold)} (${med(r.coldCpu)}) · ${med(r.page2)} · ${med(r.title)}`
      },
    ])
  })
  return [
    renderTable(results, rows),
    `Per query: hits · page 1 by relevance, cold (its CPU time) · page 2 · page 1 by title; each the median of ${rounds} rounds. p50/p95/max are over the 20 queries' medians.`,
  ].join('\n')
}

/** Lectern against native SQLite, each the same work: the figures and their ratio. */
function nativeTable(results: SearchFigures[]): string {
  const versus = (v: Versus, show: (n: number) => string = ms): string =>
    v.native === null
      ? `${show(v.lectern)} / –`
      : `${show(v.lectern)} / ${show(v.native)} = ${(v.lectern / Math.max(v.native, 0.001)).toFixed(1)}×`
  const first = results[0]!.native
  const rows: [string, (f: SearchFigures) => string][] = [
    ['import (BibTeX dumps, with the search index)', (f) => versus(f.native.importMs)],
    ['file size', (f) => versus(f.native.bytes, mb)],
    ['search page 1 by relevance with its count: p50', (f) => versus(f.native.searchP50)],
    ['  p95', (f) => versus(f.native.searchP95)],
    ['note save (median of 100)', (f) => versus(f.native.noteSave)],
  ]
  first.sorts.forEach((s, i) => {
    rows.push([
      `sort ${s.key}: page 1; the middle page`,
      (f) => `${versus(f.native.sorts[i]!.first)}; ${versus(f.native.sorts[i]!.middle)}`,
    ])
  })
  const missing = results.find((f) => f.native.missing)?.native.missing
  return [
    renderTable(results, rows),
    missing
      ? `Native SQLite was not measured: ${missing} (npm install builds better-sqlite3, a development dependency).`
      : 'Each cell: Lectern / native SQLite = the ratio (Lectern ÷ native; lower is better for Lectern). Native: better-sqlite3 on the same schema, the same parser and import code, FTS5 with BM25, WAL with synchronous=FULL.',
  ].join('\n')
}

async function main(): Promise<void> {
  const memoryOfPath = process.argv.indexOf('--memory-of')
  if (memoryOfPath >= 0) {
    await reportMemory(
      process.argv[memoryOfPath + 1]!,
      process.argv.includes('--search'),
      process.argv.includes('--writes'),
    )
    return
  }
  // --papers N: that size alone; otherwise 10k and 100k, and 1M with --million.
  const only = process.argv.includes('--papers') ? [arg('papers', 100_000)] : null
  const sizes = only ?? [
    10_000,
    100_000,
    ...(process.argv.includes('--million') ? [1_000_000] : []),
  ]
  const batch = arg('batch', 10_000)
  const samples = arg('samples', 200)
  const rounds = arg('search-rounds', 3)
  const core = !process.argv.includes('--search-only')
  const search = !process.argv.includes('--no-search')
  const jsonIndex = process.argv.indexOf('--json')
  const jsonFile = jsonIndex >= 0 ? process.argv[jsonIndex + 1]! : null
  const keep = process.argv.includes('--keep')
  const dir = mkdtempSync(join(tmpdir(), 'lectern-bench-'))
  const loadAtStart = loadavg()
  if (!gc) console.log('(run with node --expose-gc for steadier memory figures)')
  console.log(
    `Lectern bench: node ${process.version}, ${process.platform}/${process.arch}, ${cpus().length} CPUs, load ${loadText()}, libraries in ${dir}`,
  )
  try {
    const results: Figures[] = []
    const searches: SearchFigures[] = []
    for (const papers of sizes) {
      if (core) results.push(await bench(papers, Math.min(batch, papers), samples, dir))
      if (search) {
        const withBare = papers < 1_000_000 || process.argv.includes('--bare')
        searches.push(await benchSearch(papers, Math.min(batch, papers), rounds, dir, withBare))
        // Printed as soon as it is known: a long run that fails later keeps these figures.
        console.log(`\n(search figures at ${papers} papers)\n${searchTable([searches.at(-1)!])}`)
      }
    }
    console.log(`(load average at the end: ${loadText()})`)
    if (results.length > 0) {
      console.log()
      console.log(
        `Synthetic papers: title + ~1.5 KB abstract; imports in Daily Papers dumps of up to ${batch} papers; default 32 MB journal limit.`,
      )
      console.log(table(results, samples))
    }
    if (searches.length > 0) {
      console.log()
      console.log(
        `Search: the same titles and 0.6–1.8 KB abstracts as BibTeX with 1–8 authors, a year and a venue, imported in dumps of up to ${batch}; then ${STATUS_SHARES.map(([s, share]) => `${share * 100}% ${s}`).join(', ')}, ${STARRED_SHARE * 100}% starred, ${TAG_SHARES.length} tags on 0.3–3%, notes on ${NOTE_SHARE * 100}%. Memory is measured in a fresh process per library.`,
      )
      console.log(searchTable(searches))
      console.log()
      console.log('Lectern against native SQLite, the same work in the same run:')
      console.log(nativeTable(searches))
    }
    if (jsonFile) {
      const env = {
        node: process.version,
        platform: process.platform,
        arch: process.arch,
        cpus: cpus().length,
        loadAverage: { atStart: loadAtStart, atEnd: loadavg() },
      }
      writeFileSync(
        jsonFile,
        `${JSON.stringify({ ...env, core: results, search: searches }, null, 2)}\n`,
      )
      console.log(`(figures written to ${jsonFile})`)
    }
  } finally {
    if (keep) console.log(`(kept ${dir})`)
    else rmSync(dir, { recursive: true, force: true })
  }
}

// Run as a script; searchLatency.ts takes the search library's generator from here.
if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error)
    process.exit(1)
  })
}
