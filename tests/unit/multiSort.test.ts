// Sorting by several keys: the core's order against a plain JavaScript sort of the same rows
// (ties, nulls, NOCASE text, both directions), the contract's refusals, `list --sort` with
// several comma-separated keys, and the table's Shift+click rules.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SORT_COLUMNS } from '../../electron/core/db/paperColumns'
import { listPapers, orderBy, walksTheSortIndex } from '../../electron/core/db/queries'
import { validate } from '../../electron/core/api/dispatch'
import { Library } from '../../electron/core/store/library'
import { MAX_SORT_KEYS, SORT_FIELDS, STATUSES, sortKeysProblem } from '../../shared/domain'
import type { PaperQuery, PaperRow, Sort, SortField } from '../../shared/domain'
import {
  sortKeys,
  validThenBy,
  withSortClick,
  withValidSort,
} from '../../renderer/src/table/sortKeys'
import { lectern } from '../helpers/cli'
import { statementsDuring } from '../helpers/library'
import type { Db } from '../../electron/core/db/database'
import { fixedClock } from '../helpers/fixtures'

const VENUES = ['ICML', 'neurips', 'NeurIPS', null, 'ACL'] as const
const AUTHORS = ['Ada Lovelace', 'alan turing', 'Alan Turing', null, 'Grace Hopper'] as const
const YEARS = [2019, null, 2021, 2019, 2023, 2020] as const

/**
 * Papers made to tie: few years, venues and authors (some differing only in case, some
 * missing), repeated in patterns of different lengths so that every pair of keys meets ties.
 */
function bibtex(count: number): string {
  const entries: string[] = []
  for (let i = 0; i < count; i += 1) {
    const fields = [`title = {Paper ${String.fromCharCode(65 + (i % 26))}${i} on things}`]
    const year = YEARS[i % YEARS.length]
    const venue = VENUES[i % VENUES.length]
    const author = AUTHORS[i % AUTHORS.length]
    if (year) fields.push(`year = {${year}}`)
    if (venue) fields.push(`journal = {${venue}}`)
    if (author) fields.push(`author = {${author}}`)
    if (i % 4 === 0) fields.push(`doi = {10.1000/x${i % 3}${i}}`)
    if (i % 3 === 0) fields.push(`eprint = {2401.${String(10000 + ((i * 37) % 97))}}`)
    entries.push(`@article{k${i}, ${fields.join(', ')}}`)
  }
  return entries.join('\n')
}

/** A dump with a date line: these papers have a dump date, the others none. */
const DATED = `Aug 19

A Dated Paper About Things

We do things. They work.

another dated paper about things

We do other things.
`

/** SQLite's order of two values: NULL first, numbers as numbers, text by code unit. */
function compareValues(a: string | number | null, b: string | number | null): number {
  if (a === b) return 0
  if (a === null) return -1
  if (b === null) return 1
  return a < b ? -1 : 1
}

/** COLLATE NOCASE folds only the ASCII letters. */
const nocase = (s: string | null): string | null =>
  s === null ? null : s.replace(/[A-Z]/g, (c) => c.toLowerCase())

/** A row's value as the database sorts it, worked out from what the API returned. */
function sortValue(row: PaperRow, field: SortField): string | number | null {
  switch (field) {
    case 'title':
      return nocase(row.title)
    case 'authors':
      return nocase(JSON.stringify(row.authors))
    case 'status':
      return STATUSES.indexOf(row.status)
    case 'starred':
      return row.starred ? 1 : 0
    case 'venue':
      return nocase(row.venue)
    case 'relevance':
      return row.addedAt
    default:
      return row[field]
  }
}

/** The expected order of rows under these keys, by a JavaScript sort. */
function jsOrder(rows: PaperRow[], keys: Sort[]): number[] {
  const primary = keys[0]!
  const idDesc = SORT_COLUMNS[primary.field].tieAgainst === (primary.direction === 'asc')
  return [...rows]
    .sort((a, b) => {
      for (const { field, direction } of keys) {
        const c = compareValues(sortValue(a, field), sortValue(b, field))
        if (c !== 0) return direction === 'desc' ? -c : c
      }
      return idDesc ? b.id - a.id : a.id - b.id
    })
    .map((r) => r.id)
}

/** A small deterministic generator, so that a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31
    return s / 2 ** 31
  }
}

// One folder for the libraries every test of a group shares (tempDir() is emptied after each test).
const dir = mkdtempSync(join(tmpdir(), 'lectern-test-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const COLUMNS = SORT_FIELDS.filter((f) => f !== 'relevance')
const DIRECTIONS = ['asc', 'desc'] as const

/** Every column each way, and three pages of it: the first five, a middle, and all. */
function eachSortAndPage(check: (sort: Sort, offset: number, limit: number) => void): void {
  for (const field of COLUMNS) {
    for (const direction of DIRECTIONS) {
      for (const [offset, limit] of [
        [0, 5],
        [7, 9],
        [0, 500],
      ] as const) {
        check({ field, direction }, offset, limit)
      }
    }
  }
}

describe('sorting by several keys in the core', () => {
  let lib: Library
  let rows: PaperRow[]
  const ids = (keys: Sort[], offset = 0, limit = 500): number[] =>
    lib.listPapers({ sort: keys[0]!, thenBy: keys.slice(1), offset, limit }).rows.map((r) => r.id)

  beforeAll(async () => {
    lib = await Library.open(join(dir, 'core.sqlite'), { now: fixedClock() })
    lib.importText('refs.bib', bibtex(60))
    lib.importText('aug-19.txt', DATED)
    const all = lib.listPapers({
      sort: { field: 'title', direction: 'asc' },
      offset: 0,
      limit: 500,
    })
    // Statuses, stars and read dates in patterns of their own.
    for (const [i, row] of all.rows.entries()) {
      if (i % 3 === 1) lib.setStatus(row.id, STATUSES[i % STATUSES.length]!)
    }
    lib.updatePapers({
      ids: all.rows.filter((_, i) => i % 4 === 1).map((r) => r.id),
      starred: true,
    })
    rows = lib.listPapers({
      sort: { field: 'title', direction: 'asc' },
      offset: 0,
      limit: 500,
    }).rows
    return () => lib.close()
  })

  it('has the ties the other tests rely on', () => {
    expect(rows).toHaveLength(62)
    expect(new Set(rows.map((r) => r.year)).size).toBeLessThan(6)
    expect(rows.filter((r) => r.year === null).length).toBeGreaterThan(5)
    expect(rows.filter((r) => r.venue === null).length).toBeGreaterThan(5)
    expect(rows.some((r) => r.venue === 'neurips') && rows.some((r) => r.venue === 'NeurIPS')).toBe(
      true,
    )
    expect(rows.filter((r) => r.dumpDate !== null)).toHaveLength(2)
    expect(new Set(rows.map((r) => r.status)).size).toBeGreaterThan(2)
    expect(rows.filter((r) => r.starred).length).toBeGreaterThan(5)
  })

  it('orders by every pair of columns, each way, as a JavaScript sort does', () => {
    for (const a of COLUMNS) {
      for (const b of COLUMNS) {
        if (a === b) continue
        for (const da of DIRECTIONS) {
          for (const db of DIRECTIONS) {
            const keys: Sort[] = [
              { field: a, direction: da },
              { field: b, direction: db },
            ]
            expect(ids(keys), `${a}:${da},${b}:${db}`).toEqual(jsOrder(rows, keys))
          }
        }
      }
    }
  })

  it('orders by three keys as a JavaScript sort does', () => {
    const next = random(8)
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!
    for (let n = 0; n < 150; n += 1) {
      const fields = new Set<SortField>()
      while (fields.size < MAX_SORT_KEYS) fields.add(pick(COLUMNS))
      const keys = [...fields].map((field) => ({ field, direction: pick(DIRECTIONS) }))
      const label = keys.map((k) => `${k.field}:${k.direction}`).join(',')
      expect(ids(keys), label).toEqual(jsOrder(rows, keys))
    }
  })

  it('the second key decides where the first ties, and nulls come first ascending, last descending', () => {
    const keys: Sort[] = [
      { field: 'venue', direction: 'asc' },
      { field: 'year', direction: 'desc' },
    ]
    const ordered = ids(keys).map((id) => rows.find((r) => r.id === id)!)
    // "neurips" and "NeurIPS" are one venue to the sort: years run down across both.
    const neurips = ordered.filter((r) => r.venue?.toLowerCase() === 'neurips')
    expect(new Set(neurips.map((r) => r.venue))).toEqual(new Set(['neurips', 'NeurIPS']))
    const years = neurips.map((r) => r.year ?? -Infinity)
    expect(years).toEqual([...years].sort((x, y) => y - x))
    expect(neurips.at(-1)!.year).toBeNull()
    // No venue sorts first ascending.
    expect(ordered[0]!.venue).toBeNull()
    const flipped = ids([
      { field: 'venue', direction: 'desc' },
      { field: 'year', direction: 'asc' },
    ]).map((id) => rows.find((r) => r.id === id)!)
    expect(flipped.at(-1)!.venue).toBeNull()
    const firstVenue = flipped.filter((r) => r.venue === flipped[0]!.venue)
    expect(firstVenue[0]!.year).toBeNull()
  })

  it('pages, every id, and whole papers keep the same order', () => {
    const keys: Sort[] = [
      { field: 'status', direction: 'asc' },
      { field: 'year', direction: 'desc' },
      { field: 'authors', direction: 'asc' },
    ]
    const expected = jsOrder(rows, keys)
    const paged = [0, 25, 50].flatMap((offset) => ids(keys, offset, 25))
    expect(paged).toEqual(expected)
    expect(lib.paperIds({ sort: keys[0]!, thenBy: keys.slice(1) })).toEqual(expected)
    expect(
      lib
        .listFullPapers({ sort: keys[0]!, thenBy: keys.slice(1), offset: 0, limit: -1 })
        .map((p) => p.id),
    ).toEqual(expected)
    // With a filter too.
    const starred = lib.paperIds({ sort: keys[0]!, thenBy: keys.slice(1), starred: true })
    expect(starred).toEqual(expected.filter((id) => rows.find((r) => r.id === id)!.starred))
  })

  it('a sort by relevance takes no further keys: score, then newest first', () => {
    const plain = lib.paperIds({
      sort: { field: 'relevance', direction: 'desc' },
      search: 'things',
    })
    expect(plain.length).toBeGreaterThan(10)
    const withKeys = lib.paperIds({
      sort: { field: 'relevance', direction: 'desc' },
      thenBy: [{ field: 'title', direction: 'asc' }],
      search: 'things',
    })
    expect(withKeys).toEqual(plain)
    // Without a search to rank by, relevance is newest first, and still takes none.
    expect(
      ids([
        { field: 'relevance', direction: 'desc' },
        { field: 'title', direction: 'asc' },
      ]),
    ).toEqual(ids([{ field: 'relevance', direction: 'desc' }]))
    expect(
      orderBy({ field: 'relevance', direction: 'desc' }, [{ field: 'title', direction: 'asc' }]),
    ).toBe(orderBy({ field: 'relevance', direction: 'desc' }))
  })

  it('a search sorted by columns takes the further keys', () => {
    const keys: Sort[] = [
      { field: 'year', direction: 'asc' },
      { field: 'title', direction: 'desc' },
    ]
    const found = lib.listPapers({
      sort: keys[0]!,
      thenBy: keys.slice(1),
      search: 'things',
      offset: 0,
      limit: 500,
    })
    expect(found.rows.map((r) => r.id)).toEqual(
      jsOrder(
        rows.filter((r) => found.rows.some((f) => f.id === r.id)),
        keys,
      ),
    )
  })

  it('a filtered page is in the same order whether the kept papers are sorted or the sort index is walked', () => {
    const filters: { query: Partial<PaperQuery>; keeps: (r: PaperRow) => boolean }[] = [
      // Most papers: the sort's index is walked for a first page.
      { query: { search: 'things' }, keeps: () => true },
      { query: { search: '-is:starred' }, keeps: (r) => !r.starred },
      { query: { search: 'year:2019..2021' }, keeps: (r) => r.year !== null && r.year <= 2021 },
      // Few: SQLite sorts them.
      { query: { search: 'is:starred year:2023' }, keeps: (r) => r.starred && r.year === 2023 },
    ]
    let walked = 0
    let sorted = 0
    for (const { query, keeps } of filters) {
      const kept = rows.filter(keeps)
      eachSortAndPage((sort, offset, limit) => {
        const page = { papers: kept.length, library: rows.length }
        if (walksTheSortIndex(page, { offset, limit })) walked += 1
        else sorted += 1
        const got = lib.listPapers({ ...query, sort, offset, limit }).rows.map((r) => r.id)
        expect(got, `${JSON.stringify(query)} ${sort.field} ${sort.direction} ${offset}`).toEqual(
          jsOrder(kept, [sort]).slice(offset, offset + limit),
        )
      })
    }
    expect(walked).toBeGreaterThan(0)
    expect(sorted).toBeGreaterThan(0)
  })

  it("a search's page in a column's order: its ranking's papers, whether walked or sorted, ranked before or not", () => {
    const db = (lib as unknown as { db: Db }).db
    // The same page from SQLite's own reading of the index (no ranking kept, see queries.ts).
    const fromSqlite = (options: Parameters<Library['listPapers']>[0]): number[] =>
      listPapers(db, options).rows.map((r) => r.id)
    const { asked } = statementsDuring(db, () => {
      const searches: { query: Partial<PaperQuery>; keeps: (r: PaperRow) => boolean }[] = [
        // Many: the sort's index is walked for a first page.
        { query: { search: 'turing' }, keeps: (r) => /turing/i.test(r.authors.join()) },
        {
          query: { search: 'lovelace OR hopper' },
          keeps: (r) => /lovelace|hopper/i.test(r.authors.join()),
        },
        {
          query: { search: 'things -author:turing' },
          keeps: (r) => !/turing/i.test(r.authors.join()),
        },
        // Few, with the view's filters and the search's own: SQLite sorts them.
        {
          query: { search: 'turing is:starred' },
          keeps: (r) => /turing/i.test(r.authors.join()) && r.starred,
        },
        {
          query: { search: 'things', status: 'read' },
          keeps: (r) => r.status === 'read',
        },
      ]
      for (const { query, keeps } of searches) {
        const kept = rows.filter(keeps)
        expect(kept.length, JSON.stringify(query)).toBeGreaterThan(0)
        eachSortAndPage((sort, offset, limit) => {
          const options = { ...query, sort, offset, limit }
          const want = jsOrder(kept, [sort]).slice(offset, offset + limit)
          const label = `${JSON.stringify(query)} ${sort.field} ${sort.direction} ${offset}`
          // Before any ranking of the search is kept, then after one (the relevance order).
          lib.listPapers({ search: 'nothing at all', sort, offset: 0, limit: 1 })
          const page = lib.listPapers(options)
          expect(
            page.rows.map((r) => r.id),
            label,
          ).toEqual(want)
          expect(page.total, label).toBe(kept.length)
          const relevance = { field: 'relevance', direction: sort.direction } as const
          lib.listPapers({ ...query, sort: relevance, offset, limit })
          expect(
            lib.listPapers(options).rows.map((r) => r.id),
            label,
          ).toEqual(want)
          expect(fromSqlite(options), label).toEqual(want)
        })
        // Two keys: the ranking's papers, sorted by SQLite.
        const keys: Sort[] = [
          { field: 'year', direction: 'desc' },
          { field: 'title', direction: 'asc' },
        ]
        expect(
          lib
            .listPapers({ ...query, sort: keys[0]!, thenBy: keys.slice(1), offset: 0, limit: 500 })
            .rows.map((r) => r.id),
        ).toEqual(jsOrder(kept, keys))
      }
    })
    // Run, not only planned (sortsThem asks for the walk's plan first).
    const ran = asked.filter((sql) => !sql.startsWith('EXPLAIN'))
    expect(ran.some((sql) => sql.includes('lectern_kept(id)'))).toBe(true)
    expect(ran.some((sql) => sql.includes('json_each'))).toBe(true)
  })

  it('walks the sort index only where SQLite would sort: has:note newest first has its own index', () => {
    const db = (lib as unknown as { db: { all: (sql: string, params?: unknown[]) => unknown[] } })
      .db
    const all = db.all.bind(db)
    const asked: string[] = []
    db.all = (sql, params) => {
      asked.push(sql)
      return all(sql, params)
    }
    try {
      const noted = rows.filter((_, i) => i % 5 !== 0)
      for (const r of noted) lib.setNote(r.id, 'a note')
      const newest = { field: 'addedAt', direction: 'desc' } as const
      const page = (search: string, sort: Sort = newest): number[] =>
        lib.listPapers({ search, sort, offset: 0, limit: 5 }).rows.map((r) => r.id)
      const walked = (): boolean => asked.some((sql) => /INDEXED BY/.test(sql))
      asked.length = 0
      expect(page('has:note')).toEqual(jsOrder(noted, [newest]).slice(0, 5))
      expect(walked()).toBe(false)
      asked.length = 0
      // A year range SQLite would read by year, then sort: walked.
      const years = rows.filter((r) => r.year !== null && r.year >= 2019 && r.year <= 2023)
      expect(page('year:2019..2023')).toEqual(jsOrder(years, [newest]).slice(0, 5))
      expect(walked()).toBe(true)
    } finally {
      db.all = all
      for (const r of rows) lib.setNote(r.id, '')
    }
  })

  it('every sort walks an index of the library that begins with its column', () => {
    const db = (lib as unknown as { db: { all<T>(sql: string): T[] } }).db
    for (const field of SORT_FIELDS) {
      const { index, sql } = SORT_COLUMNS[field]
      const columns = db.all<{ name: string }>(`PRAGMA index_info(${index})`).map((c) => c.name)
      expect(columns[0], `${field}: ${index}`).toBe(sql.split(' ')[0])
    }
  })

  it('one key is the order it always was', () => {
    expect(orderBy({ field: 'year', direction: 'desc' })).toBe('year DESC, id ASC')
    expect(orderBy({ field: 'title', direction: 'asc' }, [])).toBe(
      'title COLLATE NOCASE ASC, id ASC',
    )
    expect(
      orderBy({ field: 'year', direction: 'desc' }, [
        { field: 'title', direction: 'asc' },
        { field: 'status', direction: 'desc' },
      ]),
    ).toBe('year DESC, title COLLATE NOCASE ASC, status DESC, id ASC')
  })
})

describe("the contract's checks of the sort keys", () => {
  const query = { sort: { field: 'year', direction: 'desc' }, status: null }
  const page = { offset: 0, limit: 10 }
  const refusal = (method: 'listPapers' | 'paperIds' | 'exportPapers', request: object) => {
    const r = validate(method, request)
    return r.ok ? null : r.error.message
  }

  it('accepts up to two further keys', () => {
    expect(refusal('listPapers', { ...query, ...page, thenBy: [] })).toBeNull()
    expect(
      refusal('listPapers', {
        ...query,
        ...page,
        thenBy: [
          { field: 'title', direction: 'asc' },
          { field: 'status', direction: 'desc' },
        ],
      }),
    ).toBeNull()
    expect(
      refusal('paperIds', { ...query, thenBy: [{ field: 'venue', direction: 'asc' }] }),
    ).toBeNull()
  })

  it('refuses more than three keys, a field twice, relevance with others, and bad keys', () => {
    const cases: [object, string][] = [
      [
        {
          thenBy: [
            { field: 'title', direction: 'asc' },
            { field: 'status', direction: 'asc' },
            { field: 'venue', direction: 'asc' },
          ],
        },
        'listPapers: thenBy: at most 2 further sort keys (3 in all)',
      ],
      [
        { thenBy: [{ field: 'year', direction: 'asc' }] },
        'listPapers: thenBy: "year" is named twice: each field sorts once',
      ],
      [
        {
          thenBy: [
            { field: 'title', direction: 'asc' },
            { field: 'title', direction: 'desc' },
          ],
        },
        'listPapers: thenBy: "title" is named twice: each field sorts once',
      ],
      [
        { thenBy: [{ field: 'relevance', direction: 'desc' }] },
        'listPapers: thenBy: relevance orders by score alone: it takes no other sort key',
      ],
      [
        {
          sort: { field: 'relevance', direction: 'desc' },
          search: 'x',
          thenBy: [{ field: 'title', direction: 'asc' }],
        },
        'listPapers: thenBy: relevance orders by score alone: it takes no other sort key',
      ],
      [
        { thenBy: [{ field: 'colour', direction: 'asc' }] },
        `listPapers: thenBy.0.field: expected one of ${SORT_FIELDS.join(', ')}`,
      ],
      [
        { thenBy: [{ field: 'title', direction: 'up' }] },
        'listPapers: thenBy.0.direction: expected asc or desc',
      ],
      [
        { thenBy: 'title' },
        'listPapers: thenBy: expected a list of sorts ({"field": …, "direction": …})',
      ],
    ]
    for (const [change, message] of cases) {
      expect(refusal('listPapers', { ...query, ...page, ...change })).toBe(message)
    }
    expect(refusal('paperIds', { ...query, thenBy: [{ field: 'year', direction: 'asc' }] })).toBe(
      'paperIds: thenBy: "year" is named twice: each field sorts once',
    )
  })

  it('an export without a sort checks its keys against the default sort (newest first)', () => {
    expect(
      refusal('exportPapers', { format: 'csv', thenBy: [{ field: 'addedAt', direction: 'asc' }] }),
    ).toBe('exportPapers: thenBy: "addedAt" is named twice: each field sorts once')
    expect(
      refusal('exportPapers', { format: 'csv', thenBy: [{ field: 'title', direction: 'asc' }] }),
    ).toBeNull()
  })

  it('says the same as the command line does of the keys together', () => {
    expect(sortKeysProblem([{ field: 'title', direction: 'asc' }])).toBeNull()
    expect(sortKeysProblem([{ field: 'relevance', direction: 'desc' }])).toBeNull()
    expect(
      sortKeysProblem(
        ['title', 'year', 'venue', 'doi'].map((field) => ({ field, direction: 'asc' }) as Sort),
      ),
    ).toBe('at most 3 sort keys (the sort and 2 more)')
  })
})

describe('lectern list --sort with several keys', () => {
  let library: string
  let rows: PaperRow[]

  beforeAll(async () => {
    library = join(dir, 'lib.sqlite')
    writeFileSync(join(dir, 'refs.bib'), bibtex(30))
    expect((await lectern('--library', library, 'import', join(dir, 'refs.bib'))).code).toBe(0)
    rows = JSON.parse((await lectern('--library', library, 'list', '--json')).out) as PaperRow[]
  })

  const listed = async (sort: string): Promise<number[]> => {
    const r = await lectern('--library', library, 'list', '--sort', sort, '--json')
    expect(r.err).toBe('')
    expect(r.code).toBe(0)
    return (JSON.parse(r.out) as PaperRow[]).map((p) => p.id)
  }

  it('sorts by each key in turn, the direction asc unless said', async () => {
    expect(await listed('year:desc,title')).toEqual(
      jsOrder(rows, [
        { field: 'year', direction: 'desc' },
        { field: 'title', direction: 'asc' },
      ]),
    )
    expect(await listed('venue, authors:desc ,year')).toEqual(
      jsOrder(rows, [
        { field: 'venue', direction: 'asc' },
        { field: 'authors', direction: 'desc' },
        { field: 'year', direction: 'asc' },
      ]),
    )
  })

  it('keeps the single form', async () => {
    expect(await listed('title:desc')).toEqual(
      jsOrder(rows, [{ field: 'title', direction: 'desc' }]),
    )
    expect(await listed('year')).toEqual(jsOrder(rows, [{ field: 'year', direction: 'asc' }]))
  })

  it('the table rows (without --json) come in the same order', async () => {
    const r = await lectern('--library', library, 'list', '--sort', 'venue:desc,year:desc')
    expect(r.code).toBe(0)
    const expected = jsOrder(rows, [
      { field: 'venue', direction: 'desc' },
      { field: 'year', direction: 'desc' },
    ]).map((id) => rows.find((p) => p.id === id)!.title)
    const lines = r.out.trim().split('\n')
    expect(lines).toHaveLength(expected.length)
    lines.forEach((line, i) => expect(line).toContain(expected[i]))
  })

  it('refuses a bad key with a usage error naming --sort', async () => {
    const cases: [string, string][] = [
      ['year:up', '--sort: "year:up": the direction is asc or desc'],
      ['year:desc:asc', '--sort: "year:desc:asc": the direction is asc or desc'],
      [
        'colour,title',
        `--sort: "colour" is not a field to sort by; expected one of ${SORT_FIELDS.join(', ')}`,
      ],
      ['year,colour', '--sort: "colour" is not a field to sort by'],
      ['title,year:desc,title', '--sort: "title" is named twice: each field sorts once'],
      ['title,year,venue,doi', '--sort: at most 3 sort keys (the sort and 2 more)'],
      ['relevance,title', '--sort: relevance orders by score alone: it takes no other sort key'],
      ['title,relevance', '--sort: relevance orders by score alone: it takes no other sort key'],
      ['title,', '--sort: an empty key in "title,"'],
    ]
    for (const [sort, message] of cases) {
      const r = await lectern('--library', library, 'list', '--sort', sort)
      expect(r.code, sort).toBe(2)
      expect(r.out, sort).toBe('')
      expect(r.err, sort).toContain(message)
      expect(r.err, sort).toContain('Usage: lectern')
    }
  })

  it('an export through the API keeps the further keys', async () => {
    const request = {
      format: 'json',
      sort: { field: 'year', direction: 'asc' },
      thenBy: [{ field: 'venue', direction: 'desc' }],
    }
    const r = await lectern('--library', library, 'api', 'exportPapers', JSON.stringify(request))
    expect(r.code).toBe(0)
    const exported = JSON.parse(JSON.parse(r.out).text) as { papers: PaperRow[] }
    expect(exported.papers.map((p) => p.id)).toEqual(
      jsOrder(rows, [
        { field: 'year', direction: 'asc' },
        { field: 'venue', direction: 'desc' },
      ]),
    )
  })
})

describe("the table's sort keys (the renderer)", () => {
  const base: PaperQuery = { sort: { field: 'addedAt', direction: 'desc' }, status: null }
  const click = (q: PaperQuery, field: SortField, add = false): PaperQuery =>
    withSortClick(q, field, field === 'year' ? 'desc' : 'asc', add)
  const said = (q: PaperQuery): string =>
    sortKeys(q)
      .map((k) => `${k.field}:${k.direction}`)
      .join(',')

  it('a click sorts by one column, again reverses it; Shift adds, reverses, and keeps three', () => {
    let q = click(base, 'year')
    expect(said(q)).toBe('year:desc')
    expect(q).not.toHaveProperty('thenBy')
    q = click(q, 'title', true)
    expect(said(q)).toBe('year:desc,title:asc')
    q = click(q, 'title', true)
    expect(said(q)).toBe('year:desc,title:desc')
    q = click(q, 'year', true)
    expect(said(q)).toBe('year:asc,title:desc')
    q = click(q, 'venue', true)
    expect(said(q)).toBe('year:asc,title:desc,venue:asc')
    // A fourth takes the third's place.
    q = click(q, 'status', true)
    expect(said(q)).toBe('year:asc,title:desc,status:asc')
    // A plain click: that column alone (reversed when it was first).
    expect(said(click(q, 'title'))).toBe('title:asc')
    expect(said(click(q, 'year'))).toBe('year:desc')
    expect(click(q, 'year')).not.toHaveProperty('thenBy')
    // The rest of the query is left as it was.
    expect(click({ ...q, status: 'read', tag: 'ml' }, 'doi', true)).toMatchObject({
      status: 'read',
      tag: 'ml',
    })
  })

  it('while ranked by relevance, Shift+click sorts by the column alone', () => {
    const ranked: PaperQuery = {
      ...base,
      sort: { field: 'relevance', direction: 'desc' },
      search: 'x',
    }
    expect(sortKeys(ranked)).toEqual([])
    expect(said(click(ranked, 'title', true))).toBe('title:asc')
  })

  it('every query it makes is one the contract accepts', () => {
    const next = random(3)
    let q = base
    for (let n = 0; n < 300; n += 1) {
      q = click(q, COLUMNS[Math.floor(next() * COLUMNS.length)]!, next() < 0.7)
      expect(validate('paperIds', q)).toMatchObject({ ok: true })
    }
  })

  it('keeps of stored or left-over keys only those the contract accepts', () => {
    const year: Sort = { field: 'year', direction: 'desc' }
    expect(
      validThenBy(year, [
        { field: 'year', direction: 'asc' },
        { field: 'relevance', direction: 'asc' },
        { field: 'title', direction: 'up' },
        'venue',
        { field: 'colour', direction: 'asc' },
        { field: 'venue', direction: 'asc', extra: 1 },
        { field: 'venue', direction: 'desc' },
        { field: 'doi', direction: 'desc' },
        { field: 'status', direction: 'asc' },
      ]),
    ).toEqual([
      { field: 'venue', direction: 'asc' },
      { field: 'doi', direction: 'desc' },
    ])
    expect(validThenBy(year, 'title')).toBeUndefined()
    expect(validThenBy(year, [])).toBeUndefined()
    expect(validThenBy({ field: 'relevance', direction: 'desc' }, [year])).toBeUndefined()
    // A query already right is the same query (so nothing is fetched again).
    const q: PaperQuery = { ...base, thenBy: [{ field: 'title', direction: 'asc' }] }
    expect(withValidSort(q)).toBe(q)
    expect(withValidSort(base)).toBe(base)
    // Searching sorts by relevance: the further keys go. Back to a column that was one: it goes.
    expect(
      withValidSort({ ...q, sort: { field: 'relevance', direction: 'desc' } }),
    ).not.toHaveProperty('thenBy')
    expect(withValidSort({ ...q, sort: { field: 'title', direction: 'desc' } })).not.toHaveProperty(
      'thenBy',
    )
  })
})
