// Benchmark: how long a search takes as a person sees it, from the last key pressed in the
// search box to the table painted with the results, on a generated 100k-paper library served by
// `lectern serve` and driven in Chromium. Two paths: typing and letting the box send the query
// by itself (it waits SETTLE_MS after the last key, on purpose), and typing then pressing Enter
// (sent at once). Also the same first page asked for over HTTP alone; and browsing: the library
// opened to its first rows painted, a header click to the sorted rows painted, and the frame
// intervals while the list is flung with the wheel. Figures only; nothing here asserts a timing. Needs `npm run build` first (`npm run bench:search` does it).
//
//   node --conditions=import --import tsx scripts/searchLatency.ts [--papers 100000]
//        [--batch 10000] [--rounds 3] [--warmup 1] [--key-delay 0] [--json FILE] [--fresh]
//
// The library is generated once with the bench's search library (scripts/bench.ts) and kept in
// the temporary folder for the next run (--fresh makes it again).
import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium } from '@playwright/test'
import type { Page } from '@playwright/test'
import type { LibraryStats, Paper, PaperPage, Sort } from '../shared/domain'
import { autoBackupIfDue } from '../electron/core/safety/backups'
import { Library } from '../electron/core/store/library'
import { callHost, startServer } from './benchServer'
import { decorateSearchLibrary, rareWordOf, searchDumps, searchQueries } from './bench'

/** The search box's pause after the last key (SETTLE_MS in renderer/src/search/SearchBox.tsx). */
const SETTLE_MS = 140
/** Bump when the generated library changes, so that an old copy is not reused. */
const LIBRARY_VERSION = 1
const RELEVANCE: Sort = { field: 'relevance', direction: 'desc' }
const MB = 1024 * 1024

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1]! : fallback
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0
}

function median(xs: number[]): number {
  return quantile(
    [...xs].sort((a, b) => a - b),
    0.5,
  )
}

function summary(xs: number[]): { p50: number; p95: number; max: number } {
  const sorted = [...xs].sort((a, b) => a - b)
  return { p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), max: sorted.at(-1) ?? 0 }
}

/** The generated library, made once and kept (made in a folder of its own, then moved in place). */
async function generatedLibrary(papers: number, batch: number, fresh: boolean): Promise<string> {
  const dir = join(tmpdir(), `lectern-search-library-${papers}-v${LIBRARY_VERSION}`)
  const path = join(dir, 'library.sqlite')
  if (fresh) rmSync(dir, { recursive: true, force: true })
  if (!existsSync(path)) {
    const making = `${dir}.partial-${process.pid}`
    rmSync(making, { recursive: true, force: true })
    const started = performance.now()
    const lib = await Library.open(join(making, 'library.sqlite'), { owner: 'searchLatency' })
    let done = 0
    for (const dump of searchDumps(papers, batch)) {
      lib.importText(dump.source, dump.text, 'bibtex')
      done += dump.count
      process.stdout.write(`  generating the library: ${done} of ${papers} papers\r`)
    }
    decorateSearchLibrary(lib)
    lib.close()
    process.stdout.write('\n')
    renameSync(making, dir)
    console.log(`  made in ${((performance.now() - started) / 1000).toFixed(0)} s: ${path}`)
  } else {
    console.log(`  reusing ${path} (--fresh to make it again)`)
  }
  // The server's first daily backup would fall among the measurements: make it now if it is due.
  const lib = await Library.open(path, { owner: 'searchLatency' })
  try {
    const backup = await autoBackupIfDue(lib, new Date())
    if (backup) console.log(`  made the daily backup now (${backup.name})`)
  } finally {
    lib.close()
  }
  return path
}

interface Expected {
  kind: string
  query: string
  total: number
  firstId: number | null
}

/**
 * In the page, before the app's own scripts (each load forgets the remembered view): the time of every keydown; each listPapers request
 * the app sends (its search, when it left, when the answer came); and `__arm(total, firstId)`,
 * after which `__shown` resolves when the table shows a query's results: the row count is the
 * query's and the first row is its first paper (or the empty view, for none). `committed`: the
 * DOM had them; `painted`: a task after the next frame. Plain JavaScript in a string: the
 * TypeScript compiler's helpers do not exist in the page.
 */
const IN_PAGE = `
  // Each load starts from every paper: no remembered search, sort or selection.
  window.localStorage.clear()
  window.__lastKey = 0
  window.__sent = []
  document.addEventListener('keydown', () => { window.__lastKey = performance.now() }, true)
  // A click counts as the last input too (a header clicked to sort).
  document.addEventListener('pointerdown', () => { window.__lastKey = performance.now() }, true)
  // Navigation to the first rows painted: the first time a loaded first row is in the table.
  window.__firstRows = new Promise((done) => {
    const seen = () => document.querySelector('[data-testid="table-body"] [role="row"][aria-rowindex="1"][data-paper-id]')
    const observer = new MutationObserver(() => {
      if (!seen()) return
      observer.disconnect()
      requestAnimationFrame(() => setTimeout(() => done(performance.now()), 0))
    })
    observer.observe(document, { childList: true, subtree: true, attributes: true })
  })
  const send = window.fetch
  window.fetch = function (input, init) {
    let entry = null
    if (String(input).endsWith('api/listPapers') && init && typeof init.body === 'string') {
      const request = JSON.parse(init.body)
      entry = { search: request.search || '', offset: request.offset, sentAt: performance.now(), answeredAt: null }
      window.__sent.push(entry)
    }
    const answer = send.apply(this, arguments)
    if (entry) answer.then(() => { entry.answeredAt = performance.now() }, () => {})
    return answer
  }
  window.__arm = (total, firstId) => {
    window.__sent = []
    window.__shown = new Promise((done) => {
      const grid = document.querySelector('[role="grid"][aria-label="Papers"]')
      const shown = () => {
        if (Number(grid.getAttribute('aria-rowcount')) !== total) return false
        if (total === 0) return document.querySelector('[data-testid="empty-view"]') !== null
        const first = grid.querySelector('[role="row"][aria-rowindex="1"]')
        return first !== null && first.getAttribute('data-paper-id') === String(firstId)
      }
      const finish = () => {
        const committed = performance.now()
        requestAnimationFrame(() =>
          setTimeout(() => done({ committed, painted: performance.now() }), 0))
      }
      if (shown()) return finish()
      const observer = new MutationObserver(() => {
        if (!shown()) return
        observer.disconnect()
        finish()
      })
      observer.observe(document.body, { attributes: true, childList: true, subtree: true })
    })
  }
`

interface Sent {
  search: string
  offset: number
  sentAt: number
  answeredAt: number | null
}

type Mode = 'settle' | 'enter'

/** One query's timings, from the last key (the last letter, or Enter), in ms. */
interface Sample {
  /** The results painted. */
  painted: number
  /** The DOM had them. */
  committed: number
  /** The app sent the first page's request. */
  sent: number | null
  /** Its answer came. */
  answered: number | null
  /** Attempts thrown away because the box sent part of the query while it was typed. */
  retries: number
}

const MAX_ATTEMPTS = 4

/**
 * One pass: a fresh page (no query cached in it), each query typed once into an empty box. A
 * query the box sent before its last key (a pause between keys longer than the box waits, on a
 * busy machine) is typed again on a fresh page, after another query has taken the server's
 * cached ranking.
 */
async function pass(
  page: Page,
  url: string,
  expected: Expected[],
  all: Expected,
  mode: Mode,
  keyDelay: number,
  evict: () => Promise<void>,
): Promise<Sample[]> {
  const box = page.getByRole('searchbox', { name: 'Search papers' })
  const arm = (e: Expected): Promise<unknown> =>
    page.evaluate(`window.__arm(${e.total}, ${e.firstId})`)
  const shown = (): Promise<{
    committed: number
    painted: number
    lastKey: number
    sent: Sent[]
  }> =>
    page.evaluate(
      'window.__shown.then((at) => ({ ...at, lastKey: window.__lastKey, sent: window.__sent }))',
    )
  const waitForView = async (e: Expected): Promise<void> => {
    await arm(e)
    await shown()
  }
  const load = async (): Promise<void> => {
    await page.goto(url)
    await page.locator('[data-testid="app"][data-ready="true"]').waitFor()
    await waitForView(all)
  }
  await load()
  const samples: Sample[] = []
  for (const e of expected) {
    for (let attempt = 1; ; attempt += 1) {
      await box.focus()
      await arm(e)
      await page.keyboard.type(e.query, { delay: keyDelay })
      if (mode === 'enter') await page.keyboard.press('Enter')
      const at = await shown()
      const early = at.sent.some((r) => r.search !== '' && r.sentAt < at.lastKey)
      if (!early || attempt === MAX_ATTEMPTS) {
        const request = at.sent.find((r) => r.search === e.query && r.offset === 0)
        samples.push({
          painted: at.painted - at.lastKey,
          committed: at.committed - at.lastKey,
          sent: request ? request.sentAt - at.lastKey : null,
          answered: request?.answeredAt ? request.answeredAt - at.lastKey : null,
          retries: attempt - 1,
        })
        break
      }
      await evict()
      await load()
    }
    // Back to every paper, the box empty, for the next query.
    await box.focus()
    await page.keyboard.press('Escape')
    await waitForView(all)
  }
  return samples
}

/** Header clicks after each load: a p95 of a few is only their worst. */
const CLICKS_PER_LOAD = 8

/** Browsing the whole library as a person does: open it, sort by a header, fling the list. */
interface Browsing {
  /** Navigation start to the first rows painted, per load. */
  firstRows: number[]
  /** A header click to the sorted rows painted (Title: ascending, then descending; 8 a load). */
  sort: number[]
  /** Frame intervals while the list is flung with the wheel. */
  frames: number[]
  /** Rows drawn still waiting for their page when the fling ended, of those in view. */
  blankAtEnd: number
}

async function browsing(
  page: Page,
  url: string,
  all: Expected,
  byTitle: { asc: Expected; desc: Expected },
  rounds: number,
): Promise<Browsing> {
  const out: Browsing = { firstRows: [], sort: [], frames: [], blankAtEnd: 0 }
  const arm = (e: Expected): Promise<unknown> =>
    page.evaluate(`window.__arm(${e.total}, ${e.firstId})`)
  const shown = (): Promise<{ painted: number; lastKey: number }> =>
    page.evaluate('window.__shown.then((at) => ({ ...at, lastKey: window.__lastKey }))')
  for (let round = 0; round < rounds; round += 1) {
    await page.goto(url)
    out.firstRows.push(Number(await page.evaluate('window.__firstRows')))
    await page.locator('[data-testid="app"][data-ready="true"]').waitFor()
    await arm(all)
    await shown()
    const title = page.getByRole('columnheader', { name: 'Title' })
    // Ascending, descending, in turn.
    for (let click = 0; click < CLICKS_PER_LOAD; click += 1) {
      const e = click % 2 === 0 ? byTitle.asc : byTitle.desc
      await arm(e)
      await title.click()
      const at = await shown()
      out.sort.push(at.painted - at.lastKey)
    }
  }
  // A long fling: wheel turns as fast as a trackpad sends them, every frame recorded meanwhile.
  const body = page.getByTestId('table-body')
  await body.hover()
  await page.evaluate(`(() => {
    window.__frames = []
    let last = performance.now()
    const tick = (now) => {
      window.__frames.push(now - last)
      last = now
      if (!window.__stopFrames) requestAnimationFrame(tick)
    }
    window.__stopFrames = false
    requestAnimationFrame(tick)
  })()`)
  for (let i = 0; i < 120; i += 1) {
    await page.mouse.wheel(0, 240)
    await page.waitForTimeout(8)
  }
  await page.waitForTimeout(100)
  out.frames = (await page.evaluate(
    '(() => { window.__stopFrames = true; return window.__frames.slice(1) })()',
  )) as number[]
  out.blankAtEnd = await body.evaluate((el) => {
    const top = el.getBoundingClientRect().top
    const bottom = top + el.clientHeight
    return [...el.querySelectorAll('[role="row"]')].filter((r) => {
      const box = r.getBoundingClientRect()
      return box.bottom > top && box.top < bottom && !r.hasAttribute('data-paper-id')
    }).length
  })
  return out
}

async function main(): Promise<void> {
  const papers = Number(arg('papers', '100000'))
  const batch = Number(arg('batch', '10000'))
  const rounds = Number(arg('rounds', '3'))
  const warmup = Number(arg('warmup', '1'))
  const keyDelay = Number(arg('key-delay', '0'))
  const jsonFile = process.argv.includes('--json') ? arg('json', '') : null
  const load = (): string =>
    loadavg()
      .map((l) => l.toFixed(1))
      .join(' / ')
  console.log(
    `Lectern search latency: ${papers} papers, node ${process.version}, ${cpus().length} CPUs, load ${load()}`,
  )
  const library = await generatedLibrary(papers, batch, process.argv.includes('--fresh'))
  const server = await startServer(library)
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  })
  try {
    const call = <T>(method: string, request: unknown): Promise<T> =>
      callHost<T>(server, method, request)
    const stats = await call<LibraryStats>('stats', {})
    const middle = await call<Paper>('getPaper', { id: Math.ceil(stats.total / 2) })
    const queries = searchQueries(rareWordOf(middle.title))

    // What each query shows (its count and first paper), and the same first page over HTTP
    // alone, cold: each query follows another, and the server keeps one ranking. The warm-up
    // rounds are not counted (the server's first searches compile its code).
    const http: number[][] = queries.map(() => [])
    const expected: Expected[] = []
    for (let round = 0; round < warmup + rounds; round += 1) {
      for (const [i, q] of queries.entries()) {
        const t = performance.now()
        const page = await call<PaperPage>('listPapers', {
          sort: RELEVANCE,
          status: null,
          search: q.query,
          offset: 0,
          limit: 100,
        })
        if (round >= warmup) http[i]!.push(performance.now() - t)
        expected[i] = { ...q, total: page.total, firstId: page.rows[0]?.id ?? null }
      }
    }
    const allPage = await call<PaperPage>('listPapers', {
      sort: { field: 'addedAt', direction: 'desc' },
      status: null,
      offset: 0,
      limit: 1,
    })
    const all: Expected = {
      kind: 'every paper',
      query: '',
      total: allPage.total,
      firstId: allPage.rows[0]?.id ?? null,
    }
    for (const e of expected) {
      if (e.total === all.total && e.firstId === all.firstId) {
        throw new Error(
          `“${e.query}” shows what every paper shows: its results cannot be told apart`,
        )
      }
    }

    // Title sorted both ways: what a header click shows.
    const titleFirst = async (direction: 'asc' | 'desc'): Promise<Expected> => {
      const got = await call<PaperPage>('listPapers', {
        sort: { field: 'title', direction },
        status: null,
        offset: 0,
        limit: 1,
      })
      return {
        kind: `title ${direction}`,
        query: '',
        total: got.total,
        firstId: got.rows[0]?.id ?? null,
      }
    }
    const byTitle = { asc: await titleFirst('asc'), desc: await titleFirst('desc') }

    // A query no measured one is: asked, it takes the server's cached ranking.
    const evict = async (): Promise<void> => {
      await call('listPapers', { sort: RELEVANCE, search: 'lectern', offset: 0, limit: 1 })
    }
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } })
    await page.addInitScript(IN_PAGE)
    // The tab is given the token once; every later load of the plain address finds it there.
    await page.goto(server.entry)
    await page.locator('[data-testid="app"][data-ready="true"]').waitFor()
    const samples: Record<Mode, Sample[][]> = {
      settle: queries.map(() => []),
      enter: queries.map(() => []),
    }
    for (let round = 0; round < warmup + rounds; round += 1) {
      for (const mode of ['settle', 'enter'] as Mode[]) {
        const got = await pass(page, server.url, expected, all, mode, keyDelay, evict)
        if (round >= warmup) got.forEach((s, i) => samples[mode][i]!.push(s))
        process.stdout.write(
          `  ${round < warmup ? 'warm-up' : `round ${round - warmup + 1} of ${rounds}`}: ${mode} done \r`,
        )
      }
    }
    process.stdout.write('\n')
    const browse = await browsing(page, server.url, all, byTitle, rounds)

    const perQuery = (mode: Mode, pick: (s: Sample) => number | null): number[] =>
      samples[mode].map((list) => median(list.map(pick).filter((x): x is number => x !== null)))
    const settleRaw = perQuery('settle', (s) => s.painted)
    const settleNet = settleRaw.map((x) => x - SETTLE_MS)
    const enter = perQuery('enter', (s) => s.painted)
    const httpMedians = http.map(median)
    const retries = (mode: Mode): number => samples[mode].flat().reduce((n, s) => n + s.retries, 0)
    const f = (n: number): string => `${n.toFixed(0)} ms`
    const trio = (xs: number[]): string => {
      const s = summary(xs)
      return `${f(s.p50)} / ${f(s.p95)} / ${f(s.max)}`
    }
    /** Where the time goes, as p50s over the queries: to the request, to its answer, to paint. */
    const split = (mode: Mode): string => {
      const sent = perQuery(mode, (s) => s.sent)
      const answered = perQuery(mode, (s) => s.answered)
      const painted = perQuery(mode, (s) => s.painted)
      const p50 = (xs: number[]): number => summary(xs).p50
      const wait = sent.map((x, i) => answered[i]! - x)
      const render = painted.map((x, i) => x - answered[i]!)
      return `${f(p50(sent))} to send · ${f(p50(wait))} to answer · ${f(p50(render))} to paint`
    }
    const rows: [string, string][] = [
      ['library', `${stats.total} papers, ${(statSync(library).size / MB).toFixed(0)} MB`],
      ['typing', `${keyDelay} ms between keys; each query typed into an empty box`],
      ['HTTP listPapers page 1, cold: p50 / p95 / max', trio(httpMedians)],
      ['typed, box sends by itself: p50 / p95 / max', trio(settleRaw)],
      [`  minus the box's deliberate ${SETTLE_MS} ms pause`, trio(settleNet)],
      ['  p50s of its parts', split('settle')],
      ['typed, then Enter: p50 / p95 / max', trio(enter)],
      ['  p50s of its parts', split('enter')],
      ['open → first rows painted: p50 / p95 / max', trio(browse.firstRows)],
      ['Title header clicked → sorted rows painted: p50 / p95 / max', trio(browse.sort)],
      [
        '  the first click after opening / the others: p50',
        `${f(summary(browse.sort.filter((_, i) => i % CLICKS_PER_LOAD === 0)).p50)} / ${f(summary(browse.sort.filter((_, i) => i % CLICKS_PER_LOAD !== 0)).p50)}`,
      ],
      [
        `fling (120 wheel turns): frame interval p50 / p95 / max (${browse.frames.length} frames)`,
        trio(browse.frames),
      ],
      ['  rows in view still loading when it stopped', String(browse.blankAtEnd)],
      [
        'typed again (the box sent part of a query)',
        `${retries('settle')} typed / ${retries('enter')} Enter, of ${rounds * queries.length} each`,
      ],
    ]
    const width = Math.max(...rows.map(([k]) => k.length))
    console.log()
    console.log(
      `From the last key's keydown to a task after the frame that shows the query's count and first row (median of ${rounds} rounds per query, after ${warmup} warm-up; p50/p95/max over the ${queries.length} queries):`,
    )
    for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`)
    console.log()
    const qWidth = Math.max(...queries.map((q) => q.query.length))
    console.log(
      `${'query'.padEnd(qWidth)}  ${'hits'.padStart(6)}  ${'HTTP'.padStart(7)}  ${'typed'.padStart(7)}  ${'−140'.padStart(7)}  ${'Enter'.padStart(7)}`,
    )
    expected.forEach((e, i) => {
      console.log(
        `${e.query.padEnd(qWidth)}  ${String(e.total).padStart(6)}  ${f(httpMedians[i]!).padStart(7)}  ${f(settleRaw[i]!).padStart(7)}  ${f(settleNet[i]!).padStart(7)}  ${f(enter[i]!).padStart(7)}`,
      )
    })
    console.log(`(load average at the end: ${load()})`)
    if (jsonFile) {
      mkdirSync(resolve(jsonFile, '..'), { recursive: true })
      const figures = {
        node: process.version,
        cpus: cpus().length,
        loadAverageAtEnd: loadavg(),
        papers: stats.total,
        libraryBytes: statSync(library).size,
        rounds,
        warmup,
        keyDelayMs: keyDelay,
        settleMs: SETTLE_MS,
        summary: {
          http: summary(httpMedians),
          typed: summary(settleRaw),
          typedMinusSettle: summary(settleNet),
          enter: summary(enter),
        },
        browsing: {
          firstRows: summary(browse.firstRows),
          sort: summary(browse.sort),
          sortMs: browse.sort,
          frames: summary(browse.frames),
          frameCount: browse.frames.length,
          blankAtEnd: browse.blankAtEnd,
        },
        queries: expected.map((e, i) => ({
          ...e,
          httpMs: http[i],
          typed: samples.settle[i],
          enter: samples.enter[i],
        })),
      }
      writeFileSync(jsonFile, `${JSON.stringify(figures, null, 2)}\n`)
      console.log(`(figures written to ${jsonFile})`)
    }
  } finally {
    await browser.close()
    await server.stop()
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
