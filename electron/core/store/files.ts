// Writing files so that a crash leaves either the old file or the new one, never a mix, and
// knowing afterwards whether a snapshot is exactly what Lectern wrote.
import {
  close,
  closeSync,
  existsSync,
  fstatSync,
  openSync,
  readFileSync,
  readSync,
  readdirSync,
  statSync,
} from 'node:fs'
import type { Stats } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { crc32 } from 'node:zlib'
import { LibraryError, ReadOnlyFileError } from '../errors'
import { disk } from './disk'
import type { DurabilityPoint } from './disk'

/** The largest Buffer this Node.js makes (4 GiB on 64-bit Node 20): no file larger is read. */
const MAX_READ = 2 ** 32

/** What a file is when it is not a regular file ('a folder', 'a character device'…), else null. */
export function kindOf(stats: Stats): string | null {
  if (stats.isFile()) return null
  if (stats.isDirectory()) return 'a folder'
  if (stats.isCharacterDevice()) return 'a character device'
  if (stats.isBlockDevice()) return 'a block device'
  if (stats.isFIFO()) return 'a named pipe (FIFO)'
  if (stats.isSocket()) return 'a socket'
  return 'a special file'
}

/**
 * Opens a file to read all of it, refusing one that is not a regular file before it is opened:
 * a device such as /dev/zero never ends, and opening a pipe waits for a writer.
 */
function openWhole(path: string): number {
  const kind = kindOf(statSync(path))
  if (kind) throw new LibraryError('library-error', `${path} is ${kind}, not a regular file`)
  return openSync(path, 'r')
}

/**
 * A whole file's bytes. Unlike readFileSync, which refuses any file over 2 GiB, it reads one as
 * large as a Buffer can hold (in pieces of `piece` bytes): a library that grew past 2 GiB must
 * still open.
 */
export function readWhole(path: string, piece = 2 ** 30): Buffer {
  const fd = openWhole(path)
  try {
    return readAll(fd, Buffer.allocUnsafe(sizeToRead(path, fd)), piece)
  } finally {
    closeSync(fd)
  }
}

/** A file's first `bytes` bytes (fewer for a shorter file): enough to tell what it is. */
export function readHead(path: string, bytes: number): Buffer {
  const fd = openSync(path, 'r')
  try {
    const head = Buffer.alloc(bytes)
    return head.subarray(0, readSync(fd, head, 0, bytes, 0))
  } finally {
    closeSync(fd)
  }
}

function sizeToRead(path: string, fd: number): number {
  const size = fstatSync(fd).size
  if (size > MAX_READ) {
    throw new Error(`${path} is ${size} bytes, more than the ${MAX_READ} Lectern can read`)
  }
  return size
}

/** Fills `data` from the file's start, in pieces; a file cut short meanwhile gives what there is. */
function readAll(
  fd: number,
  data: Buffer,
  piece: number,
  onPiece: (read: number) => void = () => undefined,
): Buffer {
  let read = 0
  while (read < data.length) {
    const n = readSync(fd, data, read, Math.min(piece, data.length - read), read)
    if (n === 0) break
    read += n
    onPiece(read)
  }
  return read === data.length ? data : data.subarray(0, read)
}

/**
 * What a file written through writeTemporary or writeFileAtomic is, naming its two durability
 * points: `<what>.fsync` (the file's bytes) and `<what>.dir` (its rename into place).
 */
export type Written =
  | 'snapshot'
  | 'checksum'
  | 'checksum-vouch'
  | 'backup'
  | 'backup-memory'
  | 'restore'
  | 'torn-tail'
  | 'backup-folders'
  | 'remember'
  | 'move-note'

function tmpPrefix(path: string): string {
  return `.${basename(path)}.tmp-`
}

/** The temporary file `writeTemporary` writes for `path` and `tag`. */
export function temporaryPath(path: string, tag: string): string {
  return join(dirname(path), `${tmpPrefix(path)}${tag}`)
}

/** A file's permission bits, for the file that replaces it to keep; null where there is none. */
export function permissionsOf(path: string): number | null {
  try {
    return statSync(path).mode & 0o777
  } catch {
    return null
  }
}

/**
 * Gives a new file the permissions of the one it replaces (a library the user shares read-only
 * with a group stays so), whatever the umask. Windows keeps only a read-only flag, which a file
 * Lectern replaces never has (see putInPlace).
 */
export function keepPermissions(fd: number, mode: number | null): void {
  if (mode !== null && process.platform !== 'win32') disk().chmod(fd, mode)
}

export interface TemporaryOptions {
  /** Tells apart the temporaries of one process (a snapshot written on a thread has its own). */
  tag?: string
  /** The largest single write (tests make it small). */
  piece?: number
  /** The file whose permissions it takes (by default the one it is to replace), else 0600. */
  like?: string
  /** Its fsync's durability point. */
  point?: DurabilityPoint
}

/** Writes `data` to a temporary file beside `path` and fsyncs it; returns its name. */
export function writeTemporary(
  path: string,
  data: Uint8Array | string,
  options: TemporaryOptions = {},
): string {
  const { tag = String(process.pid), piece = 2 ** 30, like = path } = options
  const d = disk()
  const tmp = temporaryPath(path, tag)
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data
  let fd: number | null = d.open(tmp, 'w', 0o600)
  try {
    keepPermissions(fd, permissionsOf(like))
    // In pieces: one write of more than 2 GiB is refused by Node.js.
    let written = 0
    while (written < bytes.length) {
      written += d.write(fd, bytes, written, Math.min(piece, bytes.length - written))
    }
    d.fsync(fd, options.point ?? 'snapshot.fsync')
    d.close(fd)
    fd = null
  } catch (error) {
    if (fd !== null) d.close(fd)
    d.unlink(tmp)
    throw error
  }
  return tmp
}

/** A file whose permission bits let nobody write it: a user's "do not change this". */
export function isReadOnly(stats: Stats): boolean {
  return (stats.mode & 0o222) === 0
}

/**
 * Refuses to replace a read-only file (see isReadOnly): a rename over it needs no permission on
 * the file itself, and nothing stops root.
 */
export function ensureReplaceable(path: string): void {
  let stats: Stats
  try {
    stats = statSync(path)
  } catch {
    return // nothing there to keep
  }
  if (isReadOnly(stats)) throw new ReadOnlyFileError(path)
}

/**
 * The file at `path`, held open so that a rename over it does not free its blocks on this thread:
 * closing the last descriptor of a file that no name leads to frees them, in that system call, and
 * on a file system mounted with `discard` freeing a written 3 GB file took 1.26–1.5 s. Null when
 * there is none to hold.
 */
function holdForRelease(path: string): number | null {
  // Windows refuses to rename over a file any handle holds (MoveFileEx without POSIX semantics,
  // which libuv does not ask for); there the file is freed at its last handle's close anyway.
  if (process.platform === 'win32') return null
  try {
    return openSync(path, 'r')
  } catch {
    return null // nothing there (or unreadable: then the rename frees it, as it always did)
  }
}

/**
 * Renames a durable temporary file over `path` (unless it is read-only), then fsyncs the folder
 * at `point`. The file replaced is let go of off this thread (a snapshot of a million papers
 * replaces 3 GB: freeing it in the rename stopped the app for 1.4 s); only read, it is closed
 * past the disk port, which sees writes.
 */
export function putInPlace(tmp: string, path: string, point: DurabilityPoint): void {
  const d = disk()
  let replaced: number | null = null
  try {
    ensureReplaceable(path)
    replaced = holdForRelease(path)
    d.rename(tmp, path)
  } catch (error) {
    if (replaced !== null) closeSync(replaced)
    d.unlink(tmp)
    throw error
  }
  // Its data needs nothing more, and a failure to close is of no consequence.
  if (replaced !== null) close(replaced, () => undefined)
  d.fsyncDirectory(dirname(path), point)
}

/**
 * Temporary file, fsync, rename over the target, fsync the folder; `what` names the two
 * durability points. The file keeps the target's permissions, or takes those of `like`.
 */
export function writeFileAtomic(
  path: string,
  data: Uint8Array | string,
  what: Written,
  like = path,
): void {
  putInPlace(writeTemporary(path, data, { like, point: `${what}.fsync` }), path, `${what}.dir`)
}

/** Temporary files a crashed writer left beside `path`; removed by the next lock holder. */
export function removeStaleTemporaries(path: string): number {
  // The snapshot's, the checksum file's and the journal's (see JournalWriter.dropThrough), and
  // the list of its backup folders' (safety/backups.ts).
  const prefixes = [path, checksumPath(path), `${path}.journal`, `${path}.backup-folders`].map(
    tmpPrefix,
  )
  let removed = 0
  for (const name of readdirSync(dirname(path))) {
    if (prefixes.some((prefix) => name.startsWith(prefix))) {
      disk().unlink(join(dirname(path), name))
      removed += 1
    }
  }
  return removed
}

// The checksum file lists the snapshots that may stand at `path`: while a new snapshot is being
// put in place it names both the old and the new one, so a crash at any moment leaves a
// snapshot the list vouches for, and a flipped bit anywhere in the file is noticed at open.

/** What the checksum file records of a snapshot. */
export interface Fingerprint {
  size: number
  crc32: number
}

export function checksumPath(path: string): string {
  return `${path}.sum`
}

export function fingerprint(data: Uint8Array): Fingerprint {
  return { size: data.length, crc32: crc32(data) }
}

function readChecksums(path: string): Fingerprint[] | null {
  const file = checksumPath(path)
  if (!existsSync(file)) return null
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { accept?: Fingerprint[] }
    return Array.isArray(parsed.accept) ? parsed.accept : []
  } catch {
    return []
  }
}

function writeChecksums(
  path: string,
  accept: Fingerprint[],
  what: 'checksum' | 'checksum-vouch' = 'checksum',
): void {
  writeFileAtomic(checksumPath(path), JSON.stringify({ format: 1, accept }), what)
}

/** Records the fingerprint of a snapshot already in place (one that passed SQLite's check). */
export function recordChecksum(path: string, data: Uint8Array | Fingerprint): void {
  writeChecksums(path, [data instanceof Uint8Array ? fingerprint(data) : data])
}

/** Writes a snapshot atomically, with its fingerprint recorded before and after the swap. */
export function writeSnapshot(path: string, data: Uint8Array): void {
  const next = fingerprint(data)
  // The checksum file first, so that a crash leaves at most one temporary file at any moment.
  // A first snapshot has nothing to be vouched for beside it: a checksum file with no library
  // would be taken for a library lost (a power cut as a library is created), and a library
  // without one is checked by SQLite at open.
  if (existsSync(path)) vouchAlso(path, next)
  putInPlace(writeTemporary(path, data), path, 'snapshot.dir')
  writeChecksums(path, [next])
}

/** Adds `next` to the snapshots the checksum file vouches for (a swap is about to happen). */
function vouchAlso(path: string, next: Fingerprint): void {
  const previous = existsSync(path) ? (readChecksums(path) ?? []) : []
  // Every entry stays until a swap completes: after several crashes in a row, any of them may be on disk.
  writeChecksums(path, [...previous, next], 'checksum-vouch')
}

/**
 * Puts a snapshot already written and fsynced at `tmp` (see writeTemporary) in place of the
 * library file, its fingerprint `next`. The temporary file is gone afterwards, whatever happens.
 */
export function installSnapshot(path: string, tmp: string, next: Fingerprint): void {
  try {
    vouchAlso(path, next)
  } catch (error) {
    disk().unlink(tmp)
    throw error
  }
  putInPlace(tmp, path, 'snapshot-thread.dir')
  writeChecksums(path, [next])
}

/**
 * 'ok': the file is a snapshot Lectern wrote, bit for bit. 'mismatch': it is not (damaged, or
 * replaced by hand). 'unknown': there is no checksum file to compare with.
 */
export function verifySnapshot(path: string, data: Uint8Array): 'ok' | 'mismatch' | 'unknown' {
  const accept = readChecksums(path)
  return accept === null ? 'unknown' : verdictOf(accept, fingerprint(data))
}

/** The checksums the file vouches for, or null where there is no checksum file. */
export function vouchedFor(path: string): Fingerprint[] | null {
  return readChecksums(path)
}

/** Whether a fingerprint is among those the checksum file vouches for (see verifySnapshot). */
export function verdictOf(
  accept: Fingerprint[] | null,
  actual: Fingerprint,
): 'ok' | 'mismatch' | 'unknown' {
  if (accept === null) return 'unknown'
  return accept.some((f) => f.size === actual.size && f.crc32 === actual.crc32) ? 'ok' : 'mismatch'
}

/** Files from this size on are checksummed on a second thread while they are read. */
export const READ_ALONGSIDE_BYTES = 64 * 1024 * 1024
const READ_PIECE = 16 * 1024 * 1024

// The second thread's whole program: it adds each piece the reader announces to a running CRC-32
// and answers the total when told the file is read. Plain JavaScript, so the same script runs
// from the sources and from the built app.
const CRC_THREAD = `
const { parentPort, workerData } = require('node:worker_threads')
const { crc32 } = require('node:zlib')
const data = new Uint8Array(workerData.shared)
let done = 0
let crc = 0
parentPort.on('message', (message) => {
  if (message.upTo > done) {
    crc = crc32(data.subarray(done, message.upTo), crc)
    done = message.upTo
  }
  if (message.last) parentPort.postMessage({ crc, done })
})
`

/** Room past a library's end, as sql.js's file system would add it (an eighth, 16 MB at least). */
export function roomToGrow(size: number): number {
  return Math.max(16 * 1024 * 1024, Math.ceil(size / 8))
}

/**
 * The first `size` bytes of `capacity`, given to sql.js with room to grow. sql.js keeps
 * `data.slice(0, size)` as the database file, and when a write passes that array's end it copies
 * the whole file into a new one an eighth larger: 1.3 s at 100,000 papers, on the first note
 * saved after the library opened. Here that slice is the whole capacity, whose room beyond the
 * file costs no memory until it is written. (Another sql.js that copied what it is given would
 * only lose the room.)
 */
export function withRoom(capacity: Buffer, size: number): Buffer {
  const data = capacity.subarray(0, size)
  Object.defineProperty(data, 'slice', {
    value: (start = 0, end = data.length): Buffer =>
      start === 0 && end === data.length ? capacity : data.subarray(start, end),
  })
  return data
}

/**
 * A snapshot's bytes and their fingerprint. A large file is read into memory shared with a
 * second thread that computes its CRC-32 a piece behind the reader: at 100,000 papers (300 MB)
 * reading took 1.0 s (most of it the system giving the process fresh memory) and the CRC another
 * 0.6 s one after the other; side by side, the open waits for the longer of the two.
 */
export async function readFingerprinted(
  path: string,
  alongsideFrom = READ_ALONGSIDE_BYTES,
  piece = READ_PIECE,
): Promise<{ data: Buffer; fingerprint: Fingerprint }> {
  const fd = openWhole(path)
  let thread: Worker | null = null
  try {
    const size = sizeToRead(path, fd)
    const capacity = Math.min(MAX_READ, size + roomToGrow(size))
    if (size < alongsideFrom) {
      const data = readAll(fd, withRoom(Buffer.allocUnsafe(capacity), size), piece)
      return { data, fingerprint: fingerprint(data) }
    }
    const shared = new SharedArrayBuffer(capacity)
    const whole = withRoom(Buffer.from(shared), size)
    let worker: Worker
    try {
      worker = new Worker(CRC_THREAD, { eval: true, workerData: { shared } })
    } catch {
      const data = readAll(fd, whole, piece)
      return { data, fingerprint: fingerprint(data) }
    }
    thread = worker
    // Null when the thread fails or stops first; never a rejection left unhandled if the read
    // below throws.
    const total = new Promise<{ crc: number; done: number } | null>((resolve) => {
      worker.once('message', resolve)
      worker.once('error', () => resolve(null))
      worker.once('exit', () => resolve(null))
    })
    const data = readAll(fd, whole, piece, (upTo) => worker.postMessage({ upTo, last: false }))
    worker.postMessage({ upTo: data.length, last: true })
    const answer = await total
    // A thread that could not do its work (no threads left, no memory) costs time, not the open.
    if (answer?.done !== data.length) return { data, fingerprint: fingerprint(data) }
    return { data, fingerprint: { size: data.length, crc32: answer.crc } }
  } finally {
    closeSync(fd)
    void thread?.terminate()
  }
}

/**
 * A moment as it goes into file names: 20261130T120000Z, or 20261130T120000123Z with
 * milliseconds (names that must not collide within a second).
 */
export function fileStamp(date: Date, options: { millis?: boolean } = {}): string {
  const iso = date.toISOString().replace(/[-:]/g, '')
  return options.millis ? iso.replace('.', '') : iso.replace(/\.\d+Z$/, 'Z')
}

/**
 * Writes a small file into `folder` and removes it: permissions are tried rather than asked, as
 * a read-only mount, an ACL or a network share that refuses says so only when written to. Not
 * flushed: nothing of it is meant to last. Throws what the disk threw.
 */
export function tryWriting(folder: string): void {
  const d = disk()
  const probe = join(folder, `.lectern-write-test-${process.pid}`)
  const fd = d.open(probe, 'w', 0o600)
  try {
    d.write(fd, Buffer.from('lectern'), 0, 7)
  } finally {
    d.close(fd)
    d.unlink(probe)
  }
}
