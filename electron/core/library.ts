// A library on disk: a SQLite snapshot plus a journal of the changes made since it was written.
// sql.js keeps the database in memory, so durability is ours: a change is applied in memory and
// appended (fsynced) to the journal inside one transaction before the caller is told it is
// saved. Now and then — when the journal grows, and on close — the whole database is written
// as a new snapshot (temporary file, fsync, rename) and the journal starts again.
import { existsSync, mkdirSync, readFileSync, closeSync, openSync, readSync } from 'node:fs'
import { basename, dirname } from 'node:path'
import type { ImportSummary, LibraryStats, Paper, PaperPage, Status } from '../../shared/domain'
import { ImportError, parseDump } from '../../shared/importers'
import { Db, loadEngine } from './database'
import { LibraryError } from './errors'
import { writeFileAtomic } from './files'
import { JournalWriter, readJournal } from './journal'
import { LibraryLock } from './lock'
import { migrate } from './migrations'
import { applyOperation } from './mutations'
import type { Operation } from './mutations'
import { getPaper, libraryStats, listFullPapers, listPapers } from './queries'
import type { ListOptions } from './queries'

export interface OpenOptions {
  /** Read without taking the lock or writing anything (the CLI's list and show). */
  readOnly?: boolean
  /** Who holds the lock, as shown to a second writer. */
  owner?: string
  /** The clock; tests fix it. */
  now?: () => Date
  /** Journal size that triggers a new snapshot. */
  checkpointBytes?: number
}

const SQLITE_MAGIC = 'SQLite format 3\u0000'
const DEFAULT_CHECKPOINT_BYTES = 32 * 1024 * 1024

function readMagic(path: string): string {
  const fd = openSync(path, 'r')
  try {
    const buf = Buffer.alloc(16)
    const n = readSync(fd, buf, 0, 16, 0)
    return buf.subarray(0, n).toString('latin1')
  } finally {
    closeSync(fd)
  }
}

export class Library {
  private seq: number
  private closed = false

  private constructor(
    readonly path: string,
    private readonly db: Db,
    private readonly journal: JournalWriter | null,
    private readonly lock: LibraryLock | null,
    private readonly now: () => Date,
    private readonly checkpointBytes: number,
    seq: number,
  ) {
    this.seq = seq
  }

  get journalPath(): string {
    return `${this.path}.journal`
  }

  static async open(path: string, options: OpenOptions = {}): Promise<Library> {
    const SQL = await loadEngine()
    const readOnly = options.readOnly ?? false
    const journalPath = `${path}.journal`
    if (!readOnly) mkdirSync(dirname(path), { recursive: true })
    else if (!existsSync(path)) {
      throw new LibraryError(
        'library-error',
        `there is no library at ${path}; import a dump to create one`,
      )
    }
    const lock = readOnly ? null : LibraryLock.acquire(path, options.owner ?? 'Lectern')
    try {
      const exists = existsSync(path)
      let db: Db
      if (exists) {
        if (readMagic(path) !== SQLITE_MAGIC) {
          throw new LibraryError(
            'library-error',
            `${path} is not a Lectern library (it is not an SQLite database, or it is damaged); it was left untouched`,
          )
        }
        try {
          db = new Db(new SQL.Database(readFileSync(path)))
          db.value('SELECT COUNT(*) FROM sqlite_master')
        } catch (error) {
          throw new LibraryError(
            'library-error',
            `${path} is damaged and could not be opened (${(error as Error).message}); it was left untouched`,
          )
        }
      } else {
        db = new Db(new SQL.Database())
      }
      let migrated: boolean
      try {
        migrated = migrate(db)
      } catch (error) {
        db.close()
        throw error
      }
      let seq = Number(db.value(`SELECT value FROM meta WHERE key = 'journal_seq'`) ?? 0)
      const contents = readJournal(journalPath)
      if (contents.damagedAt !== null) {
        db.close()
        throw new LibraryError(
          'library-error',
          `the change journal ${journalPath} is damaged at byte ${contents.damagedAt}; the library was not opened so that nothing is lost`,
        )
      }
      for (const record of contents.records) {
        if (record.seq <= seq) continue
        if (record.seq !== seq + 1) {
          db.close()
          throw new LibraryError(
            'library-error',
            `the change journal ${journalPath} skips from change ${seq} to ${record.seq}; the library was not opened so that nothing is lost`,
          )
        }
        db.transaction(() => applyOperation(db, record.op))
        seq = record.seq
      }
      const journal = readOnly ? null : new JournalWriter(journalPath, contents.validBytes)
      const library = new Library(
        path,
        db,
        journal,
        lock,
        options.now ?? (() => new Date()),
        options.checkpointBytes ?? DEFAULT_CHECKPOINT_BYTES,
        seq,
      )
      if (!readOnly && (!exists || migrated)) library.checkpoint()
      return library
    } catch (error) {
      lock?.release()
      throw error
    }
  }

  private writable(): JournalWriter {
    if (this.closed) throw new LibraryError('library-error', 'the library is closed')
    if (!this.journal) throw new LibraryError('library-error', 'the library was opened read-only')
    return this.journal
  }

  /** Applies an operation and makes it durable; all or nothing. */
  private commit<T>(op: Operation): T {
    const journal = this.writable()
    const seq = this.seq + 1
    const result = this.db.transaction(() => {
      const value = applyOperation(this.db, op)
      journal.append({ seq, op })
      return value
    })
    this.seq = seq
    if (journal.bytes >= this.checkpointBytes) this.checkpoint()
    return result as T
  }

  /** Writes the whole database as the new snapshot and empties the journal. */
  checkpoint(): void {
    const journal = this.writable()
    this.db.run(`INSERT OR REPLACE INTO meta (key, value) VALUES ('journal_seq', ?)`, [
      String(this.seq),
    ])
    writeFileAtomic(this.path, this.db.export())
    journal.reset()
  }

  // Reads

  listPapers(options: ListOptions): PaperPage {
    return listPapers(this.db, options)
  }

  listFullPapers(options: ListOptions): Paper[] {
    return listFullPapers(this.db, options)
  }

  getPaper(id: number): Paper {
    return getPaper(this.db, id)
  }

  stats(): LibraryStats {
    return libraryStats(this.db, this.path)
  }

  // Writes

  /** Reads a dump into the operation that adds its papers; a dump that cannot be read throws. */
  private prepareImport(source: string, text: string): Operation {
    const name = basename(source)
    let parsed
    try {
      parsed = parseDump(text, this.now())
    } catch (error) {
      if (error instanceof ImportError) {
        const where = error.line ? `${name}, line ${error.line}` : name
        throw new LibraryError('import-failed', `${where}: ${error.message}`)
      }
      throw error
    }
    return {
      kind: 'import',
      at: this.now().toISOString(),
      source: name,
      format: parsed.format,
      papers: parsed.papers.map(({ line: _line, ...paper }) => paper),
      warnings: parsed.warnings,
      skipped: parsed.skipped,
    }
  }

  /** Adds a dump's papers in one transaction; a dump that cannot be read changes nothing. */
  importText(source: string, text: string): ImportSummary {
    return this.commit<ImportSummary>(this.prepareImport(source, text))
  }

  /** Several dumps: all are read before any is added, so one bad file changes nothing. */
  importTexts(items: { source: string; text: string }[]): ImportSummary[] {
    const ops = items.map((item) => this.prepareImport(item.source, item.text))
    return ops.map((op) => this.commit<ImportSummary>(op))
  }

  setStatus(id: number, status: Status): Paper {
    this.commit({ kind: 'setStatus', at: this.now().toISOString(), id, status })
    return this.getPaper(id)
  }

  setNote(id: number, note: string): Paper {
    this.commit({ kind: 'setNote', at: this.now().toISOString(), id, note })
    return this.getPaper(id)
  }

  /** Writes a final snapshot when there is anything unsnapshotted, then lets go of the file. */
  close(): void {
    if (this.closed) return
    try {
      if (this.journal && this.journal.bytes > 0) this.checkpoint()
    } finally {
      this.closed = true
      this.journal?.close()
      this.db.close()
      this.lock?.release()
    }
  }
}
