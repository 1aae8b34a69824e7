// Building a library's database from its durable files — the last snapshot and the journal
// after it — apart from the app (rebuildWorker.ts), for what would otherwise export the live
// database: a new snapshot, on a thread of its own, and a backup, in a process of its own (see
// jobProcess.ts: at 790,000 papers a backup thread ending stopped the app for half a second).
// Exporting stopped the app for seconds at 100,000 papers and grew its WebAssembly heap by the
// library's size for good; the thread's or process's heap goes when it ends. Built, it runs
// out/main/rebuildWorker.js; from the sources (tests, scripts) rebuildWorker.ts through tsx.
import { dirname } from 'node:path'
import { Worker } from 'node:worker_threads'
import { LibraryError, describeWriteError } from '../errors'
import type { ErrorCode } from '../../../shared/api'
import { disk } from './disk'
import type { DiskEvent } from './disk'
import { ensureReplaceable, temporaryPath } from './files'
import type { Fingerprint } from './files'
import { startProcess } from '../jobProcess'
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

/** What is asked for: a checked backup's temporary file beside `out`, or a snapshot's. */
export type RebuildJob = (
  | (RebuildSource & {
      kind: 'backup'
      out: string
      /** Told apart from any other temporary file beside `out` (see files.writeTemporary). */
      tag: string
    })
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

/** What the thread or process says: both files read; then done (what it wrote), or failed. */
export type RebuildMessage =
  | { kind: 'read' }
  | { kind: 'backed-up'; papers: number; bytes: number; tmp: string; events?: DiskEvent[] }
  | { kind: 'snapshot-written'; tmp: string; fingerprint: Fingerprint; events?: DiskEvent[] }
  | { kind: 'failed'; message: string; code: ErrorCode | null; events?: DiskEvent[] }

/**
 * A thread or process at work: what it ends with, and a way to stop it (its result is then
 * thrown away).
 */
interface Running<T> {
  done: Promise<T>
  stop: () => void
  /**
   * Once it has ended after its result, and the memory it held with it (gigabytes for a large
   * library, given back over a second or more), and what a failed one left is removed; at the
   * latest EXIT_WAIT_MS after its result.
   */
  exited: Promise<void>
}

/** The longest `exited` waits for a thread or process told to end. */
const EXIT_WAIT_MS = 10_000

/**
 * Where a job runs: a thread of this process, or a process of its own (see core/jobProcess.ts).
 * Both speak the same messages; ending one resolves once it has gone.
 */
interface Runner {
  onMessage(listener: (message: RebuildMessage) => void): void
  onError(listener: (error: Error) => void): void
  onExit(listener: (code: number | null, signal: string | null) => void): void
  end(): Promise<void>
}

function onThread(job: RebuildJob): Runner {
  const { file, execArgv } = workerScript('rebuildWorker')
  const worker = new Worker(file, { execArgv, workerData: job })
  return {
    onMessage: (listener) => worker.on('message', listener),
    onError: (listener) => worker.on('error', listener),
    onExit: (listener) => worker.on('exit', (code) => listener(code, null)),
    end: () => worker.terminate().then(() => undefined),
  }
}

function inProcess(job: RebuildJob): Runner {
  const child = startProcess(workerScript('rebuildWorker'))
  let exited = false
  const gone = new Promise<void>((resolve) =>
    child.onExit(() => {
      exited = true
      resolve()
    }),
  )
  child.post(job)
  return {
    onMessage: (listener) => child.onMessage((message) => listener(message as RebuildMessage)),
    onError: (listener) => child.onError(listener),
    onExit: (listener) => child.onExit(listener),
    end: () => {
      if (!exited) child.kill()
      return gone
    },
  }
}

function run<T>(
  job: RebuildJob,
  place: 'thread' | 'process',
  onRead: () => void,
  finish: (message: Exclude<RebuildMessage, { kind: 'read' | 'failed' }>) => T,
  /** After a job that did not succeed has stopped: removes what it may have left. */
  cleanUp: () => void,
): Running<T> {
  const fromThread = disk().fromThread
  const traced = { ...job, trace: !!fromThread }
  const what = `the ${job.kind}'s ${place}`
  let runner: Runner
  try {
    runner = place === 'thread' ? onThread(traced) : inProcess(traced)
  } catch (error) {
    // Not started (no memory for another process, say).
    const failed = new LibraryError('library-error', `${what} could not start: ${String(error)}`)
    return { done: Promise.reject(failed), stop: () => undefined, exited: Promise.resolve() }
  }
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
      const cleanUpQuietly = (): void => {
        if (succeeded) return
        try {
          cleanUp()
        } catch {
          // Left where it is (a disk gone read-only, say): a later backup's sweep removes it.
        }
      }
      void runner.end().then(cleanUpQuietly, cleanUpQuietly).then(ended)
      setTimeout(ended, EXIT_WAIT_MS).unref()
      // Told at once: a snapshot is put in place as soon as it is written (see `exited`).
      outcome()
    }
    stop = () => settle(() => reject(new LibraryError('conflict', 'stopped before it was done')))
    runner.onMessage((message) => {
      try {
        if ('events' in message && message.events) fromThread?.(message.events)
        if (settled) return
        switch (message.kind) {
          case 'read':
            markRead()
            return
          case 'failed':
            settle(() => reject(new LibraryError(message.code ?? 'library-error', message.message)))
            return
          default: {
            const value = finish(message)
            settle(() => resolve(value), true)
          }
        }
      } catch (error) {
        // Whatever cannot be taken from a message fails the job; it never leaves it waiting.
        settle(() =>
          reject(
            error instanceof LibraryError
              ? error
              : new LibraryError('library-error', `${what} answered wrongly: ${String(error)}`),
          ),
        )
      }
    })
    runner.onError((error) =>
      settle(() => reject(new LibraryError('library-error', `${what} failed: ${error.message}`))),
    )
    runner.onExit((code, signal) =>
      settle(() =>
        reject(
          new LibraryError(
            'library-error',
            `${what} ended before it was done (${signal ? `killed: ${signal}` : `exit code ${code}`})`,
          ),
        ),
      ),
    )
  })
  return { done, stop, exited }
}

/** Backups asked of this process so far: each one's temporary file has its own name. */
let backups = 0

/**
 * Writes a checked copy of a library to `out` from its files, in a process of its own: the copy
 * is written and checked beside `out` there, and put in place here once that process has ended.
 * `onRead` is called once both files are read (the library may write its next snapshot from
 * then on). Rejects with a LibraryError saying what went wrong, once the process has ended;
 * nothing is left at `out` or beside it then.
 */
export function backupInProcess(
  job: RebuildSource & { out: string },
  onRead: () => void,
): Promise<{ papers: number; bytes: number }> {
  backups += 1
  // Its own each time: a backup tried again must not share a file with one still ending.
  const tag = `backup-${process.pid}-${backups}`
  const running = run(
    { ...job, kind: 'backup', tag },
    'process',
    onRead,
    (message) => {
      if (message.kind !== 'backed-up') throw new Error(`unexpected ${message.kind}`)
      return message
    },
    () => disk().unlink(temporaryPath(job.out, tag)),
  )
  // Told once the process has gone: the 1M benchmark measured 7.8 GB after a snapshot whose
  // thread was still ending, and the next one would begin beside that end.
  return running.done.then(
    async (written) => {
      await running.exited
      // The file this side named, whatever the process said (it names the same).
      putBackupInPlace(temporaryPath(job.out, tag), job.out)
      return { papers: written.papers, bytes: written.bytes }
    },
    async (error: unknown) => {
      await running.exited
      throw error
    },
  )
}

/**
 * Renames a checked backup's temporary file to its name and flushes the folder. A failure at
 * either step leaves neither file: a copy whose folder could not be flushed is not one to count
 * on (and would hold off the next automatic backup).
 */
function putBackupInPlace(tmp: string, out: string): void {
  const d = disk()
  const failed = (error: unknown): LibraryError =>
    new LibraryError('write-failed', `${describeWriteError(error, out)}; no backup was made`)
  try {
    ensureReplaceable(out)
    d.rename(tmp, out)
  } catch (error) {
    d.unlink(tmp)
    throw failed(error)
  }
  try {
    d.fsyncDirectory(dirname(out), 'backup.dir')
  } catch (error) {
    d.unlink(out)
    throw failed(error)
  }
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
    'thread',
    () => undefined,
    (message) => {
      if (message.kind !== 'snapshot-written') throw new Error(`unexpected ${message.kind}`)
      return { tmp: message.tmp, fingerprint: message.fingerprint }
    },
    () => disk().unlink(temporaryPath(job.path, job.tag)),
  )
}
