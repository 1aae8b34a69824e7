// Reads. Sorting and filtering happen here, in SQL, on indexed columns; the renderer only ever
// receives the page of rows it is about to show.
import type { SqlValue } from 'sql.js'
import type {
  ImportRecord,
  LibraryStats,
  Paper,
  PaperPage,
  PaperRow,
  Sort,
  Status,
  TagInfo,
} from '../../../shared/domain'
import { noteConflicts } from './syncMerge'
import { STATUSES } from '../../../shared/domain'
import { LibraryError } from '../errors'
import type { Db, Row } from './database'
import { PAPER_COLUMNS, ROW_COLUMNS, SORT_COLUMNS, decodeRow, selectList } from './paperColumns'
import { statusCode, statusFromCode } from './statusCodes'
import { HIT_END, HIT_START, compileSearch, snippetParts } from './search'
import { searchWords } from '../../../shared/search'
import { STOPWORDS } from './stopwords'
import { tagCondition, tagKey } from './tags'
import type { CompiledSearch } from './search'
import { Ranking, rankInIndex, readsInIndex, scoreInIndex } from './ranking'
import type { DocSizes } from './ranking'

/**
 * The ORDER BY of a sort and its further keys (for the papers it leaves equal), then the id, in
 * the direction the sort's own column breaks ties. A sort by relevance takes no further keys
 * (the contract refuses them): it is the score, then newest first, here and in the ranking.
 */
export function orderBy(sort: Sort, thenBy: readonly Sort[] = []): string {
  const keys = [sort]
  for (const key of sort.field === 'relevance' ? [] : thenBy) {
    // The contract refuses these; a field twice would order nothing more anyway.
    if (key.field === 'relevance' || keys.some((k) => k.field === key.field)) continue
    keys.push(key)
  }
  const terms = keys.map(
    (k) => `${SORT_COLUMNS[k.field].sql} ${k.direction === 'desc' ? 'DESC' : 'ASC'}`,
  )
  const desc = sort.direction === 'desc'
  const tieDesc = SORT_COLUMNS[sort.field].tieAgainst ? !desc : desc
  return `${terms.join(', ')}, id ${tieDesc ? 'DESC' : 'ASC'}`
}

/**
 * A page of papers in a sort's order: `columns` of the rows from the offset on. One key is
 * served by its index as it is. No index serves further keys, so SQLite sorts every match: then
 * it sorts their ids alone and reads only the page's rows (twice as fast deep in 100,000 papers
 * as sorting whole rows).
 *
 * With one key and a filter, `found` (how many papers the filter keeps, counted first) decides
 * how: SQLite, not knowing it, reads every paper the filter keeps and sorts them (70-90 ms for
 * a year range or a common word at 100,000 papers), where walking the sort's index and stopping
 * at the page's end reads only some (1-20 ms) when the kept papers are many; when they are few,
 * the walk would pass over most of the library to find them, and SQLite's way is the faster.
 */
function sortedPage(
  columns: string,
  filter: { sql: string; params: SqlValue[] },
  options: ListOptions,
  found?: { papers: number; library: number; db: Db },
): [string, SqlValue[]] {
  const order = orderBy(options.sort, options.thenBy)
  const params = [...filter.params, options.limit, options.offset]
  if (!options.thenBy?.length || options.sort.field === 'relevance') {
    const sql = (from: string): string =>
      `SELECT ${columns} FROM ${from} ${filter.sql} ORDER BY ${order} LIMIT ? OFFSET ?`
    const walk =
      found &&
      filter.sql &&
      walksTheSortIndex(found, options) &&
      // An index that serves the filter in this order already (has:note's, newest first) is
      // better than any walk: only where SQLite would sort is the walk worth taking.
      sortsThem(found.db, sql('papers'), params)
    return [
      sql(walk ? `papers INDEXED BY ${SORT_COLUMNS[options.sort.field].index}` : 'papers'),
      params,
    ]
  }
  return [
    `SELECT ${columns} FROM papers WHERE id IN (
       SELECT id FROM papers ${filter.sql} ORDER BY ${order} LIMIT ? OFFSET ?)
     ORDER BY ${order}`,
    params,
  ]
}

/**
 * Whether a page is found sooner by walking the sort's index until the page's end: the papers
 * passed over on the way (as many as the page's end times the library over the kept papers,
 * where the kept ones lie evenly along the order) are fewer than the kept papers that SQLite
 * would otherwise read and sort. Where they bunch at the far end of the order the walk passes
 * more; at worst it reads the library once.
 */
export function walksTheSortIndex(
  found: { papers: number; library: number },
  options: Pick<ListOptions, 'offset' | 'limit'>,
): boolean {
  if (found.papers === 0 || options.limit < 0) return false
  const end = Math.min(found.papers, options.offset + options.limit)
  return (end * found.library) / found.papers < found.papers
}

/** Whether SQLite, left to itself, sorts what a query finds (rather than reading it in order). */
function sortsThem(db: Db, sql: string, params: SqlValue[]): boolean {
  return db
    .all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, params)
    .some((r) => r.detail.includes('B-TREE FOR ORDER BY'))
}

/**
 * About how many papers the library holds, read at once: the highest id (deletions leave it
 * higher than the count, which only makes the walk above seem dearer than it is).
 */
function libraryExtent(db: Db): number {
  return Number(db.value('SELECT COALESCE(MAX(id), 0) FROM papers'))
}

/** A query and the range of its rows to return. */
export interface ListOptions {
  sort: Sort
  /** Further keys for the papers the sort leaves equal (see orderBy). */
  thenBy?: Sort[]
  status?: Status | null
  importId?: number | null
  starred?: boolean
  tag?: string | null
  search?: string
  offset: number
  /** -1 for every row from the offset on. */
  limit: number
}

type Filter = Omit<ListOptions, 'sort' | 'thenBy' | 'offset' | 'limit'>

/** The WHERE clause of a query, its parameters, and the search it holds (if any). */
function where(
  query: Filter,
  compiled: CompiledSearch | null = query.search ? compileSearch(query.search) : null,
  /** False where the caller matches the text itself (the ranking joins the index's hits). */
  withMatch = true,
): { sql: string; params: SqlValue[]; search: CompiledSearch | null } {
  const terms: string[] = []
  const params: SqlValue[] = []
  if (query.status) {
    terms.push('status = ?')
    params.push(statusCode(query.status))
  }
  if (query.importId) {
    terms.push('id IN (SELECT paper_id FROM paper_imports WHERE import_id = ?)')
    params.push(query.importId)
  }
  if (query.starred) terms.push('starred = 1')
  if (query.tag) terms.push(tagCondition(query.tag, false, params))
  if (compiled) {
    if (compiled.match && withMatch) {
      terms.push('id IN (SELECT docid FROM papers_fts WHERE papers_fts MATCH ?)')
      params.push(compiled.match)
    }
    terms.push(...compiled.conditions)
    params.push(...compiled.params)
  }
  return { sql: terms.length ? `WHERE ${terms.join(' AND ')}` : '', params, search: compiled }
}

/** Every import, newest first. */
export function listImports(db: Db): ImportRecord[] {
  return db
    .all<Row & { warnings: string }>(
      `SELECT id, source, format, imported_at AS importedAt, added, duplicates, updated, skipped,
         warnings, undone_at AS undoneAt, dump_dates AS dumpDates FROM imports ORDER BY id DESC`,
    )
    .map((r) => ({
      id: Number(r.id),
      source: String(r.source),
      format: String(r.format),
      importedAt: String(r.importedAt),
      added: Number(r.added),
      duplicates: Number(r.duplicates),
      updated: Number(r.updated),
      skipped: Number(r.skipped),
      warnings: (JSON.parse(r.warnings) as unknown[]).length,
      undoneAt: r.undoneAt === null ? null : String(r.undoneAt),
      dumpDates: JSON.parse(String(r.dumpDates)) as string[],
    }))
}

const ROW_SELECT = selectList(ROW_COLUMNS)
const PAPER_SELECT = selectList(PAPER_COLUMNS)

/**
 * Keeps rankings, which cost far more than a page: a search's hits, ranked, while the text the
 * index holds stays as it is (from one view to another, and across changes of status or star:
 * a triage key in a search of 100,000 papers must not rank every hit again); and a view's
 * ranking (the hits its filters keep), between its pages while nothing changes.
 */
export interface RankingCache {
  hits: (match: string, rank: () => Ranking) => Ranking
  /** Whether `hits` holds this search's ranking now. */
  has?: (match: string) => boolean
  view: (key: string, rank: () => Ranking) => Ranking
  /**
   * The index's document lengths kept between searches, and how many times the indexed text
   * has changed: with them a ranking is read from the index itself (ranking.ts).
   */
  index?: () => { sizes: DocSizes; textSeq: number }
  /**
   * How many papers have each word, as far as asked, kept while the indexed text stays the
   * same: "more like this" weighs a paper's words by it, and the common ones cost most to count.
   */
  documentsWith?: () => Map<string, number>
}

/** The ids a search finds, best first (BM25; newest first among equals), with their scores. */
export type { Ranking }

/**
 * The ranking's SQL: the index's hits, scored, then the papers among them that the view's
 * filters keep. The CROSS JOIN keeps that order: left to choose, SQLite walked the view's papers
 * (by an index on the status, say) and ran the whole MATCH again for each one.
 */
export function rankingSql(filterSql: string): string {
  return `SELECT papers.id AS id, hits.score AS score FROM (
       SELECT docid, lectern_bm25(matchinfo(papers_fts, 'pcnalx')) AS score
       FROM papers_fts WHERE papers_fts MATCH ?) AS hits
     CROSS JOIN papers ON papers.id = hits.docid ${filterSql}
     ORDER BY hits.score DESC, papers.added_at DESC, papers.id ASC`
}

/** Every hit of a MATCH expression, ranked (no filter: the view's come after, see ranked). */
function rankedHits(db: Db, search: CompiledSearch, cache: RankingCache | undefined): Ranking {
  if (cache?.index && search.tree) {
    const { sizes, textSeq } = cache.index()
    const read = rankInIndex(db, search.tree, sizes, textSeq)
    if (read) return read
  }
  const match = search.match!
  const rows = db.all<{ id: number; score: number }>(rankingSql(''), [match])
  return Ranking.ordered(
    rows.map((r) => r.id),
    Float64Array.from(rows, (r) => r.score),
  )
}

/**
 * A search's ranking in a view: its hits (from the cache when they are there), less those the
 * view's filters and the search's other conditions leave out.
 */
function ranked(db: Db, options: Filter, cache: RankingCache | undefined): Ranking {
  const filter = where(options, undefined, false)
  const match = filter.search!.match!
  const rank = (): Ranking => {
    const hits = cache
      ? cache.hits(match, () => rankedHits(db, filter.search!, cache))
      : rankedHits(db, filter.search!, cache)
    if (!filter.sql) return hits
    return hits.filter(keptBy(db, filter, hits))
  }
  return cache ? cache.view(rankingKey(options), rank) : rank()
}

/** Hits this many or fewer are each looked up; more, and the view's papers are listed once. */
const LOOKED_UP_HITS = 20_000

/** Which of a search's hits a view's filters keep. */
function keptBy(
  db: Db,
  filter: { sql: string; params: SqlValue[] },
  ranking: Ranking,
): (id: number) => boolean {
  if (ranking.size > LOOKED_UP_HITS) {
    // Every paper of the view, as one JSON array made in SQLite (a row each into JavaScript cost
    // twice as much), marked in an array as long as the library.
    const ids = JSON.parse(
      String(db.value(`SELECT json_group_array(id) FROM papers ${filter.sql}`, filter.params)),
    ) as number[]
    let maxId = 0
    for (const id of ids) if (id > maxId) maxId = id
    const inView = new Uint8Array(maxId + 1)
    for (const id of ids) inView[id] = 1
    return (id) => inView[id] === 1
  }
  const hits = ranking.anyOrder()
  const kept = new Set<number>()
  for (let i = 0; i < hits.length; i += IDS_PER_QUERY) {
    const part = hits.slice(i, i + IDS_PER_QUERY)
    const ids = db.numbers(
      `SELECT id FROM papers ${filter.sql} AND id IN (${part.map(() => '?').join(',')})`,
      [...filter.params, ...part],
    )
    for (const id of ids) kept.add(id)
  }
  return (id) => kept.has(id)
}

/** What a view's ranking depends on: the search and the filters (not the page or direction). */
function rankingKey(options: Filter): string {
  return JSON.stringify([
    options.search,
    options.status,
    options.importId,
    options.starred,
    options.tag,
  ])
}

/** The most rows given snippets (a page; the contract's largest is 500). */
const MAX_SNIPPET_ROWS = 500

/** SQLite takes at most 32,766 parameters: ids are asked for in parts. */
const IDS_PER_QUERY = 10_000

/** The table's rows of some papers (any number), in no particular order. */
function rowsById(db: Db, ids: readonly number[], columns = ROW_SELECT): Row[] {
  const rows: Row[] = []
  for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
    const part = ids.slice(i, i + IDS_PER_QUERY)
    rows.push(
      ...db.all(
        `SELECT ${columns} FROM papers WHERE id IN (${part.map(() => '?').join(',')})`,
        part,
      ),
    )
  }
  return rows
}

/**
 * A scratch full-text index of one page's papers (in the connection's temporary schema, never in
 * the library): a page's snippets are found there. Asked of the library's own index, SQLite
 * reads every hit of the query before it looks at the page's few (half a second for `re*` at
 * 100k papers); a passage depends only on the paper's text and the query, so it is the same.
 */
const PAGE_INDEX = 'lectern_page_fts'

/** Where each paper's abstract or note matches, for the rows of a page. */
function snippets(db: Db, match: string, ids: number[]): Map<number, PaperRow['snippet']> {
  const out = new Map<number, PaperRow['snippet']>()
  if (ids.length === 0) return out
  // The same columns and tokenizer as papers_fts (migrations.ts); made for this page and
  // dropped after it (a temporary table lives as long as the connection).
  db.run(
    `CREATE VIRTUAL TABLE IF NOT EXISTS temp.${PAGE_INDEX} USING fts4(
       title, abstract, authors, note, tags, tokenize=unicode61 "remove_diacritics=2")`,
  )
  let rows: { id: number; abstract: string; note: string }[]
  try {
    db.run(
      `INSERT INTO temp.${PAGE_INDEX}(docid, title, abstract, authors, note, tags)
       SELECT id, title, abstract, authors, note, tags FROM papers
       WHERE id IN (${ids.map(() => '?').join(',')})`,
      ids,
    )
    rows = db.all<{ id: number; abstract: string; note: string }>(
      `SELECT docid AS id,
         snippet(${PAGE_INDEX}, '${HIT_START}', '${HIT_END}', '…', 1, 24) AS abstract,
         snippet(${PAGE_INDEX}, '${HIT_START}', '${HIT_END}', '…', 3, 24) AS note
       FROM temp.${PAGE_INDEX} WHERE ${PAGE_INDEX} MATCH ?`,
      [match],
    )
  } finally {
    // Dropped, not emptied: FTS4 deletes a row by tokenizing its text again, which took as long
    // as the insert (10 ms for a page of 100 abstracts); a drop frees its tables at once.
    db.run(`DROP TABLE temp.${PAGE_INDEX}`)
  }
  for (const r of rows) {
    const best = [r.abstract, r.note].find((s) => s.includes(HIT_START))
    out.set(r.id, best ? snippetParts(best) : null)
  }
  return out
}

/**
 * How many papers a filter keeps. A query that only excludes words ("-diffusion") is counted as
 * the papers the rest of the filter keeps less those of them the excluded words find: asking each
 * paper whether it is among the excluded hits reads the whole library (140 ms at 100k papers);
 * the hits are a few thousand, and the rest is often counted from an index alone.
 */
function countKept(
  db: Db,
  options: ListOptions,
  filter: { sql: string; params: SqlValue[]; search: CompiledSearch | null },
): number {
  const count = (f: { sql: string; params: SqlValue[] }): number =>
    Number(db.value(`SELECT COUNT(*) FROM papers ${f.sql}`, f.params))
  const compiled = filter.search
  if (!compiled?.excluded) return count(filter)
  // EXCLUDED is the last condition, its expression the last parameter (compileSearch).
  const rest = where(options, {
    ...compiled,
    conditions: compiled.conditions.slice(0, -1),
    params: compiled.params.slice(0, -1),
    excluded: null,
  })
  // The index holds every paper, and only papers (migrations.ts's triggers): with nothing else
  // to keep, its hits are counted there, without reading a row of `papers`.
  if (!rest.sql) {
    const hits = db.value('SELECT COUNT(*) FROM papers_fts WHERE papers_fts MATCH ?', [
      compiled.excluded,
    ])
    return count(rest) - Number(hits)
  }
  const hits = 'id IN (SELECT docid FROM papers_fts WHERE papers_fts MATCH ?)'
  return (
    count(rest) -
    count({ sql: `${rest.sql} AND ${hits}`, params: [...rest.params, compiled.excluded] })
  )
}

export function listPapers(db: Db, options: ListOptions, cache?: RankingCache): PaperPage {
  const filter = where(options)
  const match = filter.search?.match ?? null
  const searchNotes = filter.search?.parsed.notes ?? []
  let total: number
  let rows: PaperRow[]
  if (options.sort.field === 'relevance' && match) {
    // The ranking, then the page of it (the order kept).
    const ranking = ranked(db, options, cache)
    // Only the page's part of the ranking is read (it can hold every paper of the library), and
    // only as much of it is put in order as the page needs.
    const n = ranking.size
    const end = options.limit < 0 ? n : Math.min(n, options.offset + options.limit)
    const order = options.sort.direction === 'asc' ? ranking.all() : ranking.first(end)
    const score = new Map<number, number>()
    const pageIds: number[] = []
    for (let k = options.offset; k < end; k += 1) {
      const i = options.sort.direction === 'asc' ? n - 1 - k : k
      score.set(order.ids[i]!, order.scores[i]!)
      pageIds.push(order.ids[i]!)
    }
    total = n
    const byId = new Map(
      rowsById(db, pageIds).map((r) => {
        const row = decodeRow<PaperRow>(ROW_COLUMNS, r)
        return [row.id, { ...row, score: score.get(row.id) }] as const
      }),
    )
    rows = pageIds.flatMap((id) => byId.get(id) ?? [])
  } else {
    // A search in another order: what it finds is its ranking's papers (kept from one sort of
    // the search to the next), so the index is not asked again. SQLite asked for the hits of
    // `re*` at 100,000 papers twice, to count and to page them: 600 ms a sort.
    const kept =
      filter.search && cache && rankedCheaply(filter.search, cache)
        ? ranked(db, options, cache)
        : null
    total = kept ? kept.size : countKept(db, options, filter)
    const found = { papers: total, library: libraryExtent(db), db }
    rows = (
      total === 0
        ? []
        : kept
          ? pageOfKept(db, kept, options, found)
          : db.all(...sortedPage(ROW_SELECT, filter, options, found))
    ).map((r) => decodeRow<PaperRow>(ROW_COLUMNS, r))
  }
  // Snippets are for a page on screen, not for every row of an export.
  if (match && rows.length <= MAX_SNIPPET_ROWS) {
    const found = snippets(
      db,
      match,
      rows.map((r) => r.id),
    )
    rows = rows.map((r) => ({ ...r, snippet: found.get(r.id) ?? null }))
  }
  return { total, offset: options.offset, rows, ...(filter.search ? { searchNotes } : {}) }
}

/**
 * Whether a search's hits are at hand without SQLite: ranked already (the cache holds them), or
 * read from the index by ranking.ts. Ranked in SQLite instead, each hit costs a call of
 * lectern_bm25, more than asking SQLite for the hits alone.
 */
function rankedCheaply(search: CompiledSearch, cache: RankingCache): boolean {
  if (!search.match || !search.tree) return false
  return cache.has?.(search.match) === true || (!!cache.index && readsInIndex(search.tree))
}

/**
 * A page of the papers a ranking holds, in another order. Where they are many, the sort's index
 * is walked until the page's end, each paper looked up in the ranking's marks (a call of
 * lectern_kept: 1 ms for a first page of 74,000 hits at 100,000 papers, where SQLite, given
 * their ids, took 50 ms to put them in a table first). Where they are few, SQLite reads them by
 * id and sorts them.
 */
function pageOfKept(
  db: Db,
  kept: Ranking,
  options: ListOptions,
  found: { papers: number; library: number },
): Row[] {
  if (!options.thenBy?.length && walksTheSortIndex(found, options)) {
    const sql = `SELECT ${ROW_SELECT} FROM papers INDEXED BY ${SORT_COLUMNS[options.sort.field].index}
      WHERE lectern_kept(id) ORDER BY ${orderBy(options.sort)} LIMIT ? OFFSET ?`
    const params = [options.limit, options.offset]
    // Every sort's index serves its order (multiSort.test.ts); were one not to, SQLite would
    // call lectern_kept for every paper, and reading the ids is the better way.
    if (!sortsThem(db, sql, params)) return db.whileKept(kept.members(), () => db.all(sql, params))
  }
  const ids = {
    sql: 'WHERE id IN (SELECT value FROM json_each(?))',
    params: [JSON.stringify(kept.anyOrder())],
  }
  return db.all(...sortedPage(ROW_SELECT, ids, options))
}

/** Every id a query finds, in its order (a selection of everything in a view). */
export function paperIds(
  db: Db,
  options: Omit<ListOptions, 'offset' | 'limit'>,
  cache?: RankingCache,
): number[] {
  const filter = where(options)
  const match = filter.search?.match ?? null
  if (options.sort.field === 'relevance' && match) {
    const ids = [...ranked(db, options, cache).all().ids]
    return options.sort.direction === 'asc' ? ids.reverse() : ids
  }
  return db
    .all<{ id: number }>(
      `SELECT id FROM papers ${filter.sql} ORDER BY ${orderBy(options.sort, options.thenBy)}`,
      filter.params,
    )
    .map((r) => r.id)
}

/** Every tag, with how many papers have it; by name. */
export function listTags(db: Db): TagInfo[] {
  const groups = db.all<{ name: string; count: number }>(
    `SELECT tag AS name, COUNT(*) AS count FROM paper_tags GROUP BY tag ORDER BY tag COLLATE NOCASE`,
  )
  // NOCASE folds only A–Z: spellings of one tag that differ beyond (“Über”, “über”, which an
  // undo or a restored deletion can bring back side by side) are one tag here, named by the
  // spelling most papers have.
  const byKey = new Map<string, { name: string; count: number; spellings: string[] }>()
  const tags: { name: string; count: number; spellings: string[] }[] = []
  for (const g of groups) {
    const same = byKey.get(tagKey(g.name))
    if (!same) {
      const tag = { ...g, spellings: [g.name] }
      byKey.set(tagKey(g.name), tag)
      tags.push(tag)
      continue
    }
    if (g.count > same.count) same.name = g.name
    same.spellings.push(g.name)
  }
  return tags.map(({ name, count, spellings }) => ({
    name,
    count:
      spellings.length === 1
        ? count
        : Number(
            db.value(
              `SELECT COUNT(DISTINCT paper_id) FROM paper_tags
               WHERE tag IN (${spellings.map(() => '?').join(',')})`,
              spellings,
            ),
          ),
  }))
}

/** A paper whole; `now`, the library's clock, times its note's other versions (see noteConflicts). */
export function getPaper(db: Db, id: number, now: () => Date): Paper {
  const row = db.get(`SELECT ${PAPER_SELECT} FROM papers WHERE id = ?`, [id])
  if (!row) throw new LibraryError('not-found', `there is no paper with id ${id}`)
  return toPapers(db, [row], now)[0]!
}

/** Whole papers, abstracts and notes included: for the command line and exports. */
export function listFullPapers(
  db: Db,
  options: ListOptions,
  now: () => Date,
  cache?: RankingCache,
): Paper[] {
  if (options.sort.field === 'relevance' && options.search) {
    // In rank order: the ids of the page, then the papers whole.
    const all = paperIds(db, options, cache)
    const ids = all.slice(
      options.offset,
      options.limit < 0 ? undefined : options.offset + options.limit,
    )
    const byId = new Map(rowsById(db, ids, PAPER_SELECT).map((r) => [Number(r.id), r]))
    const rows = ids.map((id) => byId.get(id)).filter((r): r is Row => r !== undefined)
    return toPapers(db, rows, now)
  }
  const filter = where(options)
  return toPapers(db, db.all(...sortedPage(PAPER_SELECT, filter, options)), now)
}

/** Whole papers made at once (see toPapers). */
const PAPERS_PER_READ = 2_000

/**
 * Rows of `papers` made whole, their histories, imports and notes'
 * other versions read for many papers in one query each.
 */
function toPapers(db: Db, rows: Row[], now: () => Date): Paper[] {
  const out: Paper[] = []
  for (let at = 0; at < rows.length; at += PAPERS_PER_READ) {
    const part = rows
      .slice(at, at + PAPERS_PER_READ)
      .map((r) =>
        decodeRow<Omit<Paper, 'statusHistory' | 'seenIn' | 'noteConflicts'>>(PAPER_COLUMNS, r),
      )
    const ids = JSON.stringify(part.map((p) => p.id))
    const history = groupBy(
      db.all<{ id: number; status: number; at: string }>(
        `SELECT paper_id AS id, status, at FROM status_history
         WHERE paper_id IN (SELECT value FROM json_each(?)) ORDER BY paper_id, at, id`,
        [ids],
      ),
      (h) => ({ status: statusFromCode(h.status), at: h.at }),
    )
    const seen = groupBy(
      db.all<{ id: number; importId: number; source: string; format: string; at: string }>(
        `SELECT p.paper_id AS id, i.id AS importId, i.source AS source, i.format AS format,
           i.imported_at AS at
         FROM paper_imports p JOIN imports i ON i.id = p.import_id
         WHERE p.paper_id IN (SELECT value FROM json_each(?)) ORDER BY p.paper_id, i.id`,
        [ids],
      ),
      ({ importId, source, format, at }) => ({ importId, source, format, at }),
    )
    const conflicts = noteConflicts(db, part, now)
    for (const p of part) {
      const paper: Paper = {
        ...p,
        statusHistory: history.get(p.id) ?? [],
        seenIn: seen.get(p.id) ?? [],
      }
      const other = conflicts.get(p.id)
      out.push(other ? { ...paper, noteConflicts: other } : paper)
    }
  }
  return out
}

function groupBy<R extends { id: number }, T>(rows: R[], value: (r: R) => T): Map<number, T[]> {
  const out = new Map<number, T[]>()
  for (const r of rows) {
    const list = out.get(r.id)
    if (list) list.push(value(r))
    else out.set(r.id, [value(r)])
  }
  return out
}

export function libraryStats(db: Db, path: string): Omit<LibraryStats, 'revision' | 'size'> {
  const byStatus = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>
  // SQLite counts a whole table without reading its rows; a count by status reads an index
  // entry per paper (15 ms for 76,000 new papers at 100k). So the papers past New are counted
  // by status, and New is what is left: most of a library is papers not yet triaged.
  const total = Number(db.value('SELECT COUNT(*) FROM papers'))
  for (const r of db.all<{ status: number; n: number }>(
    'SELECT status, COUNT(*) AS n FROM papers WHERE status > ? GROUP BY status',
    [statusCode('new')],
  )) {
    byStatus[statusFromCode(r.status)] = r.n
  }
  byStatus.new = total - Object.values(byStatus).reduce((a, b) => a + b, 0)
  return {
    total,
    byStatus,
    withNotes: Number(db.value(`SELECT COUNT(*) FROM papers WHERE note <> ''`)),
    // The papers without authors, found in the authors' index (its collation, so that it is
    // used; '[]' has no letters to fold): counting those with authors read every entry,
    // 10–50 ms at 100,000 papers, and the statistics are asked for after every change.
    withAuthors:
      total - Number(db.value(`SELECT COUNT(*) FROM papers WHERE authors = '[]' COLLATE NOCASE`)),
    withTags: Number(db.value('SELECT COUNT(DISTINCT paper_id) FROM paper_tags')),
    starred: Number(db.value('SELECT COUNT(*) FROM papers WHERE starred = 1')),
    imports: Number(db.value('SELECT COUNT(*) FROM imports')),
    path,
  }
}

/** The most recent deletion not yet undone, if any. */
export function lastDeletion(db: Db): number | null {
  const id = db.value('SELECT id FROM deletions WHERE restored_at IS NULL ORDER BY id DESC LIMIT 1')
  return id === null ? null : Number(id)
}

/**
 * The papers other than `id` with any of these words, best first by BM25 (the newer first among
 * equals), `limit` of them: read from the index (ranking.ts) where it can be, else by SQLite.
 */
function mostLike(
  db: Db,
  terms: string[],
  id: number,
  limit: number,
  cache: RankingCache | undefined,
): { id: number; score: number }[] {
  if (cache?.index) {
    const { sizes, textSeq } = cache.index()
    const tree = {
      groups: [terms.map((t) => ({ words: [t], prefix: false, column: null }))],
      excluded: [],
    }
    const scored = scoreInIndex(db, tree, sizes, textSeq)
    if (scored) {
      const { docs, scores } = scored
      // Only the hits that can be among the best `limit` are sorted: those at least as good as
      // the limit-th best score (one more, for the paper itself).
      const floor = Float64Array.from(scores).sort()[Math.max(0, scores.length - limit - 1)] ?? 0
      const best: number[] = []
      for (let i = 0; i < docs.length; i += 1) {
        if (docs[i] !== id && scores[i]! >= floor) best.push(i)
      }
      best.sort((a, b) => scores[b]! - scores[a]! || docs[b]! - docs[a]!)
      return best.slice(0, limit).map((i) => ({ id: docs[i]!, score: scores[i]! }))
    }
  }
  return db.all<{ id: number; score: number }>(
    `SELECT docid AS id, lectern_bm25(matchinfo(papers_fts, 'pcnalx')) AS score
     FROM papers_fts WHERE papers_fts MATCH ? AND docid <> ?
     ORDER BY score DESC, docid DESC LIMIT ?`,
    [terms.map((t) => `"${t}"`).join(' OR '), id, limit],
  )
}

/** How many of a paper's words "more like this" looks for. */
const SIMILAR_TERMS = 14

/**
 * The papers whose text is most like a paper's: the words of its title and abstract that say
 * most about it (frequent in it, rare in the library: TF-IDF) looked for in every other paper
 * and ranked by BM25. Also the words it chose, for the window to show.
 */
export function similarPapers(
  db: Db,
  id: number,
  limit: number,
  cache?: RankingCache,
): { terms: string[]; rows: (PaperRow & { score: number })[] } {
  const paper = db.get<{ title: string; abstract: string }>(
    'SELECT title, abstract FROM papers WHERE id = ?',
    [id],
  )
  if (!paper) throw new LibraryError('not-found', `there is no paper with id ${id}`)
  const counts = new Map<string, number>()
  // Title words count for more: they are what the paper says it is about.
  for (const w of searchWords(paper.title)) counts.set(w, (counts.get(w) ?? 0) + 3)
  for (const w of searchWords(paper.abstract)) counts.set(w, (counts.get(w) ?? 0) + 1)
  const total = Number(db.value('SELECT COUNT(*) FROM papers'))
  const weighed: { term: string; weight: number }[] = []
  // Not inside a change: it may yet be taken back.
  const known = db.inTransaction ? null : (cache?.documentsWith?.() ?? null)
  db.with(`SELECT documents FROM papers_fts_terms WHERE term = ? AND col = '*'`, (documents) => {
    for (const [term, tf] of counts) {
      if (term.length < 3 || /^\d+$/.test(term) || STOPWORDS.has(term)) continue
      let df = known?.get(term)
      if (df === undefined) {
        documents.bind([term])
        df = documents.step() ? Number(documents.get()[0]) : 0
        documents.reset()
        known?.set(term, df)
      }
      // In this paper alone, or in a fifth of a large library: says nothing about likeness.
      if (df < 2 || df > Math.max(50, total / 5)) continue
      const weight = tf * Math.log(total / df)
      if (weight > 0) weighed.push({ term, weight })
    }
  })
  const terms = weighed
    .sort((a, b) => b.weight - a.weight || a.term.localeCompare(b.term))
    .slice(0, SIMILAR_TERMS)
    .map((t) => t.term)
  if (terms.length === 0) return { terms, rows: [] }
  const ranked = mostLike(db, terms, id, limit, cache)
  if (ranked.length === 0) return { terms, rows: [] }
  const byId = new Map(
    db
      .all(
        `SELECT ${ROW_SELECT} FROM papers WHERE id IN (${ranked.map(() => '?').join(',')})`,
        ranked.map((r) => r.id),
      )
      .map((r) => {
        const row = decodeRow<PaperRow>(ROW_COLUMNS, r)
        return [row.id, row] as const
      }),
  )
  return {
    terms,
    rows: ranked.flatMap((r) => {
      const row = byId.get(r.id)
      return row ? [{ ...row, score: r.score }] : []
    }),
  }
}
