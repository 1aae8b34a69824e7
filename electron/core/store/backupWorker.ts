// The thread that writes a backup (see backupOffThread.ts). A backup is made from what is
// already durable on disk, the last snapshot and the journal after it, not from the live
// database: exporting that stopped the app for seconds at 100,000 papers and grew its
// WebAssembly heap by the library's size for good. Here the copy is built, checked and written
// in this thread's own heap, which goes when the thread ends.
import { mkdirSync, readFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { parentPort, workerData } from 'node:worker_threads'
import { loadEngine } from '../db/database'
import { migrate } from '../db/migrations'
import { LibraryDamagedError, LibraryError, describeWriteError } from '../errors'
import { writeFileAtomic, verifySnapshot } from './files'
import { parseJournal } from './journal'
import { replayJournal } from './replay'
import { SnapshotProblem, openSnapshot, paperCount } from './snapshot'
import type { BackupJob, BackupMessage } from './backupOffThread'

const job = workerData as BackupJob

function post(message: BackupMessage): void {
  parentPort!.postMessage(message)
}

/** Opens bytes with the full check and counts the papers; says what is wrong otherwise. */
function checked(SQL: Awaited<ReturnType<typeof loadEngine>>, data: Uint8Array): number {
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

async function run(): Promise<void> {
  let snapshot: Buffer | null = readFileSync(job.path)
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
  const SQL = await loadEngine()
  let db: ReturnType<typeof openSnapshot>
  try {
    db = openSnapshot(SQL, snapshot, { check: 'none' })
  } catch (error) {
    if (!(error instanceof SnapshotProblem)) throw error
    throw new LibraryError('library-damaged', `the library file ${job.path} ${error.message}`)
  }
  snapshot = null // in the database now; not kept twice
  let data: Uint8Array | null
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
      // A journal that does not follow on from the snapshot read: the library wrote its next
      // snapshot between the two reads (a reader cannot hold it off).
      throw changedMeanwhile(`${error.message}`)
    }
    if (job.seq !== null && seq !== job.seq)
      throw changedMeanwhile(`change ${seq}, expected ${job.seq}`)
    data = db.export()
  } finally {
    db.close()
  }
  const papers = usable(() => checked(SQL, data!), 'the backup copy')
  const bytes = data.length
  try {
    mkdirSync(dirname(job.out), { recursive: true })
    writeFileAtomic(job.out, data)
  } catch (error) {
    throw new LibraryError(
      'write-failed',
      `${describeWriteError(error, job.out)}; no backup was made`,
    )
  }
  data = null
  // What was written, read back and checked again.
  usable(() => checked(SQL, readFileSync(job.out)), job.out)
  post({ kind: 'done', papers, bytes })
}

function readJournalBytes(): Buffer {
  try {
    return readFileSync(job.journalPath)
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

run().catch((error: unknown) => {
  post({
    kind: 'failed',
    message: error instanceof Error ? error.message : String(error),
    code: error instanceof LibraryError ? error.code : null,
  })
})
