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
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { SyncOp } from '../db/syncMerge'
import { disk, mkdirDurable } from '../store/disk'
import { readWhole } from '../store/files'
import { frameRecord, parseJournal } from '../store/journal'
import { isStatus } from '../../../shared/domain'
import { MAX_TAG_CHARS, normalizeTag } from '../../../shared/search'

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

/** A note version's name (`<device>:<counter>`), as a note's bases and an untag's adds give them. */
const NOTE_VERSION = /^[0-9a-f]{16}:\d{1,15}$/

const isString = (v: unknown, most: number): v is string =>
  typeof v === 'string' && v.length <= most
const isList = (v: unknown, each: (x: unknown) => boolean, most: number): boolean =>
  Array.isArray(v) && v.length <= most && v.every(each)
const isTag = (v: unknown): boolean =>
  typeof v === 'string' && v.length > 0 && normalizeTag(v) === v && v.length <= MAX_TAG_CHARS

/**
 * Why a paper as another device sends it cannot be taken in, or null: what an import gives a
 * paper, and nothing of the user's own (a note or a status comes as an operation of its own).
 */
function paperProblem(paper: unknown): string | null {
  if (typeof paper !== 'object' || paper === null || Array.isArray(paper))
    return 'paper is not an object'
  const p = paper as Record<string, unknown>
  if (!isString(p.title, 10_000) || p.title.trim() === '') return 'paper.title is not a title'
  if (!isString(p.abstract, 1_000_000)) return 'paper.abstract is not text'
  if (p.authors !== undefined && !isList(p.authors, (a) => isString(a, 1_000), 10_000)) {
    return 'paper.authors is not a list of names'
  }
  for (const field of ['dumpDate', 'dumpDateText'] as const) {
    if (p[field] !== null && p[field] !== undefined && !isString(p[field], 200)) {
      return `paper.${field} is not text`
    }
  }
  if (
    p.meta !== undefined &&
    (typeof p.meta !== 'object' || p.meta === null || Array.isArray(p.meta))
  ) {
    return 'paper.meta is not an object'
  }
  if (p.carried !== undefined)
    return 'paper.carried: a paper sent by sync carries no note or status'
  return null
}

/** Why a change is not one this version of Lectern applies, naming the field, or null. */
function changeProblem(change: unknown): string | null {
  if (typeof change !== 'object' || change === null) return 'change is not an object'
  const c = change as Record<string, unknown>
  switch (c.kind) {
    case 'add':
      return paperProblem(c.paper)
    case 'delete':
      return typeof c.seen === 'object' &&
        c.seen !== null &&
        !Array.isArray(c.seen) &&
        Object.entries(c.seen).every(
          ([device, n]) =>
            /^[0-9a-f]{16}$/.test(device) && Number.isSafeInteger(n) && (n as number) >= 0,
        )
        ? null
        : 'change.seen is not a count of operations per device'
    case 'status':
      return isStatus(c.status) ? null : 'change.status is not a status'
    case 'star':
      return typeof c.starred === 'boolean' ? null : 'change.starred is not true or false'
    case 'tag':
      return isTag(c.tag) ? null : 'change.tag is not a tag'
    case 'untag':
      if (!isTag(c.tag)) return 'change.tag is not a tag'
      return isList(c.adds, (v) => typeof v === 'string' && NOTE_VERSION.test(v), 100_000)
        ? null
        : 'change.adds is not a list of versions'
    case 'note':
      if (!isString(c.text, 10_000_000)) return 'change.text is not text'
      return isList(c.bases, (v) => typeof v === 'string' && NOTE_VERSION.test(v), 100_000)
        ? null
        : 'change.bases is not a list of versions'
    default:
      return `change.kind ${JSON.stringify(c.kind)?.slice(0, 40)} is not a kind of change`
  }
}

/**
 * Why a record is not a well-formed operation of `device` (checksums say nothing of that),
 * naming the field, or null. Every field the merge reads is checked here, so that a record a
 * device wrote wrong (or a later version of Lectern wrote differently) stops that device's
 * operations at that point, said so, and never a pass.
 */
function operationProblem(value: unknown, device: string): string | null {
  if (typeof value !== 'object' || value === null) return 'it is not an object'
  const op = value as Partial<SyncOp>
  if (op.device !== device) return `its device is not ${device}`
  if (!Number.isSafeInteger(op.counter) || (op.counter ?? 0) <= 0)
    return 'its counter is not a count'
  if (typeof op.stamp !== 'string' || !/^\d{13}\.\d{9}@[0-9a-f]{16}$/.test(op.stamp)) {
    return 'its stamp is not a clock reading'
  }
  if (!op.stamp.endsWith(`@${device}`)) return `its stamp is not device ${device}'s`
  if (!isString(op.key, 20_000) || op.key === '') return 'its key is not a paper key'
  return changeProblem(op.change)
}

/** What a file held when last read, by its size and time: a pass need not read it again. */
interface Summary {
  size: number
  mtimeMs: number
  ino: number
  /** Its highest operation's counter. */
  max: number
  /** That operation's digest (see opDigest). */
  lastDigest: string | null
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

/** An operation's digest: two are the same operation when their digests are. */
export function opDigest(op: SyncOp): string {
  return createHash('sha256').update(JSON.stringify(op)).digest('hex')
}

function lastOf(ops: SyncOp[]): SyncOp | null {
  let last: SyncOp | null = null
  for (const op of ops) if (!last || op.counter > last.counter) last = op
  return last
}

function remember(file: string, read: SegmentRead, st: { mtimeMs: number; ino: number }): void {
  if (summaries.size >= MAX_SUMMARIES) summaries.clear()
  const last = lastOf(read.ops)
  summaries.set(file, {
    size: read.size,
    mtimeMs: st.mtimeMs,
    ino: st.ino,
    max: last?.counter ?? 0,
    lastDigest: last ? opDigest(last) : null,
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
    const problem = operationProblem(record, device)
    if (problem !== null) {
      result.problem = `${file}, record ${i + 2}: not an operation of device ${device} (${problem}); what follows it is not used`
      result.validBytes = contents.offsets[i + 1]!
      return result
    }
    result.ops.push(record as SyncOp)
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
  /** The digest of the operation with that counter (see opDigest). */
  writtenDigest: string | null
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
    writtenDigest: null,
    problems: [],
  }
  if (!existsSync(folder)) return tail
  for (const name of readdirSync(folder).sort()) {
    const m = SEGMENT_NAME.exec(name)
    if (!m) continue
    const file = join(folder, name)
    const read = unchangedSince(file) ?? readSegment(file, device)
    const last = 'ops' in read ? lastOf(read.ops) : null
    const max = 'ops' in read ? (last?.counter ?? 0) : read.max
    if (max > tail.written) {
      tail.written = max
      tail.writtenDigest = 'ops' in read ? (last ? opDigest(last) : null) : read.lastDigest
    }
    if (read.problem) tail.problems.push(read.problem)
    tail.number = Number(m[1])
    tail.file = read.problem ? null : file
    tail.validBytes = read.validBytes
    tail.size = read.size
  }
  return tail
}

/** This device's operations in its own segments (never its copies), by counter. */
export function ownOps(dir: string, device: string): Map<number, SyncOp> {
  const found = new Map<number, SyncOp>()
  const folder = deviceFolder(dir, device)
  if (!existsSync(folder)) return found
  for (const name of readdirSync(folder).sort()) {
    if (!SEGMENT_NAME.test(name)) continue
    for (const op of readSegment(join(folder, name), device).ops) found.set(op.counter, op)
  }
  return found
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
