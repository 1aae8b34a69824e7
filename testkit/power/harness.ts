// The power-cut harness. A random workload — imports (whole and in steps), notes, statuses,
// stars, tags, deletions and undos, snapshots on this thread and on their own, backups,
// restores, closing and reopening, a backups folder chosen on another "disk" and given up again,
// the library moved to another folder (twice), sync passes through a folder beside it (segments,
// the marker beside the library, compacted states), and calls that damage the files on purpose (a
// crash in the middle of an append, a journal damaged then recovered, the library file damaged
// while a backup is made from memory) — runs once on the real disk through a RecordingDisk
// (simDisk.ts), which logs every write, fsync, rename and unlink of the core and of its threads.
// After each call returns, the library's whole state is read (the crash harness's readState:
// every paper with its note, status, history, star and tags; the deletions still to undo) and
// kept as what was acknowledged at that point of the log.
//
// Then power is cut at chosen points of that log — inside every kind of step: mid-append,
// between a write and its fsync, between an fsync and the rename, between a rename and the
// folder's fsync, mid-snapshot, mid-backup, mid-restore — on each simulated disk. The image
// the cut leaves is written to a folder of its own and opened as a host opens a library
// (LibrarySession) — the library the app would open: the one its remembered file names (the
// recording's root is the app's data folder too), else the default one. It must open and hold
// exactly the state acknowledged last before the cut, or the one the call under way would have
// left (a change lands whole or not at all); every backup acknowledged before the cut must be
// there (beside the library, or in the folder chosen for it), open and hold what it held; the
// folder the library's settings name for backups must be there, and in the list of backup folders
// beside the library; every file the library kept aside (a torn record's bytes, a damaged
// journal's copy) must hold its bytes; and each place the library was moved from, once the move
// is done or the old library file is gone, must refuse to open, naming where it went; and what
// the sync passes acknowledged must hold (syncProblem): every change a pass reported sent reaches
// another device from the folder, the newest compacted state is whole and not older than one a
// pass left, and the marker beside the library names the device a pass made for it here.
// A restore under way may leave a library that reports itself damaged (README: "a crash leaves
// a library that reports itself missing, never an empty one"), and so may the calls that damage
// the files while they are under way (MAY_BE_DAMAGED); nothing else may.
//
// A kill -9 (testkit/crash) cannot see a missing fsync: the page cache survives a kill. This
// can, and `mutationCheck` proves it for each fsync the workload passes through: with that one
// fsync taken away, some cut must lose or damage something.
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs'
import { hostname } from 'node:os'
import { basename, dirname, isAbsolute, join, relative } from 'node:path'
import { crc32 } from 'node:zlib'
import { STATUSES } from '../../shared/domain'
import { storableNote } from '../../shared/text'
import type { Status } from '../../shared/domain'
import { LibraryError } from '../../electron/core/errors'
import { disk, useDisk } from '../../electron/core/store/disk'
import type { DurabilityPoint } from '../../electron/core/store/disk'
import type { Db } from '../../electron/core/db/database'
import type { Library } from '../../electron/core/store/library'
import { LibrarySession } from '../../electron/core/safety/session'
import { backupFoldersPath, notedFolders } from '../../electron/core/safety/backups'
import { followMove } from '../../electron/core/safety/remembered'
import { CHOSEN_LIBRARY_FILE } from '../../electron/core/paths'
import { readMarker, syncOnce } from '../../electron/core/sync/pass'
import {
  DEVICE_ID,
  devicesFolder,
  readSegment,
  segmentFiles,
} from '../../electron/core/sync/segments'
import { readState as readCompactState, stateFiles } from '../../electron/core/sync/state'
import { readState } from '../crash/harness'
import { TAG_VOCABULARY } from '../crash/protocol'
import {
  deriveSeed,
  int,
  makeAbstract,
  makeDump,
  makeNote,
  makeRng,
  makeTitle,
  pick,
  token,
} from '../gen'
import type { Rng } from '../gen'
import { CUT_MODES, RecordingDisk, extremeImagesAt, imageAt, materialize } from './simDisk'
import type { CutMode, Image, Logged, Mutation } from './simDisk'

export type StepKind =
  | 'open'
  | 'import'
  | 'import-in-steps'
  | 'note'
  | 'status'
  | 'star'
  | 'tag'
  | 'delete'
  | 'undelete'
  | 'checkpoint'
  | 'snapshot-thread'
  | 'backup'
  | 'restore'
  | 'reopen'
  | 'torn-tail'
  | 'recover-journal'
  | 'backup-memory'
  | 'commit-fails'
  | 'backups-folder'
  | 'move'
  | 'sync'
  | 'close'

/**
 * Calls that leave the files damaged on purpose, a while, and the damage a cut under way may
 * find the library reporting: a restore moves the library aside before its copy is in place; a
 * recovery starts from a damaged journal; a backup from memory from a damaged library file.
 * Any other damage, or this damage at any other moment, is a failure.
 */
const MAY_BE_DAMAGED: Partial<Record<StepKind, RegExp>> = {
  restore: /^the library file .* is missing: a restore from a backup was under way/,
  'recover-journal': /^the change journal .* is damaged at byte \d+ .*can be recovered$/,
  'backup-memory': /^the library file .* is damaged or was changed outside Lectern/,
}

/** Where a call that damages the files comes in the workload (each run passes through each). */
const DAMAGING_EVERY = 30
const DAMAGING_AT: Partial<Record<number, StepKind>> = {
  7: 'torn-tail',
  17: 'recover-journal',
  22: 'commit-fails',
  27: 'backup-memory',
}

/**
 * The settings and moves, at these steps of every run (a run of 60 steps passes each): backups
 * to a folder on another "disk", the library moved while they go there (they stay), backups
 * beside the library again, a backup there and a restore (which the dice alone may not bring
 * in a run), and a second move (the backups beside it go with it).
 */
const PLACES_AT: Partial<
  Record<number, 'backups-elsewhere' | 'move' | 'backups-beside' | 'backup' | 'restore'>
> = {
  4: 'backups-elsewhere',
  12: 'move',
  33: 'backups-beside',
  38: 'backup',
  40: 'restore',
  45: 'move',
}

/**
 * A sync pass every SYNC_EVERY steps (at steps 1, 6, 11…: never a step above), through a folder
 * beside the library that a sync service made long before: this computer's changes since the
 * last pass go to its segments, its marker is written beside the library at its first pass and
 * after each move (a moved library is taken for a copy, and re-keyed), and a compacted state
 * at every pass that sends anything (the segments it covers then removed).
 */
const SYNC_EVERY = 5
const SYNC_AT = 1
const SYNC_OPTIONS = {
  // Small segments: a pass begins several, and closes and removes some.
  segmentBytes: 4096,
  stateEvery: 1,
  // Whatever the last state's age: the workload's clock is behind the files' times.
  stateInterval: Number.NEGATIVE_INFINITY,
}

/** A draw that falls in the range of the call named, among the workload's calls below. */
const DRAWN_FOR = { backup: 0.9, restore: 0.94 }

/** One call of the workload: where its writes start and end in the log, and what it left. */
interface Step {
  kind: StepKind
  start: number
  end: number
  /** The library's state once the call returned (see digest). */
  state: string
  /**
   * What a cut while it is under way may leave besides: a change whose COMMIT failed after its
   * record was flushed comes back whole if the cut falls before the record is taken back.
   */
  orLeaves?: string
  /** The library's sync device once the call returned (null: sync not used yet). */
  device: string | null
  /** Where the library was, if the marker beside it named its device there (pass.ts). */
  marked: string | null
}

/** What a sync pass had in this device's folder when it returned: promised from then on. */
interface Sent {
  device: string
  /** Where in the log it was acknowledged. */
  at: number
  /** Every operation of the device up to this counter, for a device at any point before. */
  upTo: number
  /** The number of the compacted state it left (0: none). */
  state: number
}

interface BackupMade {
  name: string
  /** The folder chosen for it (as recorded), or null: beside the library, moving with it. */
  folder: string | null
  /** Where in the log it was acknowledged (the call that made it returned). */
  at: number
  state: string
}

/** Bytes the library kept aside (a torn journal tail, a damaged journal's copy): never lost. */
interface KeptAside {
  /** Its path from the recording's root (it stays where it was kept when the library moves). */
  name: string
  data: Buffer
  /** Where in the log it was acknowledged. */
  at: number
}

/** A move of the library: from where to where (as recorded), and where in the log it ran. */
interface Moved {
  from: string
  to: string
  start: number
  end: number
}

/** A workload run: its log, its steps, its backups. */
export interface Recording {
  root: string
  path: string
  log: Logged[]
  steps: Step[]
  backups: BackupMade[]
  kept: KeptAside[]
  moves: Moved[]
  /** The sync folder (made before the recording, durably). */
  syncDir: string
  sends: Sent[]
  /** The state of a library with nothing in it (before the first step). */
  empty: string
}

/** A library's state as one string: papers (by id) and deletions still to undo. */
async function digest(lib: Library): Promise<string> {
  const { model } = await readState(lib)
  return JSON.stringify({
    papers: [...model.papers].sort((a, b) => a[0] - b[0]),
    trash: model.trash.map((d) => [...d].sort((a, b) => a[0] - b[0])),
  })
}

/** A journal record's frame (journal.ts): length, its crc32, the payload's crc32, the payload. */
function frame(payload: string): Buffer {
  const data = Buffer.from(payload, 'utf8')
  const out = Buffer.alloc(12 + data.length)
  out.writeUInt32LE(data.length, 0)
  out.writeUInt32LE(crc32(out.subarray(0, 4)), 4)
  out.writeUInt32LE(crc32(data), 8)
  data.copy(out, 12)
  return out
}

/**
 * Writes `data` at the end of `file` through the disk port, with no fsync: what a crash in the
 * middle of a write leaves, or a disk gone bad. The simulated disk sees it like any write.
 */
function appendUnsynced(file: string, data: Buffer): void {
  const d = disk()
  const size = existsSync(file) ? statSync(file).size : 0
  const fd = d.open(file, existsSync(file) ? 'r+' : 'w+', 0o600)
  try {
    d.write(fd, data, 0, data.length, size)
  } finally {
    d.close(fd)
  }
}

function clock(): () => Date {
  let t = Date.parse('2026-11-30T12:00:00.000Z')
  return () => new Date((t += 1000))
}

/** Runs the workload of `steps` calls on a new library in `dir`, recording every write. */
export async function record(dir: string, seed: number, steps: number): Promise<Recording> {
  const root = join(dir, 'recorded')
  mkdirSync(root, { recursive: true })
  const path = join(root, 'library.sqlite')
  /** Where the library is now: `path` until it is moved. */
  let here = path
  const disk = new RecordingDisk()
  const putBack = useDisk(disk)
  const rng = makeRng(seed)
  const now = clock()
  const done: Step[] = []
  const backups: BackupMade[] = []
  const titles: string[] = []
  const kept: KeptAside[] = []
  const moves: Moved[] = []
  const syncDir = join(root, 'sync')
  const sends: Sent[] = []
  const journal = (): string => `${here}.journal`
  let session: LibrarySession | null = null
  const lib = (): Library => session!.get()
  const run = async (kind: StepKind, call: () => unknown): Promise<void> => {
    const start = disk.log.length
    try {
      await call()
    } catch (error) {
      // A refusal (nothing to undo, a paper gone) changes nothing; anything else is a failure.
      if (!(error instanceof LibraryError) || !['conflict', 'not-found'].includes(error.code)) {
        throw error
      }
    }
    // After the close there is no library to read: it holds what it held before.
    if (kind === 'close') {
      done.push({ ...done.at(-1)!, kind, start, end: disk.log.length })
      return
    }
    const device = lib().syncDevice()
    const marker = readMarker(here)
    const marked =
      device !== null &&
      marker?.device === device &&
      marker.host === hostname() &&
      marker.library === here
        ? here
        : null
    done.push({ kind, start, end: disk.log.length, state: await digest(lib()), device, marked })
  }
  const start = async (): Promise<LibrarySession> =>
    LibrarySession.start(here, { owner: 'power-cut workload', now })
  /** The names in the library's folder now. */
  const beside = (): Set<string> => new Set(readdirSync(dirname(here)))
  /** Files kept aside beside the library since `known`, as they are now. */
  const keptSince = (known: Set<string>, prefix: string): KeptAside[] =>
    [...beside()]
      .filter((name) => name.startsWith(prefix) && !known.has(name))
      .map((name) => ({
        name: relative(root, join(dirname(here), name)),
        data: readFileSync(join(dirname(here), name)),
        at: -1,
      }))
  /** Where a backup is: null beside the library (it moves with it), else the folder chosen. */
  const placeOf = (folder: string): string | null =>
    folder === join(dirname(here), 'backups') ? null : folder
  const keepAcknowledged = (found: KeptAside[]): void => {
    for (const k of found) kept.push({ ...k, at: disk.log.length })
  }
  try {
    disk.premade(syncDir)
    await run('open', async () => {
      session = await start()
    })
    const empty = done[0]!.state
    const ids = (): number[] =>
      lib()
        .listPapers({ sort: { field: 'title', direction: 'asc' }, offset: 0, limit: 1e9 })
        .rows.map((r) => r.id)
    const dump = (): string => {
      const count = int(rng, 1, 6)
      const papers = Array.from({ length: count }, () => {
        const title =
          titles.length > 0 && rng() < 0.25 ? pick(rng, titles) : makeTitle(rng, token(rng))
        titles.push(title)
        return { title, abstract: makeAbstract(rng, int(rng, 80, 900)) }
      })
      return makeDump('Aug 19', papers)
    }
    for (let i = 1; i < steps; i += 1) {
      // A pass before the call, besides it: the calls and their draws are those of a workload
      // without sync.
      if (i % SYNC_EVERY === SYNC_AT) {
        await run('sync', () => {
          const { at, folder, sent, applied, devices, problems, rekeyedFrom } = syncOnce(
            lib(),
            syncDir,
            SYNC_OPTIONS,
          )
          // Written down as the app's pass does (api/sync.ts) when it did something.
          if (sent > 0 || applied > 0 || rekeyedFrom !== null) {
            lib().recordSyncPass({ at, folder, sent, applied, devices, problems, rekeyedFrom })
          }
        })
        const device = lib().syncDevice()!
        const upTo = reachedFrom(syncDir, device)(0)
        if (upTo !== lib().syncCursors().own) {
          throw new Error(
            `a pass left device ${device}'s folder holding its operations up to ${upTo}, of ${lib().syncCursors().own}`,
          )
        }
        const state = stateFiles(syncDir, device)[0]?.count ?? 0
        sends.push({ device, at: disk.log.length, upTo, state })
      }
      const papers = ids()
      const place = PLACES_AT[i]
      const drawn = rng()
      const r = place === 'backup' || place === 'restore' ? DRAWN_FOR[place] : drawn
      const some = (): number[] => [
        ...new Set(Array.from({ length: int(rng, 1, 3) }, () => pick(rng, papers))),
      ]
      const damaging = papers.length >= 3 ? DAMAGING_AT[i % DAMAGING_EVERY] : undefined
      if (place === 'backups-elsewhere' || place === 'backups-beside') {
        // Two folders deep on the other "disk": the inner one's entry is flushed by nothing but
        // the setting's own creation of it.
        const folder =
          place === 'backups-elsewhere' ? join(root, 'other-disk', 'lectern-backups') : null
        await run('backups-folder', () => session!.updateSettings({ backupsFolder: folder }))
      } else if (place === 'move') {
        // To a new folder two deep the first time (one deep the next), remembered in the root,
        // which is the app's data folder: its remembered file is what a cut is judged by.
        const folder = join(root, 'disk2', `moved-${i}`)
        const from = here
        await run('move', async () => {
          await session!.moveTo(folder, (from, to) => followMove(from, to, root))
          here = session!.path
        })
        const { start, end } = done.at(-1)!
        moves.push({ from, to: here, start, end })
      } else if (damaging === 'torn-tail') {
        // A crash in the middle of an append: part of a record's frame, then the library
        // opened again, which cuts it off and keeps its bytes aside. Nothing new acknowledged.
        const known = beside()
        const record = frame(
          JSON.stringify({ seq: 0, op: { kind: 'note', text: makeNote(rng, int(rng, 20, 5000)) } }),
        )
        await run('torn-tail', async () => {
          session!.close()
          appendUnsynced(journal(), record.subarray(0, int(rng, 13, record.length - 1)))
          session = await start()
        })
        keepAcknowledged(keptSince(known, 'library.sqlite.journal.torn-'))
      } else if (damaging === 'recover-journal') {
        // A journal damaged in the middle (bad bytes, then a whole record: not a torn tail),
        // recovered as the app offers it: a copy kept aside, the journal cut at the damage.
        // What it acknowledges is what the recovery reports: every change before the damage.
        const known = beside()
        await run('recover-journal', async () => {
          session!.close()
          appendUnsynced(
            journal(),
            Buffer.concat([Buffer.alloc(40, 0xa5), frame('{"seq":0,"op":{"kind":"bad"}}')]),
          )
          session = await start()
          const damaged = await session.status()
          if (damaged.state !== 'damaged' || !damaged.journalRecoverable) {
            throw new Error(`the damaged journal was not reported recoverable (${damaged.state})`)
          }
          const { status } = await session.recover({ action: 'journal' })
          if (status.state !== 'open') throw new Error('the recovered library did not open')
        })
        keepAcknowledged(keptSince(known, 'library.sqlite.journal.damaged-'))
      } else if (damaging === 'commit-fails') {
        // SQLite fails at COMMIT (a disk full, an I/O error; the search index writes there)
        // after the change's record is in the journal: the record is taken back, and the change
        // did not happen. A stand-in for sql.js makes the one COMMIT fail.
        const id = pick(rng, papers)
        const note = makeNote(rng, int(rng, 20, 3000))
        await run('commit-fails', () => {
          const raw = (lib() as unknown as { db: Db }).db.raw
          const run = raw.run.bind(raw)
          raw.run = (sql, params) => {
            if (sql !== 'COMMIT') return run(sql, params)
            raw.run = run
            throw new Error('disk I/O error (a stand-in for a COMMIT that fails)')
          }
          let failed = false
          try {
            lib().setNote(id, note)
          } catch (error) {
            if (!/a stand-in for a COMMIT/.test((error as Error).message)) throw error
            failed = true
          }
          raw.run = run
          if (!failed) throw new Error('the COMMIT that was to fail did not')
        })
        // Its record is flushed before the COMMIT, and taken back after it fails: a cut between
        // the two leaves the change made, whole (as SQLite may keep a transaction whose COMMIT
        // reported an I/O error). Nothing else may come of it.
        const failed = done.at(-1)!
        const { papers: held, trash } = JSON.parse(failed.state) as {
          papers: [number, { note: string }][]
          trash: unknown
        }
        failed.orLeaves = JSON.stringify({
          papers: held.map(([pid, p]) => [
            pid,
            pid === id ? { ...p, note: storableNote(note) } : p,
          ]),
          trash,
        })
      } else if (damaging === 'backup-memory') {
        // The library file damaged on disk while it is open: a backup is then made from the
        // library in memory, and a snapshot puts a sound file back. A change comes between the
        // two, so that the snapshot is not the backup: else a restore of that backup cut short
        // could lose the journal and be taken for the restore landing.
        await run('backup-memory', async () => {
          const junk = Buffer.alloc(64, 0x5a)
          const d = disk
          const fd = d.open(here, 'r+')
          try {
            d.write(fd, junk, 0, junk.length, Math.floor(statSync(here).size / 2))
          } finally {
            d.close(fd)
          }
          const made = await session!.backupNow()
          backups.push({
            name: made.name,
            folder: placeOf(made.folder),
            at: -1,
            state: await digest(lib()),
          })
          lib().setNote(papers[0]!, `after the backup of step ${i}`)
          lib().checkpoint()
        })
        const made = backups.at(-1)
        if (made && made.at === -1) made.at = disk.log.length
      } else if (papers.length < 3 || r < 0.12) {
        await run('import', () => lib().importText(`dump-${i}.txt`, dump()))
      } else if (r < 0.17) {
        await run('import-in-steps', () =>
          lib().importInSteps([{ source: `dump-${i}.txt`, text: dump() }], { step: 2 }),
        )
      } else if (r < 0.4) {
        // Now and then a note of several KiB: a record that spans sectors and pages.
        const length = rng() < 0.2 ? int(rng, 4000, 12000) : int(rng, 0, 600)
        await run('note', () => lib().setNote(pick(rng, papers), makeNote(rng, length)))
      } else if (r < 0.52) {
        await run('status', () => lib().setStatus(pick(rng, papers), pick(rng, STATUSES) as Status))
      } else if (r < 0.58) {
        await run('star', () => lib().updatePapers({ ids: some(), starred: rng() < 0.7 }))
      } else if (r < 0.65) {
        await run('tag', () =>
          lib().updatePapers({ ids: some(), addTags: [pick(rng, TAG_VOCABULARY)] }),
        )
      } else if (r < 0.7) {
        await run('delete', () => lib().deletePapers(some()))
      } else if (r < 0.74) {
        await run('undelete', () => lib().restoreDeleted(null))
      } else if (r < 0.8) {
        await run('checkpoint', () => lib().checkpoint())
      } else if (r < 0.86) {
        // A change or two while the thread writes: the journal's new file must carry them.
        // Each change its own acknowledged call: a cut between them keeps the first.
        const written = lib().snapshotOffThread()
        for (let n = int(rng, 1, 2); n > 0; n -= 1) {
          await run('note', () => lib().setNote(pick(rng, papers), makeNote(rng, int(rng, 0, 300))))
        }
        await run('snapshot-thread', () => written)
      } else if (r < 0.92) {
        await run('backup', async () => {
          const made = await session!.backupNow()
          // Its state is the library's now (a backup holds every change acknowledged before it).
          backups.push({
            name: made.name,
            folder: placeOf(made.folder),
            at: -1,
            state: await digest(lib()),
          })
        })
        const made = backups.at(-1)
        if (made && made.at === -1) made.at = disk.log.length
      } else if (r < 0.96 && backups.length > 0) {
        const from = pick(rng, backups)
        const before = backups.length
        await run('restore', async () => {
          await session!.restore(from.name)
        })
        // The copy of the library made before the restore is a backup like any other.
        const kept = session!
          .listBackups()
          .find((b) => b.kind === 'before-restore' && !backups.some((m) => m.name === b.name))
        if (kept && backups.length === before) {
          backups.push({
            name: kept.name,
            folder: placeOf(kept.folder),
            at: disk.log.length,
            state: done.at(-2)!.state,
          })
        }
      } else {
        await run('reopen', async () => {
          session!.close()
          session = await start()
        })
      }
    }
    await run('close', () => session!.close())
    return { root, path, log: disk.log, steps: done, backups, kept, moves, syncDir, sends, empty }
  } finally {
    putBack()
    if (session) (session as LibrarySession).close()
  }
}

/** What a cut is: where it falls (the last event before it, the call it interrupts). */
export interface CutPoint {
  /** Events of the log that happened before the cut. */
  at: number
  /** The kind of moment: 'mid-append', 'between write and fsync', … */
  moment: string
  /** The call under way, or 'between calls'. */
  during: StepKind | 'between calls'
}

/** The kind of moment the cut at `at` falls in (the last event and the next one). */
function momentOf(log: Logged[], at: number, pathOf: (l: Logged) => string | null): string {
  const last = log[at - 1]?.event
  const next = log[at]?.event
  if (!last) return 'before anything'
  const file = pathOf(log[at - 1]!) ?? ''
  switch (last.kind) {
    case 'write':
      // The write itself may be torn by the cut (see simDisk).
      if (next?.kind === 'write') return 'mid-write'
      return file.endsWith('.journal') && !file.includes('.tmp-')
        ? 'mid-append (written, not yet fsynced)'
        : 'between write and fsync'
    case 'fsync':
      return next?.kind === 'close' || next?.kind === 'rename'
        ? 'between fsync and rename'
        : `after fsync (${last.point})`
    case 'rename':
      return 'between rename and folder fsync'
    case 'fsyncDirectory':
      return `after folder fsync (${last.point})`
    case 'open':
      return 'after create or open'
    case 'truncate':
      return 'between truncate and fsync'
    case 'unlink':
      return 'after unlink'
    case 'mkdir':
      return 'after mkdir'
    case 'close':
      return 'after close'
  }
}

/** Every point of the log a cut may fall at, each with its kind. */
export function cutPoints(rec: Recording): CutPoint[] {
  // The file each descriptor writes, to tell the journal from the rest.
  const paths = new Map<string, string>()
  const pathOf = ({ source, event }: Logged): string | null =>
    'fd' in event ? (paths.get(`${source}:${event.fd}`) ?? null) : null
  const points: CutPoint[] = []
  let step = 0
  for (let at = 1; at <= rec.log.length; at += 1) {
    const { source, event } = rec.log[at - 1]!
    if (event.kind === 'open') paths.set(`${source}:${event.fd}`, event.path)
    while (step < rec.steps.length && rec.steps[step]!.end < at) step += 1
    const current = rec.steps[step]
    const during =
      current && current.start < at && at < current.end ? current.kind : 'between calls'
    points.push({ at, moment: momentOf(rec.log, at, pathOf), during })
  }
  return points
}

/** The states a library may be in after a cut at `at`, and the backups it must have. */
function expected(
  rec: Recording,
  at: number,
): {
  states: string[]
  inFlight: StepKind | null
  backups: BackupMade[]
  /** The last call acknowledged before the cut, and the one under way. */
  calls: { acked: Step | null; inFlight: Step | null }
} {
  let acked = rec.empty
  let ackedStep: Step | null = null
  let inFlight: Step | null = null
  for (const step of rec.steps) {
    if (step.end <= at) {
      acked = step.state
      ackedStep = step
    } else {
      if (step.start < at) inFlight = step
      break
    }
  }
  return {
    states: inFlight
      ? [acked, inFlight.state, ...(inFlight.orLeaves ? [inFlight.orLeaves] : [])]
      : [acked],
    inFlight: inFlight?.kind ?? null,
    backups: rec.backups.filter((b) => b.at <= at),
    calls: { acked: ackedStep, inFlight },
  }
}

/**
 * How far another device that has applied `device`'s operations up to `from` gets in them from
 * the sync folder `dir`, as a pass reads it (pass.ts readPeer, state.ts startingStates): the
 * operations its segments hold, one after another, and where the next is not held but a later
 * one is, the device's newest whole compacted state that covers more (and no more than its
 * segments hold), then the operations after it.
 */
export function reachedFrom(dir: string, device: string): (from: number) => number {
  const held = new Set<number>()
  for (const file of segmentFiles(dir, device).files) {
    for (const op of readSegment(file, device).ops) held.add(op.counter)
  }
  const highest = Math.max(0, ...held)
  // The newest whole state that claims no more than the segments hold (newestUsable).
  let covers = 0
  for (const { file } of stateFiles(dir, device)) {
    const state = readCompactState(file, device)
    if ('problem' in state || (state.covers[device] ?? 0) > highest) continue
    covers = state.covers[device] ?? 0
    break
  }
  return (from) => {
    let at = from
    for (;;) {
      while (held.has(at + 1)) at += 1
      if (highest <= at || covers <= at) return at
      at = covers
    }
  }
}

/**
 * What the sync folder and the marker beside the library promise after a cut at `at`, or the
 * first promise broken. The library in the image is at `path`, with sync device `device`.
 *
 * - Every operation a pass reported sent (Sent.upTo) reaches every other device, wherever it
 *   stands in them (reachedFrom): an append lands whole after the ones before it, in a segment
 *   whose entry is in its folder, and no segment goes before a state that covers it is there.
 * - A compacted state a pass left is there, or a newer one; and the newest state of every
 *   device is whole (old or new, never one cut short).
 * - A library under a device that a pass made for it here (a new one, or one a copy was
 *   re-keyed to) has the marker beside it naming that device: it is not taken for a copy and
 *   re-keyed again. The one exception is the pass under way re-keying the library from that
 *   device (a copy already): its marker may name the device it goes to.
 */
function syncProblem(
  rec: Recording,
  at: number,
  inImage: (recorded: string) => string,
  path: string,
  device: string | null,
  calls: { acked: Step | null; inFlight: Step | null },
): string | null {
  const dir = inImage(rec.syncDir)
  const promised = new Map<string, Sent>()
  for (const sent of rec.sends.filter((s) => s.at <= at)) promised.set(sent.device, sent)
  for (const [of, sent] of promised) {
    const reach = reachedFrom(dir, of)
    for (let from = 0; from < sent.upTo; from += 1) {
      const reached = reach(from)
      if (reached < sent.upTo) {
        return `a device that had device ${of}'s operations up to ${from} gets them from the sync folder only up to ${reached}, where a pass reported them sent up to ${sent.upTo}`
      }
    }
    const newest = stateFiles(dir, of)[0]?.count ?? 0
    if (newest < sent.state) {
      return `device ${of}'s newest compacted state covers ${newest} operations, where a pass left one that covers ${sent.state}`
    }
  }
  const devices = existsSync(devicesFolder(dir)) ? readdirSync(devicesFolder(dir)) : []
  for (const of of devices.filter((name) => DEVICE_ID.test(name))) {
    const newest = stateFiles(dir, of)[0]
    if (!newest) continue
    const state = readCompactState(newest.file, of)
    if ('problem' in state) return `device ${of}'s newest compacted state: ${state.problem}`
  }
  if (device === null) return null
  const { acked, inFlight } = calls
  if (acked?.device !== device && inFlight?.device !== device) {
    return `the library's sync device ${device} is neither the one acknowledged (${acked?.device ?? 'none'}) nor the one the call under way leaves (${inFlight?.device ?? 'none'})`
  }
  const vouched = [acked, inFlight].some(
    (s) => s?.device === device && s.marked !== null && inImage(s.marked) === path,
  )
  const leaving = inFlight?.kind === 'sync' && inFlight.device !== device
  if (!vouched || leaving) return null
  const marker = readMarker(path)
  if (marker?.device === device && marker.host === hostname() && inImage(marker.library) === path) {
    return null
  }
  return `the marker beside the library (${basename(path)}.sync-device) does not name its sync device ${device} here (it holds ${JSON.stringify(marker)}): the next pass would take it for a copy`
}

export type Verdict =
  | {
      ok: true
      outcome: 'acknowledged' | 'in-flight landed' | `damaged mid-${StepKind}`
      acked: number
    }
  | { ok: false; problem: string }

/** Cuts power at `point` on `mode`, opens what is left, and judges it. */
export async function checkCut(
  rec: Recording,
  point: CutPoint,
  mode: CutMode,
  seed: number,
  dir: string,
  mutation: Mutation = {},
): Promise<Verdict> {
  const image = imageAt(rec.root, rec.log, point.at, mode, makeRng(seed), mutation)
  return checkImage(rec, point, image, `on the ${mode} disk, seed ${seed}`, dir, mutation)
}

/** Opens what a cut at `point` left (`image`, described by `how`) and judges it. */
export async function checkImage(
  rec: Recording,
  point: CutPoint,
  image: Image,
  how: string,
  dir: string,
  mutation: Mutation = {},
): Promise<Verdict> {
  const folder = join(dir, `cut-${point.at}-${how.replace(/[^a-z0-9]+/gi, '-')}`)
  rmSync(folder, { recursive: true, force: true })
  // The locks name this process, which is alive: after a real cut the machine restarts, and a
  // lock from before is stale (lock.ts). The image's locks, if any, are left out for that reason.
  const files = new Map([...image.files].filter(([file]) => !file.endsWith('.sqlite.lock')))
  materialize({ ...image, files }, folder)
  /** Where a path of the recording is in this image. */
  const inImage = (recorded: string): string => join(folder, relative(rec.root, recorded))
  const want = expected(rec, point.at)
  const path = remembered(rec, folder) ?? join(folder, 'library.sqlite')
  // Read before the library is opened (opening may add to it): what a cut left of the list.
  const noted = notedFolders(path)
  const where = `cut after event ${point.at} of ${rec.log.length} (${point.moment}, during ${point.during}) ${how}${mutation.drop ? `, without ${mutation.drop}` : ''}${mutation.late ? `, ${mutation.late.point} after ${mutation.late.until}` : ''}`
  try {
    let session: LibrarySession
    try {
      session = await LibrarySession.start(path, { owner: 'power-cut check', now: clock() })
    } catch (error) {
      return {
        ok: false,
        problem: `${where}: the library did not open: ${(error as Error).message}`,
      }
    }
    try {
      // What lies beside the library first: a cut that leaves the library damaged must not
      // take a backup or a file kept aside with it.
      for (const k of rec.kept.filter((k) => k.at <= point.at)) {
        const file = join(folder, k.name)
        if (!existsSync(file))
          return { ok: false, problem: `${where}: ${k.name}, kept aside, is gone` }
        if (!readFileSync(file).equals(k.data)) {
          return {
            ok: false,
            problem: `${where}: ${k.name}, kept aside, does not hold what it held`,
          }
        }
      }
      for (const backup of want.backups) {
        const file =
          backup.folder === null
            ? join(dirname(path), 'backups', backup.name)
            : join(inImage(backup.folder), backup.name)
        const problem = await checkBackup(file, backup.state)
        if (problem) return { ok: false, problem: `${where}: backup ${backup.name} ${problem}` }
      }
      // Where the library was moved from: once the move is done, or its library file is gone
      // there, a note says where it went, and no library opens there (nor an empty one starts).
      for (const move of rec.moves.filter((m) => m.start < point.at)) {
        const old = inImage(move.from)
        if (move.end > point.at && existsSync(old)) continue
        const problem = await checkMovedFrom(old, move.to)
        if (problem) return { ok: false, problem: `${where}: ${problem}` }
      }
      const status = await session.status()
      if (status.state === 'damaged') {
        const expected = want.inFlight ? MAY_BE_DAMAGED[want.inFlight] : undefined
        if (expected?.test(status.message))
          return { ok: true, outcome: `damaged mid-${want.inFlight!}`, acked: 0 }
        return { ok: false, problem: `${where}: the library is damaged: ${status.message}` }
      }
      const state = await digest(session.get())
      const found = want.states.indexOf(state)
      if (found < 0) {
        return {
          ok: false,
          problem: `${where}: the library holds neither the acknowledged state nor the one the call under way (${want.inFlight ?? 'none'}) would leave\n  found    ${state.slice(0, 600)}\n  expected ${want.states[0]!.slice(0, 600)}`,
        }
      }
      // The folder chosen for backups is there, and the list beside the library names it (a
      // damaged library finds its backups by that list alone).
      const chosen = session.get().settings().backupsFolder
      if (chosen !== null) {
        if (!existsSync(inImage(chosen))) {
          return { ok: false, problem: `${where}: the backups folder ${chosen} is gone` }
        }
        if (!noted.includes(chosen)) {
          return {
            ok: false,
            problem: `${where}: ${backupFoldersPath(path)} does not name the backups folder ${chosen} (it names ${JSON.stringify(noted)})`,
          }
        }
      }
      const sync = syncProblem(rec, point.at, inImage, path, session.get().syncDevice(), want.calls)
      if (sync !== null) return { ok: false, problem: `${where}: ${sync}` }
      const acked = rec.steps.filter((s) => s.end <= point.at).length
      return { ok: true, outcome: found === 0 ? 'acknowledged' : 'in-flight landed', acked }
    } finally {
      session.close()
    }
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
}

/**
 * The library the app would open in this image: the one its remembered file names (relocated
 * into the image), or null when there is none or it says nothing usable (as paths.ts reads it).
 */
function remembered(rec: Recording, folder: string): string | null {
  try {
    const { library } = JSON.parse(readFileSync(join(folder, CHOSEN_LIBRARY_FILE), 'utf8')) as {
      library?: unknown
    }
    return typeof library === 'string' && isAbsolute(library)
      ? join(folder, relative(rec.root, library))
      : null
  } catch {
    return null
  }
}

/** The place a library moved from refuses to open, naming where it went; or what is wrong. */
async function checkMovedFrom(old: string, to: string): Promise<string | null> {
  try {
    const session = await LibrarySession.start(old, { owner: 'a script naming the old place' })
    session.close()
    return `a library opened at ${old}, where the library was moved from`
  } catch (error) {
    const message = (error as Error).message
    return message.includes(`was moved to ${to} on `)
      ? null
      : `${old}, where the library was moved from, is refused without saying where it went: ${message}`
  }
}

/** Backups found whole, by backupKey: the same bytes hold the same, in any image. */
const soundBackups = new Set<string>()

/** A hash of a backup's bytes and those of the files beside it it may be read with, or null. */
function backupKey(file: string, state: string): string | null {
  try {
    const hash = createHash('sha1').update(state)
    const name = basename(file)
    const beside = readdirSync(dirname(file)).filter((n) => n === name || n.startsWith(`${name}.`))
    for (const n of beside.sort())
      hash.update(`${n}\0`).update(readFileSync(join(dirname(file), n)))
    return hash.digest('hex')
  } catch {
    return null
  }
}

async function checkBackup(file: string, state: string): Promise<string | null> {
  const key = backupKey(file, state)
  if (key !== null && soundBackups.has(key)) return null
  const problem = await openBackup(file, state)
  if (problem === null && key !== null) soundBackups.add(key)
  return problem
}

async function openBackup(file: string, state: string): Promise<string | null> {
  let session: LibrarySession
  try {
    session = await LibrarySession.openReadOnly(file)
  } catch (error) {
    return `is gone or cannot be opened (${(error as Error).message})`
  }
  try {
    const status = await session.status()
    if (status.state === 'damaged') return `is damaged: ${status.message}`
    return (await digest(session.get())) === state
      ? null
      : 'does not hold what it held when it was made'
  } catch (error) {
    return `is gone or cannot be opened (${(error as Error).message})`
  } finally {
    session.close()
  }
}

/**
 * Up to `count` cut points, spread over every kind of moment and every call: round robin over
 * the (moment, call) pairs, each pair's points taken evenly across the log.
 */
export function chooseCuts(points: CutPoint[], count: number, rng: Rng): CutPoint[] {
  const groups = new Map<string, CutPoint[]>()
  for (const p of points) {
    const key = `${p.moment}|${p.during}`
    const group = groups.get(key) ?? []
    group.push(p)
    groups.set(key, group)
  }
  for (const group of groups.values()) {
    for (let i = group.length - 1; i > 0; i -= 1) {
      const j = Math.floor(rng() * (i + 1))
      ;[group[i], group[j]] = [group[j]!, group[i]!]
    }
  }
  const chosen: CutPoint[] = []
  const lists = [...groups.values()]
  for (let round = 0; chosen.length < count && lists.some((l) => l.length > round); round += 1) {
    for (const list of lists) {
      if (chosen.length >= count) break
      if (round < list.length) chosen.push(list[round]!)
    }
  }
  return chosen
}

export interface PowerCutSummary {
  cuts: number
  byMoment: Record<string, number>
  byCall: Record<string, number>
  byMode: Record<CutMode, number>
  outcomes: Record<string, number>
  /** Acknowledged changes checked: for each cut, the calls acknowledged before it. */
  ackedChecked: number
  failures: string[]
  steps: number
  events: number
  backups: number
}

export interface PowerCutOptions {
  dir: string
  seed: number
  /** Calls in each workload run. */
  steps: number
  /** Cuts in all. */
  cuts: number
  /** Cuts per workload run (a new run, with a new seed, after each that many). */
  cutsPerRun?: number
  onProgress?: (summary: PowerCutSummary) => void
}

/** Records workloads and cuts power in them until `cuts` cuts are checked. */
export async function runPowerCuts(options: PowerCutOptions): Promise<PowerCutSummary> {
  const summary: PowerCutSummary = {
    cuts: 0,
    byMoment: {},
    byCall: {},
    byMode: { strict: 0, ordered: 0, prefix: 0 },
    outcomes: {},
    ackedChecked: 0,
    failures: [],
    steps: 0,
    events: 0,
    backups: 0,
  }
  const perRun = options.cutsPerRun ?? 300
  for (let run = 0; summary.cuts < options.cuts; run += 1) {
    const seed = deriveSeed(options.seed, run)
    const rec = await record(join(options.dir, `run-${run}`), seed, options.steps)
    summary.steps += rec.steps.length
    summary.events += rec.log.length
    summary.backups += rec.backups.length
    const rng = makeRng(seed)
    const cuts = chooseCuts(cutPoints(rec), Math.min(perRun, options.cuts - summary.cuts), rng)
    for (const [i, point] of cuts.entries()) {
      const mode = CUT_MODES[(i + run) % CUT_MODES.length]!
      const verdict = await checkCut(rec, point, mode, deriveSeed(seed, i), options.dir)
      summary.cuts += 1
      summary.byMode[mode] += 1
      summary.byMoment[point.moment] = (summary.byMoment[point.moment] ?? 0) + 1
      summary.byCall[point.during] = (summary.byCall[point.during] ?? 0) + 1
      if (verdict.ok) {
        summary.outcomes[verdict.outcome] = (summary.outcomes[verdict.outcome] ?? 0) + 1
        summary.ackedChecked += verdict.acked
      } else {
        summary.failures.push(verdict.problem)
      }
    }
    rmSync(rec.root, { recursive: true, force: true })
    options.onProgress?.(summary)
  }
  return summary
}

/** The durability points a recording passes through (each fsync and folder fsync it made). */
export function pointsIn(rec: Recording): DurabilityPoint[] {
  const points = new Set<DurabilityPoint>()
  for (const { event } of rec.log) {
    if (event.kind === 'fsync' || event.kind === 'fsyncDirectory') points.add(event.point)
  }
  return [...points].sort()
}

/** The numbers from `first` to `last`. */
function range(first: number, last: number): number[] {
  return Array.from({ length: Math.max(0, last - first + 1) }, (_, k) => first + k)
}

/** The images (cut and imageKey) of a recording found sound so far, by any findLoss. */
const sound = new WeakMap<Recording, Set<string>>()

function passedImages(rec: Recording): Set<string> {
  const known = sound.get(rec) ?? new Set<string>()
  sound.set(rec, known)
  return known
}

/** What an image holds, as a key: its folders, and each file's name and a hash of its bytes. */
function imageKey(image: Image): string {
  const hash = createHash('sha1')
  for (const dir of [...image.dirs].sort()) hash.update(`d ${dir}\0`)
  for (const [path, data] of [...image.files].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    hash.update(`f ${path} ${data.length}\0`).update(data)
  }
  return hash.digest('hex')
}

/**
 * Looks for a cut that the mutation makes lose or damage something, without luck: after each
 * place the mutated point was passed, a cut at every moment up to the end of the call after the
 * one that passed it (the moments just after it and from the call's end on first, then the
 * rest), each leaving every one of the strict disk's extreme images (simDisk's
 * extremeImagesAt: nothing unsynced landed, or everything, and from each one folder change or
 * one file's data the other way). The first problem found (the mutation is caught) with the
 * images opened, or null once all were (it survived). Throws if the cut that catches it fails
 * without the mutation too.
 */
export async function findLoss(
  rec: Recording,
  mutation: Mutation,
  dir: string,
): Promise<{ problem: string; tried: number } | null> {
  const point = mutation.drop ?? mutation.late?.point
  const points = cutPoints(rec)
  const seen = new Set<number>()
  const passed = passedImages(rec)
  let tried = 0
  for (const [i, { event }] of rec.log.entries()) {
    if (!(event.kind === 'fsync' || event.kind === 'fsyncDirectory') || event.point !== point) {
      continue
    }
    const call = rec.steps.findIndex((s) => s.start <= i && i < s.end)
    const end = Math.min(rec.log.length, rec.steps[call]?.end ?? i + 1)
    // Through the next call too: a flush's absence may show only when it writes (a journal
    // renamed unflushed loses the change appended to it next, which a sync pass may put off).
    const next = call < 0 ? undefined : rec.steps[call + 1]
    const until = Math.min(rec.log.length, Math.max(end + 12, next?.end ?? 0))
    // Where losses show: just after the point, and from the call's end on, where what it
    // acknowledged is judged; then the rest of a long call (a move, a backup then a snapshot),
    // whose every cut leaves many images.
    const soon = Math.min(i + 12, end - 1)
    const cuts = [...range(i + 1, soon), ...range(end, until), ...range(soon + 1, end - 1)]
    for (const at of cuts) {
      if (seen.has(at)) continue
      seen.add(at)
      // Images alike (a change that lands or not where it makes no difference) are opened once.
      const opened = new Set<string>()
      for (const { name, image } of extremeImagesAt(rec.root, rec.log, at, mutation)) {
        const key = imageKey(image)
        if (opened.has(key)) continue
        opened.add(key)
        tried += 1
        // An image another mutation left at the same cut, judged already (the mutation does
        // not enter the judgement, only its message).
        if (passed.has(`${at} ${key}`)) continue
        const verdict = await checkImage(rec, points[at - 1]!, image, name, dir, mutation)
        if (verdict.ok) passed.add(`${at} ${key}`)
        else {
          // Caught only if the same cut, the same image, passes with the fsync in place: else
          // the harness itself fails there, and every mutation would seem caught.
          const unmutated = extremeImagesAt(rec.root, rec.log, at).find((i) => i.name === name)
          if (unmutated) {
            const baseline = await checkImage(rec, points[at - 1]!, unmutated.image, name, dir)
            if (!baseline.ok) throw new Error(`without any mutation, ${baseline.problem}`)
          }
          return { problem: verdict.problem, tried }
        }
      }
    }
  }
  return null
}

/**
 * Durability points the workload passes through whose flush a later one always makes: taking
 * one away loses nothing, so the mutation check cannot catch it. Each is kept so that its
 * function is durable on its own, whatever follows it; the reason it is covered is given.
 */
export const COVERED: Partial<Record<DurabilityPoint, string>> = {
  'aside.dir':
    "a restore flushes the folder again at once (the checksum file's rename); a recovery's new library does",
  'journal.open':
    "the journal's next fsync (an append, a reset) flushes the cut; until then a cut leaves the torn tail, which the next open drops and keeps aside again",
  'checksum.dir':
    "the checksum file it replaces vouches for the same snapshot (it names the old and the new); where it replaces none (a first snapshot, at open, after a restore) a missing one costs only SQLite's check at the next open, and the next folder flush (restore.install.dir, journal.create.dir) follows",
  'restore.dir': "the library's move aside, next, flushes the same folder",
  'restore.install.dir':
    "the restored library's new journal, created as the session reopens it, flushes the same folder",
}

/** Each fsync taken away (and each snapshot renamed before it is flushed), the first loss it makes. */
export interface MutationReport {
  caught: { mutation: string; tried: number; problem: string }[]
  /** Mutations no cut showed a loss for: each a fsync the tests would not miss. */
  survivors: string[]
}

/**
 * The mutation check over a recording: every durability point it passes through but the
 * COVERED ones taken away in turn, and the snapshots renamed before their bytes are flushed;
 * findLoss must find a loss for each.
 */
export async function mutationCheck(rec: Recording, dir: string): Promise<MutationReport> {
  const mutations: Mutation[] = [
    ...pointsIn(rec)
      .filter((p) => !(p in COVERED))
      .map((drop) => ({ drop })),
    { late: { point: 'snapshot.fsync', until: 'snapshot.dir' } },
    { late: { point: 'snapshot-thread.fsync', until: 'snapshot-thread.dir' } },
  ]
  const report: MutationReport = { caught: [], survivors: [] }
  for (const mutation of mutations) {
    const name = mutation.drop ? `without ${mutation.drop}` : `${mutation.late!.point} late`
    const found = await findLoss(rec, mutation, dir)
    if (found) report.caught.push({ mutation: name, ...found })
    else report.survivors.push(name)
  }
  return report
}
