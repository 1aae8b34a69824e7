// How each field of a paper is stored: the SQL that reads it (aliased to the field's name, so a
// row comes out of SQL already shaped), how its stored value becomes the domain value, how an
// import writes it, and how it sorts. A new field is added here once, not in every query.
import type { Paper, PaperRow, SortField } from '../../../shared/domain'
import type { ParsedPaper } from '../../../shared/importers'
import type { Row } from './database'
import { statusFromCode } from './statusCodes'

type Stored = Row[string]

interface Column {
  /** An expression over `papers` (no alias needed). */
  sql: string
  /** From the stored value to the domain value; as stored when left out. */
  decode?: (value: Stored) => unknown
}

/** Lists (authors, keywords, URLs) are stored as JSON arrays of strings. */
export function encodeList(list: readonly string[] | undefined): string {
  return JSON.stringify(list ?? [])
}

function decodeList(value: Stored): string[] {
  try {
    const parsed: unknown = JSON.parse(String(value ?? '[]'))
    return Array.isArray(parsed) ? parsed.map(String) : []
  } catch {
    return []
  }
}

/** What the table shows of a paper. */
export const ROW_COLUMNS = {
  id: { sql: 'id' },
  title: { sql: 'title' },
  authors: { sql: 'authors', decode: decodeList },
  status: { sql: 'status', decode: (v) => statusFromCode(Number(v)) },
  dumpDate: { sql: 'dump_date' },
  addedAt: { sql: 'added_at' },
  hasNote: { sql: `note <> ''`, decode: (v) => v === 1 },
  year: { sql: 'year' },
  venue: { sql: 'venue' },
  arxivId: { sql: 'arxiv_id' },
  doi: { sql: 'doi' },
  starred: { sql: 'starred', decode: (v) => v === 1 },
  tags: { sql: 'tags', decode: decodeList },
  statusChangedAt: { sql: 'status_changed_at' },
  readAt: {
    sql: `(SELECT MAX(at) FROM status_history h WHERE h.paper_id = papers.id AND h.status = 3)`,
  },
} satisfies { [K in keyof Omit<PaperRow, 'snippet' | 'score'>]-?: Column }

/** A whole paper, but its status history (a table of its own). */
export const PAPER_COLUMNS = {
  ...ROW_COLUMNS,
  abstract: { sql: 'abstract' },
  note: { sql: 'note' },
  dumpDateText: { sql: 'dump_date_text' },
  noteUpdatedAt: { sql: 'note_updated_at' },
  importId: { sql: 'import_id' },
  source: { sql: '(SELECT source FROM imports WHERE imports.id = papers.import_id)' },
  arxivVersion: { sql: 'arxiv_version' },
  keywords: { sql: 'keywords', decode: decodeList },
  urls: { sql: 'urls', decode: decodeList },
} satisfies {
  [
    K in keyof Omit<Paper, 'statusHistory' | 'seenIn' | 'noteConflicts' | 'snippet' | 'score'>
  ]-?: Column
}

type Columns = Record<string, Column>

/** `expr AS "field", …` for a SELECT. */
export function selectList(columns: Columns): string {
  return Object.entries(columns)
    .map(([field, c]) => `${c.sql} AS "${field}"`)
    .join(', ')
}

/** A row as SQL returned it, made into the domain value. */
export function decodeRow<T>(columns: Columns, row: Row): T {
  const out: Record<string, unknown> = {}
  for (const [field, c] of Object.entries(columns)) {
    const value = row[field] ?? null
    out[field] = c.decode ? c.decode(value) : value
  }
  return out as T
}

/** A paper as an import operation carries it (the journal keeps records written before a field existed). */
export type ImportedPaper = Omit<ParsedPaper, 'line' | 'authors'> & { authors?: string[] }

type Value = string | number | null

/**
 * The columns an import writes, with the value each takes from the paper. `empty` marks the
 * columns a later import may fill in on a paper already in the library, while they still hold
 * that value: an import completes what is missing, never changes what is there.
 */
export const IMPORT_COLUMNS: {
  column: string
  value: (p: ImportedPaper) => Value
  empty?: Value
}[] = [
  { column: 'title', value: (p) => p.title },
  { column: 'abstract', value: (p) => p.abstract, empty: '' },
  { column: 'authors', value: (p) => encodeList(p.authors), empty: '[]' },
  { column: 'dump_date', value: (p) => p.dumpDate },
  { column: 'dump_date_text', value: (p) => p.dumpDateText },
  { column: 'arxiv_id', value: (p) => p.meta?.arxivId ?? null, empty: null },
  { column: 'arxiv_version', value: (p) => p.meta?.arxivVersion ?? null, empty: null },
  { column: 'doi', value: (p) => p.meta?.doi ?? null, empty: null },
  { column: 'year', value: (p) => p.meta?.year ?? null, empty: null },
  { column: 'venue', value: (p) => p.meta?.venue ?? null, empty: null },
  { column: 'keywords', value: (p) => encodeList(p.meta?.keywords), empty: '[]' },
  { column: 'urls', value: (p) => encodeList(p.meta?.urls), empty: '[]' },
]

/**
 * Each sort maps to an ORDER BY that an index serves as it is, forwards or backwards (`index`,
 * which queries.ts names when it walks the papers in that order). Dates sort newest first with
 * ties in the dump's order (id ascending), so their tie-break runs against the main direction.
 */
export const SORT_COLUMNS: Record<SortField, { sql: string; tieAgainst: boolean; index: string }> =
  {
    title: { sql: 'title COLLATE NOCASE', tieAgainst: false, index: 'papers_by_title' },
    authors: { sql: 'authors COLLATE NOCASE', tieAgainst: false, index: 'papers_by_authors' },
    status: { sql: 'status', tieAgainst: false, index: 'papers_by_status' },
    dumpDate: { sql: 'dump_date', tieAgainst: true, index: 'papers_by_dump_date' },
    addedAt: { sql: 'added_at', tieAgainst: true, index: 'papers_by_added' },
    year: { sql: 'year', tieAgainst: true, index: 'papers_by_year' },
    venue: { sql: 'venue COLLATE NOCASE', tieAgainst: false, index: 'papers_by_venue' },
    arxivId: { sql: 'arxiv_id', tieAgainst: false, index: 'papers_by_arxiv_id' },
    doi: { sql: 'doi', tieAgainst: false, index: 'papers_by_doi' },
    starred: { sql: 'starred', tieAgainst: true, index: 'papers_by_starred' },
    statusChangedAt: {
      sql: 'status_changed_at',
      tieAgainst: true,
      index: 'papers_by_status_changed',
    },
    // Without a search to rank by, relevance is the newest first (see queries.ts).
    relevance: { sql: 'added_at', tieAgainst: true, index: 'papers_by_added' },
  }
