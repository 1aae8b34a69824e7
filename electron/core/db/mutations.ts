// Every change to a library is an operation: a plain, serialisable value that carries all it
// needs (including the time), so applying it again to the same state gives the same result.
// That is what lets the journal replay acknowledged changes after a crash.
import { titleKey } from '../../../shared/titleKey'
import { SYNC_IMPORT_FORMAT } from '../../../shared/domain'
import type {
  DeletionSummary,
  ImportSummary,
  ImportWarning,
  RestoreSummary,
  PaperState,
  Status,
  UndoImportSummary,
} from '../../../shared/domain'
import { normalizeTag } from '../../../shared/search'
import { LibraryError } from '../errors'
import type { Db, Row } from './database'
import type { SqlValue, Statement } from 'sql.js'
import { IMPORT_COLUMNS } from './paperColumns'
import type { ImportedPaper } from './paperColumns'
import { lastDeletion } from './queries'
import { statusCode, statusFromCode } from './statusCodes'
import { librarySpelling, tagCondition, tagKey } from './tags'
import { applySyncOperation } from './syncMerge'
import type { Mutations, SyncOperation } from './syncMerge'

export type Operation =
  | {
      kind: 'import'
      at: string
      source: string
      format: string
      papers: ImportedPaper[]
      warnings: ImportWarning[]
      skipped: number
    }
  /**
   * A large import, written in steps so that the app answers meanwhile: the import is begun
   * (incomplete), its papers written a part at a time, then marked complete. One left
   * incomplete (a crash, a cancel) is taken back with `undoImport`.
   */
  | {
      kind: 'importBegin'
      at: string
      source: string
      format: string
      warnings: ImportWarning[]
      skipped: number
      /** The dump dates its papers carry (absent in journals written before they were kept). */
      dumpDates?: string[]
    }
  | { kind: 'importPapers'; at: string; importId: number; papers: ImportedPaper[] }
  | { kind: 'importEnd'; importId: number }
  /**
   * Takes an import back: removes the papers it added that the user has not used, empties the
   * fields it filled in. `forget` (a cancelled or interrupted import) also drops its record
   * when nothing of it is kept.
   */
  | { kind: 'undoImport'; at: string; importId: number; forget?: boolean }
  /** A setting of the library's own (kept in it, so it travels with it). */
  | { kind: 'setSetting'; key: SettingKey; value: string }
  | { kind: 'setStatus'; at: string; id: number; status: Status }
  | { kind: 'setNote'; at: string; id: number; note: string }
  /**
   * Several papers changed alike (a selection): a status, a star, tags added or removed. Returns
   * each paper's state before, so that the change can be undone (`restorePapers`).
   */
  | {
      kind: 'updatePapers'
      at: string
      ids: number[]
      status?: Status
      starred?: boolean
      addTags?: string[]
      removeTags?: string[]
    }
  /** Puts papers' status, star and tags back as `updatePapers` found them (undo). */
  | { kind: 'restorePapers'; papers: PaperState[] }
  /** A tag renamed on every paper (merged into `to` if that tag exists). */
  | { kind: 'renameTag'; from: string; to: string }
  /** A tag taken off every paper. */
  | { kind: 'deleteTag'; name: string }
  /** Deleted papers are kept whole (note, status, history) in `deleted_papers`. */
  | { kind: 'delete'; at: string; ids: number[] }
  /** Puts the papers of a deletion back as they were, under their own ids. */
  | { kind: 'restoreDeleted'; at: string; deletionId: number | null }
  /** Several changes that stand or fall together (one journal record). */
  | { kind: 'batch'; ops: Operation[] }
  /** Sync: this device's changes recorded, others' applied (db/sync.ts). */
  | SyncOperation

/** The settings a library keeps. */
export type SettingKey =
  | 'watchInbox'
  | 'savedSearches'
  | 'backupEvery'
  | 'backupsKept'
  | 'backupsFolder'
  | 'syncFolder'
  | 'syncLast'

export type OperationResult =
  | ImportSummary
  | ImportCounts
  | DeletionSummary
  | RestoreSummary
  | UndoImportSummary
  | PaperState[]
  | number[]
  | number
  | null
  | OperationResult[]

/** What writing some of an import's papers did. */
export interface ImportCounts {
  added: number
  duplicates: number
  updated: number
  matchedBy: Record<MatchRule, number>
}

function requirePaper(db: Db, id: number): void {
  if (db.value('SELECT 1 FROM papers WHERE id = ?', [id]) === null) {
    throw new LibraryError('not-found', `there is no paper with id ${id}`)
  }
}

/**
 * The id the next new paper gets: past every paper there is or ever was — deleted ones (so undo
 * finds its id free) and copies an undo replaced (so an id once shown never names another paper).
 */
function nextPaperId(db: Db): number {
  return (
    Number(
      db.value(`SELECT MAX(m) FROM (
        SELECT MAX(id) AS m FROM papers
        UNION ALL SELECT MAX(paper_id) FROM deleted_papers
        UNION ALL SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'retired_paper_id')`) ?? 0,
    ) + 1
  )
}

/** Keeps an id that leaves the library without a trace from ever being given again. */
function retirePaperId(db: Db, id: number): void {
  db.run(
    `INSERT INTO meta (key, value) VALUES ('retired_paper_id', ?)
     ON CONFLICT (key) DO UPDATE SET value = MAX(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER))`,
    [id],
  )
}

const INSERT_PAPER = `INSERT INTO papers (id, title_key, added_at, import_id, ${IMPORT_COLUMNS.map((c) => c.column).join(', ')})
  VALUES (?, ?, ?, ?, ${IMPORT_COLUMNS.map(() => '?').join(', ')})`

const FILLABLE = IMPORT_COLUMNS.filter((c) => c.empty !== undefined)

/** The first row of a prepared statement run with `params`, as values; the statement is reset. */
function first(stmt: Statement, params: SqlValue[]): SqlValue[] | null {
  stmt.bind(params)
  const row = stmt.step() ? (stmt.get() as SqlValue[]) : null
  stmt.reset()
  return row
}

function allRows(stmt: Statement, params: SqlValue[]): SqlValue[][] {
  stmt.bind(params)
  const rows: SqlValue[][] = []
  while (stmt.step()) rows.push(stmt.get() as SqlValue[])
  stmt.reset()
  return rows
}

type MatchRule = keyof ImportSummary['matchedBy']

/** What an import did (or, in a preview, would do) with one of its papers. */
export interface PaperOutcome {
  paperId: number
  outcome: 'new' | 'duplicate' | 'update'
  matchedBy: MatchRule | null
}

/** Applies an import and says, paper by paper, what became of each (for a preview). */
export function applyImportWithOutcomes(
  db: Db,
  op: Extract<Operation, { kind: 'import' }>,
): { summary: ImportSummary; outcomes: PaperOutcome[] } {
  const outcomes: PaperOutcome[] = []
  return { summary: applyImport(db, op, outcomes), outcomes }
}

function applyImport(
  db: Db,
  op: Extract<Operation, { kind: 'import' }>,
  outcomes?: PaperOutcome[],
): ImportSummary {
  const importId = beginImport(db, { ...op, dumpDates: dumpDatesOf(op.papers) })
  const counts = importPapers(db, importId, op.at, op.papers, outcomes)
  endImport(db, importId)
  const dumpDates = dumpDatesOf(op.papers)
  return {
    importId,
    source: op.source,
    format: op.format,
    ...counts,
    skipped: op.skipped,
    warnings: op.warnings,
    dumpDates,
  }
}

/** The distinct dump dates of some papers, in order. */
export function dumpDatesOf(papers: readonly ImportedPaper[]): string[] {
  // One pass, no array per step: it runs over all of a 100,000-paper import on the main thread.
  const dates = new Set<string>()
  for (const p of papers) if (p.dumpDate !== null) dates.add(p.dumpDate)
  return [...dates].sort()
}

/** Records an import, incomplete until `endImport`; its number. */
function beginImport(
  db: Db,
  op: {
    at: string
    source: string
    format: string
    warnings: ImportWarning[]
    skipped: number
    dumpDates?: string[]
  },
): number {
  // Past every import there is or was: an import number once shown never names another.
  const importId =
    Number(
      db.value(`SELECT MAX(m) FROM (SELECT MAX(id) AS m FROM imports
        UNION ALL SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'retired_import_id')`) ?? 0,
    ) + 1
  db.run(
    `INSERT INTO imports (id, source, format, imported_at, added, duplicates, updated, skipped, warnings, complete, dump_dates)
     VALUES (?, ?, ?, ?, 0, 0, 0, ?, ?, 0, ?)`,
    [
      importId,
      op.source,
      op.format,
      op.at,
      op.skipped,
      JSON.stringify(op.warnings),
      JSON.stringify(op.dumpDates ?? []),
    ],
  )
  return importId
}

function endImport(db: Db, importId: number): void {
  db.run('UPDATE imports SET complete = 1 WHERE id = ? AND complete = 0', [importId])
  if (db.changes() !== 1) {
    throw new LibraryError('conflict', `import ${importId} is not under way`)
  }
}

/** Writes papers of an import: new ones added, known ones completed. */
function importPapers(
  db: Db,
  importId: number,
  at: string,
  papers: readonly ImportedPaper[],
  outcomes?: PaperOutcome[],
): ImportCounts {
  if (db.value('SELECT 1 FROM imports WHERE id = ? AND complete = 0', [importId]) === null) {
    throw new LibraryError('conflict', `import ${importId} is not under way`)
  }
  let nextId = nextPaperId(db)
  const counts: ImportCounts = {
    added: 0,
    duplicates: 0,
    updated: 0,
    matchedBy: { arxivId: 0, doi: 0, title: 0 },
  }
  const s = {
    insert: db.prepare(INSERT_PAPER),
    byArxiv: db.prepare('SELECT id FROM papers WHERE arxiv_id = ?'),
    byDoi: db.prepare('SELECT id FROM papers WHERE doi = ?'),
    byTitle: db.prepare('SELECT id, arxiv_id, doi FROM papers WHERE title_key = ? ORDER BY id'),
    current: db.prepare(
      `SELECT ${FILLABLE.map((c) => c.column).join(', ')} FROM papers WHERE id = ?`,
    ),
    seen: db.prepare('INSERT OR IGNORE INTO paper_imports (paper_id, import_id) VALUES (?, ?)'),
    fill: db.prepare(
      'INSERT OR REPLACE INTO import_fills (import_id, paper_id, field, value) VALUES (?, ?, ?, ?)',
    ),
    filledBefore: db.prepare('SELECT DISTINCT field FROM import_fills WHERE paper_id = ?'),
  }
  try {
    for (const paper of papers) {
      const key = titleKey(paper.title)
      const match = findSame(s, paper, key)
      if (!match) {
        s.insert.run([
          nextId,
          key,
          paper.carried?.addedAt ?? at,
          importId,
          ...IMPORT_COLUMNS.map((c) => c.value(paper)),
        ])
        if (paper.carried) {
          carryOver(db, nextId, paper.carried)
          // As it was carried, to tell later whether the user has changed it here.
          s.fill.run([
            importId,
            nextId,
            CARRIED,
            db.value(`SELECT ${CARRIED_STATE} FROM papers WHERE id = ?`, [nextId]),
          ])
        }
        s.seen.run([nextId, importId])
        outcomes?.push({ paperId: nextId, outcome: 'new', matchedBy: null })
        counts.added += 1
        nextId += 1
        continue
      }
      counts.duplicates += 1
      counts.matchedBy[match.rule] += 1
      s.seen.run([match.id, importId])
      // A paper already known only gains what it lacked; nothing the user wrote (status,
      // note) and no value it already has is ever touched by an import.
      const supplied: [string, SqlValue][] = []
      const filled = fillIn(db, s.current, match.id, paper, supplied)
      for (const [column, value] of filled) s.fill.run([importId, match.id, column, value])
      // Where the value it had came from another import, this one's is kept aside: should that
      // import be undone, the field takes this one's value rather than going empty.
      if (supplied.length > 0) {
        const fromImports = new Set(
          allRows(s.filledBefore, [match.id]).map((row) => String(row[0])),
        )
        for (const [column, value] of supplied) {
          if (fromImports.has(column))
            s.fill.run([importId, match.id, `${SUPPLIED}${column}`, value])
        }
      }
      if (filled.length > 0) counts.updated += 1
      outcomes?.push({
        paperId: match.id,
        outcome: filled.length > 0 ? 'update' : 'duplicate',
        matchedBy: match.rule,
      })
    }
  } finally {
    for (const stmt of Object.values(s)) stmt.free()
  }
  db.run(
    'UPDATE imports SET added = added + ?, duplicates = duplicates + ?, updated = updated + ? WHERE id = ?',
    [counts.added, counts.duplicates, counts.updated, importId],
  )
  return counts
}

/**
 * The paper already in the library that `paper` is: the one with its arXiv id, else its DOI,
 * else its title — unless that paper has a different arXiv id or DOI (then they are two papers
 * that share a title).
 */
function findSame(
  s: { byArxiv: Statement; byDoi: Statement; byTitle: Statement },
  paper: ImportedPaper,
  key: string,
): { id: number; rule: MatchRule } | null {
  const arxivId = paper.meta?.arxivId ?? null
  const doi = paper.meta?.doi ?? null
  if (arxivId) {
    const row = first(s.byArxiv, [arxivId])
    if (row) return { id: Number(row[0]), rule: 'arxivId' }
  }
  if (doi) {
    const row = first(s.byDoi, [doi])
    if (row) return { id: Number(row[0]), rule: 'doi' }
  }
  for (const [id, otherArxiv, otherDoi] of allRows(s.byTitle, [key])) {
    if (arxivId && otherArxiv && otherArxiv !== arxivId) continue
    if (doi && otherDoi && otherDoi !== doi) continue
    return { id: Number(id), rule: 'title' }
  }
  return null
}

/**
 * The user's own state a Lectern JSON export carries, given to a paper new to this library
 * (never to one already here: an import does not touch a note or a status).
 */
function carryOver(db: Db, id: number, carried: NonNullable<ImportedPaper['carried']>): void {
  db.run(
    'UPDATE papers SET status = ?, status_changed_at = ?, note = ?, note_updated_at = ? WHERE id = ?',
    [statusCode(carried.status), carried.statusChangedAt, carried.note, carried.noteUpdatedAt, id],
  )
  if (carried.starred) db.run('UPDATE papers SET starred = 1 WHERE id = ?', [id])
  const tags = canonicalTags(db, carried.tags ?? [])
  if (tags.length > 0) db.run('UPDATE papers SET tags = ? WHERE id = ?', [JSON.stringify(tags), id])
  for (const entry of carried.statusHistory) {
    db.run('INSERT INTO status_history (paper_id, status, at) VALUES (?, ?, ?)', [
      id,
      statusCode(entry.status),
      entry.at,
    ])
  }
}

/**
 * Whether `value` may not be given to a paper's `column`: arXiv ids and DOIs name one paper
 * each, so never one that another paper holds, nor one a deleted paper still holds (undoing its
 * deletion would take the paper for a copy of it).
 */
function identifierTaken(db: Db, column: string, value: SqlValue): boolean {
  if (column !== 'arxiv_id' && column !== 'doi') return false
  return (
    db.value(`SELECT 1 FROM papers WHERE ${column} = ?`, [value]) !== null ||
    db.value(
      `SELECT 1 FROM deleted_papers d JOIN deletions x ON x.id = d.deletion_id
       WHERE x.restored_at IS NULL AND json_extract(d.paper, '$.${column}') = ?`,
      [value],
    ) !== null
  )
}

/** Fills the known paper's empty fields from `paper`; the columns filled, with their values. */
function fillIn(
  db: Db,
  current: Statement,
  id: number,
  paper: ImportedPaper,
  supplied?: [string, SqlValue][],
): [string, SqlValue][] {
  const have = first(current, [id])!
  const sets: string[] = []
  const values: SqlValue[] = []
  FILLABLE.forEach((c, i) => {
    const value = c.value(paper)
    if (value === c.empty) return
    if (have[i] !== c.empty) {
      // Already there; the caller may note that this import had it too.
      supplied?.push([c.column, value])
      return
    }
    if (identifierTaken(db, c.column, value)) return
    sets.push(`${c.column} = ?`)
    values.push(value)
  })
  if (sets.length === 0) return []
  db.run(`UPDATE papers SET ${sets.join(', ')} WHERE id = ?`, [...values, id])
  return sets.map((set, i) => [set.slice(0, set.indexOf(' ')), values[i]!])
}

const MAX_TITLES_LISTED = 20

/**
 * Before a column's name in import_fills: a value this import had for a field another import
 * had already filled (it takes the field's place if that import is undone).
 */
const SUPPLIED = '~'

/** The import_fills field that records what a Lectern JSON export carried to a new paper. */
const CARRIED = '@carried'
/**
 * A paper's own state (status, note, history, star, tags) as one value, to compare with what was
 * carried. (Recorded by an import before stars and tags, it has three members: such a paper then
 * counts as the user's and is kept by an undo — the safe side.)
 */
const CARRIED_STATE = `json_array(papers.status, papers.note,
  (SELECT COUNT(*) FROM status_history WHERE status_history.paper_id = papers.id),
  papers.starred, papers.tags)`

/** SQL that is true for a paper (`papers` row) the user has used: a status, a note, a history. */
const USED_BY_USER = `(papers.status <> 0 OR papers.note <> '' OR papers.starred <> 0
  OR papers.tags <> '[]' OR EXISTS
  (SELECT 1 FROM status_history WHERE status_history.paper_id = papers.id))`

function applyDelete(db: Db, op: Extract<Operation, { kind: 'delete' }>): DeletionSummary {
  const ids = [...new Set(op.ids)].sort((a, b) => a - b)
  for (const id of ids) requirePaper(db, id)
  db.run('INSERT INTO deletions (at) VALUES (?)', [op.at])
  const deletionId = db.lastInsertId()
  const titles: string[] = []
  db.with('SELECT * FROM papers WHERE id = ?', (select) =>
    db.with('SELECT * FROM status_history WHERE paper_id = ? ORDER BY id', (history) =>
      db.with(
        'INSERT INTO deleted_papers (deletion_id, paper_id, paper, history) VALUES (?, ?, ?, ?)',
        (keep) => {
          for (const id of ids) {
            select.bind([id])
            select.step()
            const paper = select.getAsObject() as Row
            select.reset()
            history.bind([id])
            const entries: Row[] = []
            while (history.step()) entries.push(history.getAsObject() as Row)
            history.reset()
            keep.run([deletionId, id, JSON.stringify(paper), JSON.stringify(entries)])
            if (titles.length < MAX_TITLES_LISTED) titles.push(String(paper.title))
          }
        },
      ),
    ),
  )
  // Status history goes with its paper (ON DELETE CASCADE); it is kept above.
  db.with('DELETE FROM papers WHERE id = ?', (remove) => {
    for (const id of ids) remove.run([id])
  })
  return { deletionId, deleted: ids.length, titles }
}

/** The columns a table has now, so that a row kept by an older schema is put back safely. */
function columnsOf(db: Db, table: string): Set<string> {
  return new Set(db.all<{ name: string }>(`PRAGMA table_info(${table})`).map((c) => c.name))
}

function insertRow(db: Db, table: string, row: Row, columns: Set<string>): void {
  const names = Object.keys(row).filter((name) => columns.has(name))
  db.run(
    `INSERT INTO ${table} (${names.map((n) => `"${n}"`).join(', ')}) VALUES (${names.map(() => '?').join(', ')})`,
    names.map((n) => row[n] ?? null),
  )
}

function applyRestore(db: Db, op: Extract<Operation, { kind: 'restoreDeleted' }>): RestoreSummary {
  const deletionId = op.deletionId ?? lastDeletion(db)
  if (deletionId === null) throw new LibraryError('not-found', 'there is no deletion to undo')
  const deletion = db.get<{ restored_at: string | null }>(
    'SELECT restored_at FROM deletions WHERE id = ?',
    [deletionId],
  )
  if (!deletion) throw new LibraryError('not-found', `there is no deletion ${deletionId}`)
  if (deletion.restored_at !== null) {
    throw new LibraryError('conflict', `deletion ${deletionId} was already undone`)
  }
  const kept = db.all<{ paper_id: number; paper: string; history: string }>(
    'SELECT paper_id, paper, history FROM deleted_papers WHERE deletion_id = ? ORDER BY paper_id',
    [deletionId],
  )
  const paperColumns = columnsOf(db, 'papers')
  const historyColumns = columnsOf(db, 'status_history')
  for (const { paper, history } of kept) {
    const row = JSON.parse(paper) as Row
    // The same paper imported again since it was deleted: if the user has done nothing with
    // the new copy, the original (with its note and history) takes its place; otherwise both
    // hold the user's work and the undo is refused rather than lose either.
    // (The same paper as an import would recognise it: by arXiv id, DOI, or title when those
    // do not differ.)
    const arxivId = (row.arxiv_id as string | null) ?? null
    const doi = (row.doi as string | null) ?? null
    const copies = db
      .all<{ id: number; arxiv_id: string | null; doi: string | null; untouched: number }>(
        `SELECT id, arxiv_id, doi, NOT ${USED_BY_USER} AS untouched
         FROM papers WHERE arxiv_id = ? OR doi = ? OR title_key = ?`,
        [arxivId, doi, row.title_key ?? ''],
      )
      .filter(
        (c) =>
          (arxivId !== null && c.arxiv_id === arxivId) ||
          (doi !== null && c.doi === doi) ||
          !((arxivId && c.arxiv_id && c.arxiv_id !== arxivId) || (doi && c.doi && c.doi !== doi)),
      )
    if (copies.some((c) => c.untouched !== 1)) {
      throw new LibraryError(
        'conflict',
        `“${String(row.title)}” was imported again after it was deleted and has a status or note of its own; nothing was restored`,
      )
    }
    for (const copy of copies) {
      db.run('DELETE FROM papers WHERE id = ?', [copy.id])
      retirePaperId(db, copy.id)
    }
    insertRow(db, 'papers', row, paperColumns)
    // History rows get new ids (others may have taken the old ones since); kept in their
    // original order, they read back in the same order.
    for (const { id: _id, ...entry } of JSON.parse(history) as Row[]) {
      insertRow(db, 'status_history', entry, historyColumns)
    }
  }
  db.run('DELETE FROM deleted_papers WHERE deletion_id = ?', [deletionId])
  db.run('UPDATE deletions SET restored_at = ? WHERE id = ?', [op.at, deletionId])
  return { deletionId, restored: kept.length, ids: kept.map((k) => k.paper_id) }
}

function applyUndoImport(
  db: Db,
  op: Extract<Operation, { kind: 'undoImport' }>,
): UndoImportSummary {
  const record = db.get<{ source: string; undone_at: string | null; complete: number }>(
    'SELECT source, undone_at, complete FROM imports WHERE id = ?',
    [op.importId],
  )
  if (!record) throw new LibraryError('not-found', `there is no import ${op.importId}`)
  if (record.undone_at !== null) {
    throw new LibraryError('conflict', `import ${op.importId} was already undone`)
  }
  if (record.complete === 0 && !op.forget) {
    throw new LibraryError(
      'conflict',
      `import ${op.importId} is still being written; cancel it instead (nothing of it is kept)`,
    )
  }
  // What a Lectern JSON export carried to its new papers is not the user's work here.
  const carried = new Map(
    db
      .all<{ paper_id: number; value: string }>(
        `SELECT paper_id, value FROM import_fills WHERE import_id = ? AND field = '${CARRIED}'`,
        [op.importId],
      )
      .map((r) => [r.paper_id, r.value]),
  )
  // The papers it added, each with why it stays (null: it goes).
  const added = db.all<{
    id: number
    title: string
    used: number
    state: string
    later: number | null
  }>(
    `SELECT id, title, ${USED_BY_USER} AS used, ${CARRIED_STATE} AS state,
       (SELECT MIN(pi.import_id) FROM paper_imports pi JOIN imports i ON i.id = pi.import_id
        WHERE pi.paper_id = papers.id AND pi.import_id <> ? AND i.undone_at IS NULL) AS later
     FROM papers WHERE import_id = ? ORDER BY id`,
    [op.importId, op.importId],
  )
  const kept: UndoImportSummary['kept'] = []
  let keptCount = 0
  let removed = 0
  let lastRemoved = 0
  for (const paper of added) {
    if (paper.used === 1 && carried.get(paper.id) === paper.state) paper.used = 0
    if (paper.used === 1 || paper.later !== null) {
      keptCount += 1
      if (paper.used !== 1) {
        // Another import brought it too: it is that import's paper now.
        db.run('UPDATE papers SET import_id = ? WHERE id = ?', [paper.later, paper.id])
      }
      if (kept.length < MAX_TITLES_LISTED) {
        const reason = paper.used !== 1 ? 'later-import' : paperUse(db, paper.id)
        kept.push({ id: paper.id, title: paper.title, reason })
      }
      continue
    }
    db.run('DELETE FROM papers WHERE id = ?', [paper.id])
    lastRemoved = Math.max(lastRemoved, paper.id)
    removed += 1
  }
  if (lastRemoved > 0) retirePaperId(db, lastRemoved)
  // Fields it filled in on papers already there: emptied again where they still hold its value.
  let reverted = 0
  for (const { paper_id: paperId, fills } of db.all<{ paper_id: number; fills: string }>(
    `SELECT paper_id, json_group_array(json_array(field, value)) AS fills
     FROM import_fills WHERE import_id = ? GROUP BY paper_id ORDER BY paper_id`,
    [op.importId],
  )) {
    let changed = false
    for (const [field, value] of JSON.parse(fills) as [string, SqlValue][]) {
      const column = FILLABLE.find((c) => c.column === field)
      if (!column) continue
      // Another import that stands had this field too: its value takes the place, and the
      // field is that import's fill from now on.
      // (Not an identifier that names another paper by now.)
      const heir =
        db
          .all<{ import_id: number; value: SqlValue }>(
            `SELECT f.import_id, f.value FROM import_fills f JOIN imports i ON i.id = f.import_id
             WHERE f.paper_id = ? AND f.field = ? AND f.import_id <> ? AND i.undone_at IS NULL
             ORDER BY f.import_id`,
            [paperId, `${SUPPLIED}${field}`, op.importId],
          )
          .find((h) => h.value === value || !identifierTaken(db, column.column, h.value)) ?? null
      db.run(`UPDATE papers SET ${column.column} = ? WHERE id = ? AND ${column.column} IS ?`, [
        heir ? heir.value : (column.empty ?? null),
        paperId,
        value,
      ])
      if (db.changes() === 1) {
        changed = true
        if (heir) {
          db.run(
            `UPDATE import_fills SET field = ? WHERE import_id = ? AND paper_id = ? AND field = ?`,
            [field, heir.import_id, paperId, `${SUPPLIED}${field}`],
          )
        }
      }
      // A paper deleted since keeps the value in its kept row: emptied there too, so that
      // undoing the deletion does not bring back what this import gave it.
      db.run(
        `UPDATE deleted_papers SET paper = json_set(paper, '$.${column.column}', ?)
         WHERE paper_id = ? AND json_extract(paper, '$.${column.column}') IS ?
           AND deletion_id IN (SELECT id FROM deletions WHERE restored_at IS NULL)`,
        [column.empty ?? null, paperId, value],
      )
    }
    if (changed) reverted += 1
  }
  db.run('DELETE FROM import_fills WHERE import_id = ?', [op.importId])
  db.run('DELETE FROM paper_imports WHERE import_id = ?', [op.importId])
  const stillNamed =
    keptCount > 0 ||
    db.value(
      `SELECT 1 FROM deleted_papers d JOIN deletions x ON x.id = d.deletion_id
       WHERE x.restored_at IS NULL AND json_extract(d.paper, '$.import_id') = ?`,
      [op.importId],
    ) !== null
  if (op.forget && !stillNamed) {
    db.run('DELETE FROM imports WHERE id = ?', [op.importId])
    db.run(
      `INSERT INTO meta (key, value) VALUES ('retired_import_id', ?)
       ON CONFLICT (key) DO UPDATE SET value = MAX(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER))`,
      [op.importId],
    )
  } else {
    db.run('UPDATE imports SET undone_at = ?, complete = 1 WHERE id = ?', [op.at, op.importId])
  }
  return { importId: op.importId, source: record.source, removed, reverted, kept, keptCount }
}

/** Why the user's paper is theirs: a note, else a status. */
function paperUse(db: Db, id: number): 'note' | 'status' | 'starred' | 'tags' {
  const row = db.get<{ note: number; starred: number; tags: number }>(
    `SELECT note <> '' AS note, starred, tags <> '[]' AS tags FROM papers WHERE id = ?`,
    [id],
  )
  if (row?.note === 1) return 'note'
  if (row?.tags === 1) return 'tags'
  if (row?.starred === 1) return 'starred'
  return 'status'
}

/** A status change of one paper, with its history entry (nothing when it has that status). */
function setStatus(db: Db, id: number, status: Status, at: string): void {
  db.run(`UPDATE papers SET status = ?, status_changed_at = ? WHERE id = ? AND status <> ?`, [
    statusCode(status),
    at,
    id,
    statusCode(status),
  ])
  if (db.changes() === 1) {
    db.run('INSERT INTO status_history (paper_id, status, at) VALUES (?, ?, ?)', [
      id,
      statusCode(status),
      at,
    ])
  }
}

/**
 * Tags as given, each once (whatever its case), spelled as the library already spells them.
 * `spelled` keeps the lookups of one operation (a tag is looked up once, not once per paper).
 */
function canonicalTags(
  db: Db,
  names: readonly string[],
  spelled: Map<string, string> = new Map(),
): string[] {
  const out: string[] = []
  const seen = new Set<string>()
  for (const raw of names) {
    const name = normalizeTag(raw)
    const key = tagKey(name)
    if (!name || seen.has(key)) continue
    seen.add(key)
    let spelling = spelled.get(key)
    if (spelling === undefined) {
      spelling = librarySpelling(db, name) ?? name
      spelled.set(key, spelling)
    }
    out.push(spelling)
  }
  return out
}

/** A paper's triage state as an operation on several finds it. */
interface Current {
  id: number
  status: number
  changed: string | null
  starred: number
  tags: string
}

/**
 * The state of papers by id, in the order given, read in one statement (the ids bound once as
 * a JSON array: a statement per paper costs seconds on a selection of 100,000). Ids of papers
 * not in the library are left out when `skipMissing`, else refused.
 */
function currentOf(db: Db, ids: readonly number[], skipMissing = false): Current[] {
  const rows = db.all<{ want: number } & { [K in keyof Current]: Current[K] | null }>(
    `SELECT j.value AS want, p.id AS id, p.status AS status, p.status_changed_at AS changed,
            p.starred AS starred, p.tags AS tags
     FROM json_each(?) AS j LEFT JOIN papers AS p ON p.id = j.value ORDER BY j.key`,
    [JSON.stringify(ids)],
  )
  const missing = rows.find((r) => r.id === null)
  if (missing && !skipMissing) {
    throw new LibraryError('not-found', `there is no paper with id ${missing.want}`)
  }
  return rows.filter((r): r is { want: number } & Current => r.id !== null)
}

/** Runs `sql` once over a JSON array of rows (`json_each(?)`): one statement for any number. */
function forEachRow(db: Db, sql: string, rows: readonly unknown[], params: SqlValue[] = []): void {
  if (rows.length > 0) db.run(sql, [...params, JSON.stringify(rows)])
}

/** Gives papers new values of one column (`[id, value]` pairs), in one statement. */
function writeColumn(
  db: Db,
  column: 'tags' | 'starred',
  pairs: readonly [number, string | number][],
): void {
  forEachRow(
    db,
    `UPDATE papers SET ${column} = u.value
     FROM (SELECT json_extract(value, '$[0]') AS id, json_extract(value, '$[1]') AS value
           FROM json_each(?)) AS u
     WHERE papers.id = u.id`,
    pairs,
  )
}

/** Gives papers new tag lists: `[id, tagsJson]` pairs, in one statement. */
function writeTags(db: Db, pairs: readonly [number, string][]): void {
  writeColumn(db, 'tags', pairs)
}

function applyUpdatePapers(db: Db, op: Extract<Operation, { kind: 'updatePapers' }>): PaperState[] {
  const current = currentOf(db, [...new Set(op.ids)])
  const spelled = new Map<string, string>()
  const add = canonicalTags(db, op.addTags ?? [], spelled)
  const remove = new Set(canonicalTags(db, op.removeTags ?? [], spelled).map(tagKey))
  const states: PaperState[] = []
  const statusSet: number[] = []
  const starSet: number[] = []
  const tagsSet: [number, string][] = []
  for (const paper of current) {
    const state: PaperState = { id: paper.id }
    if (op.status && paper.status !== statusCode(op.status)) {
      statusSet.push(paper.id)
      state.status = {
        was: statusFromCode(paper.status),
        changedAt: paper.changed,
        set: op.status,
        at: op.at,
      }
    }
    if (op.starred !== undefined && paper.starred !== (op.starred ? 1 : 0)) {
      starSet.push(paper.id)
      state.starred = paper.starred === 1
    }
    if (add.length || remove.size) {
      const had = JSON.parse(paper.tags) as string[]
      const kept = had.filter((t) => !remove.has(tagKey(t)))
      const have = new Set(kept.map(tagKey))
      const added = add.filter((t) => !have.has(tagKey(t)))
      const removed = had.filter((t) => remove.has(tagKey(t)))
      if (added.length || removed.length) {
        tagsSet.push([paper.id, JSON.stringify([...kept, ...added])])
        state.tags = { added, removed, order: had }
      }
    }
    states.push(state)
  }
  if (op.status) {
    const code = statusCode(op.status)
    const ids = 'WHERE id IN (SELECT value FROM json_each(?))'
    forEachRow(db, `UPDATE papers SET status = ?, status_changed_at = ? ${ids}`, statusSet, [
      code,
      op.at,
    ])
    forEachRow(
      db,
      `INSERT INTO status_history (paper_id, status, at)
       SELECT value, ?, ? FROM json_each(?) ORDER BY key`,
      statusSet,
      [code, op.at],
    )
  }
  if (op.starred !== undefined) {
    forEachRow(
      db,
      'UPDATE papers SET starred = ? WHERE id IN (SELECT value FROM json_each(?))',
      starSet,
      [op.starred ? 1 : 0],
    )
  }
  writeTags(db, tagsSet)
  return states
}

/** Whether a paper's tags are (whatever their order) those a change left on it. */
function holdsWhatTheChangeLeft(
  tags: readonly string[],
  change: NonNullable<PaperState['tags']>,
): change is NonNullable<PaperState['tags']> & { order: string[] } {
  if (!change.order) return false
  const removed = new Set(change.removed.map(tagKey))
  const left = new Set(change.order.map(tagKey).filter((k) => !removed.has(k)))
  for (const t of change.added) left.add(tagKey(t))
  const now = new Set(tags.map(tagKey))
  return now.size === left.size && [...now].every((k) => left.has(k))
}

/**
 * Takes back what `updatePapers` (or a tag's rename or deletion) did, part by part, where the
 * paper still holds what it was given: the status and the history entry it wrote; the star; the
 * tags added (taken off again) and removed (put back). Papers deleted since are left to their
 * deletion's own undo.
 */
function applyRestorePapers(db: Db, op: Extract<Operation, { kind: 'restorePapers' }>): number[] {
  const before = currentOf(
    db,
    op.papers.map((p) => p.id),
    true,
  )
  // Each state is applied in turn to the paper as the states before it left it (a paper may come
  // more than once: two changes undone together); the papers are written once, at the end.
  const rows = new Map(before.map((r) => [r.id, { ...r }]))
  const spelled = new Map<string, string>()
  const restored: number[] = []
  /** The history entries the status changes taken back wrote: [paper, status, at]. */
  const entries: [number, number, string][] = []
  for (const state of op.papers) {
    const row = rows.get(state.id)
    if (!row) continue
    const { status } = state
    if (status && row.status === statusCode(status.set) && row.changed === status.at) {
      row.status = statusCode(status.was)
      row.changed = status.changedAt
      entries.push([state.id, statusCode(status.set), status.at])
    }
    if (state.starred !== undefined) row.starred = state.starred ? 1 : 0
    if (state.tags && holdsWhatTheChangeLeft(JSON.parse(row.tags) as string[], state.tags)) {
      // Nothing changed its tags since: they go back exactly, order and spelling.
      row.tags = JSON.stringify(state.tags.order)
    } else if (state.tags) {
      const addedKeys = new Set(state.tags.added.map(tagKey))
      const kept = (JSON.parse(row.tags) as string[]).filter((t) => !addedKeys.has(tagKey(t)))
      const have = new Set(kept.map(tagKey))
      // A tag only respelled (a rename that changed its case) goes back to its own spelling.
      const back = [
        ...state.tags.removed.filter((t) => addedKeys.has(tagKey(t))),
        ...canonicalTags(
          db,
          state.tags.removed.filter((t) => !addedKeys.has(tagKey(t))),
          spelled,
        ),
      ].filter((t) => !have.has(tagKey(t)))
      row.tags = JSON.stringify([...kept, ...back])
    }
    restored.push(state.id)
  }
  const statusBack: [number, number, string | null][] = []
  const starBack: [number, number][] = []
  const tagsBack: [number, string][] = []
  for (const was of before) {
    const now = rows.get(was.id)!
    if (now.status !== was.status || now.changed !== was.changed) {
      statusBack.push([was.id, now.status, now.changed])
    }
    if (now.starred !== was.starred) starBack.push([was.id, now.starred])
    if (now.tags !== was.tags) tagsBack.push([was.id, now.tags])
    rows.set(was.id, was) // written: a paper listed twice is written once
  }
  forEachRow(
    db,
    `UPDATE papers SET status = u.status, status_changed_at = u.changed
     FROM (SELECT json_extract(value, '$[0]') AS id, json_extract(value, '$[1]') AS status,
                  json_extract(value, '$[2]') AS changed FROM json_each(?)) AS u
     WHERE papers.id = u.id`,
    statusBack,
  )
  // The history entry each status change wrote: the last of that paper with that status then.
  // One statement finds them all at once, so two alike (a paper's two changes in one
  // millisecond) are taken one at a time.
  const deleteEntry = `DELETE FROM status_history WHERE id IN (
       SELECT (SELECT MAX(h.id) FROM status_history AS h
               WHERE h.paper_id = json_extract(j.value, '$[0]')
                 AND h.status = json_extract(j.value, '$[1]')
                 AND h.at = json_extract(j.value, '$[2]'))
       FROM json_each(?) AS j)`
  if (new Set(entries.map((e) => e.join('|'))).size === entries.length) {
    forEachRow(db, deleteEntry, entries)
  } else {
    for (const entry of entries) forEachRow(db, deleteEntry, [entry])
  }
  writeColumn(db, 'starred', starBack)
  writeTags(db, tagsBack)
  return restored
}

/** Renames a tag on every paper; a paper that has both keeps one. What changed, per paper. */
function applyRenameTag(db: Db, op: Extract<Operation, { kind: 'renameTag' }>): PaperState[] {
  const from = normalizeTag(op.from)
  // Into another tag: spelled as the library spells it. Into itself (only its case changes):
  // as given.
  const given = normalizeTag(op.to)
  const [to] = tagKey(given) === tagKey(from) ? [given] : canonicalTags(db, [op.to])
  if (!from || !to) throw new LibraryError('invalid-request', 'to: a tag needs a name')
  return retag(db, from, (tags) => {
    const renamed: string[] = []
    for (const tag of tags) {
      const name = tagKey(tag) === tagKey(from) ? to : tag
      if (!renamed.some((t) => tagKey(t) === tagKey(name))) renamed.push(name)
    }
    return renamed
  })
}

/** Takes a tag off every paper. What changed, per paper. */
function applyDeleteTag(db: Db, op: Extract<Operation, { kind: 'deleteTag' }>): PaperState[] {
  const key = tagKey(normalizeTag(op.name))
  return retag(db, op.name, (tags) => tags.filter((t) => tagKey(t) !== key))
}

/**
 * Gives every paper with the tag `name` (in any case) the tags `change` makes of its own; what
 * it added and took off each, in id order (for undo, as `restorePapers` takes it).
 */
function retag(db: Db, name: string, change: (tags: string[]) => string[]): PaperState[] {
  const spelling = librarySpelling(db, normalizeTag(name))
  if (spelling === null) {
    throw new LibraryError('not-found', `no paper has the tag “${normalizeTag(name)}”`)
  }
  // Every spelling of it (NOCASE, which paper_tags compares with, folds only A–Z).
  const params: SqlValue[] = []
  const papers = db.all<{ id: number; tags: string }>(
    `SELECT id, tags FROM papers WHERE ${tagCondition(spelling, false, params)} ORDER BY id`,
    params,
  )
  const states: PaperState[] = []
  const pairs: [number, string][] = []
  for (const p of papers) {
    const had = JSON.parse(p.tags) as string[]
    const next = change(had)
    pairs.push([p.id, JSON.stringify(next)])
    states.push({
      id: p.id,
      tags: {
        added: next.filter((t) => !had.includes(t)),
        removed: had.filter((t) => !next.includes(t)),
        order: had,
      },
    })
  }
  writeTags(db, pairs)
  return states
}

/**
 * Puts back one paper of a deletion (sync: a change made elsewhere that the deletion did not
 * see brings it back), unless an import has brought it again since. False when it cannot.
 */
function revivePaper(db: Db, paperId: number): boolean {
  const kept = db.get<{ deletion_id: number; paper: string; history: string }>(
    `SELECT d.deletion_id, d.paper, d.history FROM deleted_papers d
     JOIN deletions x ON x.id = d.deletion_id
     WHERE d.paper_id = ? AND x.restored_at IS NULL ORDER BY d.deletion_id DESC LIMIT 1`,
    [paperId],
  )
  if (!kept) return false
  const row = JSON.parse(kept.paper) as Row
  for (const column of ['arxiv_id', 'doi'] as const) {
    const value = row[column]
    if (
      value !== null &&
      value !== undefined &&
      db.value(`SELECT 1 FROM papers WHERE ${column} = ?`, [value]) !== null
    ) {
      return false
    }
  }
  if (db.value('SELECT 1 FROM papers WHERE id = ?', [paperId]) !== null) return false
  insertRow(db, 'papers', row, columnsOf(db, 'papers'))
  const historyColumns = columnsOf(db, 'status_history')
  for (const { id: _id, ...entry } of JSON.parse(kept.history) as Row[]) {
    insertRow(db, 'status_history', entry, historyColumns)
  }
  db.run('DELETE FROM deleted_papers WHERE deletion_id = ? AND paper_id = ?', [
    kept.deletion_id,
    paperId,
  ])
  return true
}

/** The mutations a sync pass makes to the library, as a local change would make them. */
function syncMutations(db: Db): Mutations {
  return {
    importPapers(at, papers) {
      applyImport(db, {
        kind: 'import',
        at,
        source: 'sync',
        format: SYNC_IMPORT_FORMAT,
        papers,
        warnings: [],
        skipped: 0,
      })
    },
    deletePapers: (at, ids) => void applyDelete(db, { kind: 'delete', at, ids }),
    setStatus: (id, status, at) => setStatus(db, id, status, at),
    revive: (paperId) => revivePaper(db, paperId),
  }
}

/** Applies one operation inside the caller's transaction. */
export function applyOperation(db: Db, op: Operation): OperationResult {
  switch (op.kind) {
    case 'syncEnable':
    case 'syncPause':
    case 'syncRekey':
    case 'syncRecord':
    case 'syncApply':
    case 'syncResolveNote':
      return applySyncOperation(db, op, syncMutations(db))
    case 'batch':
      return op.ops.map((inner) => applyOperation(db, inner))
    case 'import':
      return applyImport(db, op)
    case 'importBegin':
      return beginImport(db, op)
    case 'importPapers':
      return importPapers(db, op.importId, op.at, op.papers)
    case 'importEnd':
      endImport(db, op.importId)
      return null
    case 'undoImport':
      return applyUndoImport(db, op)
    case 'setSetting':
      db.run(
        `INSERT INTO meta (key, value) VALUES (?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
        [`setting:${op.key}`, op.value],
      )
      return null
    case 'delete':
      return applyDelete(db, op)
    case 'restoreDeleted':
      return applyRestore(db, op)
    case 'setStatus':
      requirePaper(db, op.id)
      setStatus(db, op.id, op.status, op.at)
      return op.id
    case 'updatePapers':
      return applyUpdatePapers(db, op)
    case 'restorePapers':
      return applyRestorePapers(db, op)
    case 'renameTag':
      return applyRenameTag(db, op)
    case 'deleteTag':
      return applyDeleteTag(db, op)
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
