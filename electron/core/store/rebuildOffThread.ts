// Building a library's database from its durable files — the last snapshot and the journal
// after it — on a thread of its own (rebuildWorker.ts), for what would otherwise export the
// live database: a backup, and a new snapshot. Exporting stopped the app for seconds at 100,000
// papers and grew its WebAssembly heap by the library's size for good; the thread's heap goes
// when the thread ends. Built, the thread runs out/main/rebuildWorker.js; from the sources
// (tests, scripts) it runs rebuildWorker.ts through tsx.
import { Worker } from 'node:worker_threads'
import { LibraryError } from '../errors'
import type { ErrorCode } from '../../../shared/api'
import { disk } from './disk'
import type { DiskEvent } from './disk'
import { temporaryPath } from './files'
import type { Fingerprint } from './files'
import { workerScript } from './readOffThread'

/** The files to read, and how much of the journal. */
export interface RebuildSource {
  path: string
  journalPath: string
  /** The journal's bytes that hold the library's changes up to `seq` (null: all it holds). */
  journalBytes: number | null
  /** The library's last change: the copy must hold exactly up to it (null: whatever is there). */
  seq: number | null
}

/** What the thread is asked for: a checked backup written to `out`, or a snapshot's temporary file. */
export type RebuildJob = (
  | (RebuildSource & { kind: 'backup'; out: string })
  | (RebuildSource & {
      kind: 'snapshot'
      seq: number
      journalBytes: number
      /** Papers the library had at `seq`: the rebuilt database must have as many. */
      papers: number
      /** Told apart from any other temporary file of this process (see files.writeTemporary). */
      tag: string
    })
) & {
  /** Record every write and return the list with the result (see Disk.fromThread). */
  trace?: boolean
}

/** What the thread says: both files read; then done (and what it wrote), or failed. */
export type RebuildMessage =
  | { kind: 'read' }
  | { kind: 'backed-up'; papers: number; bytes: number; events?: DiskEvent[] }
  | { kind: 'snapshot-written'; tmp: string; fingerprint: Fingerprint; events?: DiskEvent[] }
  | { kind: 'failed'; message: string; code: ErrorCode | null; events?: DiskEvent[] }

/** A thread at work: what it ends with, and a way to stop it (its result is then thrown away). */
interface Running<T> {
  done: Promise<T>
  stop: () => void
  /**
   * Once the thread has ended after its result, and the memory it held with it (gigabytes for a
   * large library, given back over a second or more); at the latest EXIT_WAIT_MS after it.
   */
  exited: Promise<void>
}

/** The longest `exited` waits for a thread told to end. */
const EXIT_WAIT_MS = 10_000

function run<T>(
  job: RebuildJob,
  onRead: () => void,
  finish: (message: Exclude<RebuildMessage, { kind: 'read' | 'failed' }>) => T,
  /** After a thread that did not succeed has stopped: removes what it may have left. */
  cleanUp: () => void,
): Running<T> {
  const { file, execArgv } = workerScript('rebuildWorker')
  const fromThread = disk().fromThread
  const worker = new Worker(file, { execArgv, workerData: { ...job, trace: !!fromThread } })
  let stop: () => void = () => undefined
  let ended: () => void = () => undefined
  const exited = new Promise<void>((resolve) => {
    ended = resolve
  })
  const done = new Promise<T>((resolve, reject) => {
    let read = false
    let settled = false
    const markRead = (): void => {
      if (read) return
      read = true
      onRead()
    }
    const settle = (outcome: () => void, succeeded = false): void => {
      if (settled) return
      settled = true
      markRead()
      const terminated = worker.terminate()
      if (!succeeded) void terminated.finally(cleanUp)
      void terminated.then(ended, ended)
      setTimeout(ended, EXIT_WAIT_MS).unref()
      // Told at once: a snapshot is put in place as soon as it is written (see `exited`).
      outcome()
    }
    stop = () => settle(() => reject(new LibraryError('conflict', 'stopped before it was done')))
    worker.on('message', (message: RebuildMessage) => {
      if ('events' in message && message.events) fromThread?.(message.events)
      if (settled) return
      switch (message.kind) {
        case 'read':
          markRead()
          return
        case 'failed':
          settle(() => reject(new LibraryError(message.code ?? 'library-error', message.message)))
          return
        default:
          settle(() => resolve(finish(message)), true)
      }
    })
    worker.on('error', (error) => settle(() => reject(error)))
    worker.on('exit', (code) =>
      settle(() =>
        reject(
          new LibraryError('library-error', `the library's thread stopped (exit code ${code})`),
        ),
      ),
    )
  })
  return { done, stop, exited }
}

/**
 * Writes a checked copy of a library to `out` from its files. `onRead` is called once both
 * files are read (the library may write its next snapshot from then on). Rejects with a
 * LibraryError saying what went wrong; nothing is left at `out` then.
 */
export function backupOffThread(
  job: RebuildSource & { out: string },
  onRead: () => void,
): Promise<{ papers: number; bytes: number }> {
  const running = run(
    { ...job, kind: 'backup' },
    onRead,
    (message) => {
      if (message.kind !== 'backed-up') throw new Error(`unexpected ${message.kind}`)
      return { papers: message.papers, bytes: message.bytes }
    },
    () => undefined,
  )
  // Told once the thread has gone: the 1M benchmark measured 7.8 GB after a snapshot whose
  // thread was still ending, and the next thread would begin beside that end.
  return running.done.then(async (written) => {
    await running.exited
    return written
  })
}

/**
 * Writes the library as it was at `job.seq` to a temporary file beside it, fsynced, from its
 * files: the snapshot to put in place (files.installSnapshot). Stopped, the temporary file is
 * removed, however late the thread got to write it.
 */
export function snapshotOffThread(
  job: Omit<Extract<RebuildJob, { kind: 'snapshot' }>, 'kind'>,
): Running<{ tmp: string; fingerprint: Fingerprint }> {
  return run(
    { ...job, kind: 'snapshot' },
    () => undefined,
    (message) => {
      if (message.kind !== 'snapshot-written') throw new Error(`unexpected ${message.kind}`)
      return { tmp: message.tmp, fingerprint: message.fingerprint }
    },
    () => disk().unlink(temporaryPath(job.path, job.tag)),
  )
}
