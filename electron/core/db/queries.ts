// Reads. Sorting and filtering happen here, in SQL, on indexed columns; the renderer only ever
// receives the page of rows it is about to show.
import type {
  ImportRecord,
  LibraryStats,
  Paper,
  PaperPage,
  PaperRow,
  Sort,
  Status,
} from '../../../shared/domain'
import { STATUSES } from '../../../shared/domain'
import { LibraryError } from '../errors'
import type { Db, Row } from './database'
import { PAPER_COLUMNS, ROW_COLUMNS, SORT_COLUMNS, decodeRow, selectList } from './paperColumns'
import { statusCode, statusFromCode } from './statusCodes'

export function orderBy(sort: Sort): string {
  const { sql, tieAgainst } = SORT_COLUMNS[sort.field]
  const desc = sort.direction === 'desc'
  const tieDesc = tieAgainst ? !desc : desc
  return `${sql} ${desc ? 'DESC' : 'ASC'}, id ${tieDesc ? 'DESC' : 'ASC'}`
}

/** A query and the range of its rows to return. */
export interface ListOptions {
  sort: Sort
  status?: Status | null
  importId?: number | null
  offset: number
  /** -1 for every row from the offset on. */
  limit: number
}

function where(query: { status?: Status | null; importId?: number | null }): {
  sql: string
  params: number[]
} {
  const terms: string[] = []
  const params: number[] = []
  if (query.status) {
    terms.push('status = ?')
    params.push(statusCode(query.status))
  }
  if (query.importId) {
    terms.push('id IN (SELECT paper_id FROM paper_imports WHERE import_id = ?)')
    params.push(query.importId)
  }
  return { sql: terms.length ? `WHERE ${terms.join(' AND ')}` : '', params }
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

export function listPapers(db: Db, options: ListOptions): PaperPage {
  const filter = where(options)
  const total = Number(db.value(`SELECT COUNT(*) FROM papers ${filter.sql}`, filter.params))
  const rows = db.all(
    `SELECT ${ROW_SELECT} FROM papers ${filter.sql} ORDER BY ${orderBy(options.sort)} LIMIT ? OFFSET ?`,
    [...filter.params, options.limit, options.offset],
  )
  return {
    total,
    offset: options.offset,
    rows: rows.map((r) => decodeRow<PaperRow>(ROW_COLUMNS, r)),
  }
}

function toPaper(db: Db, row: Row): Paper {
  const paper = decodeRow<Omit<Paper, 'statusHistory' | 'seenIn'>>(PAPER_COLUMNS, row)
  return { ...paper, statusHistory: statusHistory(db, paper.id), seenIn: seenIn(db, paper.id) }
}

function seenIn(db: Db, id: number): Paper['seenIn'] {
  return db.all<{ importId: number; source: string; format: string; at: string }>(
    `SELECT i.id AS importId, i.source AS source, i.format AS format, i.imported_at AS at
     FROM paper_imports p JOIN imports i ON i.id = p.import_id
     WHERE p.paper_id = ? ORDER BY i.id`,
    [id],
  )
}

export function getPaper(db: Db, id: number): Paper {
  const row = db.get(`SELECT ${PAPER_SELECT} FROM papers WHERE id = ?`, [id])
  if (!row) throw new LibraryError('not-found', `there is no paper with id ${id}`)
  return toPaper(db, row)
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
  const filter = where(options)
  return db
    .all(
      `SELECT ${PAPER_SELECT} FROM papers ${filter.sql} ORDER BY ${orderBy(options.sort)} LIMIT ? OFFSET ?`,
      [...filter.params, options.limit, options.offset],
    )
    .map((r) => toPaper(db, r))
}

export function libraryStats(db: Db, path: string): Omit<LibraryStats, 'revision'> {
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
    withAuthors: Number(db.value(`SELECT COUNT(*) FROM papers WHERE authors <> '[]'`)),
    imports: Number(db.value('SELECT COUNT(*) FROM imports')),
    path,
  }
}

/** The most recent deletion not yet undone, if any. */
export function lastDeletion(db: Db): number | null {
  const id = db.value('SELECT id FROM deletions WHERE restored_at IS NULL ORDER BY id DESC LIMIT 1')
  return id === null ? null : Number(id)
}
