// The ranking read from the index's own doclists (ranking.ts, ftsIndex.ts) against SQLite's
// (rankingSql over matchinfo): the same hits, the same scores, the same order, through imports,
// edits, tags, deletions and undos that leave the index in many segments of several levels.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { rankingSql, similarPapers } from '../../electron/core/db/queries'
import type { Db } from '../../electron/core/db/database'
import { compileSearch, HIT_END, HIT_START, snippetParts } from '../../electron/core/db/search'
import { byScoreStably, DocSizes, rankInIndex, Ranking } from '../../electron/core/db/ranking'
import {
  idleMergeAllowed,
  indexLevels,
  mergeSomeSegments,
  mergesUnderWay,
  nextMergeLevel,
} from '../../electron/core/db/ftsIndex'
import { makeRng } from '../../testkit/gen'
import { Library } from '../../electron/core/store/library'
import type { Sort } from '../../shared/domain'
import { openTempLibrary, statementsDuring } from '../helpers/library'
import { fixedClock } from '../helpers/fixtures'

const VOCABULARY = [
  'diffusion',
  'diffuse',
  'diffusive',
  'model',
  'models',
  'modal',
  'attention',
  'sparse',
  'graph',
  'graphs',
  'neural',
  'network',
  'robust',
  'retrieval',
  'reward',
  'world',
  'vision',
  'language',
  'learning',
  'flow',
  'flows',
  'matching',
  'medical',
  'imaging',
  'a',
  'of',
  'the',
  'x1',
  '2024',
  'transformers',
  're',
  'rerank',
]
const relevance: Sort = { field: 'relevance', direction: 'desc' }
const byTitle: Sort = { field: 'title', direction: 'asc' }

const words = (min: number, max: number) =>
  fc
    .array(fc.constantFrom(...VOCABULARY), { minLength: min, maxLength: max })
    .map((w) => w.join(' '))

const paper = fc.record({
  title: words(1, 8),
  abstract: words(0, 40),
  author: fc.constantFrom('Ada Noether', 'Emmy Lovelace', 'Alan Graph', ''),
})

function bib(papers: { title: string; abstract: string; author: string }[], salt: number): string {
  return papers
    .map(
      (p, i) =>
        `@misc{k${salt}x${i}, title = {${p.title} n${salt}x${i}}, abstract = {${p.abstract}}${
          p.author ? `, author = {${p.author}}` : ''
        }}`,
    )
    .join('\n')
}

/** A change made to the library between imports. */
const change = fc.oneof(
  fc.record({ kind: fc.constant('note' as const), pick: fc.nat(), text: words(0, 12) }),
  fc.record({
    kind: fc.constant('tag' as const),
    pick: fc.nat(),
    tag: fc.constantFrom('world', 'graph models', 'to-read'),
  }),
  fc.record({
    kind: fc.constant('untag' as const),
    pick: fc.nat(),
    tag: fc.constantFrom('world', 'graph models'),
  }),
  fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('undoDelete' as const) }),
  fc.record({ kind: fc.constant('undoImport' as const), pick: fc.nat() }),
  // A bit of merging, as the library does between the steps of an import and while idle: a few
  // leaves at a time leave merges half done, inputs cut short and outputs still growing.
  fc.record({
    kind: fc.constant('merge' as const),
    blocks: fc.integer({ min: 1, max: 12 }),
    segments: fc.integer({ min: 2, max: 4 }),
    times: fc.integer({ min: 1, max: 6 }),
  }),
)

const atom = fc.oneof(
  fc.constantFrom(...VOCABULARY),
  fc.constantFrom(...VOCABULARY).map((w) => `${w.slice(0, Math.max(1, w.length - 3))}*`),
  words(2, 3).map((w) => `"${w}"`),
  // A phrase whose last word is a prefix: its terms' positions put together.
  fc
    .tuple(words(1, 2), fc.constantFrom(...VOCABULARY))
    .map(([w, last]) => `"${w} ${last.slice(0, Math.max(1, last.length - 3))}"*`),
  fc
    .tuple(
      fc.constantFrom('title', 'abstract', 'author', 'note', 'tag'),
      fc.constantFrom(...VOCABULARY),
    )
    .map(([f, w]) => `${f}:${w}`),
  fc.constantFrom(...VOCABULARY).map((w) => `-${w}`),
  fc
    .tuple(fc.constantFrom(...VOCABULARY), fc.constantFrom(...VOCABULARY))
    .map(([a, b]) => `${a} OR ${b}`),
)
const query = fc.array(atom, { minLength: 1, maxLength: 4 }).map((a) => a.join(' '))

function internals(lib: Library): { db: Db; textSeq: number; docSizes: DocSizes } {
  return lib as unknown as { db: Db; textSeq: number; docSizes: DocSizes }
}

/** The library's own search of `q` (every hit, by relevance) against SQLite's ranking. */
function expectRankedAsSqlite(lib: Library, q: string): void {
  const page = lib.listPapers({ sort: relevance, search: q, offset: 0, limit: -1 })
  const want = bySqlite(internals(lib).db, compileSearch(q).match!)
  expect(
    page.rows.map((r) => r.id),
    q,
  ).toEqual(want.ids)
  expect(
    page.rows.map((r) => r.score),
    q,
  ).toEqual(want.scores)
}

/** SQLite's ranking of a MATCH expression (the reference). */
function bySqlite(db: Db, match: string): { ids: number[]; scores: number[] } {
  const rows = db.all<{ id: number; score: number }>(rankingSql(''), [match])
  return { ids: rows.map((r) => r.id), scores: rows.map((r) => r.score) }
}

/** A page's snippets as the library's own index gives them. */
function bySqliteSnippets(db: Db, match: string, ids: number[]): [number, unknown][] {
  if (ids.length === 0) return []
  return db
    .all<{ id: number; abstract: string; note: string }>(
      `SELECT docid AS id,
         snippet(papers_fts, '${HIT_START}', '${HIT_END}', '…', 1, 24) AS abstract,
         snippet(papers_fts, '${HIT_START}', '${HIT_END}', '…', 3, 24) AS note
       FROM papers_fts WHERE papers_fts MATCH ? AND docid IN (${ids.map(() => '?').join(',')})`,
      [match, ...ids],
    )
    .map((r) => {
      const best = [r.abstract, r.note].find((s) => s.includes(HIT_START))
      return [r.id, best ? snippetParts(best) : null]
    })
}

type Change = typeof change extends fc.Arbitrary<infer T> ? T : never

function apply(lib: Library, c: Change): void {
  const ids = lib.paperIds({ sort: { field: 'addedAt', direction: 'asc' } })
  const id = ids.length ? ids[(c as { pick?: number }).pick! % ids.length]! : null
  switch (c.kind) {
    case 'note':
      if (id !== null) lib.setNote(id, c.text)
      return
    case 'tag':
      if (id !== null) lib.updatePapers({ ids: [id, ...ids.slice(0, 3)], addTags: [c.tag] })
      return
    case 'untag':
      if (id !== null) lib.updatePapers({ ids: [id], removeTags: [c.tag] })
      return
    case 'delete':
      if (id !== null) lib.deletePapers([id])
      return
    case 'undoDelete':
      try {
        lib.restoreDeleted(null)
      } catch {
        // Nothing to restore.
      }
      return
    case 'merge':
      for (let i = 0; i < c.times; i += 1) {
        mergeSomeSegments(internals(lib).db, 'papers_fts', c.blocks, c.segments)
      }
      return
    case 'undoImport': {
      const imports = lib.imports().filter((i) => !i.undoneAt)
      if (imports.length > 1) lib.undoImport(imports[c.pick % imports.length]!.id)
      return
    }
  }
}

describe('the ranking read from the index', () => {
  it('finds, scores and orders as SQLite does, through every kind of change', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(
            fc.array(paper, { minLength: 1, maxLength: 12 }),
            fc.array(change, { maxLength: 8 }),
          ),
          {
            minLength: 1,
            maxLength: 5,
          },
        ),
        fc.array(query, { minLength: 4, maxLength: 8 }),
        async (steps, queries) => {
          const { lib } = await openTempLibrary()
          try {
            steps.forEach(([papers, changes], salt) => {
              lib.importText(`dump${salt}.bib`, bib(papers, salt))
              for (const c of changes) apply(lib, c)
            })
            const { db } = internals(lib)
            for (const q of queries) {
              const compiled = compileSearch(q)
              if (!compiled.tree) continue
              const read = rankInIndex(db, compiled.tree, new DocSizes(), 1)?.all()
              expect(read, q).toBeDefined()
              const want = bySqlite(db, compiled.match!)
              expect(read!.ids, q).toEqual(want.ids)
              expect([...read!.scores], q).toEqual(want.scores)
              // A page's snippets (found in a scratch index of its papers) are the passages the
              // library's own index gives.
              const page = lib.listPapers({ sort: relevance, search: q, offset: 0, limit: 50 })
              const own = new Map(
                bySqliteSnippets(
                  db,
                  compiled.match!,
                  page.rows.map((r) => r.id),
                ),
              )
              for (const row of page.rows) expect(row.snippet, q).toEqual(own.get(row.id) ?? null)
            }
          } finally {
            lib.close()
          }
        },
      ),
      { numRuns: 40, seed: 20261201 },
    )
  }, 120_000)

  it('keeps its document lengths in step with the library between searches', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(paper, { minLength: 5, maxLength: 20 }),
        fc.array(fc.tuple(change, query), { minLength: 5, maxLength: 25 }),
        async (papers, session) => {
          const { lib } = await openTempLibrary()
          try {
            lib.importText('dump.bib', bib(papers, 0))
            for (const [[c, q], i] of session.map((step, i) => [step, i] as const)) {
              // The lengths read ahead of a search (as the app does while idle), a few papers'
              // at a time: some changes come in the middle of it, some after it.
              for (let k = 0; k < i % 4; k += 1) {
                const { db, textSeq, docSizes } = internals(lib)
                docSizes.readAhead(db, textSeq, 3)
              }
              apply(lib, c)
              // More like this (the counts of its words kept since it last asked) against one
              // that counts them all again.
              const first = lib.paperIds({ sort: relevance }).at(0)
              if (first !== undefined) {
                expect(lib.similarPapers(first, 20)).toEqual(
                  similarPapers(internals(lib).db, first, 20),
                )
              }
              const compiled = compileSearch(q)
              if (!compiled.match) continue
              // The library's own search (its lengths kept since the last one) against SQLite;
              // one with other conditions only run (it reads and keeps lengths all the same).
              if (compiled.conditions.length > 0) {
                lib.listPapers({ sort: relevance, search: q, offset: 0, limit: -1 })
                continue
              }
              expectRankedAsSqlite(lib, q)
            }
          } finally {
            lib.close()
          }
        },
      ),
      { numRuns: 30, seed: 1201 },
    )
  }, 120_000)

  it('reads lengths ahead of a search a few papers at a time, and again from the start after a change to any paper', async () => {
    const { lib } = await openTempLibrary()
    try {
      const papers = Array.from({ length: 10 }, (_, i) => ({
        title: `sparse attention ${'model '.repeat(i % 4)}`,
        abstract: i < 3 ? '' : `diffusion models ${'flow '.repeat(i)}`,
        author: 'Ada Noether',
      }))
      lib.importText('first.bib', bib(papers, 0))
      const ahead = (rows: number): boolean => {
        const { db, textSeq, docSizes } = internals(lib)
        return docSizes.readAhead(db, textSeq, rows)
      }
      expect(ahead(4)).toBe(true)
      // The same papers again, the first three now with abstracts: an import may change any
      // paper (the lengths of those read already change).
      lib.importText(
        'again.bib',
        bib(
          papers.map((p, i) => (i < 3 ? { ...p, abstract: 'diffusion flow flow flow flow' } : p)),
          0,
        ),
      )
      const abstracts = lib
        .listFullPapers({ sort: byTitle, offset: 0, limit: -1 })
        .map((p) => p.abstract)
      expect(abstracts.filter((a) => a.startsWith('diffusion flow flow'))).toHaveLength(3)
      while (ahead(4));
      const { asked } = statementsDuring(internals(lib).db, () => {
        for (const q of ['diffusion', 'sparse attention', 'flow OR model']) {
          expectRankedAsSqlite(lib, q)
        }
      })
      // Read ahead, nothing of the lengths or the papers' order is read at the search.
      expect(asked.filter((sql) => /_docsize|added_at DESC, id ASC/.test(sql))).toEqual([])
      expect(asked.length).toBeGreaterThan(0)
    } finally {
      lib.close()
    }
  })

  it('re-reads the lengths of a paper changed while they were being read ahead (review: a search used the old ones)', async () => {
    const { lib } = await openTempLibrary()
    try {
      const papers = Array.from({ length: 10 }, (_, i) => ({
        title: `sparse attention ${i}`,
        abstract: `diffusion models ${'flow '.repeat(i)}`,
        author: 'Ada Noether',
      }))
      lib.importText('first.bib', bib(papers, 0))
      const { db, docSizes } = internals(lib)
      // The first four papers' lengths read ahead, then the first paper's note (a change to
      // one paper only) gives it many more words, before the rest is read.
      expect(docSizes.readAhead(db, internals(lib).textSeq, 4)).toBe(true)
      const first = lib.listPapers({ sort: byTitle, offset: 0, limit: 1 }).rows[0]!.id
      lib.setNote(first, 'diffusion '.repeat(30))
      for (const q of ['diffusion', 'flow OR diffusion']) expectRankedAsSqlite(lib, q)
    } finally {
      lib.close()
    }
  })

  it('reads them ahead of the first search by itself, once the library has been left alone after opening', async () => {
    const { lib: made, path } = await openTempLibrary()
    const papers = Array.from({ length: 30 }, (_, i) => ({
      title: `sparse attention ${i}`,
      abstract: `diffusion ${'flow '.repeat(i % 5)}`,
      author: 'Ada Noether',
    }))
    made.importText('first.bib', bib(papers, 0))
    made.close()
    const lib = await Library.open(path, { now: fixedClock() })
    try {
      const sizes = internals(lib).docSizes as unknown as { complete: boolean; ages: unknown }
      expect(sizes.complete).toBe(false)
      const started = Date.now()
      while (!(sizes.complete && sizes.ages) && Date.now() - started < 30_000) {
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      const db = internals(lib).db
      const { value: page, asked } = statementsDuring(db, () =>
        lib.listPapers({ sort: relevance, search: 'flow', offset: 0, limit: -1 }),
      )
      expect(page.rows.map((r) => r.id)).toEqual(bySqlite(db, 'flow').ids)
      expect(asked.filter((sql) => /_docsize|added_at DESC, id ASC/.test(sql))).toEqual([])
    } finally {
      lib.close()
    }
  })

  it('reads segments of many leaves under interior nodes, and prefixes that run across leaves', async () => {
    // Enough papers for segments of several levels whose roots are interior nodes, and for
    // doclists larger than a node. (Single phrases and ORs only: in an AND of words this common
    // FTS4 may defer one, and matchinfo then counts every row as a hit of it, an approximation
    // the index's own reading does not make — see sqlite3Fts3EvalPhraseStats.)
    const { lib } = await openTempLibrary()
    const rng = fc.sample(fc.array(paper, { minLength: 300, maxLength: 300 }), {
      numRuns: 10,
      seed: 7,
    })
    rng.forEach((papers, salt) =>
      lib.importText(
        `d${salt}.bib`,
        // Words of a few dozen papers each: what "more like this" looks for.
        bib(
          papers.map((p, i) => ({
            ...p,
            abstract: `${p.abstract} grp${i % 50} hue${(i * salt) % 9}`,
          })),
          salt,
        ),
      ),
    )
    for (let id = 1; id <= 120; id += 1)
      lib.setNote(id * 7, `reward world ${id % 3 ? 'graph' : ''}`)
    lib.deletePapers([5, 6, 7, 500, 2000])
    const { db } = internals(lib)
    // A merge left half done, as the library leaves one between the steps of an import: its
    // output segment still growing (its size written negative), its inputs cut short.
    for (let i = 0; i < 3; i += 1) mergeSomeSegments(db, 'papers_fts', 3, 2)
    expect(
      Number(db.value(`SELECT COUNT(*) FROM papers_fts_segdir WHERE end_block LIKE '% -%'`)),
    ).toBe(1)
    // The level it works on, as the library reads it (the growing output is one level up).
    const growing = Number(
      db.value(`SELECT level FROM papers_fts_segdir WHERE end_block LIKE '% -%'`),
    )
    expect(mergesUnderWay(db, 'papers_fts')?.at(-1)?.level).toBe(growing - 1)
    const heights = db.numbers(`SELECT DISTINCT level FROM papers_fts_segdir`)
    expect(heights.length).toBeGreaterThan(1)
    expect(
      Number(db.value(`SELECT COUNT(*) FROM papers_fts_segdir WHERE substr(root, 1, 1) <> x'00'`)),
    ).toBeGreaterThan(0)
    for (const q of [
      'diffusion',
      'a',
      'the',
      'mod*',
      'r*',
      're*',
      'x*',
      '"neural network"',
      'title:graph',
      'note:reward',
      'author:noether',
      'reward OR world',
      'n1*',
      'neural OR graph OR flow',
    ]) {
      const compiled = compileSearch(q)
      const want = bySqlite(db, compiled.match!)
      expect(want.ids.length, q).toBeGreaterThan(0)
      // The first page's part, put in order alone, then the whole.
      const ranking = rankInIndex(db, compiled.tree!, new DocSizes(), 1)!
      const first = ranking.first(100)
      expect(first.ids.slice(0, 100), q).toEqual(want.ids.slice(0, 100))
      expect([...first.scores.subarray(0, 100)], q).toEqual(want.scores.slice(0, 100))
      const read = ranking.all()
      expect(read.ids, q).toEqual(want.ids)
      expect([...read.scores], q).toEqual(want.scores)
    }
    // More like this: the library's (from the index) against SQLite's, for some papers.
    for (const id of [1, 8, 450, 1999, 2999]) {
      const mine = lib.similarPapers(id, 20)
      const sqlite = similarPapers(db, id, 20)
      expect(mine.terms.length, `paper ${id}`).toBeGreaterThan(0)
      expect(mine.rows.map((r) => [r.id, r.score])).toEqual(sqlite.rows.map((r) => [r.id, r.score]))
    }
    lib.close()
  }, 120_000)

  it('is merged a bit at a time: between the steps of an import, and once changes stop', async () => {
    const { lib } = await openTempLibrary()
    const { db } = internals(lib)
    const mostAtOneLevel = (): number =>
      Math.max(0, ...db.numbers(`SELECT COUNT(*) FROM papers_fts_segdir GROUP BY level`))
    // A step a paper: a segment each. FTS4 alone lets a level fill to sixteen, then merges it
    // in the change that adds the sixteenth (a second at 100,000 papers).
    const papers = fc.sample(paper, { numRuns: 400, seed: 11 })
    let most = 0
    await lib.importInSteps([{ source: 'steps.bib', text: bib(papers, 1) }], {
      step: 1,
      onProgress: () => {
        most = Math.max(most, mostAtOneLevel())
      },
    })
    expect(most).toBeGreaterThanOrEqual(10)
    expect(most).toBeLessThanOrEqual(12)
    // Changes one at a time: merged once they stop for a moment.
    for (let id = 1; mostAtOneLevel() < 14; id += 1) lib.setNote(id, `a note ${id}`)
    await new Promise((resolve) => setTimeout(resolve, 1_500))
    expect(mostAtOneLevel()).toBeLessThan(12)
    for (const q of ['note', 'a*', 'diffusion OR world']) {
      const compiled = compileSearch(q)
      const read = rankInIndex(db, compiled.tree!, new DocSizes(), 1)!.all()
      expect(read.ids, q).toEqual(bySqlite(db, compiled.match!).ids)
    }
    lib.close()
  }, 60_000)

  it('merges while idle the small levels only, without going on to a large one', async () => {
    // A level over 4 KB counts as large here: the one that holds an import's papers.
    const { lib } = await openTempLibrary({ idleMergeBytes: 4096 })
    const { db } = internals(lib)
    const counts = (): Record<number, number> =>
      Object.fromEntries(
        db
          .all<{ level: number; n: number }>(
            `SELECT level, COUNT(*) AS n FROM papers_fts_segdir GROUP BY level`,
          )
          .map((r) => [r.level, r.n]),
      )
    lib.importText('d.bib', bib(fc.sample(paper, { numRuns: 60, seed: 12 }), 1))
    // Twelve segments or more at level 1, each of a dozen changes merged a block at a time (a
    // merge with blocks to spare goes on to the next level due), then level 0 due as well.
    let id = 1
    const notes = (n: number): void => {
      for (let i = 0; i < n; i += 1, id += 1) lib.setNote(1 + (id % 60), `a note ${id}`)
    }
    while ((counts()[1] ?? 0) < 12) {
      notes(12)
      while ((counts()[0] ?? 0) >= 12) mergeSomeSegments(db, 'papers_fts', 1, 12)
    }
    while ((counts()[0] ?? 0) < 12) notes(1)
    const before = counts()
    expect(before[0]).toBe(12)
    expect(before[1]).toBeGreaterThanOrEqual(12)
    expect(before[2]).toBeUndefined()
    const levels = indexLevels(db, 'papers_fts')
    expect(levels.map((l) => [l.level, l.segments])).toEqual([
      [0, 12],
      [1, before[1]],
    ])
    expect(levels[0]!.bytes).toBeLessThan(4096)
    expect(levels[1]!.bytes).toBeGreaterThan(4096)
    expect(nextMergeLevel(levels, mergesUnderWay(db, 'papers_fts'), 12)).toBe(0)
    // Once changes stop: level 0 merged into level 1, which is left as it is.
    await new Promise((resolve) => setTimeout(resolve, 1_500))
    expect(counts()).toEqual({ 1: before[1]! + 1 })
    for (const q of ['note', 'a*', 'diffusion OR world']) {
      const compiled = compileSearch(q)
      const read = rankInIndex(db, compiled.tree!, new DocSizes(), 1)!.all()
      expect(read.ids, q).toEqual(bySqlite(db, compiled.match!).ids)
    }
    // An import merges it between its steps.
    await lib.importInSteps(
      [{ source: 'more.bib', text: bib(fc.sample(paper, { numRuns: 30, seed: 13 }), 1) }],
      { step: 1 },
    )
    expect(counts()[1] ?? 0).toBeLessThan(12)
    lib.close()
  }, 60_000)

  it('knows the level a merge of one block works on, as FTS4 picks it', async () => {
    // Changes one at a time and in bursts (FTS4 merging a level of sixteen whole), merges left
    // half done at several levels, long notes that take several blocks: before each merge of a
    // single block, the level foretold against the level whose segments the merge took from.
    const { lib } = await openTempLibrary()
    const { db } = internals(lib)
    lib.importText('d.bib', bib(fc.sample(paper, { numRuns: 80, seed: 21 }), 1))
    const rng = makeRng(5)
    const words = (n: number): string =>
      Array.from({ length: n }, () => `w${Math.floor(rng() * 5000)}`).join(' ')
    type Segment = { level: number; idx: number; start: number; root: string; first: string }
    const segments = (): Map<string, Segment> =>
      new Map(
        db
          .all<Segment>(
            `SELECT level, idx, start_block AS start, hex(root) AS root,
               (SELECT hex(block) FROM papers_fts_segments WHERE blockid = start_block) AS first
             FROM papers_fts_segdir`,
          )
          .map((r) => [`${r.level}/${r.idx}`, r]),
      )
    const seen = { hinted: 0, skipped: 0, lowest: 0, none: 0 }
    for (let step = 0; step < 400; step += 1) {
      const roll = rng()
      if (roll < 0.45) {
        const burst = rng() < 0.2 ? 17 : 1 + Math.floor(rng() * 4)
        for (let k = 0; k < burst; k += 1) {
          lib.setNote(1 + Math.floor(rng() * 80), words(rng() < 0.3 ? 900 : 5))
        }
      } else if (roll < 0.6) {
        mergeSomeSegments(db, 'papers_fts', 1 + Math.floor(rng() * 4), 2 + Math.floor(rng() * 11))
      } else {
        const levels = indexLevels(db, 'papers_fts')
        const underWay = mergesUnderWay(db, 'papers_fts')
        const foretold = nextMergeLevel(levels, underWay, 12)
        const before = segments()
        mergeSomeSegments(db, 'papers_fts', 1, 12)
        const after = segments()
        // The inputs: segments cut short (a later first leaf, that leaf rewritten, or a root of
        // its own), or gone; the output is a level above them.
        const taken = [...before.values()]
          .filter((b) => {
            const a = after.get(`${b.level}/${b.idx}`)
            return !a || a.start !== b.start || a.root !== b.root || a.first !== b.first
          })
          .map((b) => b.level)
        const worked = taken.length > 0 ? Math.min(...taken) : null
        expect(foretold, `step ${step}: ${JSON.stringify({ levels, underWay })}`).toBe(worked)
        const lowest = levels.filter((l) => l.segments >= 12).map((l) => l.level)
        if (worked === null) seen.none += 1
        else if (underWay?.at(-1)?.level === worked) seen.hinted += 1
        else if ((underWay?.length ?? 0) > 0) seen.skipped += 1
        else if (lowest.length > 0) seen.lowest += 1
      }
    }
    // Each way FTS4 picks a level was met.
    expect(seen.hinted).toBeGreaterThan(0)
    expect(seen.skipped).toBeGreaterThan(0)
    expect(seen.lowest).toBeGreaterThan(0)
    expect(seen.none).toBeGreaterThan(0)
    lib.close()
  }, 120_000)

  it('merges while idle only where the level a call works on is small', () => {
    const MB = 2 ** 20
    const level = (n: number, segments: number, mb: number, growing = false) => ({
      level: n,
      segments,
      bytes: mb * MB,
      growing,
    })
    const levels = [level(0, 12, 0.01), level(1, 5, 0.8), level(2, 13, 30)]
    expect(nextMergeLevel(levels, [], 12)).toBe(0)
    expect(idleMergeAllowed(levels, [], 12, 4 * MB)).toBe(true)
    const large = [level(0, 3, 0.01), level(1, 5, 0.8, true), level(2, 13, 30)]
    expect(nextMergeLevel(large, [], 12)).toBe(2)
    expect(idleMergeAllowed(large, [], 12, 4 * MB)).toBe(false)
    expect(idleMergeAllowed(large, [], 12, 64 * MB)).toBe(true)
    // A merge under way goes on where no lower level is due, its output still being written.
    expect(nextMergeLevel(large, [{ level: 0, segments: 3 }], 12)).toBe(0)
    // Its level merged whole meanwhile (fewer segments than it had): the next one down the stack.
    const stack = [
      { level: 2, segments: 12 },
      { level: 0, segments: 12 },
    ]
    expect(nextMergeLevel(large, stack, 12)).toBe(2)
    expect(idleMergeAllowed(large, stack, 12, 4 * MB)).toBe(false)
    // Nothing due: nothing to do. A level whose size FTS4 did not keep counts as large; a
    // record of merges under way that cannot be read, as a merge that may be anywhere.
    expect(nextMergeLevel(large.slice(0, 2), [], 12)).toBeNull()
    expect(idleMergeAllowed(large.slice(0, 2), [], 12, 0)).toBe(true)
    expect(idleMergeAllowed([level(0, 12, Infinity)], [], 12, 4 * MB)).toBe(false)
    expect(idleMergeAllowed(levels, null, 12, 4 * MB)).toBe(false)
  })

  it('leaves to SQLite the words whose letters its tokenizer folds', async () => {
    const { lib } = await openTempLibrary()
    lib.importText(
      'd.bib',
      bib([{ title: 'Schrödinger bridges', abstract: 'flows', author: '' }], 0),
    )
    const { db } = internals(lib)
    const tree = compileSearch('schrödinger').tree!
    expect(rankInIndex(db, tree, new DocSizes(), 1)).toBeNull()
    expect(
      lib.listPapers({ sort: relevance, search: 'schrödinger', offset: 0, limit: 9 }).total,
    ).toBe(1)
    expect(
      lib.listPapers({ sort: relevance, search: 'schrodinger', offset: 0, limit: 9 }).total,
    ).toBe(1)
    lib.close()
  })

  it('leaves to SQLite an index it cannot read, and never guesses', async () => {
    const { lib } = await openTempLibrary()
    lib.importText(
      'd.bib',
      bib([{ title: 'graph neural network', abstract: 'graph flows', author: '' }], 0),
    )
    const { db } = internals(lib)
    const tree = compileSearch('graph').tree!
    expect(rankInIndex(db, tree, new DocSizes(), 1)!.all().ids).toEqual([1])
    // A root node cut short (what a damaged index would hold): the reader refuses it.
    const root = db.value('SELECT root FROM papers_fts_segdir LIMIT 1') as unknown as Uint8Array
    db.run('UPDATE papers_fts_segdir SET root = ?', [root.subarray(0, 4)])
    expect(rankInIndex(db, tree, new DocSizes(), 1)).toBeNull()
    lib.close()
  })

  it('puts in order only the first part a page asks for, as the whole order has it', () => {
    const scoreSet = fc.oneof(
      // Few scores: most hits share theirs, as one word's hits do.
      fc.array(fc.constantFrom(0, -0, 0.5, 1, 2.5, 7), { minLength: 1, maxLength: 6 }),
      fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), {
        minLength: 1,
        maxLength: 50,
      }),
    )
    fc.assert(
      fc.property(
        fc.integer({ min: 2_000, max: 9_000 }),
        scoreSet,
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.array(fc.integer({ min: 1, max: 9_500 }), { minLength: 1, maxLength: 6 }),
        (n, choices, seed, counts) => {
          const rng = makeRng(seed)
          // Papers 1..N+extra in an order of their own; some ids have no paper.
          const papers = n + 200
          const place = new Int32Array(papers + 1).fill(-1)
          const ids = Array.from({ length: papers }, (_, i) => i + 1)
          for (let i = ids.length - 1; i > 0; i -= 1) {
            const j = Math.floor(rng() * (i + 1))
            ;[ids[i], ids[j]] = [ids[j]!, ids[i]!]
          }
          const alive = ids.filter(() => rng() > 0.02)
          alive.forEach((id, i) => {
            place[id] = i
          })
          const docs = Int32Array.from(ids.slice(0, n))
          const scores = Float64Array.from(docs, () => choices[Math.floor(rng() * choices.length)]!)
          const expected = Array.from(docs.keys())
            .filter((i) => place[docs[i]!]! >= 0)
            .sort((a, b) => scores[b]! - scores[a]! || place[docs[a]!]! - place[docs[b]!]!)
          const ranking = Ranking.of(docs, scores, { place, papers: alive.length })
          expect(ranking.size).toBe(expected.length)
          for (const count of counts) {
            const first = ranking.first(count)
            const k = Math.min(count, expected.length)
            expect(first.ids.length).toBeGreaterThanOrEqual(k)
            expect(first.ids.slice(0, k)).toEqual(expected.slice(0, k).map((i) => docs[i]))
            expect([...first.scores.subarray(0, k)]).toEqual(
              expected.slice(0, k).map((i) => scores[i]!),
            )
          }
          const kept = ranking.filter((id) => id % 3 !== 0)
          const keptExpected = expected.map((i) => docs[i]!).filter((id) => id % 3 !== 0)
          expect(kept.first(50).ids.slice(0, 50)).toEqual(keptExpected.slice(0, 50))
          expect(kept.all().ids).toEqual(keptExpected)
          expect(ranking.all().ids).toEqual(expected.map((i) => docs[i]))
        },
      ),
      { numRuns: 60, seed: 20261202 },
    )
  })

  it('sorts hits by score, highest first, keeping the order of equal scores', () => {
    const score = fc.oneof(
      fc.constantFrom(0, -0, 1, 2.5, 1e-300, 3.75, 1e300, -2),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
    )
    fc.assert(
      fc.property(
        fc
          .integer({ min: 0, max: 3000 })
          .chain((n) => fc.array(score, { minLength: n, maxLength: n })),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (list, seed) => {
          const scores = Float64Array.from(list)
          // The hits in some order of their own (as the papers, newest first), not by index.
          const hits = Int32Array.from(list.keys()).sort(
            (a, b) => ((a * 2654435761 + seed) >>> 0) - ((b * 2654435761 + seed) >>> 0),
          )
          const expected = Array.from(hits).sort((a, b) => scores[b]! - scores[a]! || 0)
          expect(Array.from(byScoreStably(hits, scores))).toEqual(expected)
        },
      ),
      { numRuns: 60 },
    )
    // -0 and 0 are the same score: neither goes before the other.
    const zeros = Float64Array.from({ length: 600 }, (_, i) => (i % 2 ? 0 : -0))
    const hits = Int32Array.from(zeros.keys())
    expect(Array.from(byScoreStably(hits, zeros))).toEqual(Array.from(hits))
  })
})
