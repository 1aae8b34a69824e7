// A library on disk: a SQLite snapshot plus a journal of the changes made since it was written.
// sql.js keeps the database in memory, so durability is ours: a change is applied in memory and
// appended (fsynced) to the journal inside one transaction before the caller is told it is
// saved. Now and then — when the journal grows, and on close — the whole database is written
// as a new snapshot (temporary file, fsync, rename) and the journal starts again.
import { randomUUID } from 'node:crypto'
import { existsSync, statSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import type { SqlJsStatic } from 'sql.js'
import {
  BACKUP_SCHEDULES,
  DEFAULT_BACKUPS_KEPT,
  DEFAULT_BACKUP_SCHEDULE,
  MAX_BACKUPS_KEPT,
  isSyncImport,
} from '../../../shared/domain'
import type {
  BackupSchedule,
  DeletionSummary,
  ImportPreview,
  ImportRecord,
  ImportSummary,
  LibrarySettings,
  LibraryStats,
  Paper,
  PaperPage,
  PaperState,
  SavedSearch,
  TagInfo,
  RestoreSummary,
  Status,
  SyncPass,
  UndoImportSummary,
} from '../../../shared/domain'
import {
  ImportError,
  describeImportError,
  detectFormats,
  parseDump,
} from '../../../shared/importers'
import type { DumpInput, FormatId, ParseResult } from '../../../shared/importers'
import { dumpHead, dumpLength, dumpText } from '../../../shared/importers'
import { csvColumns } from '../../../shared/importers/csv'
import { storableNote, storableText, withoutUnstorable } from '../../../shared/text'
import { Db, loadEngine } from '../db/database'
import { migrate } from '../db/migrations'
import { applyImportWithOutcomes, applyOperation, dumpDatesOf } from '../db/mutations'
import type { ImportCounts, Operation, SettingKey } from '../db/mutations'
import { readingStats } from '../db/readingStats'
import {
  captureLocal,
  ownCounter,
  ownOpsAfter,
  pausedSyncDevice,
  peerCursors,
  syncDevice,
} from '../db/syncMerge'
import type { SyncOp } from '../db/syncMerge'
import { stateEntries } from '../db/syncState'
import type { StateEntry } from '../db/syncState'
import type { ReadingStats } from '../../../shared/stats'
import {
  getPaper,
  libraryStats,
  listFullPapers,
  listImports,
  listPapers,
  listTags,
  paperIds,
  similarPapers,
} from '../db/queries'
import type { ListOptions, Ranking, RankingCache } from '../db/queries'
import { DocSizes } from '../db/ranking'
import { idleMergeAllowed, indexLevels, mergeSomeSegments, mergesUnderWay } from '../db/ftsIndex'
import { LibraryDamagedError, LibraryError, describeWriteError } from '../errors'
import {
  checksumPath,
  installSnapshot,
  readFingerprinted,
  roomToGrow,
  readHead,
  recordChecksum,
  removeStaleTemporaries,
  verdictOf,
  vouchedFor,
  writeSnapshot,
} from './files'
import type { Fingerprint } from './files'
import { disk } from './disk'
import { JournalWriter } from './journal'
import { snapshotOffThread } from './rebuildOffThread'
import { NotInDump, ReadCancelled, holdOffThread, readOffThread } from './readOffThread'
import type { HeldDump } from './readOffThread'
import { LibraryLock } from './lock'
import { locateLibrary, restoringPath } from './location'
import { keepTornTail, readJournalOrDamage, replayJournal } from './replay'
import { moveIntoRoom } from './room'
import { SnapshotProblem, checkHeader, openSnapshot } from './snapshot'

/** Settings a change names (the others stay as they are). */
export interface SettingsChange {
  watchInbox?: boolean
  savedSearches?: SavedSearch[]
  backupEvery?: BackupSchedule
  backupsKept?: number
  backupsFolder?: string | null
}

export interface OpenOptions {
  /** Read without taking the lock or writing anything (the CLI's list and show). */
  readOnly?: boolean
  /** Who holds the lock, as shown to a second writer. */
  owner?: string
  /** The clock; tests fix it. */
  now?: () => Date
  /** Journal size that triggers a new snapshot. */
  checkpointBytes?: number
  /** A lock the caller already holds (and keeps holding after close). */
  lock?: LibraryLock
  /**
   * From what size of database (bytes) a snapshot due is written on a thread of its own; a
   * smaller one is exported here, in less time than a thread takes to start.
   */
  snapshotThreadBytes?: number
  /**
   * The most leaf bytes a level of the search index may hold to be merged while the app is idle
   * (see idleMergeAllowed); a larger one is merged between the steps of an import.
   */
  idleMergeBytes?: number
  /** The largest database a change may grow the library to (tests make it small). */
  limitBytes?: number
}

/**
 * The largest library Lectern writes, in bytes of database. sql.js keeps the database file in
 * one array of memory, and this Node.js makes none larger than 4 GiB: a write past it would
 * fail inside SQLite itself. 3 GiB leaves room for the one change that crosses the line
 * (refused, and rolled back) and for the array to be copied as it grows.
 */
export const LIBRARY_LIMIT_BYTES = 3 * 2 ** 30
/** LECTERN_LIMIT_BYTES: a lower limit (to keep libraries small, or to try the limit out). */
function limitFromEnvironment(): number | null {
  const value = Number(process.env.LECTERN_LIMIT_BYTES)
  return Number.isFinite(value) && value > 0 ? Math.min(value, LIBRARY_LIMIT_BYTES) : null
}

/**
 * Where a database cannot grow at all (one array of 4 GiB), less a margin: an import whose dump
 * alone could carry the library there is refused before it is read. Below it, the limit is
 * checked exactly, change by change (see Library.ensureRoom).
 */
const WALL_BYTES = 2 ** 32 - 2 ** 28
/** A dump's text grows the database by up to about this many times its length (index included). */
const GROWTH_PER_DUMP_BYTE = 3

/**
 * Whether a change may add text to the library: what the size limit checks. Statuses, stars,
 * deletions and every undo pass (so that a full library can still be triaged and trimmed, and an
 * import the limit stopped part-way is always taken back).
 */
function addsText(op: Operation): boolean {
  switch (op.kind) {
    case 'import':
    case 'importBegin':
    case 'importPapers':
    case 'setNote':
    case 'renameTag':
      return true
    case 'updatePapers':
      return Boolean(op.addTags?.length)
    case 'batch':
      return op.ops.some(addsText)
    default:
      return false
  }
}

const DEFAULT_CHECKPOINT_BYTES = 32 * 1024 * 1024
const DEFAULT_SNAPSHOT_THREAD_BYTES = 8 * 1024 * 1024
/** The journal that `close` writes a snapshot for (see there). */
const CLOSE_SNAPSHOT_BYTES = 1024 * 1024
/**
 * Reading a journal again at open costs at least this many times what writing as many bytes of
 * snapshot does: 20 MB of journal (an import of 10,000 papers) took 3.0 s to read again, and a
 * 30 MB snapshot of those papers 0.22 s to write (npm run bench), a ratio near 20; notes cost
 * less to read again than imports, hence the lower figure. A snapshot is worth writing once the
 * journal is past this share of the library (see replayCostsMore).
 */
const REPLAY_COST = 10

/**
 * How long one step of a background import may take (one transaction and journal record): the
 * longest the app waits for its turn while an import is written.
 */
const STEP_MS = 40

/**
 * The search index merged a bit at a time (see mergeSomeSegments): leaves written each time,
 * between the steps of an import and while the app is idle, and how many segments a level has
 * before it is merged (FTS4 merges one of sixteen at once, stopping the app for a second at
 * 100,000 papers; from twelve, a bit at a time, no level gets there).
 */
const MERGE_STEP_BLOCKS = 100
/** One step a call: a call with blocks to spare goes on to the next level due (see nextMergeLevel). */
const MERGE_IDLE_BLOCKS = 1
const MERGE_FROM_SEGMENTS = 12
/**
 * The largest level merged while idle (see idleMergeAllowed): a step of a level of 32 MB took
 * 0.6–0.9 s at a million papers, and of 600 MB 2–3 s; of 0.85 MB, 60–80 ms.
 */
const IDLE_MERGE_BYTES = 4 * 2 ** 20
/** How long after the indexed text last changed the idle merging starts. */
const MERGE_AFTER_MS = 1000
/**
 * How long after opening, and after the indexed text last changed, what a search ranks with is
 * read ahead of it (see prepareSearchLater); and how many papers' a step.
 */
const PREPARE_AFTER_MS = 1500
const PREPARE_STEP_ROWS = 5_000
/** Dumps shorter than this (characters) are read on the main thread: tens of milliseconds. */
const READ_HERE_CHARS = 100_000

/**
 * What a preview reads of a dump uploaded in pieces to name its candidate formats and its CSV
 * columns (both look at its start): at least this much, in whole pieces.
 */
const PREVIEW_HEAD_CHARS = 1 << 20
const FIRST_STEP_PAPERS = 100
const MIN_STEP_PAPERS = 20
const MAX_STEP_PAPERS = 1000

/** Thrown by `importInSteps` when it was cancelled; the library is as it was. */
export class ImportCancelled extends LibraryError {
  constructor() {
    super('conflict', 'the import was cancelled; nothing was added')
  }
}

/**
 * A reader sees no import still under way (or cut short by a crash): they are taken back in its
 * memory only, as the next writer will take them back on disk (or complete them).
 */
function hideIncomplete(db: Db, now: Date): void {
  // Each on its own: one that cannot be taken back stays in view rather than stop the reading.
  for (const importId of incompleteImports(db)) {
    try {
      db.transaction(() =>
        applyOperation(db, { kind: 'undoImport', at: now.toISOString(), importId, forget: true }),
      )
    } catch {
      // Shown as it is; the next writer takes it back.
    }
  }
}

/** A dump's reading failure as the library reports it: the file and line, and why. */
function asLibraryError(dump: DumpInput, error: unknown): unknown {
  if (!(error instanceof ImportError)) return error
  return new LibraryError('import-failed', describeImportError(basename(dump.source), error))
}

/** The import with only the papers the user chose (`dump.only`), in the dump's order. */
function chosenPapers(
  dump: DumpInput,
  op: Extract<Operation, { kind: 'import' }>,
): Extract<Operation, { kind: 'import' }> {
  if (dump.only === undefined) return op
  const chosen = [...new Set(dump.only)].sort((a, b) => a - b)
  const missing = chosen.find((i) => i >= op.papers.length)
  if (missing !== undefined) {
    throw new LibraryError(
      'invalid-request',
      `${basename(dump.source)}: only: there is no paper ${missing} (the dump has ${op.papers.length}, counted from 0)`,
    )
  }
  return { ...op, papers: chosen.map((i) => op.papers[i]!) }
}

/** A dump read whole and held until its papers are written (see Library.holdImport). */
interface HeldImport {
  /** The import operation's header: all but its papers. */
  header: Omit<Extract<Operation, { kind: 'import' }>, 'kind' | 'papers'>
  total: number
  dumpDates: string[]
  /** The next papers, at most `count`; none once all are taken. */
  take(count: number): Promise<Extract<Operation, { kind: 'import' }>['papers']>
  close(): void
}

/** Imports a crash or a cancel left under way. */
function incompleteImports(db: Db): number[] {
  return db
    .all<{ id: number }>('SELECT id FROM imports WHERE complete = 0 ORDER BY id')
    .map((r) => r.id)
}

/** Reads and checks the library file: SQLite, and bit for bit what Lectern wrote. */
async function loadSnapshot(
  SQL: SqlJsStatic,
  path: string,
): Promise<{ db: Db; vouched: boolean; fingerprint: Fingerprint }> {
  try {
    // A file that is not a database at all is told apart by its first bytes, before a read of
    // the whole of it (seconds for a large file).
    checkHeader(readHead(path, 16))
  } catch (error) {
    if (!(error instanceof SnapshotProblem)) throw error
    throw new LibraryDamagedError('snapshot', path, `the library file ${path} ${error.message}`)
  }
  const { data, fingerprint } = await readFingerprinted(path)
  try {
    checkHeader(data)
    const verdict = verdictOf(vouchedFor(path), fingerprint)
    if (verdict === 'mismatch') {
      throw new SnapshotProblem(
        `is damaged or was changed outside Lectern (its size or checksum is not what Lectern last wrote; ${data.length} bytes)`,
      )
    }
    // Without a checksum to vouch for it, SQLite's own structural check has to.
    const db = openSnapshot(SQL, data, { check: verdict === 'ok' ? 'none' : 'quick' })
    return { db, vouched: verdict === 'ok', fingerprint }
  } catch (error) {
    if (!(error instanceof SnapshotProblem)) throw error
    throw new LibraryDamagedError('snapshot', path, `the library file ${path} ${error.message}`)
  }
}

/** The library file's database, or a new one; refuses a journal left without its snapshot. */
async function loadOrCreate(
  SQL: SqlJsStatic,
  path: string,
  readOnly: boolean,
): Promise<{ db: Db; created: boolean }> {
  if (existsSync(path)) {
    const snapshot = await loadSnapshot(SQL, path)
    // A library from before checksums (or copied without its .sum) passed SQLite's own
    // check: vouch for it now, so that an interrupted snapshot later is not taken for damage.
    if (!snapshot.vouched && !readOnly) recordChecksum(path, snapshot.fingerprint)
    return { db: snapshot.db, created: false }
  }
  // A restore cut short (by a power cut, say) after the library was moved aside: the new one
  // is whole beside it, but the library is not to be started empty.
  if (existsSync(restoringPath(path))) {
    throw new LibraryDamagedError(
      'snapshot',
      path,
      `the library file ${path} is missing: a restore from a backup was under way (the backup's copy is ${restoringPath(path)}, the library before it is kept beside it); restore the backup again`,
    )
  }
  if (existsSync(checksumPath(path)) || statOrZero(`${path}.journal`) > 0) {
    throw new LibraryDamagedError(
      'snapshot',
      path,
      `the library file ${path} is missing, but its journal or checksum file is still there`,
    )
  }
  return { db: new Db(new SQL.Database()), created: true }
}

/**
 * Whether an operation certainly leaves the indexed text (title, abstract, authors, note, tags)
 * as it was: a status, a star, a setting. A search's ranked hits stay valid across it. Any other
 * kind, now or added later, counts as a change.
 */
function leavesTextAlone(op: Operation): boolean {
  switch (op.kind) {
    case 'setStatus':
    case 'setSetting':
      return true
    case 'updatePapers':
      return !op.addTags?.length && !op.removeTags?.length
    case 'restorePapers':
      return op.papers.every((p) => !p.tags)
    case 'batch':
      return op.ops.every(leavesTextAlone)
    default:
      return false
  }
}

/**
 * The papers whose indexed text an operation (one that does not leave the text alone) changed,
 * where that is plain; 'all' otherwise (the search's document lengths are read again).
 */
function textTouched(op: Operation): number[] | 'all' {
  switch (op.kind) {
    case 'setNote':
      return [op.id]
    case 'updatePapers':
      return op.ids
    case 'restorePapers':
      return op.papers.map((p) => p.id)
    case 'batch': {
      const ids: number[] = []
      for (const part of op.ops) {
        if (leavesTextAlone(part)) continue
        const touched = textTouched(part)
        if (touched === 'all') return 'all'
        ids.push(...touched)
      }
      return ids
    }
    default:
      return 'all'
  }
}

/** Every library has an identity, so that backups of one are never rotated out by another. */
function ensureIdentity(db: Db): boolean {
  if (db.value(`SELECT value FROM meta WHERE key = 'library_id'`) !== null) return false
  db.run(`INSERT INTO meta (key, value) VALUES ('library_id', ?)`, [
    randomUUID().replace(/-/g, '').slice(0, 12),
  ])
  return true
}

function filesStamp(path: string): string {
  return [path, checksumPath(path)]
    .map((file) => {
      try {
        const st = statSync(file)
        return `${st.size}:${st.mtimeMs}:${st.ino}`
      } catch {
        return '-'
      }
    })
    .join('|')
}

function statOrZero(path: string): number {
  try {
    return statSync(path).size
  } catch {
    return 0
  }
}

export class Library {
  private seq: number
  /** Counts the changes to the text the search index holds (see leavesTextAlone). */
  private textSeq = 0
  private closed = false
  /** Imports being written in steps now (the snapshot waits for them). */
  private importsUnderWay = 0

  /** The engine, which makes room for a large import (see makeRoomFor). */
  private engine: SqlJsStatic | null = null
  /**
   * How far the database file can grow before sql.js copies it into a larger array, as far as
   * this library knows: sql.js may since have done so, or cut the array to the file (a preview,
   * rolled back). Either way the worst is a copy made that need not have been, or one not saved.
   */
  private roomUpTo = 0
  /**
   * The array the database was last moved into (see makeRoomFor), which the tests look at: while
   * the file fits, sql.js writes it there. Held weakly: once sql.js leaves it (a rollback cuts
   * its array to the file; a file grown past it is copied into a larger one), nothing must.
   */
  room: WeakRef<Buffer> | null = null

  private constructor(
    readonly path: string,
    private readonly db: Db,
    private readonly journal: JournalWriter | null,
    private readonly lock: LibraryLock | null,
    private readonly now: () => Date,
    private readonly checkpointBytes: number,
    private readonly snapshotThreadBytes: number,
    private readonly idleMergeBytes: number,
    private readonly limitBytes: number,
    seq: number,
  ) {
    this.seq = seq
  }

  get journalPath(): string {
    return `${this.path}.journal`
  }

  /**
   * Opens the library file `path` names: found through links at its real place, every file
   * beside it is found from there (see locateLibrary, which also refuses a path that is not a
   * regular file, and, to write, a read-only one).
   */
  static async open(named: string, options: OpenOptions = {}): Promise<Library> {
    const path = locateLibrary(named, options.readOnly ? 'read' : 'write')
    if (!options.readOnly) return Library.openOnce(path, options)
    // A reader takes no lock, so a writer may swap the snapshot and empty the journal while it
    // reads them. If the files moved under it, read again rather than serve a mix.
    for (let attempt = 1; ; attempt += 1) {
      const before = filesStamp(path)
      try {
        const library = await Library.openOnce(path, options)
        if (filesStamp(path) === before) return library
        library.close()
      } catch (error) {
        if (
          !(error instanceof LibraryDamagedError) ||
          filesStamp(path) === before ||
          attempt >= 5
        ) {
          throw error
        }
      }
      if (attempt >= 5) {
        throw new LibraryError(
          'library-error',
          `${path} kept changing while it was read; try again`,
        )
      }
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt))
    }
  }

  private static async openOnce(path: string, options: OpenOptions): Promise<Library> {
    const SQL = await loadEngine()
    const readOnly = options.readOnly ?? false
    const now = options.now ?? (() => new Date())
    const journalPath = `${path}.journal`
    if (!readOnly) disk().mkdir(dirname(path))
    else if (!existsSync(path)) {
      throw new LibraryError(
        'library-error',
        `there is no library at ${path}; import a dump to create one`,
      )
    }
    const ownLock = !readOnly && !options.lock
    const lock = readOnly
      ? null
      : (options.lock ?? LibraryLock.acquire(path, options.owner ?? 'Lectern'))
    let db: Db | null = null
    try {
      if (!readOnly) removeStaleTemporaries(path)
      const loaded = await loadOrCreate(SQL, path, readOnly)
      db = loaded.db
      const migrated = migrate(db)
      const contents = readJournalOrDamage(journalPath)
      const snapshotSeq = Number(db.value(`SELECT value FROM meta WHERE key = 'journal_seq'`) ?? 0)
      const seq = replayJournal(db, journalPath, contents, snapshotSeq)
      if (!readOnly) keepTornTail(journalPath, contents, now())
      const journal = readOnly ? null : new JournalWriter(journalPath, contents.validBytes)
      const library = new Library(
        path,
        db,
        journal,
        ownLock ? lock : null,
        now,
        options.checkpointBytes ?? DEFAULT_CHECKPOINT_BYTES,
        options.snapshotThreadBytes ?? DEFAULT_SNAPSHOT_THREAD_BYTES,
        options.idleMergeBytes ?? IDLE_MERGE_BYTES,
        options.limitBytes ?? limitFromEnvironment() ?? LIBRARY_LIMIT_BYTES,
        seq,
      )
      library.engine = SQL
      if (!loaded.created) {
        // As readFingerprinted gave it to sql.js: the file, and room past it.
        const bytes = statOrZero(path)
        library.roomUpTo = bytes + roomToGrow(bytes)
      }
      const named = !readOnly && ensureIdentity(db)
      if (!readOnly && (loaded.created || migrated || named)) library.checkpoint()
      if (!readOnly) library.takeBack(incompleteImports(db))
      else hideIncomplete(db, now())
      library.prepareSearchLater()
      return library
    } catch (error) {
      db?.close()
      if (ownLock) lock?.release()
      throw error
    }
  }

  private writable(): JournalWriter {
    if (this.closed) throw new LibraryError('library-error', 'the library is closed')
    if (!this.journal) throw new LibraryError('library-error', 'the library was opened read-only')
    if (this.journal.isStuck) {
      throw new LibraryError(
        'write-failed',
        `a change that failed could not be taken back from ${this.journal.path} (the disk refused); the change was not saved. Close and reopen the library: every change reported saved is there`,
      )
    }
    return this.journal
  }

  /** Applies an operation and makes it durable; all or nothing. */
  private commit<T>(op: Operation): T {
    const journal = this.writable()
    const seq = this.seq + 1
    let appendedAt: number | null = null
    let result: unknown
    try {
      result = this.db.transaction(() => {
        const pagesBefore = addsText(op) ? this.pages() : null
        const value = applyOperation(this.db, op)
        // With sync on, the change as sync operations, in the same record (db/sync.ts).
        const recorded = captureLocal(this.db, this.now())
        if (recorded) applyOperation(this.db, recorded)
        if (pagesBefore !== null) this.ensureRoom(pagesBefore)
        try {
          const at = journal.bytes
          journal.append({ seq, op: recorded ? { kind: 'batch', ops: [op, recorded] } : op })
          appendedAt = at
        } catch (error) {
          throw new LibraryError(
            'write-failed',
            `${describeWriteError(error, journal.path)}; the change was not saved`,
          )
        }
        return value
      })
    } catch (error) {
      // Written to the journal, then its COMMIT failed: the change did not happen, and its record
      // must not bring it back at the next open.
      if (appendedAt !== null) {
        try {
          journal.cutBack(appendedAt)
        } catch {
          // The journal is stuck (it takes nothing more, see writable()); the caller hears
          // why the change failed, which is what they can act on.
        }
      }
      // Rolled back, a change that grew the file has sql.js cut its array to the file's size.
      this.roomUpTo = 0
      if ((error as { code?: unknown }).code === 'SQLITE_NOMEM') {
        // SQLite keeps what a change replaces in memory until it commits, in a WebAssembly heap
        // that cannot pass 4 GB: one change to most of a million-paper library can need more.
        throw new LibraryError(
          'library-error',
          `this change needs more memory than the library's database has (${describeSize(op)}); make it to fewer papers at a time. Nothing was changed`,
        )
      }
      throw error
    }
    this.seq = seq
    if (!leavesTextAlone(op)) {
      this.textSeq += 1
      this.docSizes.touched(textTouched(op), this.textSeq)
      this.mergeIndexLater()
      this.prepareSearchLater()
    }
    this.snapshotIfDue()
    return result as T
  }

  /** Merges a bit of the search index now (see MERGE_STEP_BLOCKS); whether more is left. */
  private mergeIndex(blocks: number): boolean {
    if (this.closed || this.db.inTransaction) return false
    try {
      return mergeSomeSegments(this.db, 'papers_fts', blocks, MERGE_FROM_SEGMENTS)
    } catch {
      // Upkeep, not a change: a statement that fails changes nothing, and the next one merges.
      // Rolled back, it has sql.js cut its array to the file's size, as a failed change does.
      this.roomUpTo = 0
      return false
    }
  }

  private mergeTimer: ReturnType<typeof setTimeout> | null = null
  private prepareTimer: ReturnType<typeof setTimeout> | null = null

  /**
   * Reads what a first search would read whole (the papers' lengths in the index, and their
   * order by age), a step a turn while the app is idle: in a new process at 100,000 papers the
   * first search took 315–389 ms, and 105–118 ms read ahead. Not while an import or a
   * transaction is under way: then a little later.
   */
  private prepareSearchLater(delay = PREPARE_AFTER_MS): void {
    if (this.prepareTimer || this.closed) return
    this.prepareTimer = setTimeout(() => {
      this.prepareTimer = null
      if (this.closed) return
      if (this.importsUnderWay > 0 || this.db.inTransaction) {
        this.prepareSearchLater()
        return
      }
      let more: boolean
      try {
        more = this.docSizes.readAhead(this.db, this.textSeq, PREPARE_STEP_ROWS)
      } catch {
        // Only a head start: the first search reads what is missing, and says what is wrong.
        return
      }
      if (more) this.prepareSearchLater(0)
    }, delay)
    this.prepareTimer.unref?.()
  }

  /** Whether the next bit of merging may run now, the app idle (see idleMergeAllowed). */
  private idleMergeFits(): boolean {
    try {
      return idleMergeAllowed(
        indexLevels(this.db, 'papers_fts'),
        mergesUnderWay(this.db, 'papers_fts'),
        MERGE_FROM_SEGMENTS,
        this.idleMergeBytes,
      )
    } catch {
      return false
    }
  }

  /**
   * Once the indexed text has stayed as it is for a moment, merges the index a bit at a time,
   * each bit a turn of its own, until no level is left to merge. Not kept up for: a command that
   * ends first leaves it to the next session (FTS4 merges on its own all the same).
   */
  private mergeIndexLater(delay = MERGE_AFTER_MS): void {
    if (this.mergeTimer || this.closed) return
    this.mergeTimer = setTimeout(() => {
      this.mergeTimer = null
      // An import merges between its own steps.
      if (this.importsUnderWay > 0 || !this.idleMergeFits()) return
      if (this.mergeIndex(MERGE_IDLE_BLOCKS)) this.mergeIndexLater(0)
    }, delay)
    this.mergeTimer.unref?.()
  }

  /**
   * A new snapshot, when the journal has grown to want one and nothing holds it off: while an
   * import is written in steps it waits for the import's end (it would be written again and
   * again), and while a backup reads the files, for the backup (see backupSource).
   */
  private snapshotIfDue(): void {
    const journal = this.journal
    if (
      !journal ||
      this.closed ||
      journal.bytes < Math.min(CLOSE_SNAPSHOT_BYTES, this.checkpointBytes) ||
      this.importsUnderWay > 0 ||
      this.filesHeld > 0 ||
      this.snapshotting ||
      this.snapshotReady
    ) {
      return
    }
    const bytes = this.databaseBytes()
    const small = bytes < this.snapshotThreadBytes
    // A snapshot on this thread waits for the journal's limit; one on a thread of its own is
    // written as soon as the next open would spend longer reading the journal than the thread
    // spends writing the library (after an import of thousands of papers, say).
    if (journal.bytes < this.checkpointBytes && (small || !this.replayCostsMore(bytes))) return
    if (small) {
      try {
        this.checkpoint()
      } catch {
        // The change is already safe in the journal; the snapshot is tried again next time.
      }
      return
    }
    if (journal.bytes < this.snapshotRetryBytes) return
    // Every change is in the journal; a snapshot that fails is tried again as it grows. One that
    // cannot even start must not fail the change that asked for it (already saved).
    try {
      this.snapshotOffThread().catch(() => undefined)
    } catch {
      this.snapshotRetryBytes = journal.bytes + this.checkpointBytes / 4
    }
  }

  /** Whether reading the journal again at the next open would take longer than a snapshot. */
  private replayCostsMore(databaseBytes = this.databaseBytes()): boolean {
    const journal = this.journal
    return (
      !!journal &&
      journal.bytes >= CLOSE_SNAPSHOT_BYTES &&
      journal.bytes * REPLAY_COST >= databaseBytes
    )
  }

  private pageSize = 0

  private pages(): number {
    return Number(this.db.value('PRAGMA page_count'))
  }

  /** The database's size in bytes, as a snapshot would write it (of `pages` pages). */
  private databaseBytes(pages = this.pages()): number {
    this.pageSize ||= Number(this.db.value('PRAGMA page_size'))
    return pages * this.pageSize
  }

  /**
   * Refuses (inside the change's transaction, so that it rolls back) a change that grew the
   * database past the limit. What the search index writes at COMMIT is not seen here: the limit
   * is a soft one, with a gigabyte of room left above it (see LIBRARY_LIMIT_BYTES).
   */
  private ensureRoom(pagesBefore: number): void {
    const pages = this.pages()
    if (pages <= pagesBefore) return
    const bytes = this.databaseBytes(pages)
    if (bytes > this.limitBytes) throw this.fullError(bytes)
  }

  /**
   * Refuses, before a dump is read, an import whose text alone could carry the database to where
   * it cannot grow (a dump of papers the library has adds nothing, so below that the limit is
   * left to the exact check of each change).
   */
  private ensureRoomFor(dumps: { text: string }[]): void {
    const growth = dumps.reduce((n, d) => n + dumpLength(d), 0) * GROWTH_PER_DUMP_BYTE
    const bytes = this.databaseBytes()
    if (bytes + growth > Math.max(this.limitBytes, WALL_BYTES)) {
      throw this.fullError(bytes + growth)
    }
    this.makeRoomFor(bytes, growth)
  }

  /**
   * Before writing what will grow the database by up to `growth` bytes: room for all of it, in
   * one move, where sql.js would otherwise copy the whole file more than once as it grows (see
   * room.ts). Less than an eighth is left to sql.js: one copy either way. The room is a half
   * more than the library at least, so that imports one after another seldom move it again.
   */
  private makeRoomFor(bytes: number, growth: number): void {
    if (!this.engine || !this.journal || this.closed) return // nothing will be written
    if (bytes + growth <= this.roomUpTo || growth < roomToGrow(bytes)) return
    const capacity = bytes + growth + Math.max(roomToGrow(bytes + growth), Math.ceil(bytes / 2))
    const room = moveIntoRoom(this.engine, this.db, capacity)
    if (!room) return // sql.js grows the file as it always did
    this.room = new WeakRef(room)
    this.roomUpTo = room.length
  }

  private fullError(bytes: number): LibraryError {
    const gb = (n: number): string => `${(n / 2 ** 30).toFixed(2)} GB`
    return new LibraryError(
      'library-error',
      `the library would grow to ${gb(bytes)}, past the ${gb(this.limitBytes)} Lectern can hold (it keeps the whole library in memory); nothing was changed. Start a second library for new papers (--library, or Settings), or import fewer at a time`,
    )
  }

  /** The database's size and the most it may grow to (see LIBRARY_LIMIT_BYTES). */
  size(): { bytes: number; limitBytes: number } {
    return { bytes: this.databaseBytes(), limitBytes: this.limitBytes }
  }

  /** Writes the whole database as the new snapshot and empties the journal. */
  checkpoint(): void {
    const journal = this.writable()
    this.stopSnapshotOffThread()
    this.db.run(`INSERT OR REPLACE INTO meta (key, value) VALUES ('journal_seq', ?)`, [
      String(this.seq),
    ])
    try {
      writeSnapshot(this.path, this.db.export())
    } catch (error) {
      // The journal still holds every change, so nothing is lost; the snapshot is retried later.
      throw new LibraryError('write-failed', describeWriteError(error, this.path))
    }
    journal.reset()
    this.snapshotRetryBytes = 0
  }

  /** A snapshot being written on a thread of its own (see snapshotOffThread). */
  private snapshotting: { stop: () => void; done: Promise<void> } | null = null
  /** One written, to be put in place once no backup is reading the files. */
  private snapshotReady: {
    journalBytes: number
    tmp: string
    fingerprint: Fingerprint
  } | null = null
  /** After a snapshot failed on its thread, the journal size it is tried again at. */
  private snapshotRetryBytes = 0
  private snapshotThreads = 0

  /**
   * Writes a new snapshot without stopping the process: a thread builds the database from the
   * files on disk (the last snapshot and the journal up to now) and writes it to a temporary
   * file; here it is put in place (a rename) and the journal keeps only the changes made since.
   * Exporting the live database instead stopped the app for seconds at 100,000 papers and grew
   * its heap by the library's size for good. Resolves once the snapshot is in place (or, while
   * a backup reads the files, once it is ready to be put in place after it).
   */
  snapshotOffThread(): Promise<void> {
    const journal = this.writable()
    if (this.snapshotting) return this.snapshotting.done
    if (this.snapshotReady) return Promise.resolve()
    const journalBytes = journal.bytes
    this.snapshotThreads += 1
    const running = snapshotOffThread({
      path: this.path,
      journalPath: this.journalPath,
      journalBytes,
      seq: this.seq,
      papers: Number(this.db.value('SELECT COUNT(*) FROM papers')),
      tag: `${process.pid}-snapshot-${this.snapshotThreads}`,
    })
    const me = {
      stop: running.stop,
      done: running.done.then(
        (written) => {
          if (this.snapshotting !== me) {
            disk().unlink(written.tmp)
            return
          }
          this.snapshotting = null
          this.snapshotRetryBytes = 0
          this.snapshotReady = { journalBytes, ...written }
          this.installSnapshotReady()
          // The changes made meanwhile may already want the next one.
          this.snapshotIfDue()
        },
        (error: unknown) => {
          if (this.snapshotting !== me) throw error
          this.snapshotting = null
          // The file on disk no longer matches its checksum: the database in memory is whole,
          // and a snapshot of it puts a sound file back.
          if (error instanceof LibraryError && error.code === 'library-damaged') {
            this.checkpoint()
            return
          }
          this.snapshotRetryBytes = journal.bytes + this.checkpointBytes / 4
          throw error
        },
      ),
    }
    this.snapshotting = me
    // Put in place as soon as it is written; told once its thread has gone too (see
    // rebuildOffThread's `exited`), so that what the caller does next does not begin beside it.
    return me.done.then(() => running.exited)
  }

  /** Puts the snapshot written on a thread in place, unless a backup is reading the files. */
  private installSnapshotReady(): void {
    const ready = this.snapshotReady
    if (!ready || this.filesHeld > 0) return
    this.snapshotReady = null
    if (this.closed || !this.journal) {
      disk().unlink(ready.tmp)
      return
    }
    try {
      installSnapshot(this.path, ready.tmp, ready.fingerprint)
      // The snapshot holds the journal's first bytes: a crash before this line leaves them in
      // the journal, and the next open skips them.
      this.journal.dropThrough(ready.journalBytes)
    } catch (error) {
      this.snapshotRetryBytes = this.journal.bytes + this.checkpointBytes / 4
      throw new LibraryError('write-failed', describeWriteError(error, this.path))
    }
  }

  /** Stops a snapshot under way on its thread, and forgets one not yet put in place. */
  private stopSnapshotOffThread(): void {
    const running = this.snapshotting
    this.snapshotting = null
    running?.stop()
    const ready = this.snapshotReady
    this.snapshotReady = null
    if (ready) disk().unlink(ready.tmp)
  }

  /** A short random name given to the library when it was created. */
  get id(): string {
    return String(this.db.value(`SELECT value FROM meta WHERE key = 'library_id'`) ?? 'unknown')
  }

  /** Backups reading the library's files now (the next snapshot waits for them). */
  private filesHeld = 0

  get isClosed(): boolean {
    return this.closed
  }

  /**
   * What a backup is made from: the library's durable files, how much of the journal holds its
   * changes up to now, and the last of them. A writer writes no snapshot (the files stay as
   * described) until `release`. A reader cannot hold the writer's snapshots: its source names
   * no change and no length (the files as they are when read; the backup checks they agree).
   */
  backupSource(): {
    path: string
    journalPath: string
    journalBytes: number | null
    seq: number | null
    release: () => void
  } {
    if (this.closed) throw new LibraryError('library-error', 'the library is closed')
    const journal = this.journal
    if (!journal) {
      return {
        path: this.path,
        journalPath: this.journalPath,
        journalBytes: null,
        seq: null,
        release: () => undefined,
      }
    }
    this.filesHeld += 1
    let released = false
    return {
      path: this.path,
      journalPath: this.journalPath,
      journalBytes: journal.bytes,
      seq: this.seq,
      release: () => {
        if (released) return
        released = true
        this.filesHeld -= 1
        if (this.closed || this.filesHeld > 0) return
        // A snapshot written meanwhile, or one held off, now that the files may change.
        try {
          this.installSnapshotReady()
        } catch {
          // Every change is in the journal; the snapshot is tried again as it grows.
        }
        this.snapshotIfDue()
      },
    }
  }

  /** The whole library as one SQLite file's bytes, for a backup. */
  exportBytes(): Uint8Array {
    if (this.closed) throw new LibraryError('library-error', 'the library is closed')
    return this.db.export()
  }

  // Reads

  /** The last search's ranked hits, while the text the index holds has not changed since. */
  private hits: { textSeq: number; match: string; ranking: Ranking } | null = null
  /** The last view's ranking, while the library has not changed at all since. */
  private view: { seq: number; key: string; ranking: Ranking } | null = null

  /** The search index's document lengths, kept between searches (see ranking.ts). */
  private readonly docSizes = new DocSizes()
  /** How many papers have each word asked about, while the indexed text stays the same. */
  private documentsWith = { textSeq: -1, counts: new Map<string, number>() }

  private readonly rankingCache: RankingCache = {
    index: () => ({ sizes: this.docSizes, textSeq: this.textSeq }),
    documentsWith: () => {
      // Kept for one state of the indexed text, and for so many words at most.
      if (this.documentsWith.textSeq !== this.textSeq || this.documentsWith.counts.size > 200_000) {
        this.documentsWith = { textSeq: this.textSeq, counts: new Map() }
      }
      return this.documentsWith.counts
    },
    has: (match) => this.hits?.textSeq === this.textSeq && this.hits.match === match,
    hits: (match, rank) => {
      if (this.hits?.textSeq === this.textSeq && this.hits.match === match) {
        return this.hits.ranking
      }
      const ranking = rank()
      this.hits = { textSeq: this.textSeq, match, ranking }
      return ranking
    },
    view: (key, rank) => {
      if (this.view?.seq === this.seq && this.view.key === key) return this.view.ranking
      const ranking = rank()
      this.view = { seq: this.seq, key, ranking }
      return ranking
    },
  }

  listPapers(options: ListOptions): PaperPage {
    return listPapers(this.db, options, this.rankingCache)
  }

  listFullPapers(options: ListOptions): Paper[] {
    return listFullPapers(this.db, options, this.now, this.rankingCache)
  }

  /** Every id a view shows, in its order (a selection of all of them). */
  paperIds(query: Omit<ListOptions, 'offset' | 'limit'>): number[] {
    return paperIds(this.db, query, this.rankingCache)
  }

  tags(): TagInfo[] {
    return listTags(this.db)
  }

  /** Papers like this one (see queries.ts), best first. */
  similarPapers(id: number, limit: number): ReturnType<typeof similarPapers> {
    return similarPapers(this.db, id, limit, this.rankingCache)
  }

  getPaper(id: number): Paper {
    return getPaper(this.db, id, this.now)
  }

  imports(): ImportRecord[] {
    return listImports(this.db)
  }

  /** How many changes the library has had (see LibraryStats.revision); cheap to ask often. */
  get revision(): number {
    return this.seq
  }

  stats(): LibraryStats {
    return { ...libraryStats(this.db, this.path), revision: this.seq, size: this.size() }
  }

  /** Reading over time: the Statistics view, `lectern stats --json`. */
  readingStats(weeks: number): ReadingStats {
    return readingStats(this.db, { weeks, now: this.now() })
  }

  // Writes

  /** Reads a dump into the operation that adds its papers (those chosen); one that cannot be read throws. */
  private prepareImport(dump: DumpInput): Extract<Operation, { kind: 'import' }> {
    this.ensureRoomFor([dump])
    return chosenPapers(dump, this.readImport(dump).op)
  }

  /** The import operation for a dump, and the line each of its papers starts on. */
  private readImport(dump: DumpInput): {
    op: Extract<Operation, { kind: 'import' }>
    lines: number[]
  } {
    let parsed
    try {
      parsed = parseDump(storableText(dumpText(dump)), this.now(), dump.format, {
        mapping: dump.mapping,
      })
    } catch (error) {
      throw asLibraryError(dump, error)
    }
    return this.importOf(dump, parsed)
  }

  /** What a reading thread is given of a dump: its text (in the pieces it came in), its options. */
  private readerInput(dump: DumpInput): Parameters<typeof readOffThread>[0] {
    return {
      text: dump.pieces ?? dump.text,
      now: this.now(),
      format: dump.format,
      mapping: dump.mapping,
    }
  }

  /** As `readImport`, the dump read on a thread of its own (see readOffThread.ts). */
  private async readImportOffThread(
    dump: DumpInput,
    cancelled: () => boolean = () => false,
  ): Promise<{ op: Extract<Operation, { kind: 'import' }>; lines: number[] }> {
    // A small dump is read here and now: starting a thread costs more than reading it.
    if (dumpLength(dump) < READ_HERE_CHARS) return this.readImport(dump)
    let parsed
    try {
      parsed = await readOffThread(this.readerInput(dump), cancelled)
    } catch (error) {
      if (error instanceof ReadCancelled) throw new ImportCancelled()
      throw asLibraryError(dump, error)
    }
    // The reading thread has taken out what cannot be stored, paper by paper.
    return this.importOf(dump, parsed, true)
  }

  private importOf(
    dump: DumpInput,
    parsed: ParseResult,
    storable = false,
  ): { op: Extract<Operation, { kind: 'import' }>; lines: number[] } {
    const name = basename(dump.source)
    const op: Extract<Operation, { kind: 'import' }> = {
      kind: 'import',
      at: this.now().toISOString(),
      source: name,
      format: parsed.format,
      papers: parsed.papers.map(({ line: _line, ...paper }) =>
        storable ? paper : withoutUnstorable(paper),
      ),
      warnings: parsed.warnings,
      skipped: parsed.skipped,
    }
    return { op, lines: parsed.papers.map((p) => p.line) }
  }

  /** Adds a dump's papers in one transaction; a dump that cannot be read changes nothing. */
  importText(source: string, text: string, format?: FormatId): ImportSummary {
    return this.commit<ImportSummary>(this.prepareImport({ source, text, format }))
  }

  /**
   * What importing these dumps would do, paper by paper, without changing anything: the same
   * reading and the same matching as the import, in a transaction that is rolled back.
   */
  previewImports(items: DumpInput[]): ImportPreview[] {
    if (this.closed) throw new LibraryError('library-error', 'the library is closed')
    return this.previewOf(
      items,
      items.map((item) => this.readImport(item)),
    )
  }

  /** As `previewImports`, the dumps read on a thread of their own (the app answers meanwhile). */
  async previewImportsOffThread(items: DumpInput[]): Promise<ImportPreview[]> {
    const prepared = []
    for (const item of items) {
      await new Promise((resolve) => setImmediate(resolve))
      prepared.push(await this.readImportOffThread(item))
    }
    if (this.closed) throw new LibraryError('library-error', 'the library is closed')
    return this.previewOf(items, prepared)
  }

  private previewOf(
    items: DumpInput[],
    prepared: { op: Extract<Operation, { kind: 'import' }>; lines: number[] }[],
  ): ImportPreview[] {
    // Rolled back, a preview that grew the file has sql.js cut its array to the file's size.
    this.roomUpTo = 0
    return this.db.rolledBack(() =>
      prepared.map(({ op, lines }, index) => {
        const { summary, outcomes } = applyImportWithOutcomes(this.db, op)
        const item = items[index]!
        return {
          summary,
          candidates: detectFormats(dumpHead(item, PREVIEW_HEAD_CHARS)).map((d) => d.format),
          columns:
            op.format === 'csv'
              ? csvColumns(dumpHead(item, PREVIEW_HEAD_CHARS), item.mapping)
              : null,
          papers: outcomes.map((o, i) => ({
            line: lines[i] ?? 0,
            title: op.papers[i]!.title,
            outcome: o.outcome,
            matchedBy: o.matchedBy,
            paperId: o.paperId,
          })),
        }
      }),
    )
  }

  /** Several dumps in one transaction and one journal record: all are added, or none. */
  importTexts(items: DumpInput[]): ImportSummary[] {
    this.ensureRoomFor(items) // all of them at once (each is checked again on its own)
    const ops = items.map((item) => this.prepareImport(item))
    return this.commit<ImportSummary[]>({ kind: 'batch', ops })
  }

  /**
   * Imports dumps in steps of about STEP_MS each, each its own durable change, giving the
   * event loop a turn between steps so that the app answers while a large import runs. All
   * or nothing all the same: the imports are marked complete together at the end; a cancel or
   * a failure takes back what was written, and an import a crash left incomplete is taken back
   * when the library next opens.
   */
  async importInSteps(
    items: DumpInput[],
    control: {
      onProgress?: (done: number, total: number) => void
      cancelled?: () => boolean
      /** Called once the dumps are read, before anything is written. */
      onRead?: (total: number) => void
      /** Papers per step (tests make it small). */
      step?: number
    } = {},
  ): Promise<ImportSummary[]> {
    // Every dump is read before anything is written: one that cannot be read changes nothing.
    this.ensureRoomFor(items)
    const cancelled = control.cancelled ?? (() => false)
    const held: HeldImport[] = []
    try {
      for (const item of items) {
        // The app has a turn between dumps, however quickly each is read.
        await new Promise((resolve) => setImmediate(resolve))
        held.push(await this.holdImport(item, cancelled))
      }
      // Read, the texts are let go (in the caller's objects too), so that a 100 MB dump is not
      // held all the while its papers are written.
      for (const item of items) {
        item.text = ''
        item.pieces = undefined
      }
      return await this.writeInSteps(held, control)
    } finally {
      for (const dump of held) dump.close()
    }
  }

  /**
   * A dump read whole, before anything is written, its papers held where they were read (a large
   * dump's on its reading thread) and taken a step at a time as they are written.
   */
  private async holdImport(dump: DumpInput, cancelled: () => boolean): Promise<HeldImport> {
    if (dumpLength(dump) < READ_HERE_CHARS) {
      const { papers, kind: _kind, ...header } = chosenPapers(dump, this.readImport(dump).op)
      let at = 0
      return {
        header,
        total: papers.length,
        dumpDates: dumpDatesOf(papers),
        take: (count) => {
          at += count
          return Promise.resolve(papers.slice(at - count, at))
        },
        close: () => {},
      }
    }
    const source = basename(dump.source)
    let read: HeldDump
    try {
      read = await holdOffThread({ ...this.readerInput(dump), only: dump.only }, cancelled)
    } catch (error) {
      if (error instanceof ReadCancelled) throw new ImportCancelled()
      if (error instanceof NotInDump) {
        throw new LibraryError('invalid-request', `${source}: only: ${error.message}`)
      }
      throw asLibraryError(dump, error)
    }
    return {
      header: {
        at: this.now().toISOString(),
        source,
        format: read.format,
        warnings: read.warnings,
        skipped: read.skipped,
      },
      total: read.total,
      dumpDates: read.dumpDates,
      // The reading thread has taken out what cannot be stored.
      take: async (count) => (await read.take(count)).map(({ line: _line, ...paper }) => paper),
      close: () => read.close(),
    }
  }

  /** The steps of importInSteps, once every dump is read. */
  private async writeInSteps(
    dumps: HeldImport[],
    control: {
      onProgress?: (done: number, total: number) => void
      cancelled?: () => boolean
      onRead?: (total: number) => void
      step?: number
    },
  ): Promise<ImportSummary[]> {
    const total = dumps.reduce((n, dump) => n + dump.total, 0)
    control.onRead?.(total)
    const begun: number[] = []
    const summaries: ImportSummary[] = []
    let done = 0
    this.importsUnderWay += 1
    let writing = true
    const doneWriting = (): void => {
      if (writing) this.importsUnderWay -= 1
      writing = false
    }
    try {
      for (const dump of dumps) {
        if (control.cancelled?.()) throw new ImportCancelled()
        const { header } = dump
        const importId = this.commit<number>({
          ...header,
          kind: 'importBegin',
          dumpDates: dump.dumpDates,
        })
        begun.push(importId)
        const summary: ImportSummary = {
          importId,
          source: header.source,
          format: header.format,
          added: 0,
          duplicates: 0,
          updated: 0,
          matchedBy: { arxivId: 0, doi: 0, title: 0 },
          skipped: header.skipped,
          warnings: header.warnings,
          dumpDates: dump.dumpDates,
        }
        // Steps of about STEP_MS each (the app waits at most that long for its turn), sized
        // by how fast the last ones went; tests fix the size.
        let size = Math.max(1, control.step ?? FIRST_STEP_PAPERS)
        for (let from = 0; from < dump.total;) {
          if (control.cancelled?.()) throw new ImportCancelled()
          const step = await dump.take(size)
          if (step.length === 0) throw new Error(`${header.source}: its papers ran out at ${from}`)
          const started = performance.now()
          const counts = this.commit<ImportCounts>({
            kind: 'importPapers',
            at: header.at,
            importId,
            papers: step,
          })
          from += step.length
          // Counted in the step's time: the steps are sized to leave the app its turn.
          this.mergeIndex(MERGE_STEP_BLOCKS)
          if (control.step === undefined) {
            const perPaper = (performance.now() - started) / step.length
            size = Math.round(
              Math.min(
                MAX_STEP_PAPERS,
                Math.max(MIN_STEP_PAPERS, STEP_MS / Math.max(perPaper, 1e-3)),
              ),
            )
          }
          summary.added += counts.added
          summary.duplicates += counts.duplicates
          summary.updated += counts.updated
          for (const rule of ['arxivId', 'doi', 'title'] as const) {
            summary.matchedBy[rule] += counts.matchedBy[rule]
          }
          done += step.length
          control.onProgress?.(done, total)
          await new Promise((resolve) => setImmediate(resolve))
        }
        summaries.push(summary)
      }
      if (control.cancelled?.()) throw new ImportCancelled()
      doneWriting()
      // The end is the change that may write the snapshot put off while the steps went on.
      this.commit({
        kind: 'batch',
        ops: begun.map((importId) => ({ kind: 'importEnd', importId }) as Operation),
      })
      return summaries
    } catch (error) {
      doneWriting()
      if (!this.takeBack(begun)) {
        throw new LibraryError(
          'write-failed',
          `the import stopped (${error instanceof Error ? error.message : String(error)}) and what it had written could not be taken back yet; it will be when the library next opens`,
        )
      }
      throw error
    }
  }

  /**
   * Takes back the imports that are still incomplete (one at a time: one that cannot be taken
   * back does not hold up the others); false when any is left for the next open to take back.
   */
  private takeBack(importIds: number[]): boolean {
    if (this.closed) return importIds.length === 0
    let all = true
    for (const importId of importIds) {
      if (this.db.value('SELECT complete FROM imports WHERE id = ?', [importId]) !== 0) continue
      try {
        this.commit({ kind: 'undoImport', at: this.now().toISOString(), importId, forget: true })
      } catch {
        all = false
      }
    }
    return all
  }

  /** Undoes an import: the papers it added go (unless the user has used them), its fills are emptied. */
  undoImport(importId: number): UndoImportSummary {
    // Refused here, not in the operation: a journal may hold an undo of one made before.
    const record = this.db.get<{ source: string; format: string }>(
      'SELECT source, format FROM imports WHERE id = ?',
      [importId],
    )
    if (record && isSyncImport(record)) {
      throw new LibraryError(
        'conflict',
        `import ${importId} is the papers another computer sent by sync: undone here, they would be deleted on every computer. Undo the import on the computer that made it, or delete the papers you do not want (that syncs too)`,
      )
    }
    return this.commit<UndoImportSummary>({
      kind: 'undoImport',
      at: this.now().toISOString(),
      importId,
    })
  }

  private setting(key: SettingKey): string | null {
    const value = this.db.value(`SELECT value FROM meta WHERE key = ?`, [`setting:${key}`])
    return value === null ? null : String(value)
  }

  /**
   * The library's own settings. A backup setting never set (a library from before there were
   * any) reads as what Lectern always did: a backup a day, the newest seven kept, beside it.
   */
  settings(): LibrarySettings {
    const every = this.setting('backupEvery')
    const kept = Number(this.setting('backupsKept'))
    const folder = JSON.parse(this.setting('backupsFolder') ?? 'null') as unknown
    return {
      watchInbox: this.setting('watchInbox') === 'true',
      savedSearches: JSON.parse(this.setting('savedSearches') ?? '[]') as SavedSearch[],
      inboxFolder: join(dirname(this.path), 'inbox'),
      backupEvery: (BACKUP_SCHEDULES as readonly (string | null)[]).includes(every)
        ? (every as BackupSchedule)
        : DEFAULT_BACKUP_SCHEDULE,
      backupsKept:
        Number.isInteger(kept) && kept >= 1 && kept <= MAX_BACKUPS_KEPT
          ? kept
          : DEFAULT_BACKUPS_KEPT,
      backupsFolder: typeof folder === 'string' ? folder : null,
    }
  }

  /**
   * Changes the settings named, all together; a durable change like any other. A backups
   * folder is stored as given: the session makes it ready first (LibrarySession.updateSettings).
   */
  updateSettings(change: SettingsChange): LibrarySettings {
    const values: [SettingKey, string | undefined][] = [
      ['watchInbox', change.watchInbox === undefined ? undefined : String(change.watchInbox)],
      [
        'savedSearches',
        change.savedSearches === undefined ? undefined : JSON.stringify(change.savedSearches),
      ],
      ['backupEvery', change.backupEvery],
      ['backupsKept', change.backupsKept === undefined ? undefined : String(change.backupsKept)],
      [
        'backupsFolder',
        change.backupsFolder === undefined ? undefined : JSON.stringify(change.backupsFolder),
      ],
    ]
    const ops: Operation[] = values.flatMap(([key, value]) =>
      value === undefined ? [] : [{ kind: 'setSetting' as const, key, value }],
    )
    if (ops.length > 0) this.commit(ops.length === 1 ? ops[0]! : { kind: 'batch', ops })
    return this.settings()
  }

  /** A status and a note together: both are saved, or neither. */
  update(id: number, change: { status?: Status | null; note?: string }): Paper {
    const at = this.now().toISOString()
    const ops: Operation[] = []
    if (change.status) ops.push({ kind: 'setStatus', at, id, status: change.status })
    if (change.note !== undefined) {
      ops.push({ kind: 'setNote', at, id, note: storableNote(change.note) })
    }
    this.commit(ops.length === 1 ? ops[0]! : { kind: 'batch', ops })
    return this.getPaper(id)
  }

  setStatus(id: number, status: Status): Paper {
    return this.update(id, { status })
  }

  setNote(id: number, note: string): Paper {
    return this.update(id, { note })
  }

  /** Changes papers alike (a selection), all or none; each paper's state before (for undo). */
  updatePapers(change: {
    ids: number[]
    status?: Status
    starred?: boolean
    addTags?: string[]
    removeTags?: string[]
  }): PaperState[] {
    return this.commit<PaperState[]>({
      kind: 'updatePapers',
      at: this.now().toISOString(),
      ...change,
    })
  }

  /** Puts papers back as `updatePapers` found them; how many there still were. */
  restorePapers(papers: PaperState[]): number {
    return this.commit<number[]>({ kind: 'restorePapers', papers }).length
  }

  /**
   * Renames a tag on every paper (merging it into an existing one); what changed on each paper
   * (`restorePapers` takes it back).
   */
  renameTag(from: string, to: string): PaperState[] {
    return this.commit<PaperState[]>({ kind: 'renameTag', from, to })
  }

  /** Takes a tag off every paper; what changed on each paper (for `restorePapers`). */
  deleteTag(name: string): PaperState[] {
    return this.commit<PaperState[]>({ kind: 'deleteTag', name })
  }

  /** Deletes papers, all or none; they are kept whole so that the deletion can be undone. */
  deletePapers(ids: number[]): DeletionSummary {
    return this.commit<DeletionSummary>({ kind: 'delete', at: this.now().toISOString(), ids })
  }

  /** Undoes a deletion (the latest not yet undone when `deletionId` is null). */
  restoreDeleted(deletionId: number | null): RestoreSummary {
    return this.commit<RestoreSummary>({
      kind: 'restoreDeleted',
      at: this.now().toISOString(),
      deletionId,
    })
  }

  /** The folder this library syncs through (null: none chosen). */
  syncFolder(): string | null {
    const folder = JSON.parse(this.setting('syncFolder') ?? 'null') as unknown
    return typeof folder === 'string' ? folder : null
  }

  /**
   * Chooses the folder to sync through; none (null) turns sync off: from then on the library's
   * changes are not recorded for other computers until a pass turns it on again (syncOnce).
   */
  setSyncFolder(folder: string | null): void {
    const setting: Operation = {
      kind: 'setSetting',
      key: 'syncFolder',
      value: JSON.stringify(folder),
    }
    const off = folder === null && syncDevice(this.db) !== null
    this.commit(off ? { kind: 'batch', ops: [setting, { kind: 'syncPause' }] } : setting)
  }

  /** The last sync pass that was written down (see recordSyncPass). */
  lastSyncPass(): SyncPass | null {
    return JSON.parse(this.setting('syncLast') ?? 'null') as SyncPass | null
  }

  recordSyncPass(pass: SyncPass): void {
    this.commit({ kind: 'setSetting', key: 'syncLast', value: JSON.stringify(pass) })
  }

  /** This library's sync device id (null until sync is first used). */
  syncDevice(): string | null {
    return syncDevice(this.db)
  }

  /** The device id of a library whose sync was turned off, kept for when it is turned on. */
  pausedSyncDevice(): string | null {
    return pausedSyncDevice(this.db)
  }

  /**
   * Turns sync on: the library gets a device id (or takes back the one it had when sync was
   * turned off), and everything it holds becomes operations to send, as far as the other
   * devices do not have it yet. Nothing when it has one.
   */
  enableSync(device: string): void {
    if (syncDevice(this.db) !== null) return
    this.commit({ kind: 'syncEnable', device })
  }

  /**
   * Gives the library a new device id (a copy of another computer's library, or one restored
   * from a backup older than its folder); `written`: the counter up to which its folder holds
   * every one of the old device's operations; `agreed`: the highest up to which the folder holds
   * them as this library has them (those after it are sent again under the new id).
   */
  rekeySync(device: string, written: number, agreed: number): void {
    this.commit({ kind: 'syncRekey', device, written, agreed })
  }

  /** How many operations this device has recorded, and how far others' are applied. */
  syncCursors(): { own: number; peers: Map<string, number> } {
    return { own: ownCounter(this.db), peers: peerCursors(this.db) }
  }

  /** This device's operations after `counter` (at most `limit`). */
  syncOpsAfter(counter: number, limit: number): SyncOp[] {
    return ownOpsAfter(this.db, counter, limit)
  }

  /** Applies other devices' operations, all or none, in one journal record. */
  applySyncOps(ops: SyncOp[], cursors: Record<string, number>, state?: StateEntry[]): void {
    const at = this.now().toISOString()
    this.commit({ kind: 'syncApply', at, ops, cursors, ...(state ? { state } : {}) })
  }

  /** The merged state of every paper sync knows, as a compacted state holds it. */
  syncStateEntries(): StateEntry[] {
    return stateEntries(this.db)
  }

  /** Keeps (as the note) or discards another version of a paper's note. */
  resolveNoteConflict(id: number, version: string, keep: boolean): Paper {
    // Only a version offered now: one replaced meanwhile (another computer's edit that saw it)
    // holds no text of its own any more, and keeping it would empty the note everywhere.
    if (!this.getPaper(id).noteConflicts?.some((c) => c.version === version)) {
      throw new LibraryError(
        'conflict',
        `that version of the note of paper ${id} is not among its other versions now: it was replaced meanwhile (an edit from another computer arrived), or already kept or discarded; look at the note again`,
      )
    }
    this.commit({
      kind: 'syncResolveNote',
      at: this.now().toISOString(),
      id,
      version,
      keep,
    })
    return this.getPaper(id)
  }

  /** Writes a final snapshot when there is anything unsnapshotted, then lets go of the file. */
  close(): void {
    if (this.closed) return
    try {
      this.stopSnapshotOffThread()
      // A journal of a few changes (a command of the command line, a short session) is read
      // again in a moment at the next open; a snapshot of a large library takes seconds (49 s
      // at a million papers) and grows the memory by its size. So at close one is written for
      // a journal over 1 MB only where reading it again would take longer than writing the
      // library now: always for a library small enough to be written here, and for a larger
      // one, a journal past a tenth of its size (REPLAY_COST), or past the journal's limit
      // (short sessions, each closed before its snapshot on the thread was done, must not let
      // the journal grow from one to the next).
      const journal = this.journal
      if (journal && journal.bytes >= CLOSE_SNAPSHOT_BYTES) {
        const bytes = this.databaseBytes()
        if (
          bytes < this.snapshotThreadBytes ||
          journal.bytes >= this.checkpointBytes ||
          this.replayCostsMore(bytes)
        ) {
          this.checkpoint()
        }
      }
    } finally {
      this.closed = true
      if (this.mergeTimer) clearTimeout(this.mergeTimer)
      if (this.prepareTimer) clearTimeout(this.prepareTimer)
      this.mergeTimer = null
      this.room = null
      this.journal?.close()
      this.db.close()
      this.lock?.release()
    }
  }
}

/** How many papers an operation changes, in words, where it names them. */
function describeSize(op: Operation): string {
  const named = op as { ids?: unknown[]; states?: unknown[]; papers?: unknown[] }
  const count = named.ids?.length ?? named.states?.length ?? named.papers?.length
  return count === undefined ? op.kind : `${op.kind} of ${count.toLocaleString('en-US')} papers`
}
