// One sync pass through a folder that a sync service (Syncthing, Dropbox, iCloud Drive…) keeps
// in step between computers: this device's new operations are appended to its own segments,
// then every other device's operations not yet applied here are read and applied, all of them
// in one change of the library (one journal record: a crash leaves the pass done or not begun,
// and a pass done again applies nothing twice — operations are named by device and counter).
// A device's operations are applied in its own order: a run of them missing from the folder
// with later ones there holds the later ones back, and the pass names it, unless the device's
// folder says that run is lost for good (see LostRecord): then the later ones are applied past
// its cursor, which stays below the run, so that the run is still applied should it turn up.
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
  lostRecord,
  devicesFolder,
  linkProblem,
  opDigest,
  ownDigests,
  ownTail,
  pruneOwn,
  readSegment,
  runsOf,
  segmentFiles,
  setAsideDamaged,
  unchangedSince,
} from './segments'
import type { LostRecord, Run } from './segments'
import { coveredCount, ownStateCovers, startingStates, stateFiles, writeState } from './state'
import type { Covers } from './state'

export interface SyncDeviceSeen {
  device: string
  /** Its operations applied here. */
  applied: number
  /** Its operations found in the folder that cannot be applied yet (one before them missing). */
  waiting: number
  /**
   * Its first operations missing from the folder with some of its later ones there (absent when
   * none are): `lost` when it said they are lost for good (those after them are applied), else
   * those after them wait for them.
   */
  gap?: { first: number; last: number; lost: boolean }
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

interface Marker {
  device: string
  host: string
  library: string
}

function readMarker(libraryPath: string): Marker | null {
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
  segmentBytes: number,
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
  const floor = ownStateCovers(dir, device)?.[device]
  let tail = ownTail(dir, device, floor)
  const { agreed, parted } = agreementWithFolder(library, dir, device, tail)
  const here = markerHolds(library.path, device)
  const copied = !here || tail.highest > library.syncCursors().own || parted
  if (!copied) return { device, rekeyedFrom: null }
  // Put back from a backup, where the device was made: no other library writes its folder,
  // and none will after this one takes an id of its own. What the folder lost of it before
  // its last operation is written there again from the library, as far as the library has
  // it, and the rest is said to be lost for good: the other devices, and one yet to come,
  // then wait for nothing at that point.
  if (here && tail.blocked === null && tail.damaged.length === 0 && tail.written < tail.highest) {
    if (mendFolder(library, dir, device, tail, floor ?? 0, agreed, segmentBytes)) {
      tail = ownTail(dir, device, floor)
    }
  }
  const made = newDeviceId()
  library.rekeySync(made, tail.written, agreed)
  writeMarker(library.path, made)
  return { device: made, rekeyedFrom: device }
}

/**
 * Writes to the device's folder, before the library (put back from a backup) leaves the device,
 * what the folder lost of it below its highest operation: the operations the library has as
 * the folder had them (up to `agreed`) again, and for the rest a record saying they are lost
 * for good. Whether it wrote anything.
 */
function mendFolder(
  library: Library,
  dir: string,
  device: string,
  tail: ReturnType<typeof ownTail>,
  floor: number,
  agreed: number,
  segmentBytes: number,
): boolean {
  // The runs missing between the counters the folder holds, from the first it lacks.
  const held = runsOf([...ownDigests(dir, device).keys()])
  const missing: Run[] = []
  let below = Math.max(floor, tail.written)
  for (const [first, last] of held) {
    if (last <= below) continue
    if (first > below + 1) missing.push([below + 1, first - 1])
    below = last
  }
  if (missing.length === 0) return false
  const records: (SyncOp | LostRecord)[] = []
  for (const [first, last] of missing) {
    // Up to `agreed` the library's operations are the device's: written again.
    if (first <= agreed) {
      records.push(...library.syncOpsAfter(first - 1, Math.min(last, agreed) - first + 1))
    }
    if (last > agreed) records.push(lostRecord(device, [Math.max(first, agreed + 1), last]))
  }
  appendOwn(dir, device, tail, records, segmentBytes)
  return true
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
  const segmentBytes = options.segmentBytes ?? SEGMENT_BYTES
  const { device, rekeyedFrom } = ensureDevice(library, dir, segmentBytes)
  const problems: string[] = []

  // Out: what this device's folder does not hold yet, or no longer holds whole (a segment
  // lost or damaged there: what follows it is written again, and a damaged one set aside).
  const tail = ownTail(dir, device, ownStateCovers(dir, device)?.[device])
  const out =
    tail.blocked === null ? library.syncOpsAfter(tail.written, Number.MAX_SAFE_INTEGER) : []
  if (tail.blocked !== null) problems.push(`this device's own folder ${tail.blocked}`)
  setAsideDamaged(dir, device, tail.damaged)
  if (out.length > 0) appendOwn(dir, device, tail, out, segmentBytes)
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
  const beyond: Record<string, Run[]> = {}
  const devices: SyncDeviceSeen[] = []
  const wasBeyond = library.syncBeyond()
  for (const [peer, read] of reads) {
    const from = applied.get(peer)!
    const before = (wasBeyond.get(peer) ?? []).filter(([, last]) => last > from)
    const taken = takePeer(peer, read, from, before, limit, problems)
    incoming.push(...taken.ops)
    if (taken.upTo > (peers.get(peer) ?? 0)) cursors[peer] = taken.upTo
    if (JSON.stringify(taken.beyond) !== JSON.stringify(wasBeyond.get(peer) ?? [])) {
      beyond[peer] = taken.beyond
    }
    devices.push({
      device: peer,
      applied: taken.upTo,
      waiting: taken.waiting,
      ...(taken.gap ? { gap: taken.gap } : {}),
    })
  }
  const moved = Object.keys(cursors).length > 0 || Object.keys(beyond).length > 0
  if (incoming.length > 0 || start.length > 0 || moved) {
    const entries = start.length > 0 ? start.flatMap((s) => s.entries) : undefined
    library.applySyncOps(
      incoming,
      cursors,
      entries,
      Object.keys(beyond).length > 0 ? beyond : undefined,
    )
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
  /** The runs of its counters it said are lost for good (see LostRecord). */
  lost: Run[]
}

const within = (runs: readonly Run[], c: number): boolean =>
  runs.some(([first, last]) => first <= c && c <= last)

function counters(first: number, last: number): string {
  return first === last ? `change ${first}` : `changes ${first}–${last}`
}

/**
 * The operations of `peer` to apply now, in its own order, from the first after `from` (up to
 * which every one is applied here), and what they leave: `upTo`, the new cursor; `beyond`, the
 * runs applied past it. A run of them missing from the folder with later ones there stops the
 * rest, and is reported, unless the device said they are lost for good: then the rest is
 * applied (past the cursor, which stays below them until they turn up, if ever).
 */
function takePeer(
  peer: string,
  read: PeerRead,
  from: number,
  /** The runs of its operations applied past `from` before. */
  before: readonly Run[],
  limit: number,
  problems: string[],
): { ops: SyncOp[]; upTo: number; beyond: Run[]; waiting: number; gap: SyncDeviceSeen['gap'] } {
  const { found, lost } = read
  const keys = [...found.keys()].filter((k) => k > from).sort((x, y) => x - y)
  let k = 0
  // The lowest counter from `c` on that is in the folder or applied before, or null.
  const nextPresent = (c: number): number | null => {
    while (k < keys.length && keys[k]! < c) k += 1
    let next = k < keys.length ? keys[k]! : null
    for (const [first, last] of before) {
      if (last >= c) next = next === null ? Math.max(first, c) : Math.min(next, Math.max(first, c))
    }
    return next
  }
  const ops: SyncOp[] = []
  const past: number[] = []
  let upTo = from
  let gap: SyncDeviceSeen['gap']
  for (let c = from + 1; ; c += 1) {
    const next = nextPresent(c)
    if (next === null) break
    if (next > c) {
      const last = next - 1
      const forGood = lost.some(([f, l]) => f <= c && last <= l)
      gap ??= { first: c, last, lost: forGood }
      if (!forGood) {
        problems.push(
          `device ${peer}: its ${counters(c, last)} are not in the sync folder (a file not yet copied, or lost: if that device still has them, its next pass writes them again); its later changes wait for them`,
        )
        break
      }
      problems.push(
        `device ${peer}: its ${counters(c, last)} were lost from the sync folder for good (the library that made them was restored from a backup older than them), and its later changes are applied without them: what the lost ones did is only on computers that had them before. Put the missing file back in devices/${peer}/ (from the sync service's older versions or trash) and every computer applies them`,
      )
      c = next
    }
    if (!within(before, c)) {
      if (ops.length >= limit) break
      ops.push(found.get(c)!)
    }
    if (upTo === c - 1) upTo = c
    else past.push(c)
  }
  // Runs applied past the cursor: those before and those now, less what the cursor reached.
  const beyond: Run[] = []
  const runs = [...before, ...runsOf(past)].sort((x, y) => x[0] - y[0])
  for (const [first, last] of runs) {
    if (last <= upTo) continue
    const run: Run = [Math.max(first, upTo + 1), last]
    const prev = beyond.at(-1)
    if (prev && run[0] <= prev[1] + 1) prev[1] = Math.max(prev[1], run[1])
    else beyond.push(run)
  }
  let waiting = 0
  for (const counter of keys) if (counter > upTo && !within(beyond, counter)) waiting += 1
  return { ops, upTo, beyond, waiting, gap }
}

/** Reads the operations in `peer`'s files that may be after `from`. */
function readPeer(dir: string, peer: string, from: number, problems: string[]): PeerRead {
  const found = new Map<number, SyncOp>()
  const lost: Run[] = []
  let highest = 0
  const { files, problems: unused } = segmentFiles(dir, peer)
  problems.push(...unused)
  for (const file of files) {
    // A file read before, unchanged since, and wholly applied: not read again.
    const known = unchangedSince(file)
    if (known && known.max <= from) {
      if (known.problem) problems.push(known.problem)
      highest = Math.max(highest, known.max)
      lost.push(...known.lost)
      continue
    }
    try {
      const read = readSegment(file, peer)
      if (read.problem) problems.push(read.problem)
      lost.push(...read.lost)
      for (const op of read.ops) if (!found.has(op.counter)) found.set(op.counter, op)
      highest = Math.max(highest, read.held.at(-1)?.[1] ?? 0)
    } catch (error) {
      problems.push(`${file} cannot be read (${(error as Error).message})`)
    }
  }
  return { found, highest, lost }
}
