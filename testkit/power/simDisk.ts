// A disk that loses power. The library runs on the real file system through a recording Disk
// (electron/core/store/disk.ts), which keeps every write, fsync, rename and unlink in order —
// the rebuild thread's too. From that log, `imageAt` builds what a file system may leave after
// a power cut at any point of it, as ALICE ("All File Systems Are Not Created Equal", OSDI '14)
// and CrashMonkey do: what was fsynced stays; what was not may be lost, wholly or in part.
//
// The three disks (CutMode):
//   strict   what POSIX promises and no more. Unsynced writes persist each wholly, not at all, or
//            torn into 512-byte or 4 KiB sectors, in any order; a file's size may persist without
//            its data (the gap reads as zeros); a create, rename or unlink persists only once its
//            folder is fsynced (or by chance, each on its own); fsyncing a file says nothing of
//            its folder entry.
//   ordered  like ext4 data=ordered: folder changes persist in the order they were made (a
//            prefix of them), all of them at any fsync (one journal commit); each file keeps a
//            prefix of its unsynced writes, the last perhaps torn, and its size never runs ahead
//            of its data.
//   prefix   a disk that writes in order and loses what it had not written: a prefix of every
//            operation since the last flush persists, the last write perhaps torn.
// Every choice comes from the Rng it is given, so a cut is reproduced by its seed.
import { mkdirSync, writeFileSync } from 'node:fs'
import { basename, dirname, join, relative, sep } from 'node:path'
import { nodeDisk, tracingDisk } from '../../electron/core/store/disk'
import type { Disk, DiskEvent, DurabilityPoint } from '../../electron/core/store/disk'
import type { Rng } from '../gen'

export const CUT_MODES = ['strict', 'ordered', 'prefix'] as const
export type CutMode = (typeof CUT_MODES)[number]

/** An event of the log, with the thread that made it (file descriptors are per thread). */
export interface Logged {
  source: number
  event: DiskEvent
  /**
   * Made long before the recording by another program (a folder a sync service keeps): on the
   * platter from the start, whatever the cut. Only a `mkdir` is logged so.
   */
  durable?: true
}

/**
 * The real disk, with everything written through it kept in `log`: the main thread's writes as
 * they are made, a rebuild thread's when its result comes back (before the main thread acts on
 * it: a serial order the two could have had).
 */
export class RecordingDisk implements Disk {
  readonly log: Logged[] = []
  private threads = 0
  private readonly inner = tracingDisk(nodeDisk, (event) => this.log.push({ source: 0, event }))

  open = this.inner.open
  write = this.inner.write
  truncate = this.inner.truncate
  fsync = this.inner.fsync
  close = this.inner.close
  closeInBackground = this.inner.closeInBackground
  chmod = this.inner.chmod
  rename = this.inner.rename
  unlink = this.inner.unlink
  removeInBackground = this.inner.removeInBackground
  mkdir = this.inner.mkdir
  fsyncDirectory = this.inner.fsyncDirectory

  fromThread = (events: DiskEvent[]): void => {
    this.threads += 1
    for (const event of events) this.log.push({ source: this.threads, event })
  }

  /** Makes a folder that was there long before (see Logged.durable): no cut loses it. */
  premade(path: string): void {
    mkdirSync(path, { recursive: true })
    this.log.push({ source: 0, event: { kind: 'mkdir', path }, durable: true })
  }
}

type DataOp =
  { kind: 'write'; position: number; data: Uint8Array } | { kind: 'truncate'; length: number }

interface Inode {
  dir: boolean
  durable: Buffer
  pending: DataOp[]
}

/** A change to a folder: atomic (a rename moves its entry or does not). */
type NameOp =
  | { kind: 'link'; path: string; ino: number }
  | { kind: 'unlink'; path: string }
  | { kind: 'rename'; from: string; to: string; ino: number }

function folderOf(op: NameOp): string {
  return dirname(op.kind === 'rename' ? op.to : op.path)
}

function applyName(names: Map<string, number>, op: NameOp): void {
  if (op.kind === 'link') names.set(op.path, op.ino)
  else if (op.kind === 'unlink') names.delete(op.path)
  else {
    names.set(op.to, op.ino)
    names.delete(op.from)
  }
}

function applyData(content: Buffer, op: DataOp): Buffer {
  if (op.kind === 'truncate') return resized(content, op.length)
  const end = op.position + op.data.length
  const out = end > content.length ? resized(content, end) : content
  out.set(op.data, op.position)
  return out
}

function resized(content: Buffer, length: number): Buffer {
  if (length <= content.length) return Buffer.from(content.subarray(0, length))
  const out = Buffer.alloc(length)
  content.copy(out)
  return out
}

/** What landed of a file's unsynced data, in an extreme image (see `extremeImages`). */
type Fate = 'none' | 'all' | 'writes' | 'truncates'
const FATES: Record<Fate, (op: DataOp) => boolean> = {
  none: () => false,
  all: () => true,
  writes: (op) => op.kind === 'write',
  truncates: (op) => op.kind === 'truncate',
}

/** Mutations of the fsyncs, to prove each one matters (see tests/unit/powerCut.test.ts). */
export interface Mutation {
  /** Fsyncs at this point do nothing. */
  drop?: DurabilityPoint
  /** Fsyncs at `point` happen only after the next folder fsync at `until` (rename, then flush). */
  late?: { point: DurabilityPoint; until: DurabilityPoint }
}

/** The file system as the log has made it, what is durable of it, and what is not yet. */
class FileSystem {
  private readonly inodes: Inode[] = []
  /** Names as a process sees them now, and as they are on the platter. */
  private readonly names = new Map<string, number>()
  private readonly durableNames = new Map<string, number>()
  private pendingNames: NameOp[] = []
  private readonly fds = new Map<string, number>()
  private held: number[] = []

  constructor(
    readonly root: string,
    private readonly mode: CutMode,
    private readonly mutation: Mutation,
  ) {}

  private inode(dir: boolean): number {
    this.inodes.push({ dir, durable: Buffer.alloc(0), pending: [] })
    return this.inodes.length - 1
  }

  private rename(op: NameOp): void {
    applyName(this.names, op)
    this.pendingNames.push(op)
  }

  private volatile(ino: Inode): Buffer {
    return ino.pending.reduce(applyData, Buffer.from(ino.durable))
  }

  private sync(ino: number): void {
    const node = this.inodes[ino]!
    node.durable = this.volatile(node)
    node.pending = []
    // ext4 commits its whole journal at any fsync: every folder change made so far.
    if (this.mode === 'ordered') this.commitNames(() => true)
  }

  private commitNames(which: (op: NameOp) => boolean): void {
    const keep: NameOp[] = []
    for (const op of this.pendingNames) {
      if (which(op)) applyName(this.durableNames, op)
      else keep.push(op)
    }
    this.pendingNames = keep
  }

  apply({ source, event, durable }: Logged): void {
    const fdKey = (fd: number): string => `${source}:${fd}`
    const ofFd = (fd: number): number | undefined => this.fds.get(fdKey(fd))
    switch (event.kind) {
      case 'open': {
        let ino = this.names.get(event.path)
        if (ino === undefined) {
          ino = this.inode(false)
          this.rename({ kind: 'link', path: event.path, ino })
        } else if (event.flags.startsWith('w')) {
          this.inodes[ino]!.pending.push({ kind: 'truncate', length: 0 })
        }
        this.fds.set(fdKey(event.fd), ino)
        return
      }
      case 'write':
      case 'truncate': {
        const ino = ofFd(event.fd)
        if (ino === undefined) return
        this.inodes[ino]!.pending.push(
          event.kind === 'write'
            ? { kind: 'write', position: event.position ?? 0, data: event.data }
            : { kind: 'truncate', length: event.length },
        )
        return
      }
      case 'fsync': {
        const ino = ofFd(event.fd)
        if (ino === undefined || event.point === this.mutation.drop) return
        if (event.point === this.mutation.late?.point) this.held.push(ino)
        else this.sync(ino)
        return
      }
      case 'close':
        this.fds.delete(fdKey(event.fd))
        return
      case 'rename': {
        const ino = this.names.get(event.from)
        if (ino !== undefined) this.rename({ kind: 'rename', from: event.from, to: event.to, ino })
        return
      }
      case 'unlink':
        if (this.names.has(event.path)) this.rename({ kind: 'unlink', path: event.path })
        return
      case 'mkdir': {
        const missing: string[] = []
        for (let at = event.path; at !== this.root && !this.names.has(at); at = dirname(at)) {
          missing.unshift(at)
        }
        for (const path of missing) {
          const op: NameOp = { kind: 'link', path, ino: this.inode(true) }
          if (durable) {
            applyName(this.names, op)
            applyName(this.durableNames, op)
          } else this.rename(op)
        }
        return
      }
      case 'fsyncDirectory': {
        if (event.point === this.mutation.drop) return
        if (this.mode === 'ordered') this.commitNames(() => true)
        else this.commitNames((op) => folderOf(op) === event.dir)
        if (event.point === this.mutation.late?.until)
          for (const ino of this.held.splice(0)) this.sync(ino)
        return
      }
    }
  }

  /** Whether an event is a flush (a barrier for the prefix disk). */
  isFlush({ event, durable }: Logged): boolean {
    if (durable) return true
    if (event.kind !== 'fsync' && event.kind !== 'fsyncDirectory') return false
    return event.point !== this.mutation.drop && event.point !== this.mutation.late?.point
  }

  /** What a process would read now: every write landed. */
  volatileImage(): Image {
    return this.image(this.names, (ino) => this.volatile(ino))
  }

  /** What the disk may hold after a cut now. */
  crashImage(rng: Rng): Image {
    const names = new Map(this.durableNames)
    const pending = this.pendingNames
    if (this.mode === 'strict') {
      for (const op of pending) if (rng() < 0.5) applyName(names, op)
    } else {
      const kept = Math.floor(rng() * (pending.length + 1))
      for (const op of pending.slice(0, kept)) applyName(names, op)
    }
    const sector = rng() < 0.5 ? 512 : 4096
    return this.image(names, (ino) =>
      this.mode === 'strict' ? strictData(ino, rng, sector) : orderedData(ino, rng, sector),
    )
  }

  /**
   * The images a cut now may leave that a missing fsync shows in without luck, each one the
   * strict disk may leave (it decides every unsynced change on its own), as ALICE explores:
   * nothing unsynced landed, and everything did; then from each, one thing the other way: one
   * folder change (a create, rename or unlink), or one file's unsynced data (all of it, none,
   * its writes without its truncates, its truncates without its writes). Each with its name.
   */
  extremeImages(): { name: string; image: Image }[] {
    const names = this.pendingNames
    const files = this.inodes.flatMap((node, ino) => (node.pending.length > 0 ? [ino] : []))
    const images: { name: string; image: Image }[] = []
    const build = (name: string, landed: (op: NameOp) => boolean, fate: (ino: number) => Fate) => {
      const named = new Map(this.durableNames)
      for (const op of names) if (landed(op)) applyName(named, op)
      images.push({
        name,
        image: this.image(named, (node) => {
          const kept = node.pending.filter((op) => FATES[fate(this.inodes.indexOf(node))](op))
          return kept.reduce(applyData, Buffer.from(node.durable))
        }),
      })
    }
    for (const all of [false, true]) {
      const base = all ? 'everything unsynced landed' : 'nothing unsynced landed'
      const whole: Fate = all ? 'all' : 'none'
      build(
        base,
        () => all,
        () => whole,
      )
      names.forEach((flipped, k) => {
        const what = `${flipped.kind} of ${basename(flipped.kind === 'rename' ? flipped.to : flipped.path)}`
        build(
          `${base} but the ${what} (${k + 1} of ${names.length})`,
          (op) => (op === flipped ? !all : all),
          () => whole,
        )
      })
      for (const ino of files) {
        for (const fate of Object.keys(FATES) as Fate[]) {
          if (fate === whole) continue
          build(
            `${base} but ${fate} of inode ${ino}'s data`,
            () => all,
            (i) => (i === ino ? fate : whole),
          )
        }
      }
    }
    return images
  }

  private image(names: Map<string, number>, content: (ino: Inode) => Buffer): Image {
    const files = new Map<string, Buffer>()
    const dirs = new Set<string>()
    const reachable = (path: string): boolean => {
      for (let at = dirname(path); at !== this.root; at = dirname(at)) {
        const ino = names.get(at)
        if (ino === undefined || !this.inodes[ino]!.dir) return false
      }
      return true
    }
    for (const [path, ino] of names) {
      if (!reachable(path)) continue
      const node = this.inodes[ino]!
      if (node.dir) dirs.add(path)
      else files.set(path, content(node))
    }
    return { root: this.root, files, dirs }
  }
}

/** A torn write: some of its sectors (of `sector` bytes, aligned on the file) landed. */
function tornPieces(op: Extract<DataOp, { kind: 'write' }>, sector: number, rng: Rng): DataOp[] {
  const pieces: DataOp[] = []
  const end = op.position + op.data.length
  for (let at = op.position; at < end;) {
    const next = Math.min(end, (Math.floor(at / sector) + 1) * sector)
    if (rng() < 0.5) {
      pieces.push({
        kind: 'write',
        position: at,
        data: op.data.subarray(at - op.position, next - op.position),
      })
    }
    at = next
  }
  return pieces
}

function strictData(ino: Inode, rng: Rng, sector: number): Buffer {
  let content: Buffer = Buffer.from(ino.durable)
  let volatileSize = content.length
  // Writes between two truncates may land in any order; a truncate lands or does not.
  let batch: DataOp[] = []
  const flush = (): void => {
    for (let i = batch.length - 1; i > 0; i -= 1) {
      const j = Math.floor(rng() * (i + 1))
      ;[batch[i], batch[j]] = [batch[j]!, batch[i]!]
    }
    for (const op of batch) content = applyData(content, op)
    batch = []
  }
  for (const op of ino.pending) {
    if (op.kind === 'truncate') {
      flush()
      if (rng() < 0.5) content = resized(content, op.length)
      volatileSize = op.length
      continue
    }
    volatileSize = Math.max(volatileSize, op.position + op.data.length)
    const fate = rng()
    if (fate < 0.3) continue
    if (fate < 0.6) batch.push(op)
    else batch.push(...tornPieces(op, sector, rng))
  }
  flush()
  // The size may have persisted without the data: the file reads as zeros past what landed.
  if (volatileSize > content.length && rng() < 0.25) content = resized(content, volatileSize)
  return content
}

function orderedData(ino: Inode, rng: Rng, sector: number): Buffer {
  const kept = Math.floor(rng() * (ino.pending.length + 1))
  let content: Buffer = ino.pending.slice(0, kept).reduce(applyData, Buffer.from(ino.durable))
  const next = ino.pending[kept]
  if (next?.kind === 'write' && rng() < 0.5) {
    // A prefix of its sectors: an ordered disk writes a file's blocks in turn.
    const pieces = tornPieces(next, sector, () => 0)
    const landed = Math.floor(rng() * pieces.length)
    content = pieces.slice(0, landed).reduce(applyData, content)
  }
  return content
}

/** The files (and folders) under `root` a cut leaves. */
export interface Image {
  root: string
  files: Map<string, Buffer>
  dirs: Set<string>
}

/**
 * What the disk holds after a power cut just after the log's first `at` events. `mode` is the
 * disk; `rng` makes every choice; `mutation` takes away (or delays) one durability point.
 */
export function imageAt(
  root: string,
  log: Logged[],
  at: number,
  mode: CutMode,
  rng: Rng,
  mutation: Mutation = {},
): Image {
  const fs = new FileSystem(root, mode, mutation)
  if (mode !== 'prefix') {
    for (const logged of log.slice(0, at)) fs.apply(logged)
    return fs.crashImage(rng)
  }
  // Everything up to the last flush landed, then a prefix of what followed, its last write torn.
  let flushed = 0
  for (let i = 0; i < at; i += 1) if (fs.isFlush(log[i]!)) flushed = i + 1
  const landed = flushed + Math.floor(rng() * (at - flushed + 1))
  for (const logged of log.slice(0, landed)) fs.apply(logged)
  const next = log[landed]
  if (landed < at && next?.event.kind === 'write') {
    const sector = rng() < 0.5 ? 512 : 4096
    const whole = tornPieces(
      { kind: 'write', position: next.event.position ?? 0, data: next.event.data },
      sector,
      () => 0,
    )
    const part = whole.slice(0, Math.floor(rng() * whole.length))
    for (const piece of part) {
      if (piece.kind !== 'write') continue
      fs.apply({
        source: next.source,
        event: { ...next.event, position: piece.position, data: piece.data },
      })
    }
  }
  return fs.volatileImage()
}

/**
 * The extreme images (FileSystem.extremeImages) after a cut just after the log's first `at`
 * events on the strict disk: where a missing or late fsync is seen without luck. `mutation` as
 * for `imageAt`.
 */
export function extremeImagesAt(
  root: string,
  log: Logged[],
  at: number,
  mutation: Mutation = {},
): { name: string; image: Image }[] {
  const fs = new FileSystem(root, 'strict', mutation)
  for (const logged of log.slice(0, at)) fs.apply(logged)
  return fs.extremeImages()
}

/** Writes an image under `to` (the image's root becomes `to`). */
export function materialize(image: Image, to: string): void {
  const place = (path: string): string => join(to, ...relative(image.root, path).split(sep))
  mkdirSync(to, { recursive: true })
  for (const dir of [...image.dirs].sort()) mkdirSync(place(dir), { recursive: true })
  for (const [path, data] of image.files) writeFileSync(place(path), data)
}
