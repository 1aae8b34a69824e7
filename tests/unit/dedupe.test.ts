// Recognising a paper already in the library across formats and dumps: by arXiv id, then DOI,
// then title — and filling in what it lacked without touching anything it has or the user wrote.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { ParsedPaper } from '../../shared/importers/types'
import { Db, loadEngine } from '../../electron/core/db/database'
import { migrate } from '../../electron/core/db/migrations'
import { applyOperation } from '../../electron/core/db/mutations'
import type { Operation } from '../../electron/core/db/mutations'
import { getPaper, listFullPapers } from '../../electron/core/db/queries'
import type { ImportSummary, Paper } from '../../shared/domain'

type Input = Partial<Omit<ParsedPaper, 'line'>> & { title: string }

async function freshDb(): Promise<Db> {
  const SQL = await loadEngine()
  const db = new Db(new SQL.Database())
  migrate(db)
  return db
}

let clock = 0
function importInto(db: Db, source: string, papers: Input[]): ImportSummary {
  const op: Operation = {
    kind: 'import',
    at: new Date(Date.UTC(2026, 10, 30, 12, 0, clock++)).toISOString(),
    source,
    format: 'test',
    papers: papers.map((p) => ({
      abstract: '',
      authors: [],
      dumpDate: null,
      dumpDateText: null,
      ...p,
    })),
    warnings: [],
    skipped: 0,
  }
  return db.transaction(() => applyOperation(db, op)) as ImportSummary
}

function all(db: Db): Paper[] {
  return listFullPapers(
    db,
    { sort: { field: 'title', direction: 'asc' }, offset: 0, limit: -1 },
    () => new Date(),
  )
}

describe('the same paper across formats', () => {
  it('is recognised by arXiv id even when the title is written differently, and gains what it lacked', async () => {
    const db = await freshDb()
    importInto(db, 'daily.txt', [
      { title: 'Thyme: Think Beyond Images', abstract: 'We propose Thyme.' },
    ])
    const summary = importInto(db, 'refs.bib', [
      {
        title: 'THYME: think beyond images',
        authors: ['Ada Lovelace'],
        meta: {
          arxivId: '2508.11630',
          arxivVersion: 2,
          doi: '10.48550/arxiv.2508.11630',
          year: 2025,
          venue: 'arXiv',
        },
      },
    ])
    expect(summary).toMatchObject({ added: 0, duplicates: 1, updated: 1, matchedBy: { title: 1 } })
    const again = importInto(db, 'atom.xml', [
      {
        title: 'Thyme — Think Beyond Images (v3)',
        abstract: 'A different abstract.',
        meta: { arxivId: '2508.11630', arxivVersion: 3 },
      },
    ])
    expect(again).toMatchObject({ added: 0, duplicates: 1, updated: 0, matchedBy: { arxivId: 1 } })
    const [paper] = all(db)
    expect(paper).toMatchObject({
      title: 'Thyme: Think Beyond Images',
      abstract: 'We propose Thyme.',
      authors: ['Ada Lovelace'],
      arxivId: '2508.11630',
      arxivVersion: 2,
      doi: '10.48550/arxiv.2508.11630',
      year: 2025,
      venue: 'arXiv',
    })
    expect(paper!.seenIn.map((s) => s.source)).toEqual(['daily.txt', 'refs.bib', 'atom.xml'])
    db.close()
  })

  it('is recognised by DOI', async () => {
    const db = await freshDb()
    importInto(db, 'a.ris', [{ title: 'One Title', meta: { doi: '10.1000/xyz' } }])
    const s = importInto(db, 'b.csv', [
      { title: 'A Quite Different Title', abstract: 'Filled.', meta: { doi: '10.1000/xyz' } },
    ])
    expect(s).toMatchObject({ added: 0, matchedBy: { doi: 1 }, updated: 1 })
    expect(all(db)).toHaveLength(1)
    db.close()
  })

  it('keeps two papers that share a title but not a DOI or arXiv id', async () => {
    const db = await freshDb()
    importInto(db, 'a.bib', [{ title: 'Attention Is All You Need', meta: { doi: '10.1/a' } }])
    const s = importInto(db, 'b.bib', [
      { title: 'Attention is all you need', meta: { doi: '10.1/b' } },
      { title: 'Attention Is All You Need', meta: { arxivId: '1706.03762' } },
    ])
    // The second has no DOI, so the title finds the first (which has no arXiv id to differ).
    expect(s).toMatchObject({ added: 1, duplicates: 1 })
    expect(all(db).map((p) => [p.doi, p.arxivId])).toEqual([
      ['10.1/a', '1706.03762'],
      ['10.1/b', null],
    ])
    db.close()
  })

  it('never touches a note, a status or a value the paper has', async () => {
    const db = await freshDb()
    importInto(db, 'a.txt', [
      { title: 'Kept As Is', abstract: 'Original.', meta: { venue: 'NeurIPS' } },
    ])
    const id = all(db)[0]!.id
    db.transaction(() =>
      applyOperation(db, {
        kind: 'batch',
        ops: [
          { kind: 'setNote', at: '2026-11-30T13:00:00.000Z', id, note: 'mine' },
          { kind: 'setStatus', at: '2026-11-30T13:00:00.000Z', id, status: 'read' },
        ],
      }),
    )
    importInto(db, 'b.bib', [
      { title: 'Kept as is', abstract: 'Replaced?', meta: { venue: 'ICML', year: 2024 } },
    ])
    expect(getPaper(db, id, () => new Date())).toMatchObject({
      abstract: 'Original.',
      venue: 'NeurIPS',
      year: 2024,
      note: 'mine',
      status: 'read',
    })
    db.close()
  })

  it('any mix of dumps in any order gives the same library, and importing it all again adds nothing', async () => {
    const paper = fc.record({
      arxivId: fc.option(
        fc.integer({ min: 1000, max: 9999 }).map((n) => `2408.${n}`),
        { nil: undefined },
      ),
      doi: fc.option(
        fc.integer({ min: 1, max: 99999 }).map((n) => `10.1000/${n}`),
        { nil: undefined },
      ),
      abstract: fc.constantFrom('', 'An abstract.', 'Another abstract.'),
      year: fc.option(fc.integer({ min: 1990, max: 2026 }), { nil: undefined }),
    })
    const world = fc
      .uniqueArray(paper, { minLength: 1, maxLength: 6, selector: (p) => `${p.arxivId}|${p.doi}` })
      .filter(
        (ps) =>
          new Set(ps.flatMap((p) => [p.arxivId, p.doi].filter(Boolean))).size ===
          ps.flatMap((p) => [p.arxivId, p.doi].filter(Boolean)).length,
      )
    await fc.assert(
      fc.asyncProperty(
        world,
        fc.array(
          fc.array(fc.tuple(fc.nat(), fc.boolean(), fc.boolean(), fc.boolean()), { maxLength: 8 }),
          { minLength: 1, maxLength: 4 },
        ),
        fc.infiniteStream(fc.nat()),
        async (papers, dumpSpecs, shuffles) => {
          // Each dump holds some of the papers, each with some of its fields (never a wrong one).
          const dumps = dumpSpecs.map((spec) =>
            spec.map(([which, withIds, withAbstract, withYear]) => {
              const p = papers[which % papers.length]!
              const i = papers.indexOf(p)
              return {
                title: `Paper Number ${i}`,
                abstract: withAbstract ? p.abstract : '',
                meta: {
                  ...(withIds && p.arxivId ? { arxivId: p.arxivId } : {}),
                  ...(withIds && p.doi ? { doi: p.doi } : {}),
                  ...(withYear && p.year ? { year: p.year } : {}),
                },
              }
            }),
          )
          const order = dumps.map((_, i) => i)
          const shuffled = [...order].sort(() => (shuffles.next().value % 3) - 1)
          const contents = async (sequence: number[]) => {
            const db = await freshDb()
            for (const i of sequence) importInto(db, `dump-${i}`, dumps[i]!)
            const before = all(db).map((p) => [p.title, p.abstract, p.arxivId, p.doi, p.year])
            for (const i of sequence) expect(importInto(db, `again-${i}`, dumps[i]!).added).toBe(0)
            db.close()
            return before
          }
          const a = await contents(order)
          const b = await contents(shuffled)
          expect(b).toEqual(a)
        },
      ),
      { numRuns: 60 },
    )
  })
})

describe('dedupe and undo together', () => {
  it('an import never gives another paper the arXiv id or DOI of a paper waiting to be undeleted', async () => {
    const db = await freshDb()
    importInto(db, 'u1.bib', [
      { title: 'Paper Alpha', meta: { doi: '10.1000/alpha', arxivId: '2405.00001' } },
      { title: 'Paper Queue', meta: { doi: '10.1000/queue' } },
    ])
    const [alpha, queue] = all(db)
    const deletion = db.transaction(() =>
      applyOperation(db, { kind: 'delete', at: '2026-11-30T13:00:00.000Z', ids: [alpha!.id] }),
    ) as { deletionId: number }
    importInto(db, 'u2.ris', [
      {
        title: 'Paper Queue (journal version)',
        meta: { doi: '10.1000/queue', arxivId: '2405.00001' },
      },
    ])
    expect(getPaper(db, queue!.id, () => new Date()).arxivId).toBeNull()
    db.transaction(() =>
      applyOperation(db, {
        kind: 'restoreDeleted',
        at: '2026-11-30T14:00:00.000Z',
        deletionId: deletion.deletionId,
      }),
    )
    expect(all(db).map((p) => [p.title, p.arxivId, p.doi])).toEqual([
      ['Paper Alpha', '2405.00001', '10.1000/alpha'],
      ['Paper Queue', null, '10.1000/queue'],
    ])
  })
})
