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

export type WorkerLine =
  | { t: 'ready'; pid: number; papers: number }
  /** `jb`: journal size on disk before the call. */
  | ({ t: 'op'; seq: number; jb: number } & WorkerOp)
  /** `jb`: journal size on disk after the call (smaller than before: it checkpointed). */
  | { t: 'ack'; seq: number; jb: number; added?: number }

export interface WorkerArgs {
  path: string
  seed: number
  checkpointBytes: number
}

export function workerArgv(args: WorkerArgs): string[] {
  return [args.path, String(args.seed), String(args.checkpointBytes)]
}
