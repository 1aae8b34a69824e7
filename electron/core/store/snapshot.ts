// Opening a snapshot — the library file itself, or a backup of it — and deciding whether it can
// be trusted. One checker for both, so that a backup passes exactly the checks a library does.
import type { SqlJsStatic } from 'sql.js'
import { Db } from '../db/database'
import { LATEST_VERSION } from '../db/migrations'

const SQLITE_MAGIC = 'SQLite format 3\u0000'

export function hasSqliteHeader(data: Uint8Array): boolean {
  return Buffer.from(data.subarray(0, 16)).toString('latin1') === SQLITE_MAGIC
}

/** Why a snapshot cannot be used, in words that complete "the file …". */
export class SnapshotProblem extends Error {}

export interface SnapshotCheck {
  /**
   * 'none': its checksum already vouches for it; 'quick': SQLite's quick_check (a library
   * opened without a checksum); 'full': integrity_check, a known schema and its papers
   * counted (a backup, before it is trusted or put in place).
   */
  check: 'none' | 'quick' | 'full'
}

/** The first question about any snapshot: is it an SQLite file at all? */
export function checkHeader(data: Uint8Array): void {
  if (data.length === 0) throw new SnapshotProblem('is empty (0 bytes)')
  if (!hasSqliteHeader(data)) {
    throw new SnapshotProblem(
      'is not an SQLite database (it may be damaged, or another kind of file)',
    )
  }
}

/** Opens snapshot bytes as a database, or throws a SnapshotProblem saying what is wrong. */
export function openSnapshot(SQL: SqlJsStatic, data: Uint8Array, options: SnapshotCheck): Db {
  checkHeader(data)
  let db: Db
  try {
    db = new Db(new SQL.Database(data))
  } catch (error) {
    throw new SnapshotProblem(`cannot be read (${(error as Error).message})`)
  }
  try {
    if (options.check !== 'none') {
      const pragma = options.check === 'full' ? 'integrity_check' : 'quick_check'
      const verdict = String(db.value(`PRAGMA ${pragma}`))
      if (verdict !== 'ok') throw new SnapshotProblem(`is damaged (${verdict})`)
    }
    db.value('SELECT COUNT(*) FROM sqlite_master')
    if (options.check === 'full') {
      const version = Number(db.value('PRAGMA user_version'))
      if (version > LATEST_VERSION) {
        throw new SnapshotProblem(`was written by a newer Lectern (schema ${version})`)
      }
      if (version < 1) throw new SnapshotProblem('is not a Lectern library (no schema)')
      db.value('SELECT COUNT(*) FROM papers')
    }
    return db
  } catch (error) {
    db.close()
    if (error instanceof SnapshotProblem) throw error
    throw new SnapshotProblem(`is damaged (${(error as Error).message})`)
  }
}

/** Papers in a database (a backup's, to tell the user what it holds). */
export function paperCount(db: Db): number {
  return Number(db.value('SELECT COUNT(*) FROM papers'))
}
