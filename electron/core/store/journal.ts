// The change journal: every acknowledged change, appended and fsynced before the caller hears
// "saved". Each record is framed as [length u32][crc32 of the length u32][crc32 of the payload
// u32][JSON payload], little-endian. The header has its own checksum so that a damaged length
// cannot pass for a record cut short at the end of the file: only a true tail (a write that a
// crash or power loss interrupted, never acknowledged) is dropped; any other damage is reported.
import { existsSync, fstatSync, readSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { crc32 } from 'node:zlib'
import type { Operation } from '../db/mutations'
import { disk } from './disk'
import { ensureReplaceable, keepPermissions, readWhole } from './files'

export interface JournalRecord {
  seq: number
  op: Operation
}

const HEADER = 12

export interface JournalContents {
  records: JournalRecord[]
  /** Where each record starts, in bytes. */
  offsets: number[]
  /** Bytes that hold whole, valid records. */
  validBytes: number
  /** An unfinished last record (a write cut short; never acknowledged). */
  tornTail: boolean
  /** Where a record in the middle of the journal is damaged, when one is. */
  damagedAt: number | null
  /** The journal file's size in bytes. */
  size: number
}

function allZero(data: Buffer, from: number): boolean {
  for (let i = from; i < data.length; i += 1) if (data[i] !== 0) return false
  return true
}

function lengthSum(data: Buffer, offset: number): number {
  return crc32(data.subarray(offset, offset + 4))
}

/**
 * Whether a whole, valid record starts anywhere in `data` from `from` on. Only the last append
 * can be unfinished (each is fsynced before the next), and a disk may land its sectors in any
 * order — the header zeros, the end written — so bad bytes that no valid record follows are a
 * torn tail; with one after them, they are damage. Read only where a record is bad.
 */
function anyRecordFrom(data: Buffer, from: number): boolean {
  for (let at = from; at + HEADER <= data.length; at += 1) {
    if (lengthSum(data, at) !== data.readUInt32LE(at + 4)) continue
    const end = at + HEADER + data.readUInt32LE(at)
    if (
      end <= data.length &&
      crc32(data.subarray(at + HEADER, end)) === data.readUInt32LE(at + 8)
    ) {
      return true
    }
  }
  return false
}

export function readJournal(path: string): JournalContents {
  const empty = { records: [], offsets: [], validBytes: 0, tornTail: false, damagedAt: null }
  if (!existsSync(path)) return { ...empty, size: 0 }
  // readWhole refuses a device or a pipe in the journal's place (/dev/zero would never end).
  return parseJournal(readWhole(path))
}

/** A journal's records from its bytes (all of a file, or the part of it read so far). */
export function parseJournal(data: Buffer): JournalContents {
  const records: JournalRecord[] = []
  const offsets: number[] = []
  const stop = (offset: number, end: 'clean' | 'torn' | 'damaged'): JournalContents => ({
    records,
    offsets,
    validBytes: offset,
    tornTail: end === 'torn',
    damagedAt: end === 'damaged' ? offset : null,
    size: data.length,
  })
  let offset = 0
  while (offset < data.length) {
    const remaining = data.length - offset
    // A file system may leave zeros after a power loss where a write had not landed.
    if (allZero(data, offset)) return stop(offset, 'torn')
    if (remaining < HEADER) return stop(offset, 'torn')
    const length = data.readUInt32LE(offset)
    if (lengthSum(data, offset) !== data.readUInt32LE(offset + 4)) {
      return stop(offset, anyRecordFrom(data, offset + 1) ? 'damaged' : 'torn')
    }
    const end = offset + HEADER + length
    // A sound header whose record runs past the end: the last write, cut short.
    if (end > data.length) return stop(offset, 'torn')
    const payload = data.subarray(offset + HEADER, end)
    let record: JournalRecord | null = null
    if (crc32(payload) === data.readUInt32LE(offset + 8)) {
      try {
        record = JSON.parse(payload.toString('utf8')) as JournalRecord
      } catch {
        record = null
      }
    }
    // A bad payload in the last record may be a write cut short; anywhere else it is damage.
    if (!record) return stop(offset, anyRecordFrom(data, offset + 1) ? 'damaged' : 'torn')
    records.push(record)
    offsets.push(offset)
    offset = end
  }
  return stop(offset, 'clean')
}

/** A record as the journal frames it (the sync folder's segments are framed alike). */
export function frameRecord(record: unknown): Buffer {
  const payload = Buffer.from(JSON.stringify(record), 'utf8')
  const frame = Buffer.alloc(HEADER + payload.length)
  frame.writeUInt32LE(payload.length, 0)
  frame.writeUInt32LE(lengthSum(frame, 0), 4)
  frame.writeUInt32LE(crc32(payload), 8)
  payload.copy(frame, HEADER)
  return frame
}

export class JournalWriter {
  private fd: number
  private size: number
  private stuck = false

  constructor(
    readonly path: string,
    validBytes: number,
  ) {
    const d = disk()
    const created = !existsSync(path)
    this.fd = d.open(path, created ? 'w+' : 'r+', 0o600)
    if (fstatSync(this.fd).size !== validBytes) {
      d.truncate(this.fd, validBytes)
      d.fsync(this.fd, 'journal.open')
    }
    this.size = validBytes
    // A new file is there after a power cut only once its folder entry is flushed: without
    // this, the journal a restored or recovered library starts (and every change appended to
    // it) could vanish, each append's fsync notwithstanding.
    if (created) d.fsyncDirectory(dirname(path), 'journal.create.dir')
  }

  get bytes(): number {
    return this.size
  }

  /** Durable when it returns. On failure the journal is cut back to what it was. */
  append(record: JournalRecord): void {
    const frame = frameRecord(record)
    const d = disk()
    try {
      let written = 0
      while (written < frame.length) {
        written += d.write(this.fd, frame, written, frame.length - written, this.size + written)
      }
      d.fsync(this.fd, 'journal.append')
      this.size += frame.length
    } catch (error) {
      try {
        d.truncate(this.fd, this.size)
      } catch {
        // The next open drops a torn tail; nothing acknowledged is lost.
      }
      throw error
    }
  }

  /**
   * Takes back the records after `bytes`: those of a change that did not happen after all (its
   * transaction failed at COMMIT, after its record was written).
   */
  cutBack(bytes: number): void {
    if (bytes >= this.size) return
    try {
      disk().truncate(this.fd, bytes)
      disk().fsync(this.fd, 'journal.cut-back')
    } catch (error) {
      // The record stays, perhaps flushed: the next change would follow it with the same
      // sequence number and be skipped at the next open. Nothing more is appended.
      this.stuck = true
      throw error
    }
    this.size = bytes
  }

  /**
   * Whether a record could not be taken back (cutBack failed): the journal takes no more
   * changes until the library is opened again.
   */
  get isStuck(): boolean {
    return this.stuck
  }

  /** After a snapshot holds everything, the journal starts again empty. */
  reset(): void {
    disk().truncate(this.fd, 0)
    disk().fsync(this.fd, 'journal.reset')
    this.size = 0
  }

  /**
   * After a snapshot holds the changes in the journal's first `bytes`, the journal keeps only
   * those after them: the rest is written to a new file, fsynced and renamed over the journal.
   * A crash at any moment leaves the old journal or the new one; the old one's first changes
   * are ones the snapshot already holds, which a replay skips.
   */
  dropThrough(bytes: number): void {
    if (bytes <= 0) return
    if (bytes > this.size) throw new Error(`the journal holds ${this.size} bytes, not ${bytes}`)
    const rest = Buffer.alloc(this.size - bytes)
    for (let read = 0; read < rest.length;) {
      const n = readSync(this.fd, rest, read, rest.length - read, bytes + read)
      if (n === 0) throw new Error(`${this.path} ended at byte ${bytes + read} while read`)
      read += n
    }
    // The same prefix as every other temporary file beside the library (see files.ts).
    const tmp = join(dirname(this.path), `.${basename(this.path)}.tmp-${process.pid}`)
    // Windows refuses to rename over a file any handle holds (files.ts, holdForRelease): there
    // the old file is closed before the rename, and opened again should the rename fail.
    const windows = process.platform === 'win32'
    const d = disk()
    const fd = d.open(tmp, 'w+', 0o600)
    let old: number | null = this.fd
    try {
      keepPermissions(fd, fstatSync(this.fd).mode & 0o777)
      for (let written = 0; written < rest.length;) {
        written += d.write(fd, rest, written, rest.length - written, written)
      }
      d.fsync(fd, 'journal.compact')
      ensureReplaceable(this.path)
      if (windows) {
        d.close(old)
        old = null
      }
      d.rename(tmp, this.path)
    } catch (error) {
      d.close(fd)
      d.unlink(tmp)
      if (old === null) this.fd = d.open(this.path, 'r+', 0o600)
      throw error
    }
    // Appends go to the new file from now on (its descriptor was kept open across the rename).
    // The old one, which no name leads to now, is freed on closing: not on this thread.
    this.fd = fd
    this.size = rest.length
    if (old !== null) d.closeInBackground(old)
    d.fsyncDirectory(dirname(this.path), 'journal.compact.dir')
  }

  close(): void {
    disk().close(this.fd)
  }
}
