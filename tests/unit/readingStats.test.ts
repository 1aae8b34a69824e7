// Reading statistics, computed through the real core (imports, status changes, deletions on a
// clock the test moves), checked against known histories and against a brute-force count over a
// model of random operations.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Db, loadEngine } from '../../electron/core/db/database'
import { MIGRATIONS, migrate } from '../../electron/core/db/migrations'
import { readingStats } from '../../electron/core/db/readingStats'
import type { Library } from '../../electron/core/store/library'
import { STATUSES } from '../../shared/domain'
import type { Status } from '../../shared/domain'
import { TIME_TO_READ_BUCKETS, describeDays } from '../../shared/stats'
import type { ReadingStats } from '../../shared/stats'
import { makeDump } from '../../testkit/gen'
import { lectern } from '../helpers/cli'
import { SAMPLE_PATH, tempDir } from '../helpers/fixtures'
import { openTempLibrary } from '../helpers/library'
import { join } from 'node:path'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const WEEK = 7 * DAY

/** A clock the test sets: every call reads the time it was last set to. */
function settableClock(start: string): {
  now: () => Date
  set: (iso: string) => void
  add: (ms: number) => void
} {
  let t = Date.parse(start)
  return {
    now: () => new Date(t),
    set: (iso) => (t = Date.parse(iso)),
    add: (ms) => (t += ms),
  }
}

/** Imports papers with these titles (all new to the library); their ids by title. */
function importTitles(lib: Library, titles: string[]): Map<string, number> {
  lib.importText(
    'dump.txt',
    makeDump(
      'Nov 20',
      titles.map((title) => ({ title, abstract: `We study ${title}. It works well.` })),
    ),
  )
  const ids = new Map<string, number>()
  for (let offset = 0; ; offset += 500) {
    const page = lib.listPapers({
      sort: { field: 'title', direction: 'asc' },
      status: null,
      offset,
      limit: 500,
    })
    for (const row of page.rows) if (titles.includes(row.title)) ids.set(row.title, row.id)
    if (offset + 500 >= page.total) break
  }
  expect(ids.size).toBe(titles.length)
  return ids
}

describe('reading statistics', () => {
  it('an empty library: the weeks asked for, zero-filled, ending with this one', async () => {
    // A Wednesday: its week began on Monday 2026-11-30.
    const { lib } = await openTempLibrary({ now: () => new Date('2026-12-02T15:00:00.000Z') })
    const stats = lib.readingStats(8)
    expect(stats.asOf).toBe('2026-12-02T15:00:00.000Z')
    expect(stats.weeks.map((w) => w.start)).toEqual([
      '2026-10-12',
      '2026-10-19',
      '2026-10-26',
      '2026-11-02',
      '2026-11-09',
      '2026-11-16',
      '2026-11-23',
      '2026-11-30',
    ])
    expect(stats.weeks.every((w) => w.imported + w.triaged + w.read === 0)).toBe(true)
    expect(stats).toMatchObject({
      weekTotals: { imported: 0, triaged: 0, read: 0 },
      timeToRead: { papers: 0, p25Days: null, medianDays: null, p75Days: null },
      funnel: { papers: 0, triaged: 0, queued: 0, read: 0, skipped: 0 },
      byStatus: { new: 0, 'to-read': 0, reading: 0, read: 0, skipped: 0 },
      topTags: [],
    })
    expect(stats.timeToRead.histogram.map((b) => [b.bucket, b.papers])).toEqual(
      TIME_TO_READ_BUCKETS.map((b) => [b.id, 0]),
    )
    lib.close()
  })

  it('a Monday at midnight (UTC) starts a week; the Sunday before ends the last', async () => {
    const clock = settableClock('2026-11-29T23:59:59.999Z')
    const { lib } = await openTempLibrary({ now: clock.now })
    importTitles(lib, ['Sunday Paper'])
    clock.set('2026-11-30T00:00:00.000Z')
    importTitles(lib, ['Monday Paper'])
    const stats = lib.readingStats(2)
    expect(stats.weeks).toEqual([
      { start: '2026-11-23', imported: 1, triaged: 0, read: 0 },
      { start: '2026-11-30', imported: 1, triaged: 0, read: 0 },
    ])
    lib.close()
  })

  it('counts imports, first triage and first read by week, the funnel and the time to read', async () => {
    const clock = settableClock('2026-11-02T09:00:00.000Z') // a Monday, four weeks back
    const { lib } = await openTempLibrary({ now: clock.now })
    const a = importTitles(lib, ['Alpha Paper', 'Beta Paper', 'Gamma Paper', 'Delta Paper'])
    const [alpha, beta, gamma, delta] = [...a.values()] as [number, number, number, number]

    clock.add(2 * HOUR)
    lib.setStatus(alpha, 'read') // read after 2 hours: under a day
    clock.add(DAY)
    lib.setStatus(beta, 'to-read') // triaged the same week
    lib.setStatus(gamma, 'skipped')
    lib.setStatus(gamma, 'skipped') // no change, no history

    clock.set('2026-11-10T09:00:00.000Z') // the next week
    const b = importTitles(lib, ['Epsilon Paper', 'Zeta Paper'])
    const [epsilon, zeta] = [...b.values()] as [number, number]
    lib.setStatus(beta, 'reading')
    lib.setStatus(zeta, 'to-read')

    clock.set('2026-11-20T09:00:00.000Z')
    lib.setStatus(beta, 'read') // 18 days after it was added: 1 week – 1 month
    lib.setStatus(alpha, 'to-read') // back in the queue: it was still read once
    lib.setStatus(zeta, 'new') // back to new: it was still triaged
    lib.deletePapers([epsilon]) // gone, and so is its (empty) history

    clock.set('2026-11-30T12:00:00.000Z') // this week
    lib.setStatus(alpha, 'read') // read again: only the first read counts
    lib.setStatus(delta, 'reading')

    const stats = lib.readingStats(5)
    expect(stats.weeks).toEqual([
      { start: '2026-11-02', imported: 4, triaged: 3, read: 1 },
      { start: '2026-11-09', imported: 1, triaged: 1, read: 0 }, // epsilon is gone
      { start: '2026-11-16', imported: 0, triaged: 0, read: 1 },
      { start: '2026-11-23', imported: 0, triaged: 0, read: 0 },
      { start: '2026-11-30', imported: 0, triaged: 1, read: 0 },
    ])
    expect(stats.weekTotals).toEqual({ imported: 5, triaged: 5, read: 2 })
    expect(stats.byStatus).toEqual({ new: 1, 'to-read': 0, reading: 1, read: 2, skipped: 1 })
    expect(stats.funnel).toEqual({ papers: 5, triaged: 5, queued: 4, read: 2, skipped: 1 })
    const waits = [2 / 24, 18]
    expect(stats.timeToRead).toMatchObject({ papers: 2 })
    expect(stats.timeToRead.p25Days).toBeCloseTo(waits[0]! + 0.25 * (waits[1]! - waits[0]!), 6)
    expect(stats.timeToRead.medianDays).toBeCloseTo((waits[0]! + waits[1]!) / 2, 6)
    expect(stats.timeToRead.p75Days).toBeCloseTo(waits[0]! + 0.75 * (waits[1]! - waits[0]!), 6)
    expect(stats.timeToRead.histogram.map((b) => b.papers)).toEqual([1, 0, 1, 0, 0])
    lib.close()
  })

  it('times written with an offset from UTC fall in the week of the instant they name', async () => {
    const db = new Db(new (await loadEngine()).Database())
    migrate(db)
    db.run(
      `INSERT INTO papers (id, title, title_key, added_at, status)
       VALUES (1, 'A', 'a', '2026-11-30T01:00:00+02:00', 3)`,
    )
    // 01:00 on Monday at +02:00 is still Sunday in UTC: the week before.
    db.run(
      `INSERT INTO status_history (paper_id, status, at) VALUES (1, 3, '2026-12-01T00:30:00+01:00')`,
    )
    const stats = readingStats(db, { weeks: 2, now: new Date('2026-12-01T12:00:00.000Z') })
    expect(stats.weeks).toEqual([
      { start: '2026-11-23', imported: 1, triaged: 0, read: 0 },
      { start: '2026-11-30', imported: 0, triaged: 1, read: 1 },
    ])
    expect(stats.timeToRead.medianDays).toBeCloseTo(1 + 0.5 / 24, 6)
    expect(stats.timeToRead.histogram.map((b) => b.papers)).toEqual([0, 1, 0, 0, 0])
    db.close()
  })

  it('a wait of exactly a day, a week, a month or three falls in the longer bucket', async () => {
    const db = new Db(new (await loadEngine()).Database())
    migrate(db)
    const added = Date.parse('2026-06-01T10:00:00.000Z')
    const waits = [0, DAY - 1, DAY, 7 * DAY, 30 * DAY, 90 * DAY - 1, 90 * DAY]
    waits.forEach((wait, i) => {
      db.run(`INSERT INTO papers (id, title, title_key, added_at, status) VALUES (?, ?, ?, ?, 3)`, [
        i + 1,
        `P${i}`,
        `p${i}`,
        new Date(added).toISOString(),
      ])
      db.run(`INSERT INTO status_history (paper_id, status, at) VALUES (?, 3, ?)`, [
        i + 1,
        new Date(added + wait).toISOString(),
      ])
    })
    const stats = readingStats(db, { weeks: 1, now: new Date('2026-12-01T00:00:00.000Z') })
    expect(stats.timeToRead.histogram.map((b) => b.papers)).toEqual([2, 1, 1, 2, 1])
    expect(stats.timeToRead.medianDays).toBe(7)
    db.close()
  })

  it('top tags: the ten most used, by papers still in the library; none before tags exist', async () => {
    const SQL = await loadEngine()
    const before = new Db(new SQL.Database())
    migrate(before, MIGRATIONS.slice(0, 7)) // the schema before tags
    expect(readingStats(before, { weeks: 1, now: new Date() }).topTags).toEqual([])
    before.close()

    const db = new Db(new SQL.Database())
    migrate(db)
    db.run('CREATE TABLE IF NOT EXISTS paper_tags (tag TEXT NOT NULL, paper_id INTEGER NOT NULL)')
    for (let id = 1; id <= 30; id += 1) {
      db.run(
        `INSERT INTO papers (id, title, title_key, added_at) VALUES (?, ?, ?, '2026-11-30T00:00:00.000Z')`,
        [id, `P${id}`, `p${id}`],
      )
    }
    const tag = (name: string, ids: number[]): void => {
      for (const id of ids)
        db.run('INSERT INTO paper_tags (tag, paper_id) VALUES (?, ?)', [name, id])
    }
    tag('vision', [1, 2, 3, 4, 5])
    tag('nlp', [6, 7, 8])
    tag('Agents', [9, 10, 11])
    tag('gone', [101, 102, 103, 104, 105, 106]) // papers no longer in the library
    for (let i = 0; i < 10; i += 1) tag(`t${i}`, [20 + i])
    const top = readingStats(db, { weeks: 1, now: new Date() }).topTags
    expect(top).toHaveLength(10)
    expect(top.slice(0, 4)).toEqual([
      { tag: 'vision', papers: 5 },
      { tag: 'Agents', papers: 3 },
      { tag: 'nlp', papers: 3 },
      { tag: 't0', papers: 1 },
    ])
    expect(top.map((t) => t.tag)).not.toContain('gone')
    db.close()
  })

  it('words a wait for people', () => {
    expect([0.01, 0.25, 1 / 24, 1, 2.46, 12.6].map(describeDays)).toEqual([
      'under an hour',
      '6 hours',
      '1 hour',
      '1 day',
      '2.5 days',
      '13 days',
    ])
  })
})

// The model: what the library should hold after the operations, computed without SQL.
interface ModelPaper {
  id: number
  addedAt: number
  status: Status
  history: { status: Status; at: number }[]
  tags: Set<string>
}

/** More tags than the top ten, all in lower case (the library keeps a tag's first spelling). */
const TAGS = [
  'ml',
  'nlp',
  'vision',
  'rl',
  'agents',
  'theory',
  'data',
  'audio',
  'robots',
  'code',
  'math',
  'bio',
]

type Op =
  | { kind: 'import'; count: number; after: number }
  | { kind: 'status'; picks: number[]; status: Status; after: number }
  | { kind: 'tag'; picks: number[]; tag: string; add: boolean; after: number }
  | { kind: 'delete'; pick: number; after: number }
  | { kind: 'undelete'; after: number }

const picks = fc.array(fc.nat(), { minLength: 1, maxLength: 3 })

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('import' as const),
      count: fc.integer({ min: 1, max: 4 }),
      after: fc.integer({ min: 0, max: 20 * DAY }),
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('status' as const),
      picks,
      status: fc.constantFrom(...STATUSES),
      after: fc.integer({ min: 0, max: 10 * DAY }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('tag' as const),
      picks,
      tag: fc.constantFrom(...TAGS),
      add: fc.boolean(),
      after: fc.integer({ min: 0, max: DAY }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('delete' as const),
      pick: fc.nat(),
      after: fc.integer({ min: 0, max: DAY }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('undelete' as const),
      after: fc.integer({ min: 0, max: DAY }),
    }),
  },
)

/** The figures, counted one paper at a time. */
function bruteForce(papers: ModelPaper[], weeks: number, now: number): ReadingStats {
  // This week's Monday, found by walking back a day at a time.
  let monday = Date.UTC(
    new Date(now).getUTCFullYear(),
    new Date(now).getUTCMonth(),
    new Date(now).getUTCDate(),
  )
  while (new Date(monday).getUTCDay() !== 1) monday -= DAY
  const first = monday - (weeks - 1) * WEEK
  const series = Array.from({ length: weeks }, (_, i) => ({
    start: new Date(first + i * WEEK).toISOString().slice(0, 10),
    imported: 0,
    triaged: 0,
    read: 0,
  }))
  const weekOf = (t: number): number | null => {
    const i = Math.floor((t - first) / WEEK)
    return i >= 0 && i < weeks ? i : null
  }
  const byStatus = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>
  const funnel = { papers: 0, triaged: 0, queued: 0, read: 0, skipped: 0 }
  const waits: number[] = []
  for (const p of papers) {
    byStatus[p.status] += 1
    funnel.papers += 1
    const ever = new Set([p.status, ...p.history.map((h) => h.status)])
    if ([...ever].some((s) => s !== 'new')) funnel.triaged += 1
    if (ever.has('to-read') || ever.has('reading') || ever.has('read')) funnel.queued += 1
    if (ever.has('read')) funnel.read += 1
    if (p.status === 'skipped') funnel.skipped += 1
    const added = weekOf(p.addedAt)
    if (added !== null) series[added]!.imported += 1
    const triagedAt = p.history.find((h) => h.status !== 'new')?.at
    if (triagedAt !== undefined && weekOf(triagedAt) !== null)
      series[weekOf(triagedAt)!]!.triaged += 1
    const readAt = p.history.find((h) => h.status === 'read')?.at
    if (readAt !== undefined) {
      if (weekOf(readAt) !== null) series[weekOf(readAt)!]!.read += 1
      waits.push(Math.max(0, readAt - p.addedAt) / DAY)
    }
  }
  waits.sort((x, y) => x - y)
  const quantile = (q: number): number | null => {
    if (waits.length === 0) return null
    const pos = q * (waits.length - 1)
    const lo = Math.floor(pos)
    const hi = Math.min(lo + 1, waits.length - 1)
    return waits[lo]! + (pos - lo) * (waits[hi]! - waits[lo]!)
  }
  const edges = [0, 1, 7, 30, 90, Infinity]
  return {
    asOf: new Date(now).toISOString(),
    weeks: series,
    weekTotals: {
      imported: series.reduce((s, w) => s + w.imported, 0),
      triaged: series.reduce((s, w) => s + w.triaged, 0),
      read: series.reduce((s, w) => s + w.read, 0),
    },
    timeToRead: {
      papers: waits.length,
      p25Days: quantile(0.25),
      medianDays: quantile(0.5),
      p75Days: quantile(0.75),
      histogram: TIME_TO_READ_BUCKETS.map((b, i) => ({
        bucket: b.id,
        label: b.label,
        papers: waits.filter((d) => d >= edges[i]! && d < edges[i + 1]!).length,
      })),
    },
    funnel,
    byStatus,
    topTags: TAGS.map((tag) => ({ tag, papers: papers.filter((p) => p.tags.has(tag)).length }))
      .filter((t) => t.papers > 0)
      .sort((a, b) => b.papers - a.papers || (a.tag < b.tag ? -1 : 1))
      .slice(0, 10),
  }
}

/** Quartiles to a millionth of a day: SQL and JavaScript agree on whole milliseconds. */
function rounded(stats: ReadingStats): ReadingStats {
  const r = (d: number | null): number | null => (d === null ? null : Math.round(d * 1e6) / 1e6)
  const t = stats.timeToRead
  return {
    ...stats,
    timeToRead: { ...t, p25Days: r(t.p25Days), medianDays: r(t.medianDays), p75Days: r(t.p75Days) },
  }
}

describe('reading statistics against a brute-force count', () => {
  it('agree after any sequence of imports, status changes, tags, deletions and undeletions', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(opArb, { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 12 }),
        async (ops, weeks) => {
          const clock = settableClock('2026-09-01T08:00:00.000Z')
          const { lib } = await openTempLibrary({ now: clock.now })
          const live = new Map<number, ModelPaper>()
          const deletions: ModelPaper[][] = []
          let titles = 0
          try {
            for (const op of ops) {
              // Whole milliseconds and odd seconds: times that fall anywhere in a day.
              clock.add(op.after + 1)
              const now = clock.now().getTime()
              const ids = [...live.keys()].sort((x, y) => x - y)
              const chosen = (picked: number[]): ModelPaper[] => [
                ...new Set(picked.map((n) => live.get(ids[n % ids.length]!)!)),
              ]
              if (op.kind === 'import') {
                const names = Array.from({ length: op.count }, () => `Model Paper ${(titles += 1)}`)
                for (const id of importTitles(lib, names).values()) {
                  live.set(id, { id, addedAt: now, status: 'new', history: [], tags: new Set() })
                }
              } else if (op.kind === 'status' && ids.length > 0) {
                const papers = chosen(op.picks)
                // One paper through setStatus, several as a bulk change: each writes its history.
                if (papers.length === 1) lib.setStatus(papers[0]!.id, op.status)
                else lib.updatePapers({ ids: papers.map((p) => p.id), status: op.status })
                for (const paper of papers) {
                  if (paper.status === op.status) continue
                  paper.status = op.status
                  paper.history.push({ status: op.status, at: now })
                }
              } else if (op.kind === 'tag' && ids.length > 0) {
                const papers = chosen(op.picks)
                lib.updatePapers({
                  ids: papers.map((p) => p.id),
                  ...(op.add ? { addTags: [op.tag] } : { removeTags: [op.tag] }),
                })
                for (const paper of papers) {
                  if (op.add) paper.tags.add(op.tag)
                  else paper.tags.delete(op.tag)
                }
              } else if (op.kind === 'delete' && ids.length > 0) {
                const [paper] = chosen([op.pick])
                lib.deletePapers([paper!.id])
                live.delete(paper!.id)
                deletions.push([paper!])
              } else if (op.kind === 'undelete' && deletions.length > 0) {
                lib.restoreDeleted(null)
                for (const paper of deletions.pop()!) live.set(paper.id, paper)
              }
            }
            const now = clock.now().getTime()
            expect(rounded(lib.readingStats(weeks))).toEqual(
              rounded(bruteForce([...live.values()], weeks, now)),
            )
          } finally {
            lib.close()
          }
        },
      ),
      { numRuns: 40 },
    )
  }, 120_000)
})

describe('lectern stats', () => {
  it('--json keeps the counts at the top and adds the reading statistics; --weeks sets the series', async () => {
    const library = join(tempDir(), 'library.sqlite')
    expect((await lectern('--library', library, 'import', SAMPLE_PATH)).code).toBe(0)
    const json = JSON.parse((await lectern('--library', library, 'stats', '--json')).out)
    expect(json).toMatchObject({ total: 95, imports: 1, byStatus: { new: 95 } })
    expect(json.reading.weeks).toHaveLength(26)
    expect(json.reading.weeks.at(-1)).toMatchObject({ imported: 95, triaged: 0, read: 0 })
    expect(json.reading.funnel).toEqual({ papers: 95, triaged: 0, queued: 0, read: 0, skipped: 0 })

    const short = await lectern('--library', library, 'stats', '--weeks', '4', '--json')
    expect(short.code).toBe(0)
    expect(JSON.parse(short.out).reading.weeks).toHaveLength(4)

    for (const weeks of ['0', '521', 'four', '-3']) {
      const r = await lectern('--library', library, 'stats', '--weeks', weeks)
      expect(r.code, weeks).toBe(2)
    }
  })

  it('prints the reading summary after the counts', async () => {
    const library = join(tempDir(), 'library.sqlite')
    await lectern('--library', library, 'import', SAMPLE_PATH)
    await lectern('--library', library, 'set', '1', '--status', 'read')
    const r = await lectern('--library', library, 'stats', '--weeks', '3')
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/^95 papers in /)
    expect(r.out).toContain('  this week (from ')
    expect(r.out).toMatch(/: 95 imported, 1 triaged, 1 read\n/)
    expect(r.out).toContain('  last 3 weeks (from ')
    expect(r.out).toMatch(
      /\n {2}time to read: median (under an hour|\d+ hours?), over 1 paper read\n/,
    )
    expect(r.out).toContain('  top tags: none yet\n')
  })
})
