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

/** Authors are stored as a JSON array of names. */
export function encodeAuthors(authors: readonly string[] | undefined): string {
  return JSON.stringify(authors ?? [])
}

function decodeAuthors(value: Stored): string[] {
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
  authors: { sql: 'authors', decode: decodeAuthors },
  status: { sql: 'status', decode: (v) => statusFromCode(Number(v)) },
  dumpDate: { sql: 'dump_date' },
  addedAt: { sql: 'added_at' },
  hasNote: { sql: `note <> ''`, decode: (v) => v === 1 },
} satisfies { [K in keyof PaperRow]-?: Column }

/** A whole paper, but its status history (a table of its own). */
export const PAPER_COLUMNS = {
  ...ROW_COLUMNS,
  abstract: { sql: 'abstract' },
  note: { sql: 'note' },
  dumpDateText: { sql: 'dump_date_text' },
  statusChangedAt: { sql: 'status_changed_at' },
  noteUpdatedAt: { sql: 'note_updated_at' },
  importId: { sql: 'import_id' },
  source: { sql: '(SELECT source FROM imports WHERE imports.id = papers.import_id)' },
} satisfies { [K in keyof Omit<Paper, 'statusHistory'>]-?: Column }

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

/**
 * The columns an import writes, with the value each takes from the paper. `fill` columns are
 * also given to a paper already in the library whose value is still `empty`: an import may
 * complete what is missing, never change what is there.
 */
export const IMPORT_COLUMNS: {
  column: string
  value: (p: ImportedPaper) => string | null
  fill?: { empty: string }
}[] = [
  { column: 'title', value: (p) => p.title },
  { column: 'abstract', value: (p) => p.abstract, fill: { empty: '' } },
  { column: 'authors', value: (p) => encodeAuthors(p.authors), fill: { empty: '[]' } },
  { column: 'dump_date', value: (p) => p.dumpDate },
  { column: 'dump_date_text', value: (p) => p.dumpDateText },
]

/**
 * Each sort maps to an ORDER BY that an index serves as it is, forwards or backwards. Dates
 * sort newest first with ties in the dump's order (id ascending), so their tie-break runs
 * against the main direction.
 */
export const SORT_COLUMNS: Record<SortField, { sql: string; tieAgainst: boolean }> = {
  title: { sql: 'title COLLATE NOCASE', tieAgainst: false },
  authors: { sql: 'authors COLLATE NOCASE', tieAgainst: false },
  status: { sql: 'status', tieAgainst: false },
  dumpDate: { sql: 'dump_date', tieAgainst: true },
  addedAt: { sql: 'added_at', tieAgainst: true },
}
