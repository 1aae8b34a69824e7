// A device's change-log in the sync folder: `devices/<device>/<nnnnnn>.seg`, each segment a
// header record naming the device, then operations, framed and checksummed as the journal's
// records are (store/journal.ts). Only the device itself writes its folder, and only by
// appending to its last segment; once that passes SEGMENT_BYTES a new one is begun, and the
// older ones never change again, so a folder-sync service never has to merge a file.
//
// What others' folders hold is read with suspicion: a segment still being copied (a torn
// tail: its whole records are used, the rest waits), a sync service's temporary files, its
// conflict copies (read as ordinary data: an operation is named by device and counter, so
// one seen twice is applied once), a damaged segment (its good records are used, the problem
// reported; the device's later operations wait, the other devices' do not).
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { SyncOp } from '../db/syncMerge'
import { disk, mkdirDurable } from '../store/disk'
import { readWhole } from '../store/files'
import { frameRecord, parseJournal } from '../store/journal'

/** A segment is closed, and a new one begun, once it passes this size. */
export const SEGMENT_BYTES = 4 * 1024 * 1024

const FORMAT = 'lectern-sync'
const VERSION = 1

/** A device id: what `newDeviceId` makes (16 hex digits). */
export const DEVICE_ID = /^[0-9a-f]{16}$/

export function devicesFolder(dir: string): string {
  return join(dir, 'devices')
}

export function deviceFolder(dir: string, device: string): string {
  return join(devicesFolder(dir), device)
}

function segmentName(n: number): string {
  return `${String(n).padStart(6, '0')}.seg`
}

const SEGMENT_NAME = /^(\d{6})\.seg$/

/**
 * Whether a file in a device's folder may hold its operations: its segments, and copies of
 * them a sync service made (`000003.sync-conflict-20250101-101010-ABCDEFG.seg`,
 * `000003 (conflicted copy 2025-01-01).seg`, `000003 2.seg`). Never a service's file still
 * being written (`.syncthing.000003.seg.tmp`, `~$…`, `….tmp`, `….part`).
 */
export function mayHoldOperations(name: string): boolean {
  if (name.startsWith('.') || name.startsWith('~')) return false
  return /\.seg$/.test(name) && /^\d{6}/.test(name)
}

/** What one file of a device's folder held. */
export interface SegmentRead {
  file: string
  ops: SyncOp[]
  /** Bytes of whole records (the header included). */
  validBytes: number
  size: number
  /** An unfinished last record: still being copied, or a write a crash cut short. */
  torn: boolean
  /** Why the file cannot be used, wholly or past a point. */
  problem: string | null
}

const CHANGE_KINDS = new Set(['add', 'delete', 'status', 'star', 'tag', 'untag', 'note'])

/** Whether a record is a well-formed operation of `device` (checksums say nothing of that). */
function isOperation(value: unknown, device: string): value is SyncOp {
  const op = value as Partial<SyncOp> | null
  return (
    typeof op === 'object' &&
    op !== null &&
    op.device === device &&
    Number.isSafeInteger(op.counter) &&
    (op.counter ?? 0) > 0 &&
    typeof op.stamp === 'string' &&
    /^\d{13}\.\d{9}@[0-9a-f]{16}$/.test(op.stamp) &&
    op.stamp.endsWith(`@${device}`) &&
    typeof op.key === 'string' &&
    typeof op.change === 'object' &&
    op.change !== null &&
    CHANGE_KINDS.has((op.change as { kind?: string }).kind ?? '')
  )
}

/** What a file held when last read, by its size and time: a pass need not read it again. */
interface Summary {
  size: number
  mtimeMs: number
  ino: number
  /** Its highest operation's counter. */
  max: number
  validBytes: number
  problem: string | null
}

const summaries = new Map<string, Summary>()
const MAX_SUMMARIES = 100_000

/**
 * What `file` held when it was last read, if it has not changed since (same size, time and
 * inode): its highest counter and where its whole records end. Null when it must be read.
 */
export function unchangedSince(file: string): Summary | null {
  const known = summaries.get(file)
  if (!known) return null
  try {
    const st = statSync(file)
    return st.size === known.size && st.mtimeMs === known.mtimeMs && st.ino === known.ino
      ? known
      : null
  } catch {
    return null
  }
}

function remember(file: string, read: SegmentRead, st: { mtimeMs: number; ino: number }): void {
  if (summaries.size >= MAX_SUMMARIES) summaries.clear()
  let max = 0
  for (const op of read.ops) max = Math.max(max, op.counter)
  summaries.set(file, {
    size: read.size,
    mtimeMs: st.mtimeMs,
    ino: st.ino,
    max,
    validBytes: read.validBytes,
    problem: read.problem,
  })
}

/** Reads one file of `device`'s folder. */
export function readSegment(file: string, device: string): SegmentRead {
  const st = statSync(file)
  const result = parseSegment(file, readWhole(file), device)
  // Only a file whose size did not change under the read is vouched for by its size and time.
  if (result.size === st.size) remember(file, result, st)
  return result
}

function parseSegment(file: string, data: Buffer, device: string): SegmentRead {
  const contents = parseJournal(data)
  const records = contents.records as unknown[]
  const result: SegmentRead = {
    file,
    ops: [],
    validBytes: contents.validBytes,
    size: data.length,
    torn: contents.tornTail,
    problem: null,
  }
  if (records.length === 0) return result
  const header = records[0] as { format?: unknown; version?: unknown; device?: unknown }
  if (header?.format !== FORMAT || header.device !== device) {
    result.problem = `${file} is not a segment of device ${device}`
    result.validBytes = 0
    return result
  }
  if (header.version !== VERSION) {
    result.problem = `${file} was written by a newer Lectern (sync format ${String(header.version)}); update Lectern to read it`
    result.validBytes = 0
    return result
  }
  for (const [i, record] of records.slice(1).entries()) {
    if (!isOperation(record, device)) {
      result.problem = `${file} holds a record that is not an operation of device ${device} (record ${i + 2}); what follows it is not used`
      result.validBytes = contents.offsets[i + 1]!
      return result
    }
    result.ops.push(record)
  }
  if (contents.damagedAt !== null) {
    result.problem = `${file} is damaged at byte ${contents.damagedAt} (of ${data.length}); the operations after that point are not used`
  }
  return result
}

/** Every file in `device`'s folder that may hold its operations: its own segments first. */
export function segmentFiles(dir: string, device: string): string[] {
  const folder = deviceFolder(dir, device)
  if (!existsSync(folder)) return []
  const names = readdirSync(folder).filter(mayHoldOperations)
  const own = names.filter((n) => SEGMENT_NAME.test(n)).sort()
  const copies = names.filter((n) => !SEGMENT_NAME.test(n)).sort()
  return [...own, ...copies]
    .map((n) => join(folder, n))
    .filter((f) => {
      try {
        return statSync(f).isFile()
      } catch {
        return false
      }
    })
}

/** This device's last segment, as it stands: where the next operation goes. */
interface OwnTail {
  number: number
  file: string | null
  validBytes: number
  size: number
  /** The highest counter written in this device's own segments. */
  written: number
}

/** Reads this device's own segments (never its copies: they are not this device's files). */
export function ownTail(dir: string, device: string): OwnTail & { problems: string[] } {
  const folder = deviceFolder(dir, device)
  const tail: OwnTail & { problems: string[] } = {
    number: 0,
    file: null,
    validBytes: 0,
    size: 0,
    written: 0,
    problems: [],
  }
  if (!existsSync(folder)) return tail
  for (const name of readdirSync(folder).sort()) {
    const m = SEGMENT_NAME.exec(name)
    if (!m) continue
    const file = join(folder, name)
    const read = unchangedSince(file) ?? readSegment(file, device)
    const max = 'ops' in read ? read.ops.reduce((n, op) => Math.max(n, op.counter), 0) : read.max
    tail.written = Math.max(tail.written, max)
    if (read.problem) tail.problems.push(read.problem)
    tail.number = Number(m[1])
    tail.file = read.problem ? null : file
    tail.validBytes = read.validBytes
    tail.size = read.size
  }
  return tail
}

/**
 * Appends operations to this device's folder: to its last segment while that is under
 * SEGMENT_BYTES (its torn tail, a write a crash cut short, cut off first), else to a new one.
 * Each file is flushed before the next is begun.
 */
export function appendOwn(
  dir: string,
  device: string,
  tail: OwnTail,
  ops: SyncOp[],
  segmentBytes = SEGMENT_BYTES,
): void {
  const folder = deviceFolder(dir, device)
  mkdirDurable(folder, 'sync.segment.dir')
  const d = disk()
  let at = 0
  let { number, file, validBytes } = tail
  while (at < ops.length) {
    const fresh = file === null || validBytes >= segmentBytes
    if (fresh) {
      number += 1
      file = join(folder, segmentName(number))
      validBytes = 0
    }
    const frames: Buffer[] = fresh
      ? [frameRecord({ format: FORMAT, version: VERSION, device })]
      : []
    let bytes = frames[0]?.length ?? 0
    while (at < ops.length && (frames.length === 0 || validBytes + bytes < segmentBytes)) {
      const frame = frameRecord(ops[at])
      frames.push(frame)
      bytes += frame.length
      at += 1
    }
    const data = Buffer.concat(frames)
    const fd = d.open(file!, fresh ? 'wx' : 'r+', 0o644)
    try {
      if (!fresh) d.truncate(fd, validBytes)
      for (let written = 0; written < data.length;) {
        written += d.write(fd, data, written, data.length - written, validBytes + written)
      }
      d.fsync(fd, 'sync.segment')
    } finally {
      d.close(fd)
    }
    if (fresh) d.fsyncDirectory(folder, 'sync.segment.dir')
    validBytes += data.length
  }
}
