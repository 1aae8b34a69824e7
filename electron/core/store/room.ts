// Room for the library to grow into, made once before a large import instead of a little at a
// time as it is written. sql.js keeps the database file in one array, and a write past its end
// copies the whole file into a new array an eighth larger (Emscripten's MEMFS): an import of
// 100,000 papers made a step stop for such a copy every ~12% of growth, longer each time (1–5 s
// at 100–250 MB on a busy machine), and held the library twice in memory while it copied.
import { constants } from 'node:buffer'
import type { Database, SqlJsStatic } from 'sql.js'
import type { Db } from '../db/database'
import { withRoom } from './files'

/** sql.js's functions of SQLite's online backup API: in its build, not in its type definitions. */
interface BackupApi {
  _sqlite3_backup_init(dest: number, destName: number, source: number, sourceName: number): number
  _sqlite3_backup_step(backup: number, pages: number): number
  _sqlite3_backup_finish(backup: number): number
  stringToNewUTF8(text: string): number
  _free(pointer: number): void
}

const SQLITE_OK = 0
const SQLITE_DONE = 101

/**
 * The largest room made: what Node.js can make (4 GiB on Node 20; more on later ones), and
 * below the size past which sql.js's own growth (an eighth more, in 32 bits) would wrap around.
 */
export const MAX_ROOM = Math.min(constants.MAX_LENGTH, 2 ** 32 - 2 ** 29)

/** SQLite's handle of a sql.js database (a pointer into its memory). */
function handleOf(database: Database): number {
  return (database as unknown as { db: number }).db
}

const seeds = new WeakMap<SqlJsStatic, Uint8Array>()

/**
 * The smallest database file, one page that SQLite wrote itself: sql.js takes the room only
 * with a file of at least one byte (see withRoom).
 */
function seedOf(SQL: SqlJsStatic): Uint8Array {
  let seed = seeds.get(SQL)
  if (!seed) {
    const empty = new SQL.Database()
    try {
      empty.run('PRAGMA user_version = 0')
      seed = empty.export()
    } finally {
      empty.close()
    }
    seeds.set(SQL, seed)
  }
  return seed
}

/**
 * Moves the database into an array of `capacity` bytes that sql.js writes in place until it is
 * full, page by page through SQLite's online backup (no export: that grows the engine's memory
 * by the library's size for good). Memory past the file costs nothing until written. Between
 * transactions only. The room, or null when the move failed (the database is left as it was).
 */
export function moveIntoRoom(SQL: SqlJsStatic, db: Db, capacity: number): Buffer | null {
  if (db.inTransaction) return null
  const api = SQL as unknown as BackupApi
  let next: Database | null = null
  try {
    const seed = seedOf(SQL)
    // Memory that may be refused (a system that counts all of it at once, or Electron's
    // sandbox, which makes no single array past 2 GiB): then sql.js grows the file as before.
    const room = Buffer.alloc(Math.min(MAX_ROOM, Math.max(capacity, seed.length)))
    room.set(seed)
    next = new SQL.Database(withRoom(room, seed.length))
    const main = api.stringToNewUTF8('main')
    let copied = false
    try {
      const backup = api._sqlite3_backup_init(handleOf(next), main, handleOf(db.raw), main)
      if (backup !== 0) {
        const stepped = api._sqlite3_backup_step(backup, -1)
        copied = api._sqlite3_backup_finish(backup) === SQLITE_OK && stepped === SQLITE_DONE
      }
    } finally {
      api._free(main)
    }
    if (!copied) return null
    db.replaceWith(next).close()
    next = null
    return room
  } catch {
    return null
  } finally {
    next?.close()
  }
}
