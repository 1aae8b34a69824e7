import { existsSync, readFileSync, writeFileSync, appendFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Library } from '../../electron/core/store/library'
import { LibraryError } from '../../electron/core/errors'
import { Db, loadEngine, pageCacheKib } from '../../electron/core/db/database'
import { LATEST_VERSION, migrate } from '../../electron/core/db/migrations'
import { orderBy } from '../../electron/core/db/queries'
import { writeSnapshot } from '../../electron/core/store/files'
import { SORT_FIELDS } from '../../shared/domain'
import { SAMPLE, tempDir } from '../helpers/fixtures'
import { openTempLibrary } from '../helpers/library'

const byTitle = { field: 'title', direction: 'asc' } as const

describe('library', () => {
  it('imports the reference dump: 95 papers, dated Aug 19', async () => {
    const { lib } = await openTempLibrary()
    const summary = lib.importText('/some/where/daily-papers-aug-19.txt', SAMPLE)
    expect(summary).toMatchObject({
      source: 'daily-papers-aug-19.txt',
      added: 95,
      duplicates: 0,
      skipped: 0,
      warnings: [],
      dumpDates: ['2026-08-19'],
    })
    const page = lib.listPapers({ sort: byTitle, offset: 0, limit: 500 })
    expect(page.total).toBe(95)
    expect(page.rows.every((r) => r.status === 'new' && r.dumpDate === '2026-08-19')).toBe(true)
    lib.close()
  })

  it('recognises a re-imported dump and leaves notes and statuses alone', async () => {
    const { lib } = await openTempLibrary()
    lib.importText('a.txt', SAMPLE)
    const [first] = lib.listPapers({ sort: byTitle, offset: 0, limit: 1 }).rows
    lib.setStatus(first!.id, 'reading')
    lib.setNote(first!.id, 'my thoughts')
    const again = lib.importText('a.txt', SAMPLE.replace(/\n/g, '\r\n'))
    expect(again).toMatchObject({ added: 0, duplicates: 95, updated: 0 })
    expect(lib.stats().total).toBe(95)
    const paper = lib.getPaper(first!.id)
    expect(paper.status).toBe('reading')
    expect(paper.note).toBe('my thoughts')
    lib.close()
  })

  it('counts a paper repeated within one dump once, and fills a missing abstract', async () => {
    const { lib } = await openTempLibrary()
    lib.importText(
      'one.txt',
      'Aug 19\n\nOnly A Title\n\nSecond Title\n\nWe do things. They work well.',
    )
    const s = lib.importText(
      'two.txt',
      'Aug 20\n\nOnly a title\n\nNow it has an abstract. It is a good one.\n\nSecond Title\n\nWe do things. They work well.',
    )
    expect(s).toMatchObject({ added: 0, duplicates: 2, updated: 1 })
    const rows = lib.listPapers({ sort: byTitle, offset: 0, limit: 10 }).rows
    expect(lib.getPaper(rows[0]!.id).abstract).toBe('Now it has an abstract. It is a good one.')
    lib.close()
  })

  it('keeps everything across close and reopen', async () => {
    const { lib, path } = await openTempLibrary()
    lib.importText('a.txt', SAMPLE)
    const id = lib.listPapers({ sort: byTitle, offset: 0, limit: 1 }).rows[0]!.id
    lib.setStatus(id, 'read')
    lib.setNote(id, '# Heading\n\nSome *markdown*')
    lib.close()
    const again = await Library.open(path)
    expect(again.getPaper(id)).toMatchObject({
      status: 'read',
      note: '# Heading\n\nSome *markdown*',
    })
    expect(again.stats().total).toBe(95)
    again.close()
  })

  it('replays the journal when the process died before writing a snapshot', async () => {
    const { lib, path } = await openTempLibrary()
    lib.importText('a.txt', SAMPLE)
    const id = lib.listPapers({ sort: byTitle, offset: 0, limit: 1 }).rows[0]!.id
    lib.setNote(id, 'saved before the crash')
    // Simulate a crash: the snapshot on disk is the empty library, the journal holds the rest.
    const snapshot = readFileSync(path)
    const sum = readFileSync(`${path}.sum`)
    const journal = readFileSync(`${path}.journal`)
    expect(journal.length).toBeGreaterThan(0)
    lib.close()
    writeFileSync(path, snapshot)
    writeFileSync(`${path}.sum`, sum)
    writeFileSync(`${path}.journal`, journal)
    // a torn record at the end (a write cut short) is dropped, not applied
    appendFileSync(`${path}.journal`, Buffer.from([200, 0, 0, 0, 1, 2]))
    const again = await Library.open(path)
    expect(again.stats().total).toBe(95)
    expect(again.getPaper(id).note).toBe('saved before the crash')
    expect(statSync(`${path}.journal`).size).toBe(journal.length)
    again.close()
  })

  it('drops a last record whose first sector was lost while later ones landed (a power cut)', async () => {
    const { lib, path } = await openTempLibrary()
    lib.importText('a.txt', SAMPLE)
    lib.setNote(1, 'kept')
    const snapshot = readFileSync(path)
    const sum = readFileSync(`${path}.sum`)
    const acknowledged = readFileSync(`${path}.journal`)
    lib.setNote(1, 'lost with the power '.repeat(200))
    const whole = readFileSync(`${path}.journal`)
    lib.close()
    // A disk may write an unsynced record's sectors in any order: its header (in its first
    // sector) reads as zeros, its end as it was written. Nothing valid follows it.
    const torn = Buffer.from(whole)
    torn.fill(0, acknowledged.length, acknowledged.length + 512)
    writeFileSync(path, snapshot)
    writeFileSync(`${path}.sum`, sum)
    writeFileSync(`${path}.journal`, torn)
    const again = await Library.open(path)
    expect(again.getPaper(1).note).toBe('kept')
    expect(statSync(`${path}.journal`).size).toBe(acknowledged.length)
    again.close()
  })

  it('a save costs a journal append, not a rewrite of the library file', async () => {
    const { lib, path } = await openTempLibrary()
    lib.importText('a.txt', SAMPLE)
    lib.checkpoint()
    const before = statSync(path).mtimeMs
    const id = lib.listPapers({ sort: byTitle, offset: 0, limit: 1 }).rows[0]!.id
    lib.setNote(id, 'x')
    expect(statSync(path).mtimeMs).toBe(before)
    expect(statSync(`${path}.journal`).size).toBeGreaterThan(0)
    lib.close()
  })

  it('refuses a damaged journal record in the middle instead of skipping it', async () => {
    const { lib, path } = await openTempLibrary()
    lib.importText('a.txt', SAMPLE)
    lib.setNote(1, 'one')
    const journal = readFileSync(`${path}.journal`)
    lib.close()
    // Reconstruct the crash state with a flipped bit in the first record.
    const { lib: fresh, path: p2 } = await openTempLibrary()
    fresh.close()
    journal[20] = journal[20]! ^ 0xff
    writeFileSync(`${p2}.journal`, journal)
    await expect(Library.open(p2)).rejects.toThrow(/journal .* is damaged/)
  })

  it('rolls back an import that fails half way', async () => {
    const { lib } = await openTempLibrary()
    lib.importText('a.txt', SAMPLE)
    expect(() => lib.importText('bad.txt', '[{"title": "Nope",\n')).toThrow(
      /bad.txt, line \d+: .*not valid JSON/,
    )
    expect(() => lib.importText('empty.txt', '')).toThrow(/empty.txt: the file is empty/)
    expect(lib.stats()).toMatchObject({ total: 95, imports: 1 })
    lib.close()
  })

  it('refuses a file that is not a library, and leaves it untouched', async () => {
    const path = join(tempDir(), 'library.sqlite')
    writeFileSync(path, 'these are my notes, not a database')
    await expect(Library.open(path)).rejects.toThrow(/is not an SQLite database/)
    expect(readFileSync(path, 'utf8')).toBe('these are my notes, not a database')
    expect(existsSync(`${path}.lock`)).toBe(false)
  })

  it('refuses a library written by a newer version', async () => {
    const { lib, path } = await openTempLibrary()
    lib.close()
    const SQL = await loadEngine()
    const db = new Db(new SQL.Database(readFileSync(path)))
    db.run(`PRAGMA user_version = ${LATEST_VERSION + 1}`)
    writeSnapshot(path, db.export())
    await expect(Library.open(path)).rejects.toThrow(/newer version of Lectern/)
  })

  it('lets one writer at a time hold a library', async () => {
    const { lib, path } = await openTempLibrary()
    await expect(Library.open(path, { owner: 'second' })).rejects.toThrow(LibraryError)
    await expect(Library.open(path)).rejects.toThrow(/in use by Lectern/)
    const reader = await Library.open(path, { readOnly: true })
    expect(reader.stats().total).toBe(0)
    reader.close()
    lib.close()
    const next = await Library.open(path)
    next.close()
  })

  it('pages through rows in SQL order, both directions', async () => {
    const { lib } = await openTempLibrary()
    lib.importText('a.txt', SAMPLE)
    const all = lib.listPapers({ sort: byTitle, offset: 0, limit: 500 }).rows.map((r) => r.title)
    const sorted = [...all].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase(), 'en'))
    expect(all[0]!.toLowerCase() <= all[94]!.toLowerCase()).toBe(true)
    expect(all.length).toBe(sorted.length)
    const desc = lib.listPapers({
      sort: { field: 'title', direction: 'desc' },
      offset: 0,
      limit: 500,
    })
    expect(desc.rows.map((r) => r.title)).toEqual([...all].reverse())
    const page = lib.listPapers({ sort: byTitle, offset: 10, limit: 5 })
    expect(page.rows.map((r) => r.title)).toEqual(all.slice(10, 15))
    // Newest first keeps the dump's own order within a date.
    const newest = lib.listPapers({
      sort: { field: 'addedAt', direction: 'desc' },
      offset: 0,
      limit: 3,
    })
    expect(newest.rows[0]!.title).toBe('Thyme: Think Beyond Images')
    lib.setStatus(newest.rows[1]!.id, 'read')
    expect(lib.listPapers({ sort: byTitle, offset: 0, limit: 5, status: 'read' }).total).toBe(1)
    lib.close()
  })

  it('serves every sort from an index, with no sorting step', async () => {
    const SQL = await loadEngine()
    const db = new Db(new SQL.Database())
    migrate(db)
    for (const field of SORT_FIELDS) {
      for (const direction of ['asc', 'desc'] as const) {
        const plan = db
          .all<{ detail: string }>(
            `EXPLAIN QUERY PLAN SELECT id FROM papers ORDER BY ${orderBy({ field, direction })} LIMIT 50`,
          )
          .map((r) => r.detail)
          .join('; ')
        expect(plan, `${field} ${direction}`).toMatch(/USING (COVERING )?INDEX/)
        expect(plan, `${field} ${direction}`).not.toMatch(/TEMP B-TREE/)
      }
    }
    db.close()
  })

  it("keeps a thirty-second of the database in SQLite's page cache, 2 to 16 MiB, after an export too (sql.js forgets pragmas there)", async () => {
    expect(pageCacheKib(0)).toBe(2 * 1024)
    expect(pageCacheKib(300 * 2 ** 20)).toBe(Math.round((300 * 1024) / 32))
    expect(pageCacheKib(3 * 2 ** 30)).toBe(16 * 1024)
    const SQL = await loadEngine()
    const db = new Db(new SQL.Database())
    migrate(db)
    const cacheKib = (): number => -Number(db.value('PRAGMA cache_size'))
    expect(cacheKib()).toBe(2 * 1024)
    // 100 MB more: sized again at the next export.
    db.run('CREATE TABLE filler (x BLOB)')
    for (let i = 0; i < 100; i += 1) db.run('INSERT INTO filler VALUES (zeroblob(1048576))')
    expect(cacheKib()).toBe(2 * 1024)
    db.export()
    const bytes = Number(db.value('PRAGMA page_count')) * Number(db.value('PRAGMA page_size'))
    expect(cacheKib()).toBe(pageCacheKib(bytes))
    expect(cacheKib()).toBeGreaterThan(3 * 1024)
    db.close()
  })

  it('stores notes exactly as it reports them saved (BOM, half an emoji)', async () => {
    const { lib, path } = await openTempLibrary()
    lib.importText('a.txt', SAMPLE)
    expect(lib.setNote(1, '\uFEFFhello').note).toBe('hello')
    expect(lib.setNote(1, 'half an emoji \uD83D and a whole one \uD83D\uDE00').note).toBe(
      'half an emoji \uFFFD and a whole one \uD83D\uDE00',
    )
    lib.close()
    const again = await Library.open(path)
    expect(again.getPaper(1).note).toBe('half an emoji \uFFFD and a whole one \uD83D\uDE00')
    again.close()
  })

  it('reports an unknown paper', async () => {
    const { lib } = await openTempLibrary()
    expect(() => lib.getPaper(42)).toThrow(/no paper with id 42/)
    expect(() => lib.setNote(42, 'x')).toThrow(/no paper with id 42/)
    lib.close()
  })
})
