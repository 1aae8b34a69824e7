// Each migration, from the version before it, on fixture rows.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Db, loadEngine } from '../../electron/core/db/database'
import {
  LATEST_VERSION,
  MIGRATIONS,
  migrate,
  schemaVersion,
} from '../../electron/core/db/migrations'
import { compileSearch } from '../../electron/core/db/search'
import { writeSnapshot } from '../../electron/core/store/files'
import { Library } from '../../electron/core/store/library'
import { tempDir } from '../helpers/fixtures'

async function databaseAt(version: number): Promise<Db> {
  const SQL = await loadEngine()
  const db = new Db(new SQL.Database())
  migrate(db, MIGRATIONS.slice(0, version))
  expect(schemaVersion(db)).toBe(version)
  return db
}

function insertV1Papers(db: Db): void {
  db.run(
    `INSERT INTO imports (id, source, format, imported_at, added, duplicates, updated, skipped, warnings)
     VALUES (1, 'a.txt', 'daily-papers', '2026-08-19T10:00:00.000Z', 3, 0, 0, 0, '[]')`,
  )
  const papers: [number, string, number, string | null][] = [
    [1, 'Untouched Paper', 0, null],
    [2, 'Queued Paper', 1, '2026-08-20T09:00:00.000Z'],
    [3, 'Finished Paper', 3, '2026-08-21T18:30:00.000Z'],
  ]
  for (const [id, title, status, changed] of papers) {
    db.run(
      `INSERT INTO papers (id, title, title_key, abstract, status, note, added_at, status_changed_at, import_id)
       VALUES (?, ?, ?, 'An abstract.', ?, 'a note', '2026-08-19T10:00:00.000Z', ?, 1)`,
      [id, title, title.toLowerCase(), status, changed],
    )
  }
}

describe('migrations', () => {
  it('are numbered 1..N without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1))
    expect(LATEST_VERSION).toBe(MIGRATIONS.length)
    const shuffled = [MIGRATIONS[1]!, MIGRATIONS[0]!]
    return databaseAt(0).then((db) => expect(() => migrate(db, shuffled)).toThrow(/out of order/))
  })

  it('1: creates papers, imports and metadata with an index per sortable column', async () => {
    const db = await databaseAt(1)
    const indexes = db
      .all<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'index'`)
      .map((r) => r.name)
    expect(indexes).toEqual(
      expect.arrayContaining([
        'papers_by_title',
        'papers_by_status',
        'papers_by_dump_date',
        'papers_by_added',
      ]),
    )
    db.close()
  })

  it('1 → 2: status history starts from the last recorded change, keeping every row', async () => {
    const db = await databaseAt(1)
    insertV1Papers(db)
    expect(migrate(db, MIGRATIONS.slice(0, 2))).toBe(true)
    expect(schemaVersion(db)).toBe(2)
    expect(db.all('SELECT paper_id, status, at FROM status_history ORDER BY paper_id')).toEqual([
      { paper_id: 2, status: 1, at: '2026-08-20T09:00:00.000Z' },
      { paper_id: 3, status: 3, at: '2026-08-21T18:30:00.000Z' },
    ])
    expect(db.value('SELECT COUNT(*) FROM papers')).toBe(3)
    expect(db.value(`SELECT COUNT(*) FROM papers WHERE note = 'a note'`)).toBe(3)
    db.close()
  })

  it('2 → 3: every paper gets an empty author list; deletions start empty; rows are kept', async () => {
    const db = await databaseAt(2)
    insertV1Papers(db)
    db.run(
      `INSERT INTO status_history (paper_id, status, at) VALUES (2, 1, '2026-08-20T09:00:00.000Z')`,
    )
    expect(migrate(db, MIGRATIONS.slice(0, 3))).toBe(true)
    expect(schemaVersion(db)).toBe(3)
    expect(db.all('SELECT id, authors, note FROM papers ORDER BY id')).toEqual([
      { id: 1, authors: '[]', note: 'a note' },
      { id: 2, authors: '[]', note: 'a note' },
      { id: 3, authors: '[]', note: 'a note' },
    ])
    expect(db.value('SELECT COUNT(*) FROM status_history')).toBe(1)
    expect(db.value('SELECT COUNT(*) FROM deletions')).toBe(0)
    expect(db.value('SELECT COUNT(*) FROM deleted_papers')).toBe(0)
    const plan = db.all<{ detail: string }>(
      'EXPLAIN QUERY PLAN SELECT id FROM papers ORDER BY authors COLLATE NOCASE, id LIMIT 10',
    )
    expect(plan.map((p) => p.detail).join(' ')).toContain('papers_by_authors')
    db.close()
  })

  it('3 → 4: metadata columns, titles no longer unique, every paper remembers its import', async () => {
    const db = await databaseAt(3)
    insertV1Papers(db)
    expect(migrate(db, MIGRATIONS.slice(0, 4))).toBe(true)
    expect(schemaVersion(db)).toBe(4)
    expect(
      db.all('SELECT id, year, venue, keywords, urls, arxiv_version FROM papers WHERE id = 1'),
    ).toEqual([{ id: 1, year: null, venue: null, keywords: '[]', urls: '[]', arxiv_version: null }])
    expect(db.all('SELECT paper_id, import_id FROM paper_imports ORDER BY paper_id')).toEqual([
      { paper_id: 1, import_id: 1 },
      { paper_id: 2, import_id: 1 },
      { paper_id: 3, import_id: 1 },
    ])
    // Two papers may now share a title (told apart by DOI or arXiv id).
    db.run(
      `INSERT INTO papers (id, title, title_key, added_at, doi) VALUES (4, 'Untouched Paper', 'untouched paper', '2026-11-30', '10.1/x')`,
    )
    expect(db.value(`SELECT COUNT(*) FROM papers WHERE title_key = 'untouched paper'`)).toBe(2)
    expect(db.value(`SELECT COUNT(*) FROM papers WHERE note = 'a note'`)).toBe(3)
    db.close()
  })

  it('4 → 5: every import stands complete and not undone; fills start empty; rows are kept', async () => {
    const db = await databaseAt(4)
    insertV1Papers(db)
    expect(migrate(db, MIGRATIONS.slice(0, 5))).toBe(true)
    expect(db.all('SELECT id, complete, undone_at FROM imports')).toEqual([
      { id: 1, complete: 1, undone_at: null },
    ])
    expect(db.value('SELECT COUNT(*) FROM import_fills')).toBe(0)
    expect(db.value(`SELECT COUNT(*) FROM papers WHERE note = 'a note'`)).toBe(3)
    db.close()
  })

  it('5 → 6: the metadata columns get their indexes; rows are kept', async () => {
    const db = await databaseAt(5)
    insertV1Papers(db)
    expect(migrate(db, MIGRATIONS.slice(0, 6))).toBe(true)
    const indexes = db
      .all<{ name: string }>(
        `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'papers'`,
      )
      .map((r) => r.name)
    expect(indexes).toEqual(
      expect.arrayContaining([
        'papers_by_year',
        'papers_by_venue',
        'papers_by_arxiv_id',
        'papers_by_doi',
      ]),
    )
    expect(db.value(`SELECT COUNT(*) FROM papers WHERE note = 'a note'`)).toBe(3)
    db.close()
  })

  it('6 → 7: each import remembers the dump dates of the papers it added', async () => {
    const db = await databaseAt(6)
    insertV1Papers(db)
    db.run(`UPDATE papers SET dump_date = '2026-08-19' WHERE id IN (1, 2)`)
    db.run(`UPDATE papers SET dump_date = '2026-08-18' WHERE id = 3`)
    expect(migrate(db, MIGRATIONS.slice(0, 7))).toBe(true)
    expect(db.value('SELECT dump_dates FROM imports WHERE id = 1')).toBe(
      '["2026-08-18","2026-08-19"]',
    )
    expect(db.value(`SELECT COUNT(*) FROM papers WHERE note = 'a note'`)).toBe(3)
    db.close()
  })

  it('7 → 8: papers start unstarred and untagged, and every one is in the search index', async () => {
    const db = await databaseAt(7)
    insertV1Papers(db)
    expect(migrate(db, MIGRATIONS.slice(0, 8))).toBe(true)
    expect(db.value('SELECT COUNT(*) FROM papers WHERE starred = 0 AND tags = ?', ['[]'])).toBe(3)
    const found = (q: string) =>
      db
        .all<{ id: number }>(
          'SELECT docid AS id FROM papers_fts WHERE papers_fts MATCH ? ORDER BY docid',
          [q],
        )
        .map((r) => r.id)
    expect(found('finished')).toEqual([3])
    expect(found('abstract')).toEqual([1, 2, 3])
    expect(found('note:note')).toEqual([1, 2, 3])
    // The triggers keep it so from here on.
    db.run(`UPDATE papers SET title = 'Renamed Paper', tags = '["queued"]' WHERE id = 2`)
    expect(found('queued')).toEqual([2])
    expect(db.value(`SELECT paper_id FROM paper_tags WHERE tag = 'QUEUED'`)).toBe(2)
    db.run('DELETE FROM papers WHERE id = 2')
    expect(found('abstract')).toEqual([1, 3])
    expect(db.value('SELECT COUNT(*) FROM paper_tags')).toBe(0)
    db.close()
  })

  it('9 → 10: text with NULs or hit marks in it is repaired, and every word of it found', async () => {
    const db = await databaseAt(9)
    insertV1Papers(db)
    db.run(`UPDATE papers SET note = ?, abstract = ? WHERE id = 2`, [
      'from the PDF\u0000 ablation study',
      'An \u0002abstract\u0003 with marks.',
    ])
    const found = (q: string) =>
      db.all<{ id: number }>('SELECT docid AS id FROM papers_fts WHERE papers_fts MATCH ?', [q])
    expect(found('ablation')).toEqual([])
    expect(migrate(db, MIGRATIONS.slice(0, 10))).toBe(true)
    expect(db.get('SELECT note, abstract FROM papers WHERE id = 2')).toEqual({
      note: 'from the PDF ablation study',
      abstract: 'An abstract with marks.',
    })
    expect(found('ablation')).toEqual([{ id: 2 }])
    // The others, untouched.
    expect(db.value('SELECT note FROM papers WHERE id = 1')).toBe('a note')
    expect(found('note:note')).toEqual([{ id: 1 }, { id: 3 }])
    db.close()
  })

  it('10 → 11: sync tables, and changes are marked for sync only once the library has a device', async () => {
    const db = await databaseAt(10)
    insertV1Papers(db)
    expect(migrate(db, MIGRATIONS.slice(0, 11))).toBe(true)
    expect(db.value('SELECT COUNT(*) FROM papers')).toBe(3)
    expect(db.value('SELECT COUNT(*) FROM sync_dirty')).toBe(0)
    // Sync off: the triggers note nothing.
    db.run(`UPDATE papers SET note = 'changed' WHERE id = 1`)
    expect(db.value('SELECT COUNT(*) FROM sync_dirty')).toBe(0)
    // On: a change, an insertion and a deletion are each noted, once per paper.
    db.run(`INSERT INTO meta (key, value) VALUES ('sync_device', '00000000000000aa')`)
    db.run(`UPDATE papers SET status = 2 WHERE id = 1`)
    db.run(`UPDATE papers SET note = 'again' WHERE id = 1`)
    db.run('DELETE FROM papers WHERE id = 2')
    // A change of a column sync does not carry is not one.
    db.run(`UPDATE papers SET abstract = 'other' WHERE id = 3`)
    expect(db.all('SELECT paper_id FROM sync_dirty ORDER BY paper_id')).toEqual([
      { paper_id: 1 },
      { paper_id: 2 },
    ])
    db.close()
  })

  it('11 → 12: the papers with a note are found (and counted) from an index of them alone', async () => {
    const db = await databaseAt(11)
    insertV1Papers(db)
    db.run(`UPDATE papers SET note = '' WHERE id = 2`)
    expect(migrate(db, MIGRATIONS.slice(0, 12))).toBe(true)
    expect(db.value('SELECT COUNT(*) FROM papers')).toBe(3)
    const plan = (sql: string): string =>
      db
        .all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
        .map((r) => r.detail)
        .join(' | ')
    const search = compileSearch('has:note')
    const found = `FROM papers WHERE ${search.conditions.join(' AND ')}`
    expect(plan(`SELECT COUNT(*) ${found}`)).toMatch(/papers_with_note/)
    expect(plan(`SELECT id ${found} ORDER BY added_at DESC, id ASC LIMIT 100`)).toMatch(
      /papers_with_note/,
    )
    expect(db.numbers(`SELECT id ${found} ORDER BY added_at DESC, id ASC`)).toEqual([1, 3])
    // Kept as notes are written and emptied.
    db.run(`UPDATE papers SET note = 'now one' WHERE id = 2`)
    db.run(`UPDATE papers SET note = '' WHERE id = 1`)
    expect(db.numbers(`SELECT id ${found} ORDER BY id`)).toEqual([2, 3])
    db.close()
  })

  it('12 → 13: sync aliases, the other keys a paper is known by, found by paper', async () => {
    const db = await databaseAt(12)
    insertV1Papers(db)
    expect(migrate(db, MIGRATIONS.slice(0, 13))).toBe(true)
    expect(db.value('SELECT COUNT(*) FROM papers')).toBe(3)
    expect(db.value('SELECT COUNT(*) FROM sync_aliases')).toBe(0)
    db.run(`INSERT INTO sync_aliases (pkey, paper_id) VALUES ('doi:10.1/a', 1), ('t:a', 1)`)
    expect(() => db.run(`INSERT INTO sync_aliases (pkey, paper_id) VALUES ('t:a', 1)`)).toThrow()
    const plan = db
      .all<{ detail: string }>(
        'EXPLAIN QUERY PLAN SELECT pkey FROM sync_aliases WHERE paper_id = 1',
      )
      .map((r) => r.detail)
      .join(' | ')
    expect(plan).toMatch(/sync_aliases_by_paper/)
    // Migration 12's index is still there.
    expect(db.value(`SELECT COUNT(*) FROM sqlite_master WHERE name = 'papers_with_note'`)).toBe(1)
    db.close()
  })

  it('a version 1 library file opens, is migrated, and keeps its notes', async () => {
    const db = await databaseAt(1)
    insertV1Papers(db)
    const path = join(tempDir(), 'library.sqlite')
    writeSnapshot(path, db.export())
    db.close()
    const lib = await Library.open(path)
    expect(lib.getPaper(3)).toMatchObject({
      note: 'a note',
      status: 'read',
      statusHistory: [{ status: 'read', at: '2026-08-21T18:30:00.000Z' }],
    })
    lib.setStatus(3, 'reading')
    expect(lib.getPaper(3).statusHistory.map((h) => h.status)).toEqual(['read', 'reading'])
    lib.close()
    // The migrated library was written back as a new snapshot at the latest version.
    const SQL = await loadEngine()
    const reopened = new Db(new SQL.Database(readFileSync(path)))
    expect(schemaVersion(reopened)).toBe(LATEST_VERSION)
    reopened.close()
  })

  it('a failing migration leaves the database at its old version', async () => {
    const db = await databaseAt(1)
    insertV1Papers(db)
    const broken = [
      ...MIGRATIONS.slice(0, 1),
      {
        version: 2,
        description: 'broken',
        up: (d: Db) => d.run('CREATE TABLE status_history (x); SELECT nope FROM nowhere'),
      },
    ]
    expect(() => migrate(db, broken)).toThrow()
    expect(schemaVersion(db)).toBe(1)
    expect(db.value(`SELECT COUNT(*) FROM sqlite_master WHERE name = 'status_history'`)).toBe(0)
    db.close()
  })
})
