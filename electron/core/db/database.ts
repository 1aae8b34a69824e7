// A thin, typed layer over sql.js: every statement prepared here is freed here, parameters are
// always bound, and transactions nest through savepoints.
import initSqlJs from 'sql.js'
import type { BindParams, Database, SqlJsStatic, Statement } from 'sql.js'
import { bm25 } from './search'
import { tagKey } from './tags'

let engine: Promise<SqlJsStatic> | null = null

/**
 * SQLite's page cache for a database of `bytes`, in KiB: a thirty-second of it, from SQLite's
 * default 2 MiB up to 16 MiB (see applyPragmas).
 */
export function pageCacheKib(bytes: number): number {
  return Math.min(16 * 1024, Math.max(2 * 1024, Math.round(bytes / 32 / 1024)))
}

/** Loads the SQLite engine once per process. */
export function loadEngine(): Promise<SqlJsStatic> {
  engine ??= initSqlJs()
  return engine
}

export type Row = Record<string, number | string | Uint8Array | null>

export class Db {
  private depth = 0

  constructor(private current: Database) {
    this.applyPragmas()
  }

  get raw(): Database {
    return this.current
  }

  /** Whether a transaction (or a preview's) is open. */
  get inTransaction(): boolean {
    return this.depth !== 0
  }

  /**
   * Puts another sql.js database with the same contents in this one's place (see
   * store/room.ts), between transactions; returns the one it replaces, for the caller to close.
   */
  replaceWith(next: Database): Database {
    if (this.depth !== 0) throw new Error('cannot replace the database inside a transaction')
    const before = this.current
    this.current = next
    this.applyPragmas()
    return before
  }

  /** sql.js forgets pragmas and functions on export(); call after every export. */
  applyPragmas(): void {
    this.raw.run('PRAGMA foreign_keys = ON')
    // The database lives in memory (sql.js), and what makes a change durable is the library's
    // own journal and snapshots (store/), never SQLite's rollback journal. Kept in the file
    // system sql.js emulates, that rollback journal made a change to 100,000 papers take 8 s
    // instead of 1; in memory it rolls back a failed transaction all the same.
    this.raw.run('PRAGMA journal_mode = MEMORY')
    this.raw.run('PRAGMA temp_store = MEMORY')
    // SQLite's page cache: each page it does not hold is copied out of the file sql.js keeps in
    // JavaScript, and that copying was most of a page's time in a large library, slower still
    // while another thread moved gigabytes (a backup). With the default 2 MiB, at 790,000
    // papers, counting them took 13-18 ms and a first page 26-99 ms; with 16 MiB, 0.5 ms and
    // 5-16 ms; during a backup, a page waited over 100 ms ten times, then once. Pages are cached
    // as they are read, but a search's reading ahead (ranking.ts) reads them all: at 100,000
    // papers 16 MiB cost 5% of the file. Sized again whenever this is called (an export, a
    // move into room to grow), so a growing library's cache grows with it.
    const pages = Number(this.value('PRAGMA page_count') ?? 0)
    const pageSize = Number(this.value('PRAGMA page_size') ?? 4096)
    this.raw.run(`PRAGMA cache_size = -${pageCacheKib(pages * pageSize)}`)
    // Search ranks with it (see search.ts).
    this.raw.create_function('lectern_bm25', (info: unknown) =>
      info instanceof Uint8Array ? bm25(info) : 0,
    )
    // Whether a paper is among those `whileKept` names (see queries.pageOfKept).
    this.raw.create_function('lectern_kept', (id: unknown) =>
      typeof id === 'number' && this.kept?.[id] === 1 ? 1 : 0,
    )
    // Tags ignore case in every script (see tags.ts).
    this.raw.create_function('lectern_fold', (text: unknown) =>
      typeof text === 'string' ? tagKey(text) : text,
    )
  }

  /** The papers `lectern_kept(id)` is true for (by id), while whileKept runs. */
  private kept: Uint8Array | null = null

  /** Runs `use` with `lectern_kept(id)` true for the ids `kept` marks with 1. */
  whileKept<T>(kept: Uint8Array, use: () => T): T {
    const was = this.kept
    this.kept = kept
    try {
      return use()
    } finally {
      this.kept = was
    }
  }

  /** Without parameters, runs every statement in `sql`; with them, the first only. */
  run(sql: string, params?: BindParams): void {
    if (params === undefined) this.raw.run(sql)
    else this.raw.run(sql, params)
  }

  all<T extends Row>(sql: string, params: BindParams = []): T[] {
    return this.with(sql, (stmt) => {
      stmt.bind(params)
      const rows: T[] = []
      while (stmt.step()) rows.push(stmt.getAsObject() as T)
      return rows
    })
  }

  get<T extends Row>(sql: string, params: BindParams = []): T | undefined {
    return this.with(sql, (stmt) => {
      stmt.bind(params)
      return stmt.step() ? (stmt.getAsObject() as T) : undefined
    })
  }

  /** A single value from the first row, e.g. a count. */
  value(sql: string, params: BindParams = []): number | string | null {
    return this.with(sql, (stmt) => {
      stmt.bind(params)
      return stmt.step() ? ((stmt.get()[0] as number | string | null) ?? null) : null
    })
  }

  /** The first column of every row, as numbers (ids): without an object per row. */
  numbers(sql: string, params: BindParams = []): number[] {
    return this.with(sql, (stmt) => {
      stmt.bind(params)
      const out: number[] = []
      while (stmt.step()) out.push(Number(stmt.get()[0]))
      return out
    })
  }

  /** Rows changed by the last INSERT, UPDATE or DELETE. */
  changes(): number {
    return this.raw.getRowsModified()
  }

  lastInsertId(): number {
    return Number(this.value('SELECT last_insert_rowid()'))
  }

  /** A prepared statement the caller must free (see `with` for one freed for you). */
  prepare(sql: string): Statement {
    return this.raw.prepare(sql)
  }

  /** Runs `use` with a prepared statement and frees it whatever happens. */
  with<T>(sql: string, use: (stmt: Statement) => T): T {
    const stmt = this.raw.prepare(sql)
    try {
      return use(stmt)
    } finally {
      stmt.free()
    }
  }

  /** All or nothing. Nested calls become savepoints. Never async. */
  transaction<T>(work: () => T): T {
    const outer = this.depth === 0
    const name = `sp${this.depth}`
    this.raw.run(outer ? 'BEGIN IMMEDIATE' : `SAVEPOINT ${name}`)
    this.depth += 1
    let result: T
    try {
      result = work()
    } catch (error) {
      this.depth -= 1
      this.rollback(outer, name)
      throw error
    }
    this.depth -= 1
    try {
      this.raw.run(outer ? 'COMMIT' : `RELEASE ${name}`)
    } catch (error) {
      // A COMMIT can fail too (the search index writes at COMMIT): nothing of the change stays.
      this.rollback(outer, name)
      throw error
    }
    return result
  }

  /** Takes back what a transaction or savepoint did; SQLite may have done so already. */
  private rollback(outer: boolean, name: string): void {
    try {
      this.raw.run(outer ? 'ROLLBACK' : `ROLLBACK TO ${name}; RELEASE ${name}`)
    } catch {
      // No transaction left to roll back: a failed COMMIT ends it.
    }
  }

  /** Runs `work` in a transaction that is always rolled back: what a change would do, undone. */
  rolledBack<T>(work: () => T): T {
    if (this.depth !== 0) throw new Error('cannot preview inside a transaction')
    this.raw.run('BEGIN')
    this.depth += 1
    try {
      return work()
    } finally {
      this.depth -= 1
      this.raw.run('ROLLBACK')
    }
  }

  export(): Uint8Array {
    if (this.depth !== 0) throw new Error('cannot export inside a transaction')
    const data = this.raw.export()
    this.applyPragmas()
    return data
  }

  close(): void {
    this.raw.close()
  }
}
