// Writing a backup on a thread of its own (backupWorker.ts): the copy is made from the files
// already durable on disk, so the process keeps answering and its heap does not grow by the
// library's size. Built, the thread runs out/main/backupWorker.js; from the sources (tests,
// scripts) it runs backupWorker.ts through tsx.
import { Worker } from 'node:worker_threads'
import { LibraryError } from '../errors'
import type { ErrorCode } from '../../../shared/api'
import { workerScript } from './readOffThread'

/** What the thread is given: the files to read, how much of the journal, and where to write. */
export interface BackupJob {
  path: string
  journalPath: string
  /** The journal's bytes that hold the library's changes up to `seq` (null: all it holds). */
  journalBytes: number | null
  /** The library's last change: the copy must hold exactly up to it (null: whatever is there). */
  seq: number | null
  out: string
}

/** What the thread says: both files read; then done (and what it wrote), or failed. */
export type BackupMessage =
  | { kind: 'read' }
  | { kind: 'done'; papers: number; bytes: number }
  | { kind: 'failed'; message: string; code: ErrorCode | null }

/**
 * Writes a checked copy of a library to `job.out` from its files. `onRead` is called once both
 * files are read (the library may write its next snapshot from then on). Rejects with a
 * LibraryError saying what went wrong; nothing is left at `out` then.
 */
export function backupOffThread(
  job: BackupJob,
  onRead: () => void,
): Promise<{ papers: number; bytes: number }> {
  const { file, execArgv } = workerScript('backupWorker')
  return new Promise((resolve, reject) => {
    const worker = new Worker(file, { execArgv, workerData: job })
    let read = false
    let settled = false
    const markRead = (): void => {
      if (read) return
      read = true
      onRead()
    }
    const settle = (outcome: () => void): void => {
      if (settled) return
      settled = true
      markRead()
      void worker.terminate()
      outcome()
    }
    worker.on('message', (message: BackupMessage) => {
      switch (message.kind) {
        case 'read':
          markRead()
          return
        case 'done':
          settle(() => resolve({ papers: message.papers, bytes: message.bytes }))
          return
        case 'failed':
          settle(() => reject(new LibraryError(message.code ?? 'library-error', message.message)))
      }
    })
    worker.on('error', (error) => settle(() => reject(error)))
    worker.on('exit', (code) =>
      settle(() =>
        reject(new LibraryError('library-error', `the backup thread stopped (exit code ${code})`)),
      ),
    )
  })
}
