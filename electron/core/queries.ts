// Reads. Sorting and filtering happen here, in SQL, on indexed columns; the renderer only ever
// receives the page of rows it is about to show.
import type {
  LibraryStats,
  Paper,
  PaperPage,
  PaperRow,
  Sort,
  SortField,
  Status,
} from '../../shared/domain'
import { STATUSES } from '../../shared/domain'
import type { Db, Row } from './database'
import { LibraryError } from './errors'
import { statusCode, statusFromCode } from './statusCodes'

/**
 * Each sort maps to an ORDER BY that an index in migration 1 serves as it is, forwards or
 * backwards. Dates sort newest first with ties in the dump's order (id ascending), so their
 * tie-break runs against the main direction.
 */
const ORDER: Record<SortField, { column: string; tieAgainst: boolean }> = {
  title: { column: 'title COLLATE NOCASE', tieAgainst: false },
  status: { column: 'status', tieAgainst: false },
  dumpDate: { column: 'dump_date', tieAgainst: true },
  addedAt: { column: 'added_at', tieAgainst: true },
}

export function orderBy(sort: Sort): string {
  const { column, tieAgainst } = ORDER[sort.field]
  const desc = sort.direction === 'desc'
  const tieDesc = tieAgainst ? !desc : desc
  return `${column} ${desc ? 'DESC' : 'ASC'}, id ${tieDesc ? 'DESC' : 'ASC'}`
}

const ROW_COLUMNS = `id, title, status, dump_date, added_at, note <> '' AS has_note`

interface RowRecord extends Row {
  id: number
  title: string
  status: number
  dump_date: string | null
  added_at: string
  has_note: number
}

interface PaperRecord extends RowRecord {
  abstract: string
  note: string
  dump_date_text: string | null
  status_changed_at: string | null
  note_updated_at: string | null
  import_id: number | null
  source: string | null
}

function toRow(r: RowRecord): PaperRow {
  return {
    id: r.id,
    title: r.title,
    status: statusFromCode(r.status),
    dumpDate: r.dump_date,
    addedAt: r.added_at,
    hasNote: r.has_note === 1,
  }
}

export interface ListOptions {
  sort: Sort
  offset: number
  limit: number
  status?: Status | null
}

export function listPapers(db: Db, options: ListOptions): PaperPage {
  const where = options.status ? 'WHERE status = ?' : ''
  const filter = options.status ? [statusCode(options.status)] : []
  const total = Number(db.value(`SELECT COUNT(*) FROM papers ${where}`, filter))
  const rows = db.all<RowRecord>(
    `SELECT ${ROW_COLUMNS} FROM papers ${where} ORDER BY ${orderBy(options.sort)} LIMIT ? OFFSET ?`,
    [...filter, options.limit, options.offset],
  )
  return { total, offset: options.offset, rows: rows.map(toRow) }
}

const PAPER_COLUMNS = `${ROW_COLUMNS}, abstract, note, dump_date_text, status_changed_at,
  note_updated_at, import_id, (SELECT source FROM imports WHERE imports.id = papers.import_id) AS source`

export function getPaper(db: Db, id: number): Paper {
  const r = db.get<PaperRecord>(`SELECT ${PAPER_COLUMNS} FROM papers WHERE id = ?`, [id])
  if (!r) throw new LibraryError('not-found', `there is no paper with id ${id}`)
  return { ...toPaper(r), statusHistory: statusHistory(db, id) }
}

function statusHistory(db: Db, id: number): Paper['statusHistory'] {
  return db
    .all<{ status: number; at: string }>(
      'SELECT status, at FROM status_history WHERE paper_id = ? ORDER BY at, id',
      [id],
    )
    .map((h) => ({ status: statusFromCode(h.status), at: h.at }))
}

/** Whole papers, abstracts and notes included: for the command line and exports. */
export function listFullPapers(db: Db, options: ListOptions): Paper[] {
  const where = options.status ? 'WHERE status = ?' : ''
  const filter = options.status ? [statusCode(options.status)] : []
  return db
    .all<PaperRecord>(
      `SELECT ${PAPER_COLUMNS} FROM papers ${where} ORDER BY ${orderBy(options.sort)} LIMIT ? OFFSET ?`,
      [...filter, options.limit, options.offset],
    )
    .map((r) => ({ ...toPaper(r), statusHistory: statusHistory(db, r.id) }))
}

function toPaper(r: PaperRecord): Omit<Paper, 'statusHistory'> {
  return {
    ...toRow(r),
    abstract: r.abstract,
    note: r.note,
    dumpDateText: r.dump_date_text,
    statusChangedAt: r.status_changed_at,
    noteUpdatedAt: r.note_updated_at,
    importId: r.import_id,
    source: r.source,
  }
}

export function libraryStats(db: Db, path: string): LibraryStats {
  const byStatus = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>
  for (const r of db.all<{ status: number; n: number }>(
    'SELECT status, COUNT(*) AS n FROM papers GROUP BY status',
  )) {
    byStatus[statusFromCode(r.status)] = r.n
  }
  return {
    total: Object.values(byStatus).reduce((a, b) => a + b, 0),
    byStatus,
    withNotes: Number(db.value(`SELECT COUNT(*) FROM papers WHERE note <> ''`)),
    imports: Number(db.value('SELECT COUNT(*) FROM imports')),
    path,
  }
}
