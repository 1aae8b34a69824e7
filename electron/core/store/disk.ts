// The one door through which the core writes files. Every call that changes what is on disk —
// open to write, write, truncate, fsync, rename, unlink, mkdir, a folder's fsync — goes through
// `disk()`, so that a test can put a disk that loses power under the library (testkit/power) and
// see what a cut at any moment would leave. Reads go straight to node:fs: what a process reads
// back is the page cache, which a power cut is the only thing to lose.
//
// Every fsync names its durability point (see DURABILITY_POINTS): the power-cut tests remove
// them one at a time and must then find a lost or damaged change (tests/unit/powerCut.test.ts).
import {
  close,
  closeSync,
  existsSync,
  fchmodSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs'
import { rm } from 'node:fs/promises'
import { dirname } from 'node:path'

/**
 * Where the core flushes a file or a folder, and why (the README's data-safety section lists
 * them). A name per call site, so that each can be taken out on its own; the exceptions are
 * `backups.mkdir.dir`, the flush inside the one function both kinds of backup create the
 * backups folder with (safety/backups.ts, rebuildWorker.ts), and `sync.segment.dir`, every
 * flush of the entries of a device's folder in the sync folder and of the folders that hold it
 * (sync/segments.ts, sync/pass.ts, sync/state.ts).
 */
export const DURABILITY_POINTS = {
  'journal.append': 'a change record, before the change is reported saved',
  'journal.open': 'the journal cut back to its whole records at open',
  'journal.create.dir': "the journal's folder entry, when open creates the journal",
  'journal.cut-back': 'a record taken back when its transaction failed',
  'journal.reset': 'the journal emptied once a snapshot holds every change',
  'journal.compact': "the journal's new file, with the changes a new snapshot does not hold",
  'journal.compact.dir': 'the rename of that file over the journal',
  'snapshot.fsync': 'a snapshot written on the main thread, before its rename',
  'snapshot-thread.fsync': 'a snapshot written on its thread, before its rename',
  'snapshot.dir': 'the rename of a snapshot written on the main thread over the library file',
  'snapshot-thread.dir': 'the rename of a snapshot written on its thread over the library file',
  'checksum-vouch.fsync': 'the checksum file naming old and new snapshot, before its rename',
  'checksum-vouch.dir': 'its rename',
  'checksum.fsync': 'the checksum file naming the snapshot in place, before its rename',
  'checksum.dir': 'its rename',
  'backup.fsync': 'a backup, before its rename',
  'backup.dir': 'the rename of a backup',
  'backup-memory.fsync': 'a backup exported from memory (files damaged), before its rename',
  'backup-memory.dir': 'its rename',
  'backups.mkdir.dir': 'the backups folder, when a backup creates it',
  'backups-folder.mkdir.dir': 'a backups folder chosen in Settings, created before it is named',
  'backup-folders.fsync':
    'the list beside the library of the folders that hold its backups, before its rename',
  'backup-folders.dir': 'its rename, before the setting that names a new folder is saved',
  'move.mkdir.dir': 'the folder a library is moved to, when the move creates it',
  'move.fsync': "a copy of a library's file (or of a backup) at its new place, before its rename",
  'move.dir': 'the renames of those copies, before the new place is remembered',
  'move-note.fsync': 'the note left where a library was, saying where it went, before its rename',
  'move-note.dir': "its rename, before a move removes the library's old files",
  'remember.fsync': 'the library the app opens next (chosen-library.json), before its rename',
  'remember.dir': "its rename, before a move removes the library's old files",
  'restore.fsync': 'a restored backup, staged beside the library, before it is put in place',
  'restore.dir': 'the staged copy',
  'restore.install.dir': 'the restored copy renamed over the library',
  'recover.copy.fsync': 'the copy of a damaged journal kept aside, before the journal is cut',
  'recover.cut.fsync': 'the damaged journal cut at its first damaged record',
  'recover.aside.dir': 'the copy of a damaged journal',
  'aside.library.dir': 'the library file renamed aside (restore, recovery), before its journal',
  'aside.dir': 'the journal and checksum file renamed aside after it',
  'torn-tail.fsync': "a torn journal record's bytes, kept aside",
  'torn-tail.dir': 'its rename',
  'sync.segment':
    "an append to this device's segment in the sync folder, before the pass reports it sent: whole, after the appends before it",
  'sync.segment.dir':
    "the sync folder's folder of devices and this device's folder, when a pass creates them, and a new segment's entry, before the pass reports it sent",
  'sync.marker.fsync':
    'the file beside the library naming the computer and the file its sync device is, before its rename',
  'sync.marker.dir':
    'its rename, before the library takes the device it names (else the next pass takes the library for a copy)',
  'sync.state.fsync': "this device's compacted state in the sync folder, before its rename",
  'sync.state.dir':
    'its rename, before the older state it replaces and the segments it covers are removed',
} as const

export type DurabilityPoint = keyof typeof DURABILITY_POINTS

/** The writes the core makes; node:fs's own synchronous calls, same arguments. */
export interface Disk {
  open(path: string, flags: string, mode?: number): number
  write(fd: number, data: Uint8Array, offset: number, length: number, position?: number): number
  truncate(fd: number, length: number): void
  fsync(fd: number, point: DurabilityPoint): void
  close(fd: number): void
  /**
   * Closes on a thread of libuv's pool: closing the last descriptor of a file that no name leads
   * to frees its blocks in that call (1.3 s for 3 GB on a disk mounted with `discard`).
   */
  closeInBackground(fd: number): void
  chmod(fd: number, mode: number): void
  rename(from: string, to: string): void
  /** Removes a file; none there is not an error (rmSync with `force`). */
  unlink(path: string): void
  /** As `unlink`, on a thread of the pool (see closeInBackground). */
  removeInBackground(path: string): Promise<void>
  /** Creates a folder and its parents (mkdirSync with `recursive`). */
  mkdir(path: string): void
  /** Flushes a folder's entries: the files created, renamed and removed in it. */
  fsyncDirectory(dir: string, point: DurabilityPoint): void
  /**
   * Set on a disk that records what is written (the power-cut tests): the rebuild thread is
   * then asked to trace its own writes, and what it wrote is handed here with its result.
   */
  fromThread?: (events: DiskEvent[]) => void
}

/** The real disk: node:fs, as the core always called it. */
export const nodeDisk: Disk = {
  open: (path, flags, mode) => openSync(path, flags, mode),
  write: (fd, data, offset, length, position) => writeSync(fd, data, offset, length, position),
  truncate: (fd, length) => ftruncateSync(fd, length),
  fsync: (fd) => fsyncSync(fd),
  close: (fd) => closeSync(fd),
  // What was to last was flushed before: a failure to close is of no consequence.
  closeInBackground: (fd) => close(fd, () => undefined),
  chmod: (fd, mode) => fchmodSync(fd, mode),
  rename: (from, to) => renameSync(from, to),
  unlink: (path) => rmSync(path, { force: true }),
  removeInBackground: (path) => rm(path, { force: true }),
  mkdir: (path) => void mkdirSync(path, { recursive: true }),
  fsyncDirectory(dir) {
    // Windows cannot open a folder to flush it (EISDIR/EPERM); NTFS journals its metadata, and
    // a rename there is flushed by the file system itself (see README, "Power cuts").
    if (process.platform === 'win32') return
    const fd = openSync(dir, 'r')
    try {
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
  },
}

let current: Disk = nodeDisk

/** The disk the core writes through now. */
export function disk(): Disk {
  return current
}

/** Puts another disk under the core (tests); returns what puts the previous one back. */
export function useDisk(next: Disk): () => void {
  const previous = current
  current = next
  return () => {
    current = previous
  }
}

/** Creates `dir` (and its parents) and flushes the folder that holds it, at `point`. */
export function mkdirDurable(dir: string, point: DurabilityPoint): void {
  const d = disk()
  const missing: string[] = []
  for (let at = dir; !existsSync(at); at = dirname(at)) {
    missing.push(at)
    if (dirname(at) === at) break
  }
  if (missing.length === 0) return
  d.mkdir(dir)
  // Each new folder's entry is in its parent: flush from the outermost new one down.
  for (const made of missing.reverse()) d.fsyncDirectory(dirname(made), point)
}

// The power-cut tests record everything the core writes, the rebuild thread's writes included
// (a thread has node:fs of its own, and this module's state is per thread): a thread asked to
// trace returns what it did with its result.

/** One write, as the power-cut tests replay it. `source` tells threads' descriptors apart. */
export type DiskEvent =
  | { kind: 'open'; fd: number; path: string; flags: string }
  | { kind: 'write'; fd: number; position: number | null; data: Uint8Array }
  | { kind: 'truncate'; fd: number; length: number }
  | { kind: 'fsync'; fd: number; point: DurabilityPoint }
  | { kind: 'close'; fd: number }
  | { kind: 'rename'; from: string; to: string }
  | { kind: 'unlink'; path: string }
  | { kind: 'mkdir'; path: string }
  | { kind: 'fsyncDirectory'; dir: string; point: DurabilityPoint }

/**
 * `inner`, with each write it makes told to `record` once made (a copy of the bytes written,
 * the file's offset where the call gives none). A call that throws records nothing.
 */
export function tracingDisk(inner: Disk, record: (event: DiskEvent) => void): Disk {
  const offsets = new Map<number, number>()
  return {
    open(path, flags, mode) {
      const fd = inner.open(path, flags, mode)
      offsets.set(fd, 0)
      record({ kind: 'open', fd, path, flags })
      return fd
    },
    write(fd, data, offset, length, position) {
      const n = inner.write(fd, data, offset, length, position)
      const at = position ?? offsets.get(fd) ?? 0
      if (position === undefined || position === null) offsets.set(fd, at + n)
      record({ kind: 'write', fd, position: at, data: data.slice(offset, offset + n) })
      return n
    },
    truncate(fd, length) {
      inner.truncate(fd, length)
      record({ kind: 'truncate', fd, length })
    },
    fsync(fd, point) {
      inner.fsync(fd, point)
      record({ kind: 'fsync', fd, point })
    },
    close(fd) {
      inner.close(fd)
      offsets.delete(fd)
      record({ kind: 'close', fd })
    },
    closeInBackground(fd) {
      inner.closeInBackground(fd)
      offsets.delete(fd)
      record({ kind: 'close', fd })
    },
    chmod: (fd, mode) => inner.chmod(fd, mode),
    rename(from, to) {
      inner.rename(from, to)
      record({ kind: 'rename', from, to })
    },
    unlink(path) {
      inner.unlink(path)
      record({ kind: 'unlink', path })
    },
    async removeInBackground(path) {
      await inner.removeInBackground(path)
      record({ kind: 'unlink', path })
    },
    mkdir(path) {
      inner.mkdir(path)
      record({ kind: 'mkdir', path })
    },
    fsyncDirectory(dir, point) {
      inner.fsyncDirectory(dir, point)
      record({ kind: 'fsyncDirectory', dir, point })
    },
  }
}
