// The thread or process that builds a library's database from its durable files (see
// rebuildOffThread.ts) — the last snapshot and the journal after it, up to a given change — and
// writes it: as a checked backup (in a process of its own), or as the temporary file of the
// library's next snapshot (on a thread). Its heap goes when it ends.
import { dirname } from 'node:path'
import { parentPort, workerData } from 'node:worker_threads'
import { loadEngine } from '../db/database'
import type { Db } from '../db/database'
import { migrate } from '../db/migrations'
import { LibraryDamagedError, LibraryError, describeWriteError } from '../errors'
import { disk, mkdirDurable, nodeDisk, tracingDisk, useDisk } from './disk'
import type { DiskEvent } from './disk'
import { fingerprint, readWhole, verifySnapshot, writeTemporary } from './files'
import { orphaned, parentChannel } from '../jobProcess'
import { parseJournal } from './journal'
import { replayJournal } from './replay'
import { SnapshotProblem, openSnapshot, paperCount } from './snapshot'
import type { RebuildJob, RebuildMessage } from './rebuildOffThread'

/** The job comes with the thread, or as a process's first message. */
const channel = parentPort
  ? {
      first: Promise.resolve(workerData as unknown),
      post: (m: unknown) => parentPort!.postMessage(m),
    }
  : parentChannel()
let job!: RebuildJob
/** What this thread or process wrote, when the job asks (see Disk.fromThread). */
const events: DiskEvent[] = []

function post(message: RebuildMessage): void {
  if (message.kind !== 'read' && job.trace) message.events = events.splice(0)
  channel.post(message)
}

type Engine = Awaited<ReturnType<typeof loadEngine>>

/** Opens bytes with the full check and counts the papers; says what is wrong otherwise. */
function checked(SQL: Engine, data: Uint8Array): number {
  const db = openSnapshot(SQL, data, { check: 'full' })
  try {
    return paperCount(db)
  } finally {
    db.close()
  }
}

/** A check's verdict, as a message naming what was checked. */
function usable<T>(check: () => T, label: string): T {
  try {
    return check()
  } catch (error) {
    if (!(error instanceof SnapshotProblem)) throw error
    throw new LibraryError('library-error', `${label} cannot be used: it ${error.message}`)
  }
}

/**
 * The database the files hold, up to `job.seq` (or all the journal holds). A snapshot that no
 * longer matches its checksum is damage ('library-damaged'); a journal that does not follow on
 * from the snapshot read means the library wrote its next snapshot meanwhile ('conflict').
 */
async function rebuild(SQL: Engine): Promise<Db> {
  let snapshot: Buffer | null = readWhole(job.path)
  const journal = job.journalBytes === 0 ? Buffer.alloc(0) : readJournalBytes()
  const vouched = verifySnapshot(job.path, snapshot)
  // Both files (and the checksum) read: the library may write its next snapshot now.
  post({ kind: 'read' })
  if (vouched === 'mismatch') {
    throw new LibraryError(
      'library-damaged',
      `the library file ${job.path} no longer matches its checksum`,
    )
  }
  let db: Db
  try {
    db = openSnapshot(SQL, snapshot, { check: 'none' })
  } catch (error) {
    if (!(error instanceof SnapshotProblem)) throw error
    throw new LibraryError('library-damaged', `the library file ${job.path} ${error.message}`)
  }
  snapshot = null // in the database now; not kept twice
  try {
    migrate(db)
    const contents = parseJournal(
      job.journalBytes === null ? journal : journal.subarray(0, job.journalBytes),
    )
    const from = Number(db.value(`SELECT value FROM meta WHERE key = 'journal_seq'`) ?? 0)
    let seq: number
    try {
      seq = replayJournal(db, job.journalPath, contents, from)
    } catch (error) {
      if (!(error instanceof LibraryDamagedError)) throw error
      throw changedMeanwhile(`${error.message}`)
    }
    if (job.seq !== null && seq !== job.seq) {
      throw changedMeanwhile(`change ${seq}, expected ${job.seq}`)
    }
    return db
  } catch (error) {
    db.close()
    throw error
  }
}

async function backUp(out: string, tag: string): Promise<void> {
  const SQL = await loadEngine()
  const db = await rebuild(SQL)
  let data: Uint8Array | null
  try {
    data = db.export()
  } finally {
    db.close()
  }
  const papers = usable(() => checked(SQL, data!), 'the backup copy')
  const bytes = data.length
  // The app that asked may have gone while this worked without a pause: nothing is written then.
  await stillWanted()
  let tmp: string
  try {
    mkdirDurable(dirname(out), 'backups.mkdir.dir')
    tmp = writeTemporary(out, data, { tag, point: 'backup.fsync' })
  } catch (error) {
    throw new LibraryError('write-failed', `${describeWriteError(error, out)}; no backup was made`)
  }
  unfinished = tmp
  data = null
  try {
    // What was written, read back and checked again.
    usable(() => checked(SQL, readWhole(tmp)), out)
  } catch (error) {
    disk().unlink(tmp)
    unfinished = null
    throw error
  }
  await stillWanted()
  // Put in place by whoever asked (rebuildOffThread.backupInProcess), once this has ended.
  unfinished = null
  post({ kind: 'backed-up', papers, bytes, tmp })
}

/** A temporary file written and not yet handed over: removed if this process ends first. */
let unfinished: string | null = null
process.on('exit', () => {
  if (unfinished) disk().unlink(unfinished)
})

/**
 * Goes on only while the app that asked is there: after a turn of the event loop (in which its
 * channel closing ends this process: see jobProcess.parentChannel), asks whether it has gone.
 */
async function stillWanted(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve))
  if (orphaned()) process.exit(0)
}

async function snapshot(papers: number, seq: number, tag: string): Promise<void> {
  const SQL = await loadEngine()
  const db = await rebuild(SQL)
  let data: Uint8Array
  try {
    const rebuilt = paperCount(db)
    if (rebuilt !== papers) {
      throw new LibraryError(
        'library-error',
        `the library's files hold ${rebuilt} papers at change ${seq}, the library ${papers}`,
      )
    }
    // What the next open replays the journal from.
    db.run(`INSERT OR REPLACE INTO meta (key, value) VALUES ('journal_seq', ?)`, [String(seq)])
    data = db.export()
  } finally {
    db.close()
  }
  let tmp: string
  try {
    tmp = writeTemporary(job.path, data, { tag, point: 'snapshot-thread.fsync' })
  } catch (error) {
    throw new LibraryError('write-failed', describeWriteError(error, job.path))
  }
  post({ kind: 'snapshot-written', tmp, fingerprint: fingerprint(data) })
}

function readJournalBytes(): Buffer {
  try {
    return readWhole(job.journalPath)
  } catch (error) {
    // No journal yet (a library whose every change is in its snapshot).
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return Buffer.alloc(0)
    throw error
  }
}

function changedMeanwhile(detail: string): LibraryError {
  return new LibraryError(
    'conflict',
    `the library changed while its files were read (${detail}); try again`,
  )
}

void channel.first.then(async (received) => {
  job = received as RebuildJob
  if (job.trace) useDisk(tracingDisk(nodeDisk, (event) => events.push(event)))
  try {
    await (job.kind === 'backup'
      ? backUp(job.out, job.tag)
      : snapshot(job.papers, job.seq, job.tag))
  } catch (error) {
    post({
      kind: 'failed',
      message: error instanceof Error ? error.message : String(error),
      code: error instanceof LibraryError ? error.code : null,
    })
  }
})
