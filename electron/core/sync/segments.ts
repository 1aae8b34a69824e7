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
import { existsSync, lstatSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { SyncOp } from '../db/syncMerge'
import { disk, mkdirDurable } from '../store/disk'
import { readWhole } from '../store/files'
import { frameRecord, parseJournal } from '../store/journal'
import { isStatus } from '../../../shared/domain'
import { MAX_TAG_CHARS, normalizeTag } from '../../../shared/search'

/** A segment is closed, and a new one begun, once it passes this size. */
export const SEGMENT_BYTES = 4 * 1024 * 1024

/**
 * The largest file of a device's folder that is read: a segment is at most SEGMENT_BYTES and
 * one record more (a note is at most 1 Mi characters). A larger one is no segment of Lectern's,
 * and reading it whole could take all the memory there is.
 */
export const MAX_SEGMENT_FILE_BYTES = 16 * SEGMENT_BYTES

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

/** The highest segment number (twelve digits): a device that reaches it appends to that one. */
const LAST_SEGMENT = 999_999_999_999

/** A segment's number from its name, or null: a name segmentName gives, and no other. */
function segmentNumber(name: string): number | null {
  const m = /^(\d{6,12})\.seg$/.exec(name)
  if (!m) return null
  const n = Number(m[1])
  return n > 0 && segmentName(n) === name ? n : null
}

/** The segments among `names`, by number. */
function segmentsIn(names: readonly string[]): { name: string; number: number }[] {
  return names
    .map((name) => ({ name, number: segmentNumber(name) }))
    .filter((s): s is { name: string; number: number } => s.number !== null)
    .sort((x, y) => x.number - y.number)
}

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
  /**
   * The counters of the device's records whose bytes are whole, whether or not this version
   * of Lectern takes them as operations: what its own writer need not write again.
   */
  held: Run[]
  /** Those records, as read (see opDigest). */
  heldRecords: unknown[]
  /** Its bytes are damaged, or it is no segment of the device's (then it is set aside). */
  damaged: boolean
}

/** A note version's name (`<device>:<counter>`), as a note's bases and an untag's adds give them. */
export const NOTE_VERSION = /^[0-9a-f]{16}:\d{1,15}$/

export const isString = (v: unknown, most: number): v is string =>
  typeof v === 'string' && v.length <= most
export const isList = (v: unknown, each: (x: unknown) => boolean, most: number): boolean =>
  Array.isArray(v) && v.length <= most && v.every(each)
export const isTag = (v: unknown): boolean =>
  typeof v === 'string' && v.length > 0 && normalizeTag(v) === v && v.length <= MAX_TAG_CHARS

/**
 * Why a paper as another device sends it cannot be taken in, or null: what an import gives a
 * paper, and nothing of the user's own (a note or a status comes as an operation of its own).
 */
export function paperProblem(paper: unknown): string | null {
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

/** A hybrid logical clock reading, as nextStamp gives it. */
export const isStamp = (v: unknown): v is string =>
  typeof v === 'string' && /^\d{13}\.\d{9}@[0-9a-f]{16}$/.test(v)

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
  if (!isStamp(op.stamp)) {
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
  held: Run[]
  /** The digest of the record with the highest counter it holds (see opDigest). */
  lastDigest: string | null
  damaged: boolean
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

/**
 * An operation's digest (or a record's this Lectern does not take as one): two are the same
 * operation when their digests are.
 */
export function opDigest(op: unknown): string {
  return createHash('sha256').update(JSON.stringify(op)).digest('hex')
}

/** The digest of the record with the highest counter a segment holds, or null. */
function lastHeldDigest(read: SegmentRead): string | null {
  const highest = read.held.at(-1)?.[1]
  const last = read.heldRecords.findLast((r) => (r as SyncOp).counter === highest)
  return last === undefined ? null : opDigest(last)
}

/** Counters from `first` to `last`, each there. */
type Run = [first: number, last: number]

/** Counters as runs without gaps. */
function runsOf(found: readonly number[]): Run[] {
  const counters = [...new Set(found)].sort((x, y) => x - y)
  const runs: Run[] = []
  for (const c of counters) {
    const last = runs.at(-1)
    if (last && last[1] + 1 === c) last[1] = c
    else runs.push([c, c])
  }
  return runs
}

/** The highest counter up to which runs hold every operation from the first. */
function unbrokenUpTo(runs: readonly Run[]): number {
  let upTo = 0
  for (const [first, last] of [...runs].sort((x, y) => x[0] - y[0])) {
    if (first > upTo + 1) break
    upTo = Math.max(upTo, last)
  }
  return upTo
}

function remember(file: string, read: SegmentRead, st: { mtimeMs: number; ino: number }): void {
  if (summaries.size >= MAX_SUMMARIES) summaries.clear()
  summaries.set(file, {
    size: read.size,
    mtimeMs: st.mtimeMs,
    ino: st.ino,
    max: read.ops.reduce((n, op) => Math.max(n, op.counter), 0),
    held: read.held,
    lastDigest: lastHeldDigest(read),
    damaged: read.damaged,
    validBytes: read.validBytes,
    problem: read.problem,
  })
}

/** Reads one file of `device`'s folder. */
export function readSegment(file: string, device: string): SegmentRead {
  const st = statSync(file)
  const result =
    st.size > MAX_SEGMENT_FILE_BYTES
      ? tooLarge(file, st.size)
      : parseSegment(file, readWhole(file), device)
  // Only a file whose size did not change under the read is vouched for by its size and time.
  if (result.size === st.size) remember(file, result, st)
  return result
}

/** A file too large to be a segment: not read at all. */
function tooLarge(file: string, size: number): SegmentRead {
  return {
    file,
    ops: [],
    validBytes: 0,
    size,
    torn: false,
    held: [],
    heldRecords: [],
    damaged: true,
    problem: `${file} is ${size} bytes, more than a segment can be (${MAX_SEGMENT_FILE_BYTES}): it is not read`,
  }
}

/** A record's counter, when it is one of `device`'s, whatever else it holds. */
function countedOf(record: unknown, device: string): number[] {
  const r = record as Partial<SyncOp> | null
  return typeof r === 'object' &&
    r !== null &&
    r.device === device &&
    Number.isSafeInteger(r.counter) &&
    r.counter! > 0
    ? [r.counter!]
    : []
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
    held: [],
    heldRecords: [],
    damaged: false,
  }
  if (records.length === 0) return result
  const header = records[0] as { format?: unknown; version?: unknown; device?: unknown }
  if (header?.format !== FORMAT || header.device !== device) {
    result.problem = `${file} is not a segment of device ${device}`
    result.validBytes = 0
    result.damaged = true
    return result
  }
  if (header.version !== VERSION) {
    result.problem = `${file} was written by a newer Lectern (sync format ${String(header.version)}); update Lectern to read it`
    result.validBytes = 0
    result.damaged = true
    return result
  }
  result.heldRecords = records.slice(1).filter((r) => countedOf(r, device).length > 0)
  result.held = runsOf(result.heldRecords.flatMap((r) => countedOf(r, device)))
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
    result.damaged = true
  }
  return result
}

/**
 * Why `path` in the sync folder is not used, when it is a link (null: not one). A link there
 * was not made by Lectern: followed, it would have a pass read, or write, anywhere.
 */
export function linkProblem(path: string): string | null {
  try {
    if (!lstatSync(path).isSymbolicLink()) return null
  } catch {
    return null
  }
  return `${path} is a link (Lectern follows no link in the sync folder): it is neither read nor written`
}

/** Why a device's folder cannot be used (a link, or no folder at all), or null. */
export function deviceFolderProblem(folder: string): string | null {
  const linked = linkProblem(folder)
  if (linked !== null) return linked
  try {
    return lstatSync(folder).isDirectory()
      ? null
      : `${folder} is not a folder: it is neither read nor written`
  } catch {
    return null
  }
}

/** The files in `device`'s folder that may hold its operations (its own segments first), and why others are not used. */
export function segmentFiles(dir: string, device: string): { files: string[]; problems: string[] } {
  const folder = deviceFolder(dir, device)
  const unusable = deviceFolderProblem(folder)
  if (unusable !== null) return { files: [], problems: [unusable] }
  if (!existsSync(folder)) return { files: [], problems: [] }
  let names: string[]
  try {
    names = readdirSync(folder).filter(mayHoldOperations)
  } catch (error) {
    return { files: [], problems: [`${folder} cannot be read (${(error as Error).message})`] }
  }
  const own = segmentsIn(names).map((s) => s.name)
  const copies = names.filter((n) => segmentNumber(n) === null).sort()
  const found = { files: [] as string[], problems: [] as string[] }
  for (const file of [...own, ...copies].map((n) => join(folder, n))) {
    const problem = linkProblem(file)
    if (problem !== null) found.problems.push(problem)
    else if (isFile(file)) found.files.push(file)
  }
  return found
}

function isFile(path: string): boolean {
  try {
    return lstatSync(path).isFile()
  } catch {
    return false
  }
}

/** This device's last segment, as it stands: where the next operation goes. */
interface OwnTail {
  number: number
  file: string | null
  validBytes: number
  size: number
  /**
   * The highest counter up to which this device's own undamaged segments hold every one of its
   * operations: what follows it is written (again), whatever later counters they hold.
   */
  written: number
  /**
   * The digest of the operation with that counter (see opDigest), when a segment ends with it,
   * else null.
   */
  writtenDigest: string | null
  /** The highest counter in any of its own segments (another library may have written it). */
  highest: number
  /**
   * Its own segments that are damaged or not its own: set aside (their operations are written
   * again, their numbers used again).
   */
  damaged: string[]
  /** Why nothing may be written to its folder (a link or a file took its place), or null. */
  blocked: string | null
}

/** A segment's record with the highest counter: the counter, and its digest (null: none). */
function endOf(read: SegmentRead | Summary): { counter: number; digest: string | null } | null {
  const counter = read.held.at(-1)?.[1]
  if (counter === undefined) return null
  return { counter, digest: 'heldRecords' in read ? lastHeldDigest(read) : read.lastDigest }
}

/** Reads this device's own segments (never its copies: they are not this device's files). */
export function ownTail(
  dir: string,
  device: string,
  /** Its operations up to this counter are held by its compacted state (its segments pruned). */
  floor = 0,
): OwnTail & { problems: string[] } {
  const folder = deviceFolder(dir, device)
  const tail: OwnTail & { problems: string[] } = {
    number: 0,
    file: null,
    validBytes: 0,
    size: 0,
    written: 0,
    writtenDigest: null,
    highest: 0,
    damaged: [],
    blocked: deviceFolderProblem(folder),
    problems: [],
  }
  if (tail.blocked !== null || !existsSync(folder)) return tail
  const runs: Run[] = []
  // Each undamaged segment's record with the highest counter: the counter, and its digest.
  const ends = new Map<number, string | null>()
  for (const { name, number } of segmentsIn(readdirSync(folder))) {
    const file = join(folder, name)
    const linked = linkProblem(file)
    if (linked !== null) {
      // Not its own to read, nor to write through: set aside (the link, not what it names).
      tail.problems.push(`${linked}; it is set aside`)
      tail.damaged.push(file)
      continue
    }
    const read = unchangedSince(file) ?? readSegment(file, device)
    tail.highest = Math.max(tail.highest, read.held.at(-1)?.[1] ?? 0)
    if (read.damaged) {
      tail.problems.push(`${read.problem}; what it held is written again, and it is set aside`)
      tail.damaged.push(file)
      continue
    }
    const end = endOf(read)
    if (end !== null) ends.set(end.counter, end.digest)
    // A record this version does not take as an operation: said, but not written again (it
    // would be the same record again, at every pass), nor appended after.
    if (read.problem) tail.problems.push(read.problem)
    runs.push(...read.held)
    tail.number = number
    tail.file = read.problem ? null : file
    tail.validBytes = read.validBytes
    tail.size = read.size
  }
  tail.written = unbrokenUpTo(floor > 0 ? [[1, floor], ...runs] : runs)
  tail.writtenDigest = ends.get(tail.written) ?? null
  return tail
}

/**
 * The digests (see opDigest) of this device's whole records in its own segments (never its
 * copies, nor a link), by counter: those this Lectern does not take as operations too, and
 * those of a damaged segment, up to its damage.
 */
export function ownDigests(dir: string, device: string): Map<number, string> {
  const found = new Map<number, string>()
  const folder = deviceFolder(dir, device)
  if (deviceFolderProblem(folder) !== null || !existsSync(folder)) return found
  for (const { name } of segmentsIn(readdirSync(folder))) {
    const file = join(folder, name)
    if (linkProblem(file) !== null) continue
    for (const record of readSegment(file, device).heldRecords) {
      found.set((record as SyncOp).counter, opDigest(record))
    }
  }
  return found
}

/** Where a damaged segment of this device's own is put: beside it, under a name no one reads. */
export function setAsideName(file: string): string {
  return `${file}.damaged`
}

/**
 * Moves this device's damaged segments aside (what they held is written again): no device
 * reads them, or reports them, any more. Their bytes are kept (renamed, not removed).
 */
export function setAsideDamaged(dir: string, device: string, files: readonly string[]): void {
  if (files.length === 0) return
  const d = disk()
  for (const file of files) d.rename(file, setAsideName(file))
  d.fsyncDirectory(deviceFolder(dir, device), 'sync.segment.dir')
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
    // At the last number a name may have (a forged file, most likely), the last segment grows.
    const full = validBytes >= segmentBytes && number < LAST_SEGMENT
    const fresh = file === null || full
    if (fresh) {
      number += 1
      file = join(folder, segmentName(number))
      validBytes = 0
    }
    // A segment left with no whole record (a crash just after it was made) begins anew too.
    const frames: Buffer[] =
      validBytes === 0 ? [frameRecord({ format: FORMAT, version: VERSION, device })] : []
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

/**
 * Removes this device's closed segments whose operations its compacted state covers (`upTo`,
 * its own counter in it): the state holds what they did, and a device that needs them starts
 * from it. Never the last segment (appended to, and what tells a copy of this library that
 * its folder went further), nor a damaged one, nor one holding any operation after `upTo`.
 */
export function pruneOwn(dir: string, device: string, upTo: number): string[] {
  const folder = deviceFolder(dir, device)
  if (deviceFolderProblem(folder) !== null || !existsSync(folder)) return []
  const segments = segmentsIn(readdirSync(folder))
  const removed: string[] = []
  for (const { name } of segments.slice(0, -1)) {
    const file = join(folder, name)
    if (linkProblem(file) !== null) continue
    const read = unchangedSince(file) ?? readSegment(file, device)
    if (read.damaged || read.problem !== null) continue
    if (read.held.every(([, last]) => last <= upTo)) removed.push(file)
  }
  // Not flushed: a segment that a crash brings back holds what the state holds (the state's
  // rename was flushed before), and the next pass removes it again.
  const d = disk()
  for (const file of removed) d.unlink(file)
  return removed
}
