// A device's compacted state in the sync folder: `devices/<device>/state-<n>.state`, the merged
// state it had applied (every paper identity's fields with their stamps, tags as add-wins
// entries, note versions with their conflict versions, deletions: db/syncState.ts) and, per
// device, up to which counter of its operations that state covers. `n` is the sum of those
// counters: a later state of the device covers more, and has a higher number.
//
// A device writes only its own, as a new file (temporary file, fsync, rename, fsync of the
// folder) that never changes after; the older one is removed once the newer is durable. A new
// device (or one whose next operations of another device its segments no longer hold) starts
// from one and reads only the operations after it. Framed and checksummed as the segments are,
// a header first and a closing record last: a state cut short (still being copied), damaged,
// of another format version or not of its device's is not used at all, and the pass says why.
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { StateEntry } from '../db/syncState'
import { disk, mkdirDurable } from '../store/disk'
import { putInPlace, readHead, readWhole, temporaryPath } from '../store/files'
import { frameRecord, parseJournal } from '../store/journal'
import { isStatus } from '../../../shared/domain'
import {
  DEVICE_ID,
  NOTE_VERSION,
  deviceFolder,
  deviceFolderProblem,
  isList,
  isStamp,
  isString,
  isTag,
  linkProblem,
  paperProblem,
} from './segments'

const FORMAT = 'lectern-sync-state'
const VERSION = 1

/** The largest state file read (a state of 100,000 papers is some tens of MB). */
export const MAX_STATE_FILE_BYTES = 1024 * 1024 * 1024

/** What a compacted state covers: per device, its operations from 1 to this counter. */
export type Covers = Record<string, number>

export interface CompactState {
  file: string
  device: string
  covers: Covers
  entries: StateEntry[]
}

const STATE_NAME = /^state-(\d{12})\.state$/

export function stateName(covers: Covers): string {
  return `state-${String(coveredCount(covers)).padStart(12, '0')}.state`
}

/** How many operations a state covers, over all devices. */
export function coveredCount(covers: Covers): number {
  return Object.values(covers).reduce((n, c) => n + c, 0)
}

/** The state files of `device`'s folder, newest (highest number) first. */
export function stateFiles(dir: string, device: string): { file: string; count: number }[] {
  const folder = deviceFolder(dir, device)
  // A link is followed nowhere (segmentFiles reports it).
  if (deviceFolderProblem(folder) !== null) return []
  let names: string[]
  try {
    names = readdirSync(folder)
  } catch {
    return []
  }
  return names
    .flatMap((name) => {
      const m = STATE_NAME.exec(name)
      return m ? [{ file: join(folder, name), count: Number(m[1]) }] : []
    })
    .sort((x, y) => y.count - x.count)
}

/**
 * Writes this device's compacted state, then removes its older ones. The file is whole and
 * durable before any older one goes; a crash between leaves two, the newer of which is read.
 */
export function writeState(
  dir: string,
  device: string,
  covers: Covers,
  entries: StateEntry[],
): string {
  const folder = deviceFolder(dir, device)
  const path = join(folder, stateName(covers))
  // A device that has sent nothing of its own yet has no folder.
  mkdirDurable(folder, 'sync.segment.dir')
  const older = stateFiles(dir, device).filter((s) => s.file !== path)
  // What a pass cut short left (its temporary file, named so that no device reads it).
  for (const name of readdirSync(folder))
    if (/^\.state-\d{12}\.state\.tmp-/.test(name)) disk().unlink(join(folder, name))
  const tmp = temporaryPath(path, String(process.pid))
  const d = disk()
  const fd = d.open(tmp, 'w', 0o644)
  try {
    const header = { format: FORMAT, version: VERSION, device, covers, entries: entries.length }
    const write = (frames: Buffer[]): void => {
      const data = Buffer.concat(frames)
      for (let at = 0; at < data.length;) at += d.write(fd, data, at, data.length - at)
    }
    write([frameRecord(header)])
    // In pieces: the state of a large library is not one buffer.
    for (let at = 0; at < entries.length; at += 1000) {
      write(entries.slice(at, at + 1000).map(frameRecord))
    }
    write([frameRecord({ end: entries.length })])
    d.fsync(fd, 'sync.state.fsync')
  } catch (error) {
    d.close(fd)
    d.unlink(tmp)
    throw error
  }
  d.close(fd)
  putInPlace(tmp, path, 'sync.state.dir')
  // Not flushed: an older state that a crash brings back is only read where the newer cannot
  // be, and the next state written removes it again.
  for (const { file } of older) d.unlink(file)
  return path
}

/** Reads a state file of `device`: the state, or why it is not used (never a part of it). */
export function readState(file: string, device: string): CompactState | { problem: string } {
  const unused = (why: string): { problem: string } => ({
    problem: `${file} ${why}: this compacted state is not used`,
  })
  const linked = linkProblem(file)
  if (linked !== null) return { problem: linked }
  let size: number
  try {
    const st = statSync(file)
    if (!st.isFile()) return unused('is not a file')
    size = st.size
  } catch (error) {
    return unused(`cannot be read (${(error as Error).message})`)
  }
  if (size > MAX_STATE_FILE_BYTES) return unused(`is ${size} bytes, more than a state is read at`)
  let contents: ReturnType<typeof parseJournal>
  try {
    contents = parseJournal(readWhole(file))
  } catch (error) {
    return unused(`cannot be read (${(error as Error).message})`)
  }
  const records = contents.records as unknown[]
  const header = records[0] as { format?: unknown; version?: unknown; device?: unknown } | undefined
  if (header?.format !== FORMAT || header.device !== device) {
    return unused(`is not a compacted state of device ${device}`)
  }
  if (header.version !== VERSION) {
    return unused(
      `was written by a newer Lectern (state format ${String(header.version)}); update Lectern to read it`,
    )
  }
  if (contents.damagedAt !== null) return unused(`is damaged at byte ${contents.damagedAt}`)
  const count = (header as { entries?: unknown }).entries
  const end = records.at(-1) as { end?: unknown } | undefined
  if (
    contents.tornTail ||
    !Number.isSafeInteger(count) ||
    records.length !== (count as number) + 2 ||
    end?.end !== count
  ) {
    return unused('is not whole (cut short, or still being copied)')
  }
  const covers = (header as { covers?: unknown }).covers
  if (!isCovers(covers)) return unused('says not which operations it covers (header, field covers)')
  const entries = records.slice(1, -1)
  for (const [i, entry] of entries.entries()) {
    const problem = entryProblem(entry)
    if (problem !== null) return unused(`record ${i + 2}: ${problem}`)
  }
  return { file, device, covers, entries: entries as StateEntry[] }
}

const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0

function isCovers(v: unknown): v is Covers {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    Object.entries(v).every(([device, n]) => DEVICE_ID.test(device) && isCount(n))
  )
}

const isVersion = (v: unknown): boolean => typeof v === 'string' && NOTE_VERSION.test(v)

const isTuple = (v: unknown, each: ((x: unknown) => boolean)[]): boolean =>
  Array.isArray(v) && v.length === each.length && each.every((ok, i) => ok(v[i]))

const isField = (v: unknown): boolean =>
  Array.isArray(v) &&
  isTuple(v, [(f) => f === 'status' || f === 'starred', isStamp, (x) => typeof x === 'string']) &&
  (v[0] === 'status' ? isStatus(v[2]) : v[2] === '0' || v[2] === '1')

const ENTRY_PARTS: Record<string, (v: unknown) => boolean> = {
  key: (v) => isString(v, 20_000) && v !== '',
  paper: (v) => Array.isArray(v) && v.length === 2 && isStamp(v[0]) && paperProblem(v[1]) === null,
  touch: (v) =>
    isList(v, (t) => isTuple(t, [(d) => isString(d, 16) && DEVICE_ID.test(d), isCount]), 100_000),
  deletes: (v) => isList(v, (x) => isTuple(x, [isVersion, isCovers]), 100_000),
  fields: (v) => isList(v, isField, 2),
  tags: (v) =>
    isList(
      v,
      (t) =>
        isTuple(t, [
          (k) => isString(k, 1_000),
          isVersion,
          (s) => s === null || isStamp(s),
          (s) => s === null || isTag(s),
          (r) => r === 0 || r === 1,
        ]),
      100_000,
    ),
  notes: (v) =>
    isList(
      v,
      (n) =>
        isTuple(n, [
          isVersion,
          isStamp,
          (d) => typeof d === 'string' && DEVICE_ID.test(d),
          (t) => isString(t, 10_000_000),
        ]),
      100_000,
    ),
  bases: (v) => isList(v, isVersion, 100_000),
}

/** Why a record is not one paper identity's merged state, naming the field, or null. */
function entryProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'it is not an object'
  }
  const entry = value as Record<string, unknown>
  if (!ENTRY_PARTS.key!(entry.key)) return 'its key is not a paper key'
  for (const [field, ok] of Object.entries(ENTRY_PARTS)) {
    if (field !== 'key' && entry[field] !== undefined && !ok(entry[field])) {
      return `its ${field} is not what a state holds there`
    }
  }
  const unknown = Object.keys(entry).find((field) => !(field in ENTRY_PARTS))
  return unknown === undefined ? null : `its field ${unknown.slice(0, 40)} is not a state's`
}

/** What the pass found of one other device's operations in its files. */
export interface PeerOps {
  has(counter: number): boolean
  /** The highest counter its files hold. */
  highest: number
}

/**
 * How far a state vouches for its own device's operations: what it covers of them. Of the other
 * devices' it merges what it holds, but vouches for nothing (their cursors stay, and their
 * operations are read as ever: applied again, each changes nothing), so that a state, forged or
 * wrong, can never have another device's operations skipped.
 */
function vouchesFor(covers: Covers, author: string): number {
  return covers[author] ?? 0
}

/**
 * Why a state may not be started from: it says it covers operations of its device that no file
 * of that device in the folder holds (its files not arrived yet, or a state that claims what it
 * has not). Started from, it would have those operations skipped.
 */
function coversProblem(state: CompactState, peers: ReadonlyMap<string, PeerOps>): string | null {
  const n = vouchesFor(state.covers, state.device)
  const held = peers.get(state.device)?.highest ?? 0
  return n > held
    ? `${state.file} covers operations of device ${state.device} up to ${n}, and its files hold them only up to ${held}: this compacted state is not used (yet)`
    : null
}

/**
 * The compacted states the pass starts from, each merged before the operations after it: for a
 * device new to the folder (nothing of another device applied yet), each device's newest state;
 * otherwise a state of a device whose next operation no file holds any more (pruned). Each
 * raises its own device's cursor in `applied` to what it covers of it.
 */
export function startingStates(
  dir: string,
  peers: ReadonlyMap<string, PeerOps>,
  applied: Map<string, number>,
  fresh: boolean,
  problems: string[],
): CompactState[] {
  const gapped = (peer: string): boolean => {
    const from = applied.get(peer) ?? 0
    const ops = peers.get(peer)
    return ops !== undefined && !ops.has(from + 1) && ops.highest > from
  }
  const chosen: CompactState[] = []
  for (const peer of peers.keys()) {
    if (!fresh && !gapped(peer)) continue
    const state = newestUsable(dir, peer, applied.get(peer) ?? 0, peers, problems)
    if (state === null) continue
    chosen.push(state)
    applied.set(peer, vouchesFor(state.covers, peer))
  }
  return chosen
}

/**
 * `peer`'s newest state that can be used and covers more of its operations than `from`. An
 * older one is read only when a newer one cannot be used; one that would bring nothing is
 * known by its header, and not read further.
 */
function newestUsable(
  dir: string,
  peer: string,
  from: number,
  peers: ReadonlyMap<string, PeerOps>,
  problems: string[],
): CompactState | null {
  for (const { file } of stateFiles(dir, peer)) {
    const header = headerCovers(file)
    if (header !== null && vouchesFor(header, peer) <= from) return null
    const state = readState(file, peer)
    if ('problem' in state) {
      problems.push(state.problem)
      continue
    }
    const unusable = coversProblem(state, peers)
    if (unusable !== null) {
      problems.push(unusable)
      continue
    }
    return vouchesFor(state.covers, peer) > from ? state : null
  }
  return null
}

/** What a state file's header says it covers (unchecked: the file is read whole before use). */
function headerCovers(file: string): Covers | null {
  try {
    const header = parseJournal(readHead(file, 1024 * 1024)).records[0] as
      { covers?: unknown } | undefined
    return isCovers(header?.covers) ? header.covers : null
  } catch {
    return null
  }
}

/** This device's own states read whole and found sound, by file, size, time and inode. */
const soundOwn = new Map<string, { size: number; mtimeMs: number; ino: number; covers: Covers }>()

/**
 * What this device's newest state covers, when it is sound (read whole once, then known by its
 * size, time and inode); null when there is none, or it is damaged or missing in part: then
 * nothing of what it covers may be taken as held by the folder.
 */
export function ownStateCovers(dir: string, device: string): Covers | null {
  const newest = stateFiles(dir, device)[0]
  if (!newest) return null
  let st: { size: number; mtimeMs: number; ino: number }
  try {
    st = statSync(newest.file)
  } catch {
    return null
  }
  const known = soundOwn.get(newest.file)
  if (known && known.size === st.size && known.mtimeMs === st.mtimeMs && known.ino === st.ino) {
    return known.covers
  }
  const read = readState(newest.file, device)
  if ('problem' in read) return null
  if (soundOwn.size > 1000) soundOwn.clear()
  soundOwn.set(newest.file, {
    size: st.size,
    mtimeMs: st.mtimeMs,
    ino: st.ino,
    covers: read.covers,
  })
  return read.covers
}
