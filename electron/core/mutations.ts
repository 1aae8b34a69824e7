// Every change to a library is an operation: a plain, serialisable value that carries all it
// needs (including the time), so applying it again to the same state gives the same result.
// That is what lets the journal replay acknowledged changes after a crash.
import { titleKey } from '../../shared/titleKey'
import type { ImportSummary, ImportWarning, Status } from '../../shared/domain'
import type { ParsedPaper } from '../../shared/importers'
import type { Db } from './database'
import { LibraryError } from './errors'
import { statusCode } from './statusCodes'

export type Operation =
  | {
      kind: 'import'
      at: string
      source: string
      format: string
      papers: Omit<ParsedPaper, 'line'>[]
      warnings: ImportWarning[]
      skipped: number
    }
  | { kind: 'setStatus'; at: string; id: number; status: Status }
  | { kind: 'setNote'; at: string; id: number; note: string }
  /** Several changes that stand or fall together (one journal record). */
  | { kind: 'batch'; ops: Operation[] }

function requirePaper(db: Db, id: number): void {
  if (db.value('SELECT 1 FROM papers WHERE id = ?', [id]) === null) {
    throw new LibraryError('not-found', `there is no paper with id ${id}`)
  }
}

function applyImport(db: Db, op: Extract<Operation, { kind: 'import' }>): ImportSummary {
  db.run(
    `INSERT INTO imports (source, format, imported_at, added, duplicates, updated, skipped, warnings)
     VALUES (?, ?, ?, 0, 0, 0, ?, ?)`,
    [op.source, op.format, op.at, op.skipped, JSON.stringify(op.warnings)],
  )
  const importId = db.lastInsertId()
  let added = 0
  let duplicates = 0
  let updated = 0
  db.with(
    `INSERT INTO papers (title, title_key, abstract, dump_date, dump_date_text, added_at, import_id)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (title_key) DO NOTHING`,
    (insert) =>
      db.with(
        `UPDATE papers SET abstract = ? WHERE title_key = ? AND abstract = '' AND ? <> ''`,
        (fill) => {
          for (const paper of op.papers) {
            const key = titleKey(paper.title)
            insert.run([
              paper.title,
              key,
              paper.abstract,
              paper.dumpDate,
              paper.dumpDateText,
              op.at,
              importId,
            ])
            if (db.changes() === 1) {
              added += 1
              continue
            }
            duplicates += 1
            // A paper already known by title only gains the abstract it lacked; nothing the
            // user wrote (status, note) is ever touched by an import.
            fill.run([paper.abstract, key, paper.abstract])
            if (db.changes() === 1) updated += 1
          }
        },
      ),
  )
  db.run('UPDATE imports SET added = ?, duplicates = ?, updated = ? WHERE id = ?', [
    added,
    duplicates,
    updated,
    importId,
  ])
  const dumpDates = [...new Set(op.papers.map((p) => p.dumpDate).filter((d) => d !== null))]
  return {
    importId,
    source: op.source,
    format: op.format,
    added,
    duplicates,
    updated,
    skipped: op.skipped,
    warnings: op.warnings,
    dumpDates: dumpDates.sort(),
  }
}

/** Applies one operation inside the caller's transaction. */
export type OperationResult = ImportSummary | number | OperationResult[]

export function applyOperation(db: Db, op: Operation): OperationResult {
  switch (op.kind) {
    case 'batch':
      return op.ops.map((inner) => applyOperation(db, inner))
    case 'import':
      return applyImport(db, op)
    case 'setStatus':
      requirePaper(db, op.id)
      db.run(`UPDATE papers SET status = ?, status_changed_at = ? WHERE id = ? AND status <> ?`, [
        statusCode(op.status),
        op.at,
        op.id,
        statusCode(op.status),
      ])
      if (db.changes() === 1) {
        db.run('INSERT INTO status_history (paper_id, status, at) VALUES (?, ?, ?)', [
          op.id,
          statusCode(op.status),
          op.at,
        ])
      }
      return op.id
    case 'setNote':
      requirePaper(db, op.id)
      db.run(`UPDATE papers SET note = ?, note_updated_at = ? WHERE id = ? AND note <> ?`, [
        op.note,
        op.at,
        op.id,
        op.note,
      ])
      return op.id
  }
}
