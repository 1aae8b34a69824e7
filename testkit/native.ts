// The benchmark's native side: the same import, sort, page and search work as Lectern's core,
// on native SQLite through better-sqlite3 (a development dependency used by the benchmark only),
// in the same process and run, so that each of Lectern's figures has a ratio to what native
// SQLite does on this machine now.
//
// "The same work": the same schema (Lectern's own migrations, run through a small adapter that
// gives better-sqlite3 the face of sql.js), the same dumps read by the same parser, the same
// import code (dedupe, import records, status history), the same list queries — except for two
// things a native app would do differently: the search index is FTS5 with its built-in BM25
// (weighted as Lectern weighs its columns), and durability is SQLite's own (WAL,
// synchronous=FULL: an fsync at each commit, as Lectern fsyncs its journal at each change).
import { createRequire } from 'node:module'
import { statSync } from 'node:fs'
import type { BindParams, Database, SqlValue, Statement } from 'sql.js'
import { SORT_FIELDS } from '../shared/domain'
import type { SortDirection, SortField } from '../shared/domain'
import { parseDump } from '../shared/importers'
import type { FormatId } from '../shared/importers'
import { withoutUnstorable } from '../shared/text'
import { Db } from '../electron/core/db/database'
import { migrate } from '../electron/core/db/migrations'
import { applyOperation } from '../electron/core/db/mutations'
import type { Operation } from '../electron/core/db/mutations'
import { listPapers } from '../electron/core/db/queries'
import { compileSearch, IN_COLUMN } from '../electron/core/db/search'

/** The parts of better-sqlite3 used here (its types are not a dependency of the project). */
interface NativeStatement {
  reader: boolean
  raw(on: boolean): NativeStatement
  iterate(...params: unknown[]): IterableIterator<unknown[]>
  run(...params: unknown[]): { changes: number }
  columns(): { name: string }[]
  pluck(): { get(...params: unknown[]): unknown; all(...params: unknown[]): unknown[] }
}
interface NativeDatabase {
  exec(sql: string): void
  prepare(sql: string): NativeStatement
  pragma(sql: string): unknown
  function(name: string, options: object, fn: (...args: unknown[]) => unknown): void
  close(): void
}

/** better-sqlite3, when it is installed and built; otherwise why not. */
export function loadNative(): { open: (path: string) => NativeDatabase } | { missing: string } {
  try {
    const require = createRequire(__filename)
    const Native = require('better-sqlite3') as new (path: string) => NativeDatabase
    const probe = new Native(':memory:')
    probe.exec('CREATE VIRTUAL TABLE t USING fts5(a)')
    probe.close()
    return { open: (path) => new Native(path) }
  } catch (error) {
    return { missing: (error as Error).message.split('\n')[0]! }
  }
}

function nativeValue(value: unknown): unknown {
  if (value === undefined) return null
  if (typeof value === 'boolean') return value ? 1 : 0
  if (value instanceof Uint8Array && !Buffer.isBuffer(value)) return Buffer.from(value)
  return value
}

function nativeParams(params: BindParams | undefined): unknown[] {
  if (params === undefined || params === null) return []
  if (Array.isArray(params)) return params.map(nativeValue)
  throw new Error('named parameters are not used by Lectern')
}

/** A better-sqlite3 statement with the face of a sql.js one (what Db and mutations.ts use). */
class NativeStatementAdapter {
  private params: unknown[] = []
  private rows: IterableIterator<unknown[]> | null = null
  private row: unknown[] | null = null
  private names: string[] | null = null

  constructor(private readonly stmt: NativeStatement) {
    if (stmt.reader) stmt.raw(true)
  }

  bind(params?: BindParams): boolean {
    this.reset()
    this.params = nativeParams(params)
    return true
  }

  step(): boolean {
    if (!this.stmt.reader) {
      this.stmt.run(...this.params)
      return false
    }
    this.rows ??= this.stmt.iterate(...this.params)
    const next = this.rows.next()
    this.row = next.done ? null : next.value
    if (next.done) this.rows = null
    return !next.done
  }

  get(): SqlValue[] {
    return this.row as SqlValue[]
  }

  getAsObject(): Record<string, SqlValue> {
    this.names ??= this.stmt.columns().map((c) => c.name)
    const out: Record<string, SqlValue> = {}
    this.names.forEach((name, i) => (out[name] = this.row![i] as SqlValue))
    return out
  }

  run(params?: BindParams): void {
    this.reset()
    if (this.stmt.reader) {
      for (const _ of this.stmt.iterate(...nativeParams(params))) break
    } else this.stmt.run(...nativeParams(params))
  }

  reset(): boolean {
    this.rows?.return?.()
    this.rows = null
    this.row = null
    return true
  }

  free(): boolean {
    this.reset()
    return true
  }
}

/** A better-sqlite3 database with the face of a sql.js one, for Lectern's Db. */
function sqlJsFace(native: NativeDatabase): Database {
  const changes = native.prepare('SELECT changes()').pluck()
  const face = {
    run(sql: string, params?: BindParams) {
      if (params === undefined) native.exec(sql)
      else new NativeStatementAdapter(native.prepare(sql)).run(params)
      return face
    },
    prepare(sql: string) {
      return new NativeStatementAdapter(native.prepare(sql)) as unknown as Statement
    },
    getRowsModified() {
      return Number(changes.get())
    },
    create_function(name: string, fn: (...args: unknown[]) => unknown) {
      native.function(name, { varargs: true }, (...args: unknown[]) => nativeValue(fn(...args)))
      return face
    },
    export(): Uint8Array {
      throw new Error('a native library is a file already')
    },
    close() {
      native.close()
    },
  }
  return face as unknown as Database
}

/** The FTS4 index of Lectern's schema, swapped for FTS5 over the same columns. */
const FTS5_SCHEMA = `
  DROP TRIGGER papers_fts_after_insert;
  DROP TRIGGER papers_fts_before_update;
  DROP TRIGGER papers_fts_after_update;
  DROP TRIGGER papers_fts_before_delete;
  DROP TABLE papers_fts_terms;
  DROP TABLE papers_fts;
  CREATE VIRTUAL TABLE papers_fts USING fts5(
    title, abstract, authors, note, tags,
    content='papers', content_rowid='id', tokenize="unicode61 remove_diacritics 2");
  CREATE TRIGGER papers_fts_after_insert AFTER INSERT ON papers BEGIN
    INSERT INTO papers_fts (rowid, title, abstract, authors, note, tags)
      VALUES (new.id, new.title, new.abstract, new.authors, new.note, new.tags);
  END;
  CREATE TRIGGER papers_fts_before_delete BEFORE DELETE ON papers BEGIN
    INSERT INTO papers_fts (papers_fts, rowid, title, abstract, authors, note, tags)
      VALUES ('delete', old.id, old.title, old.abstract, old.authors, old.note, old.tags);
  END;
  CREATE TRIGGER papers_fts_after_update AFTER UPDATE OF title, abstract, authors, note, tags
  ON papers BEGIN
    INSERT INTO papers_fts (papers_fts, rowid, title, abstract, authors, note, tags)
      VALUES ('delete', old.id, old.title, old.abstract, old.authors, old.note, old.tags);
    INSERT INTO papers_fts (rowid, title, abstract, authors, note, tags)
      VALUES (new.id, new.title, new.abstract, new.authors, new.note, new.tags);
  END;
`

/** A native library at `path`: Lectern's schema, FTS5, durable commits. */
export class NativeLibrary {
  readonly db: Db
  private readonly native: NativeDatabase

  constructor(
    open: (path: string) => NativeDatabase,
    readonly path: string,
  ) {
    this.native = open(path)
    this.native.pragma('journal_mode = WAL')
    this.db = new Db(sqlJsFace(this.native))
    // Db sets the pragmas sql.js wants (a rollback journal in memory); a native file wants its own.
    this.native.pragma('journal_mode = WAL')
    this.native.pragma('synchronous = FULL')
    this.native.pragma('temp_store = MEMORY')
    migrate(this.db)
    this.native.exec(FTS5_SCHEMA)
  }

  /** A dump read by Lectern's parser and imported by Lectern's import code, in one transaction. */
  importText(source: string, text: string, format: FormatId): number {
    const parsed = parseDump(text, new Date(), format)
    const op: Operation = {
      kind: 'import',
      at: new Date().toISOString(),
      source,
      format: parsed.format,
      papers: parsed.papers.map(({ line: _line, ...paper }) => withoutUnstorable(paper)),
      warnings: parsed.warnings,
      skipped: parsed.skipped,
    }
    const summary = this.db.transaction(() => applyOperation(this.db, op)) as { added: number }
    return summary.added
  }

  /** How many papers (the decoration below numbers them from 1, as an import did). */
  stats(): { total: number } {
    return { total: Number(this.db.value('SELECT COUNT(*) FROM papers')) }
  }

  /** Papers changed alike, as Library.updatePapers changes them; one durable commit. */
  updatePapers(change: Omit<Extract<Operation, { kind: 'updatePapers' }>, 'kind' | 'at'>): void {
    const op: Operation = { kind: 'updatePapers', at: new Date().toISOString(), ...change }
    this.db.transaction(() => applyOperation(this.db, op))
  }

  /** A note saved, as Library.setNote saves it; one durable commit. */
  setNote(id: number, note: string): void {
    const op: Operation = { kind: 'setNote', at: new Date().toISOString(), id, note }
    this.db.transaction(() => applyOperation(this.db, op))
  }

  /** The first page of a view sorted by a column: Lectern's own list query. */
  page(field: SortField, direction: SortDirection, offset: number): number {
    return listPapers(this.db, { sort: { field, direction }, offset, limit: 100 }).rows.length
  }

  /**
   * A search's first page by relevance and its count of hits: Lectern's query language compiled
   * as Lectern compiles it, the words matched by FTS5 and ranked by its BM25.
   */
  search(query: string): { hits: number; rows: number } {
    const compiled = compileSearch(query)
    const conditions: string[] = []
    const params: unknown[] = []
    // Lectern's conditions name FTS4's docid; a phrase in one column is said directly in FTS5.
    let at = 0
    for (const condition of compiled.conditions) {
      const own = (condition.match(/\?/g) ?? []).length
      let mine = compiled.params.slice(at, at + own) as unknown[]
      at += own
      let sql = condition.replace(/\bdocid\b/g, 'rowid')
      if (sql.includes(IN_COLUMN)) {
        const [phrase, column] = mine as [string, number]
        sql = 'id IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?)'
        mine = [`${['title', 'abstract', 'authors', 'note', 'tags'][column]} : ${fts5(phrase)}`]
      } else {
        mine = mine.map((p) => (typeof p === 'string' && sql.includes('MATCH') ? fts5(p) : p))
      }
      conditions.push(sql)
      params.push(...mine)
    }
    const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''
    if (compiled.match === null) {
      const hits = Number(
        this.native
          .prepare(`SELECT COUNT(*) FROM papers ${where}`)
          .pluck()
          .get(...params),
      )
      const rows = this.native
        .prepare(`SELECT id FROM papers ${where} ORDER BY added_at DESC, id ASC LIMIT 100`)
        .pluck()
        .all(...params)
      return { hits, rows: rows.length }
    }
    const ranked = `SELECT papers.id AS id, hits.score AS score FROM (
        SELECT rowid AS docid, bm25(papers_fts, 4, 1, 2, 2, 2) AS score
        FROM papers_fts WHERE papers_fts MATCH ?) AS hits
      CROSS JOIN papers ON papers.id = hits.docid ${where}`
    const all = [fts5(compiled.match), ...params]
    const hits = Number(
      this.native
        .prepare(`SELECT COUNT(*) FROM (${ranked})`)
        .pluck()
        .get(...all),
    )
    const rows = this.native
      .prepare(`${ranked} ORDER BY hits.score ASC, papers.added_at DESC, papers.id ASC LIMIT 100`)
      .pluck()
      .all(...all)
    return { hits, rows: rows.length }
  }

  /** The database file and its write-ahead log. */
  bytes(): number {
    this.native.pragma('wal_checkpoint(TRUNCATE)')
    return statSync(this.path).size
  }

  close(): void {
    this.db.close()
  }
}

/**
 * An FTS4 MATCH expression as FTS5 says it: a prefix is `"word" *` (inside quotes FTS5 reads the
 * star as part of the word); the rest (phrases, column:word, AND, OR, NOT) is the same.
 */
export function fts5(match: string): string {
  return match.replace(/"([^"]*)\*"/g, '"$1" *')
}

export const NATIVE_SORTS = (SORT_FIELDS as readonly SortField[]).filter((f) => f !== 'relevance')
