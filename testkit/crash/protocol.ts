// What the crash worker tells its parent, one JSON object per line on stdout.
//
// Before each call the worker announces the operation ("op"); after the call has returned it
// acknowledges it ("ack"). So at any moment at most one operation is in flight: the last "op"
// without an "ack". An acknowledged operation must survive the kill; the one in flight may or
// may not have landed, but if it did it landed whole.
import type { Status } from '../../shared/domain'

export type WorkerOp =
  | { kind: 'note'; id: number; note: string }
  | { kind: 'status'; id: number; status: Status }
  | { kind: 'import'; source: string; titles: string[] }
  /** `Library.deletePapers(ids)`: 1-3 papers the library has. */
  | { kind: 'delete'; ids: number[] }
  /** `Library.restoreDeleted(null)`: undoes the latest deletion not yet undone. */
  | { kind: 'undelete' }

/** Why the library refused an undo (a `LibraryError` code); a refused undo changes nothing. */
export type UndoRefusal = 'conflict' | 'not-found'

export type WorkerLine =
  | { t: 'ready'; pid: number; papers: number }
  /** `jb`: journal size on disk before the call. */
  | ({ t: 'op'; seq: number; jb: number } & WorkerOp)
  /**
   * `jb`: journal size on disk after the call (smaller than before: it checkpointed).
   * `added`: papers an import added. `restored`: the ids an undo put back. `refused`: the undo
   * was refused, with the library's error code.
   */
  | {
      t: 'ack'
      seq: number
      jb: number
      added?: number
      restored?: number[]
      refused?: UndoRefusal
    }

export interface WorkerArgs {
  path: string
  seed: number
  checkpointBytes: number
  /** Share of operations that delete papers or undo a deletion (3:2). */
  trashShare: number
  /**
   * The highest paper id given out so far, as the parent's model knows it: a copy that an undo
   * removed leaves no trace in the library, yet its id must not be given out again.
   */
  maxId: number
}

export function workerArgv(args: WorkerArgs): string[] {
  return [
    args.path,
    String(args.seed),
    String(args.checkpointBytes),
    String(args.trashShare),
    String(args.maxId),
  ]
}
