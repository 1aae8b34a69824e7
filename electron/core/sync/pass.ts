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
  opDigest,
  ownOps,
  ownTail,
  readSegment,
  segmentFiles,
  unchangedSince,
} from './segments'

export interface SyncDeviceSeen {
  device: string
  /** Its operations applied here. */
  applied: number
  /** Its operations found in the folder that cannot be applied yet (one before them missing). */
  waiting: number
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
}

export interface SyncOptions {
  now?: () => Date
  /** Segment size (tests make it small). */
  segmentBytes?: number
  /** The most of one device's operations one pass applies (the rest the next pass). */
  maxOpsPerDevice?: number
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

/** The library's device, made (or made anew for a copy) as needed. */
function ensureDevice(
  library: Library,
  dir: string,
): { device: string; rekeyedFrom: string | null } {
  const device = library.syncDevice()
  if (device === null) {
    const made = newDeviceId()
    writeMarker(library.path, made)
    library.enableSync(made)
    return { device: made, rekeyedFrom: null }
  }
  // A copy: made elsewhere, or its folder holds operations of its device that it does not have
  // as the folder has them (another library with the same device wrote them, or this one was
  // put back from an older backup, and perhaps changed since under the same counters).
  const tail = ownTail(dir, device)
  const agreed = agreedWithFolder(library, dir, device, tail)
  const copied = !markerHolds(library.path, device) || tail.written > agreed
  if (!copied) return { device, rekeyedFrom: null }
  const made = newDeviceId()
  library.rekeySync(made, tail.written, agreed)
  writeMarker(library.path, made)
  return { device: made, rekeyedFrom: device }
}

/** Whether the library's own operation `counter` is the one its device's folder holds. */
function sameOp(library: Library, counter: number, digest: string | null): boolean {
  const mine = library.syncOpsAfter(counter - 1, 1)[0]
  return mine !== undefined && mine.counter === counter && digest === opDigest(mine)
}

/**
 * The highest counter up to which this device's folder holds the library's own operations as
 * the library has them. The folder's last one is compared first (the usual answer); only when
 * the two differ are the folder's operations read, and the point where they part searched for.
 */
function agreedWithFolder(
  library: Library,
  dir: string,
  device: string,
  tail: { written: number; writtenDigest: string | null },
): number {
  const most = Math.min(tail.written, library.syncCursors().own)
  if (most === 0) return 0
  if (most === tail.written && sameOp(library, most, tail.writtenDigest)) return most
  const folder = ownOps(dir, device)
  const same = (counter: number): boolean => {
    const op = folder.get(counter)
    return op !== undefined && sameOp(library, counter, opDigest(op))
  }
  // Operations agree up to a point and no further: the last counter that agrees.
  let lo = 0
  let hi = most
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2)
    if (same(mid)) lo = mid
    else hi = mid - 1
  }
  return lo
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
  mkdirDurable(devicesFolder(dir), 'sync.segment.dir')
  const { device, rekeyedFrom } = ensureDevice(library, dir)
  const problems: string[] = []

  // Out: what this device's folder does not hold yet.
  const tail = ownTail(dir, device)
  problems.push(...tail.problems.map((p) => `this device's own ${p}`))
  const out = library.syncOpsAfter(tail.written, Number.MAX_SAFE_INTEGER)
  if (out.length > 0) appendOwn(dir, device, tail, out, options.segmentBytes ?? SEGMENT_BYTES)

  // In: each other device's operations, in its own order, from the first not applied here.
  const { peers } = library.syncCursors()
  const limit = options.maxOpsPerDevice ?? 1_000_000
  const incoming: SyncOp[] = []
  const cursors: Record<string, number> = {}
  const devices: SyncDeviceSeen[] = []
  const folders = readdirSync(devicesFolder(dir)).filter((n) => DEVICE_ID.test(n) && n !== device)
  for (const peer of folders.sort()) {
    const found = new Map<number, SyncOp>()
    const from = peers.get(peer) ?? 0
    for (const file of segmentFiles(dir, peer)) {
      // A file read before, unchanged since, and wholly applied: not read again.
      const known = unchangedSince(file)
      if (known && known.max <= from) {
        if (known.problem) problems.push(known.problem)
        continue
      }
      try {
        const read = readSegment(file, peer)
        if (read.problem) problems.push(read.problem)
        for (const op of read.ops) if (!found.has(op.counter)) found.set(op.counter, op)
      } catch (error) {
        problems.push(`${file} cannot be read (${(error as Error).message})`)
      }
    }
    let next = from + 1
    while (found.has(next) && next - from <= limit) {
      incoming.push(found.get(next)!)
      next += 1
    }
    const applied = next - 1
    if (applied > from) cursors[peer] = applied
    let waiting = 0
    for (const counter of found.keys()) if (counter > applied) waiting += 1
    devices.push({ device: peer, applied, waiting })
  }
  if (incoming.length > 0) library.applySyncOps(incoming, cursors)
  return {
    folder: dir,
    device,
    at: now().toISOString(),
    sent: out.length,
    applied: incoming.length,
    devices,
    problems,
    rekeyedFrom,
  }
}
