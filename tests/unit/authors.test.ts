// The authors field, end to end in the core: stored by an import, read back as a list, sorted,
// counted, filled in by a later import when missing, never changed when present. (The Daily
// Papers page lists no authors; the operations here are what an importer that reads them makes.)
import { describe, expect, it } from 'vitest'
import { Db, loadEngine } from '../../electron/core/db/database'
import { migrate } from '../../electron/core/db/migrations'
import { applyOperation } from '../../electron/core/db/mutations'
import type { Operation } from '../../electron/core/db/mutations'
import { getPaper, libraryStats, listPapers } from '../../electron/core/db/queries'

async function freshDb(): Promise<Db> {
  const SQL = await loadEngine()
  const db = new Db(new SQL.Database())
  migrate(db)
  return db
}

function importOp(papers: { title: string; authors?: string[]; abstract?: string }[]): Operation {
  return {
    kind: 'import',
    at: '2026-11-30T12:00:00.000Z',
    source: 'authors.json',
    format: 'test',
    papers: papers.map((p) => ({
      title: p.title,
      abstract: p.abstract ?? 'An abstract.',
      authors: p.authors,
      dumpDate: '2026-11-30',
      dumpDateText: 'Nov 30',
    })),
    warnings: [],
    skipped: 0,
  }
}

describe('authors', () => {
  it('are stored, read back in order, sorted by and counted', async () => {
    const db = await freshDb()
    db.transaction(() =>
      applyOperation(
        db,
        importOp([
          { title: 'Zebra Paper', authors: ['Ada Lovelace', 'Alan Turing'] },
          { title: 'Alpha Paper', authors: ['Grace Hopper'] },
          { title: 'Middle Paper' },
        ]),
      ),
    )
    const page = listPapers(db, {
      sort: { field: 'authors', direction: 'asc' },
      offset: 0,
      limit: 10,
    })
    // By first author, A to Z; papers without authors after those with.
    expect(page.rows.map((r) => [r.title, r.authors])).toEqual([
      ['Zebra Paper', ['Ada Lovelace', 'Alan Turing']],
      ['Alpha Paper', ['Grace Hopper']],
      ['Middle Paper', []],
    ])
    expect(getPaper(db, page.rows[0]!.id, () => new Date()).authors).toEqual([
      'Ada Lovelace',
      'Alan Turing',
    ])
    expect(libraryStats(db, 'x')).toMatchObject({ total: 3, withAuthors: 2 })
    db.close()
  })

  it('a later import fills in missing authors and never changes those a paper has', async () => {
    const db = await freshDb()
    db.transaction(() =>
      applyOperation(
        db,
        importOp([{ title: 'Known Paper' }, { title: 'Credited Paper', authors: ['A. Author'] }]),
      ),
    )
    const again = db.transaction(() =>
      applyOperation(
        db,
        importOp([
          { title: 'Known Paper', authors: ['Now Named'] },
          { title: 'Credited Paper', authors: ['Someone Else'] },
        ]),
      ),
    )
    expect(again).toMatchObject({ added: 0, duplicates: 2, updated: 1 })
    const byTitle = listPapers(db, {
      sort: { field: 'title', direction: 'asc' },
      offset: 0,
      limit: 10,
    })
    expect(byTitle.rows.map((r) => r.authors)).toEqual([['A. Author'], ['Now Named']])
    db.close()
  })

  it('an import recorded before authors existed still applies (old journal records)', async () => {
    const db = await freshDb()
    const old = importOp([{ title: 'From An Old Journal' }])
    if (old.kind === 'import') for (const p of old.papers) delete p.authors
    db.transaction(() => applyOperation(db, old))
    const [row] = listPapers(db, {
      sort: { field: 'title', direction: 'asc' },
      offset: 0,
      limit: 1,
    }).rows
    expect(row).toMatchObject({ title: 'From An Old Journal', authors: [] })
    db.close()
  })
})
