// What the crash worker tells its parent, one JSON object per line on stdout.
//
// Before each call the worker announces the operation ("op"); after the call has returned it
// acknowledges it ("ack"). So at any moment at most one operation is in flight: the last "op"
// without an "ack". An acknowledged operation must survive the kill; the one in flight may or
// may not have landed, but if it did it landed whole.
import type { PaperState, Status } from '../../shared/domain'

/**
 * The tags the worker gives and takes: a small, fixed set, so that the same tag meets many papers
 * and renames merge. Some differ only by case (the library takes them for one tag, spelled as
 * it already spells it). ASCII only: SQLite's NOCASE folds ASCII letters only.
 */
export const TAG_VOCABULARY = [
  'ml',
  'ML',
  'robotics',
  'Robotics',
  'reading group',
  'Reading Group',
  'to-skim',
  'survey',
] as const

/** A word the worker writes into some notes (and nowhere else): the search check looks for it. */
export const NOTE_WORD = 'marginalia'

export type WorkerOp =
  | { kind: 'note'; id: number; note: string }
  | { kind: 'status'; id: number; status: Status }
  | { kind: 'import'; source: string; titles: string[] }
  /** `Library.deletePapers(ids)`: 1-3 papers the library has. */
  | { kind: 'delete'; ids: number[] }
  /** `Library.restoreDeleted(null)`: undoes the latest deletion not yet undone. */
  | { kind: 'undelete' }
  /** `Library.updatePapers({ ids, starred, status? })`: 1-3 papers the library has. */
  | { kind: 'star'; ids: number[]; starred: boolean; status?: Status }
  /** `Library.updatePapers({ ids, addTags, removeTags, status? })`: 1-3 papers, tags of the vocabulary. */
  | { kind: 'tag'; ids: number[]; addTags: string[]; removeTags: string[]; status?: Status }
  /** `Library.renameTag(from, to)`. */
  | { kind: 'rename-tag'; from: string; to: string }
  /** `Library.deleteTag(name)`. */
  | { kind: 'untag-all'; name: string }
  /**
   * `Library.restorePapers(before)`: undoes this process's last star or tag change (op `of`,
   * acknowledged with `before`), made while each of its papers is in the library.
   */
  | { kind: 'undo-update'; of: number; before: PaperState[] }

/** Why the library refused an undo or a tag change (a `LibraryError` code); a refusal changes nothing. */
export type UndoRefusal = 'conflict' | 'not-found'

export type WorkerLine =
  | { t: 'ready'; pid: number; papers: number }
  /** `jb`: journal size on disk before the call. */
  | ({ t: 'op'; seq: number; jb: number } & WorkerOp)
  /**
   * `jb`: journal size on disk after the call (smaller than before: it checkpointed).
   * `added`: papers an import added. `restored`: the ids an undo put back. `refused`: the undo
   * or tag change was refused, with the library's error code. `before`: what a star or tag
   * change returned (what it did to each paper, for its undo). `tagged`: the papers a rename or
   * a deletion of a tag changed. `putBack`: how many papers an undo of a star or tag change put
   * back.
   */
  | {
      t: 'ack'
      seq: number
      jb: number
      added?: number
      restored?: number[]
      refused?: UndoRefusal
      before?: PaperState[]
      tagged?: number[]
      putBack?: number
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
  /** Snapshots written on a thread from the files (Library.snapshotOffThread), however small. */
  snapshotThread: boolean
}

export function workerArgv(args: WorkerArgs): string[] {
  return [
    args.path,
    String(args.seed),
    String(args.checkpointBytes),
    String(args.trashShare),
    String(args.maxId),
    args.snapshotThread ? 'thread' : 'here',
  ]
}
