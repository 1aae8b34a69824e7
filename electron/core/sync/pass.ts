// One sync pass through a folder that a sync service (Syncthing, Dropbox, iCloud Drive…) keeps
// in step between computers: this device's new operations are appended to its own segments,
// then every other device's operations not yet applied here are read and applied, all of them
// in one change of the library (one journal record: a crash leaves the pass done or not begun,
// and a pass done again applies nothing twice — operations are named by device and counter).
import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { hostname } from 'node:os'
import type { SyncOp } from '../db/syncMerge'
import { LibraryError } from '../errors'
import { mkdirDurable } from '../store/disk'
import { putInPlace, writeTemporary } from '../store/files'
import type { Library } from '../store/library'
import {
  DEVICE_ID,
  SEGMENT_BYTES,
  appendOwn,
  devicesFolder,
  linkProblem,
  opDigest,
  ownDigests,
  ownTail,
  pruneOwn,
  readSegment,
  segmentFiles,
  setAsideDamaged,
  unchangedSince,
} from './segments'
import { coveredCount, ownStateCovers, startingStates, stateFiles, writeState } from './state'
import type { Covers } from './state'

export interface SyncDeviceSeen {
  device: string
  /** Its operations applied here. */
  applied: number
  /** Its operations found in the folder that cannot be applied yet (one before them missing). */
  waiting: number
  /**
   * The operations those wait for, which the folder lacks: a file still being copied, or lost
   * (then the device writes them again at its next pass, from its library). Absent when none.
   */
  missing?: { first: number; last: number }
}

export interface SyncReport {
  folder: string
  device: string
  at: string
  /** This device's operations written to the folder by this pass. */
  sent: number
  /** Other devices' operations applied by this pass. */
  applied: number
  devices: SyncDeviceSeen[]
  /** What could not be read (damaged or foreign files), each with where and why. */
  problems: string[]
  /** The device id this library had, when the pass found it copied and gave it a new one. */
  rekeyedFrom: string | null
  /** The compacted states of other devices this pass started from. */
  stateUsed: string[]
  /** The compacted state of this device's that this pass wrote, if it wrote one. */
  stateWritten: string | null
}

export interface SyncOptions {
  now?: () => Date
  /** Segment size (tests make it small). */
  segmentBytes?: number
  /** The most of one device's operations one pass applies (the rest the next pass). */
  maxOpsPerDevice?: number
  /** A compacted state is written once it would cover this many more operations than the last. */
  stateEvery?: number
  /** …and this long (ms) after the last one was written. */
  stateInterval?: number
}

/** Operations a new compacted state must cover beyond the last, and how long after it. */
export const STATE_EVERY = 10_000
export const STATE_INTERVAL_MS = 60 * 60 * 1000

/**
 * Writes this device's compacted state when it would cover STATE_EVERY operations more than its
 * last one, and that one is an hour old: a new device then reads it and the operations after.
 */
function writeStateIfDue(
  library: Library,
  dir: string,
  device: string,
  now: Date,
  options: SyncOptions,
): string | null {
  const { own, peers } = library.syncCursors()
  const covers: Covers = { ...Object.fromEntries(peers), [device]: own }
  const last = stateFiles(dir, device)[0]
  if (coveredCount(covers) - (last?.count ?? 0) < (options.stateEvery ?? STATE_EVERY)) return null
  if (last && now.getTime() - mtimeOf(last.file) < (options.stateInterval ?? STATE_INTERVAL_MS)) {
    return null
  }
  return writeState(dir, device, covers, library.syncStateEntries())
}

/**
 * Removes this device's segments its sound compacted state covers: a device that needs their
 * operations starts from that state instead.
 */
function pruneCovered(dir: string, device: string): void {
  const covers = ownStateCovers(dir, device)
  if (covers !== null) pruneOwn(dir, device, covers[device] ?? 0)
}

function mtimeOf(file: string): number {
  try {
    return statSync(file).mtimeMs
  } catch {
    return 0
  }
}

export function newDeviceId(): string {
  return randomBytes(8).toString('hex')
}

/** The file beside a library that says which computer and which file its sync device is. */
export function markerPath(libraryPath: string): string {
  return `${libraryPath}.sync-device`
}

export interface Marker {
  device: string
  host: string
  library: string
}

/** The marker beside a library (see markerPath), or null: none, or not one whole. */
export function readMarker(libraryPath: string): Marker | null {
  try {
    const parsed = JSON.parse(readFileSync(markerPath(libraryPath), 'utf8')) as Partial<Marker>
    if (typeof parsed.device !== 'string' || typeof parsed.host !== 'string') return null
    return { device: parsed.device, host: parsed.host, library: String(parsed.library ?? '') }
  } catch {
    return null
  }
}

function writeMarker(libraryPath: string, device: string): void {
  const marker: Marker = { device, host: hostname(), library: libraryPath }
  const tmp = writeTemporary(markerPath(libraryPath), `${JSON.stringify(marker)}\n`, {
    point: 'sync.marker.fsync',
  })
  putInPlace(tmp, markerPath(libraryPath), 'sync.marker.dir')
}

/**
 * Whether the library is where its device was made: the same computer and the same file. A
 * library copied by hand to another computer (or beside itself) has no marker, or another's.
 */
function markerHolds(libraryPath: string, device: string): boolean {
  const marker = readMarker(libraryPath)
  return (
    marker !== null &&
    marker.device === device &&
    marker.host === hostname() &&
    marker.library === libraryPath
  )
}

/** The library's device, made (or made anew for a copy, or taken back after a pause) as needed. */
function ensureDevice(
  library: Library,
  dir: string,
): { device: string; rekeyedFrom: string | null } {
  const paused = library.pausedSyncDevice()
  if (library.syncDevice() === null && paused !== null) library.enableSync(paused)
  const device = library.syncDevice()
  if (device === null) {
    const made = newDeviceId()
    writeMarker(library.path, made)
    library.enableSync(made)
    return { device: made, rekeyedFrom: null }
  }
  // A copy: made elsewhere, or its folder holds operations of its device that it does not have
  // as the folder has them: more than it has (another library with the same device wrote them,
  // or this one is an older backup of it), or others under the same counters (this one was put
  // back from an older backup, and changed since). What its own sound compacted state covers
  // the folder holds, though the segments that held it are pruned.
  const tail = ownTail(dir, device, ownStateCovers(dir, device)?.[device])
  const { agreed, parted } = agreementWithFolder(library, dir, device, tail)
  const copied =
    !markerHolds(library.path, device) || tail.highest > library.syncCursors().own || parted
  if (!copied) return { device, rekeyedFrom: null }
  // The marker first, as for a new device: a crash between the two leaves the library under the
  // old device, which the next pass finds a copy again and re-keys just so. The other way round
  // it would leave the library under a device no marker names, taken for a copy once more.
  const made = newDeviceId()
  writeMarker(library.path, made)
  library.rekeySync(made, tail.written, agreed)
  return { device: made, rekeyedFrom: device }
}

/** Whether the library's own operation `counter` is the one its device's folder holds. */
function sameOp(library: Library, counter: number, digest: string | null | undefined): boolean {
  const mine = library.syncOpsAfter(counter - 1, 1)[0]
  return mine !== undefined && mine.counter === counter && digest === opDigest(mine)
}

/**
 * How this device's folder holds the library's own operations. `agreed`: the highest counter
 * up to which the library's operations are the ones the folder holds (operations agree up to a
 * point and no further, so one the folder lost, before one that agrees, is the library's too);
 * `parted`: the folder holds one of those the library has otherwise. The folder's last one is
 * compared first (the usual answer: nothing lost there, and the library's own); only when that
 * does not settle it are the folder's records read, and the point where the two part searched
 * for.
 */
function agreementWithFolder(
  library: Library,
  dir: string,
  device: string,
  tail: { written: number; writtenDigest: string | null; highest: number },
): { agreed: number; parted: boolean } {
  const own = library.syncCursors().own
  const whole = tail.highest === tail.written && tail.written <= own
  if (whole && (tail.written === 0 || sameOp(library, tail.written, tail.writtenDigest))) {
    return { agreed: tail.written, parted: false }
  }
  const folder = ownDigests(dir, device)
  const held = [...folder.keys()].filter((c) => c <= own).sort((x, y) => x - y)
  // The last of those held that agrees.
  let lo = -1
  let hi = held.length - 1
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2)
    if (sameOp(library, held[mid]!, folder.get(held[mid]!))) lo = mid
    else hi = mid - 1
  }
  return { agreed: lo < 0 ? 0 : held[lo]!, parted: lo < held.length - 1 }
}

/** One pass: this device's operations out, the others' in. */
export function syncOnce(library: Library, dir: string, options: SyncOptions = {}): SyncReport {
  const now = options.now ?? (() => new Date())
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new LibraryError(
      'not-found',
      `the sync folder ${dir} does not exist or is not a folder (a drive not connected, or a folder the sync service has not made yet); nothing was synced`,
    )
  }
  const linked = linkProblem(devicesFolder(dir))
  if (linked !== null) throw new LibraryError('invalid-request', `${linked}; nothing was synced`)
  mkdirDurable(devicesFolder(dir), 'sync.segment.dir')
  const { device, rekeyedFrom } = ensureDevice(library, dir)
  const problems: string[] = []

  // Out: what this device's folder does not hold yet, or no longer holds whole (a segment
  // lost or damaged there: what follows it is written again, and a damaged one set aside).
  const tail = ownTail(dir, device, ownStateCovers(dir, device)?.[device])
  const out =
    tail.blocked === null ? library.syncOpsAfter(tail.written, Number.MAX_SAFE_INTEGER) : []
  if (tail.blocked !== null) problems.push(`this device's own folder ${tail.blocked}`)
  setAsideDamaged(dir, device, tail.damaged)
  if (out.length > 0) appendOwn(dir, device, tail, out, options.segmentBytes ?? SEGMENT_BYTES)
  problems.push(...tail.problems.map((p) => `this device's own ${p}`))

  // In: each other device's operations, in its own order, from the first not applied here
  // (or, for a device new to the folder or one whose next operations are pruned, from
  // another device's compacted state, then the operations after it).
  const { peers } = library.syncCursors()
  const limit = options.maxOpsPerDevice ?? 1_000_000
  const folders = readdirSync(devicesFolder(dir)).filter((n) => DEVICE_ID.test(n) && n !== device)
  const reads = new Map(
    folders.sort().map((peer) => [peer, readPeer(dir, peer, peers.get(peer) ?? 0, problems)]),
  )
  const applied = new Map(folders.map((peer) => [peer, peers.get(peer) ?? 0]))
  const held = new Map(
    [...reads].map(([peer, r]) => [
      peer,
      { has: (c: number) => r.found.has(c), highest: r.highest },
    ]),
  )
  const start = startingStates(dir, held, applied, peers.size === 0, problems)
  const incoming: SyncOp[] = []
  const cursors: Record<string, number> = {}
  const devices: SyncDeviceSeen[] = []
  for (const [peer, { found }] of reads) {
    const from = applied.get(peer)!
    let next = from + 1
    while (found.has(next) && next - from <= limit) {
      incoming.push(found.get(next)!)
      next += 1
    }
    const upTo = next - 1
    if (upTo > (peers.get(peer) ?? 0)) cursors[peer] = upTo
    let waiting = 0
    let after = Number.POSITIVE_INFINITY
    for (const counter of found.keys()) {
      if (counter <= upTo) continue
      waiting += 1
      after = Math.min(after, counter)
    }
    // Stopped at a change the folder lacks (not at the limit): the ones the rest waits for.
    const missing = waiting > 0 && !found.has(next) ? { first: next, last: after - 1 } : null
    devices.push({ device: peer, applied: upTo, waiting, ...(missing ? { missing } : {}) })
  }
  if (incoming.length > 0 || start.length > 0) {
    const entries = start.length > 0 ? start.flatMap((s) => s.entries) : undefined
    library.applySyncOps(incoming, cursors, entries)
  }
  const stateWritten =
    tail.blocked === null ? writeStateIfDue(library, dir, device, now(), options) : null
  if (tail.blocked === null) pruneCovered(dir, device)
  return {
    folder: dir,
    device,
    at: now().toISOString(),
    sent: out.length,
    applied: incoming.length,
    devices,
    problems,
    rekeyedFrom,
    stateUsed: start.map((s) => s.file),
    stateWritten,
  }
}

/** What a device's folder holds of its operations. */
interface PeerRead {
  found: Map<number, SyncOp>
  /** The highest counter its files hold (read now, or when last read). */
  highest: number
}

/** Reads the operations in `peer`'s files that may be after `from`. */
function readPeer(dir: string, peer: string, from: number, problems: string[]): PeerRead {
  const found = new Map<number, SyncOp>()
  let highest = 0
  const { files, problems: unused } = segmentFiles(dir, peer)
  problems.push(...unused)
  for (const file of files) {
    // A file read before, unchanged since, and wholly applied: not read again.
    const known = unchangedSince(file)
    if (known && known.max <= from) {
      if (known.problem) problems.push(known.problem)
      highest = Math.max(highest, known.max)
      continue
    }
    try {
      const read = readSegment(file, peer)
      if (read.problem) problems.push(read.problem)
      for (const op of read.ops) if (!found.has(op.counter)) found.set(op.counter, op)
      highest = Math.max(highest, read.held.at(-1)?.[1] ?? 0)
    } catch (error) {
      problems.push(`${file} cannot be read (${(error as Error).message})`)
    }
  }
  return { found, highest }
}
