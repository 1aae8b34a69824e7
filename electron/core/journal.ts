// The change journal: every acknowledged change, appended and fsynced before the caller hears
// "saved". Each record is framed as [length u32][crc32 u32][JSON payload], little-endian, so a
// record cut short by a crash or damaged on disk is recognised, never half-applied.
import {
  closeSync,
  statSync,
  existsSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readFileSync,
  writeSync,
} from 'node:fs'
import { crc32 } from 'node:zlib'
import type { Operation } from './mutations'

export interface JournalRecord {
  seq: number
  op: Operation
}

const HEADER = 8

export interface JournalContents {
  records: JournalRecord[]
  /** Bytes that hold whole, valid records. */
  validBytes: number
  /** A torn last record: the crash happened while it was being written (never acknowledged). */
  tornTail: boolean
  /** Where a record in the middle of the journal is damaged, when one is. */
  damagedAt: number | null
  /** The journal file's size in bytes. */
  size: number
}

export function readJournal(path: string): JournalContents {
  if (!existsSync(path)) {
    return { records: [], validBytes: 0, tornTail: false, damagedAt: null, size: 0 }
  }
  if (!statSync(path).isFile()) {
    // A device or a folder in the journal's place (reading /dev/zero would never end).
    throw new Error(`${path} is not a regular file`)
  }
  const data = readFileSync(path)
  const records: JournalRecord[] = []
  let offset = 0
  while (offset < data.length) {
    const remaining = data.length - offset
    if (remaining < HEADER)
      return { records, validBytes: offset, tornTail: true, damagedAt: null, size: data.length }
    const length = data.readUInt32LE(offset)
    const sum = data.readUInt32LE(offset + 4)
    const end = offset + HEADER + length
    if (end > data.length)
      return { records, validBytes: offset, tornTail: true, damagedAt: null, size: data.length }
    const payload = data.subarray(offset + HEADER, end)
    let record: JournalRecord | null = null
    if (crc32(payload) === sum) {
      try {
        record = JSON.parse(payload.toString('utf8')) as JournalRecord
      } catch {
        record = null
      }
    }
    if (!record) {
      // The last record may be torn by a crash mid-write; anything before it is damage.
      const last = end === data.length
      return {
        records,
        validBytes: offset,
        tornTail: last,
        damagedAt: last ? null : offset,
        size: data.length,
      }
    }
    records.push(record)
    offset = end
  }
  return { records, validBytes: offset, tornTail: false, damagedAt: null, size: data.length }
}

export class JournalWriter {
  private fd: number
  private size: number

  constructor(
    readonly path: string,
    validBytes: number,
  ) {
    this.fd = openSync(path, existsSync(path) ? 'r+' : 'w+', 0o600)
    if (fstatSync(this.fd).size !== validBytes) {
      ftruncateSync(this.fd, validBytes)
      fsyncSync(this.fd)
    }
    this.size = validBytes
  }

  get bytes(): number {
    return this.size
  }

  /** Durable when it returns. On failure the journal is cut back to what it was. */
  append(record: JournalRecord): void {
    const payload = Buffer.from(JSON.stringify(record), 'utf8')
    const frame = Buffer.alloc(HEADER + payload.length)
    frame.writeUInt32LE(payload.length, 0)
    frame.writeUInt32LE(crc32(payload), 4)
    payload.copy(frame, HEADER)
    try {
      let written = 0
      while (written < frame.length) {
        written += writeSync(this.fd, frame, written, frame.length - written, this.size + written)
      }
      fsyncSync(this.fd)
      this.size += frame.length
    } catch (error) {
      try {
        ftruncateSync(this.fd, this.size)
      } catch {
        // The next open drops a torn tail; nothing acknowledged is lost.
      }
      throw error
    }
  }

  /** After a snapshot holds everything, the journal starts again empty. */
  reset(): void {
    ftruncateSync(this.fd, 0)
    fsyncSync(this.fd)
    this.size = 0
  }

  close(): void {
    closeSync(this.fd)
  }
}
