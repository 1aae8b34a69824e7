// Moving a library to another folder (Settings' Move…, `lectern move-library`) so that a crash
// or a power cut at any moment leaves at least one whole library, and the library the app opens
// next naming a whole one. LibrarySession.moveTo runs the steps, with the library closed:
//   1. each file (library, journal, checksum file, the list of backup folders, and the backups
//      in `backups` beside it) is copied to a temporary name at the new place, flushed, and read
//      back against what was read; the old files are only read;
//   2. the copies are renamed to their names, the library file last, and their folders flushed;
//   3. the new place is opened read-only: its checksum and journal must give the library as it
//      was closed (the same last change, the same papers);
//   4. the host remembers the new place, durably — from then on the new place is the library;
//   5. a note is left where the library was (`library.sqlite.moved`, durably): it says where
//      the library went and when, and while it is there no library is opened at the old place,
//      nor a new, empty one started there (store/location.ts), for a script that still names it;
//   6. only then are the old files removed, the library file first: what a crash leaves of the
//      old place then reports itself damaged (its journal without it) rather than opening as a
//      stale copy.
// A failure before 4 takes the copies back and leaves the old place as it was. A note left at
// the new place by a move away from it before is removed with the copies' renames (step 2).
//
// Backups in a folder the user chose stay where they are (the setting still names it); files a
// recovery kept aside stay in the old folder (they are never deleted), and so does the inbox,
// which is always the `inbox` folder beside the library.
import {
  closeSync,
  existsSync,
  openSync,
  readFileSync,
  readSync,
  readdirSync,
  statSync,
  statfsSync,
} from 'node:fs'
import type { Stats } from 'node:fs'
import { basename, dirname, isAbsolute, join, relative } from 'node:path'
import { crc32 } from 'node:zlib'
import { formatBytes } from '../../../shared/domain'
import { LibraryError, describeWriteError } from '../errors'
import { disk, mkdirDurable } from '../store/disk'
import {
  keepPermissions,
  kindOf,
  permissionsOf,
  temporaryPath,
  tryWriting,
  writeFileAtomic,
} from '../store/files'
import { Library } from '../store/library'
import { libraryFiles, movedNotePath, movedNoteText, realPath } from '../store/location'
import { lockPath } from '../store/lock'
import { backupFoldersPath, backupsDir, listBackups } from './backups'

/** One file to move: where it is, where it goes, and what it is (for messages). */
export interface MovedFile {
  from: string
  to: string
  label: string
}

export interface MovePlan {
  /** The library file where it is (its real path). */
  from: string
  /** The library file at its new place. */
  to: string
  /** The backups in `backups` beside the library, which move with it. */
  backups: MovedFile[]
  /** The library's own files that exist, the library file last. */
  files: MovedFile[]
  /** What is to be copied, in bytes. */
  bytes: number
  /**
   * The note at the new place when the library goes back where it was moved from once: removed
   * as the copies land, written again if the move is taken back.
   */
  noteThere: string | null
}

const PIECE = 8 * 1024 * 1024

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path)
  } catch {
    return null
  }
}

function inside(folder: string, parent: string): boolean {
  const rel = relative(parent, folder)
  return !rel.startsWith('..') && !isAbsolute(rel)
}

/**
 * The libraries in `folder`, whatever their names: each file there with a checksum file or a
 * journal beside it (a library has them from its first snapshot).
 */
function otherLibraries(folder: string): { file: string; label: string }[] {
  let names: string[]
  try {
    names = readdirSync(folder)
  } catch {
    return []
  }
  const here = new Set(names)
  return names
    .filter((name) => here.has(`${name}.sum`) || here.has(`${name}.journal`))
    .map((name) => ({ file: join(folder, name), label: 'a library' }))
}

/**
 * What moving the library at `from` into `folder` would copy, or a LibraryError that says why it
 * cannot: it is where the library is already, a place that takes in or holds the library's own
 * files (its inbox, a backups folder), not a folder, or a folder that holds a library already
 * (of the same name or another, or backups of the same names). Nothing is written.
 */
export function planMove(
  from: string,
  named: string,
  avoid: { folder: string; what: string }[],
): MovePlan {
  const folder = realPath(named)
  const here = dirname(from)
  if (folder === here) {
    throw new LibraryError(
      'library-error',
      `the library is in ${folder} already; choose another folder`,
    )
  }
  const found = statOrNull(folder)
  if (found && !found.isDirectory()) {
    throw new LibraryError(
      'library-error',
      `${folder} is ${kindOf(found) ?? 'a file'}, not a folder; choose a folder to move the library to`,
    )
  }
  for (const { folder: other, what } of avoid) {
    if (inside(folder, realPath(other))) {
      throw new LibraryError(
        'library-error',
        `${folder} is inside ${what} ${realPath(other)}; choose a folder of its own`,
      )
    }
  }
  const to = join(folder, basename(from))
  const files: MovedFile[] = [
    {
      from: backupFoldersPath(from),
      to: backupFoldersPath(to),
      label: 'the list of backup folders',
    },
    ...libraryFiles(from)
      .slice(1)
      .map(({ file, label }) => ({ from: file, to: `${to}${file.slice(from.length)}`, label })),
    { from, to, label: 'the library file' },
  ].filter((f) => existsSync(f.from))
  const besideDir = backupsDir(from)
  const backups = listBackups(from, [besideDir]).map((b) => ({
    from: join(besideDir, b.name),
    to: join(folder, 'backups', b.name),
    label: `the backup ${b.name}`,
  }))
  const taken = [
    ...[...libraryFiles(to), { file: backupFoldersPath(to), label: 'a list of backup folders' }],
    { file: lockPath(to), label: "a library's lock file" },
    // A library under another name: its backups folder and inbox would be this one's too.
    ...otherLibraries(folder),
  ].find(({ file }) => existsSync(file))
  if (taken) {
    throw new LibraryError(
      'library-error',
      `${folder} holds a library already (${taken.file}); choose another folder. (If a move there was cut short, the library is still whole in ${here}: remove what it left in ${folder} and move it again.)`,
    )
  }
  const clash = backups.find((b) => existsSync(b.to))
  if (clash) {
    throw new LibraryError(
      'library-error',
      `${clash.to} exists already, and the backup of that name would go there; choose another folder`,
    )
  }
  const bytes = [...backups, ...files].reduce((n, f) => n + (statOrNull(f.from)?.size ?? 0), 0)
  let noteThere: string | null = null
  try {
    noteThere = readFileSync(movedNotePath(to), 'utf8')
  } catch {
    noteThere = null
  }
  return { from, to, backups, files, bytes, noteThere }
}

/**
 * Creates the new folder if needed (durably: the copies flush only their own entries), and shows
 * that it can be written and has room for the copy, before the library is closed for the move.
 */
export function prepareTarget(plan: MovePlan): void {
  const folder = dirname(plan.to)
  try {
    mkdirDurable(folder, 'move.mkdir.dir')
    if (plan.backups.length > 0) mkdirDurable(join(folder, 'backups'), 'move.mkdir.dir')
    tryWriting(folder)
  } catch (error) {
    throw new LibraryError(
      'write-failed',
      `${describeWriteError(error, folder)}, so the library cannot be moved there; nothing was moved`,
    )
  }
  let free: number | null = null
  try {
    const fs = statfsSync(folder)
    free = fs.bavail * fs.bsize
  } catch {
    free = null // not told (some network shares): the copy finds out, and takes itself back
  }
  if (free !== null && free < plan.bytes) {
    throw new LibraryError(
      'write-failed',
      `the disk of ${folder} has ${formatBytes(free)} free, and the library and its backups take ${formatBytes(plan.bytes)}; nothing was moved`,
    )
  }
}

/** Lets the host's other work (a window's requests, a timer) run between two pieces of a copy. */
function breathe(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}

/** A file's size and CRC-32, read in pieces. */
async function crcOf(path: string): Promise<{ size: number; crc: number }> {
  const fd = openSync(path, 'r')
  try {
    const buffer = Buffer.allocUnsafe(PIECE)
    let crc = 0
    let size = 0
    for (;;) {
      const n = readSync(fd, buffer, 0, PIECE, size)
      if (n === 0) return { size, crc }
      crc = crc32(buffer.subarray(0, n), crc)
      size += n
      await breathe()
    }
  } finally {
    closeSync(fd)
  }
}

/**
 * Copies `file.from` to its temporary name beside `file.to`, flushes it, and reads it back: it
 * must hold what was read. Answers the temporary file; none is left when it throws.
 */
async function copyToTemporary(file: MovedFile): Promise<string> {
  const d = disk()
  const tmp = temporaryPath(file.to, 'move')
  const input = openSync(file.from, 'r')
  let out: number | null = null
  try {
    out = d.open(tmp, 'w', 0o600)
    keepPermissions(out, permissionsOf(file.from))
    const buffer = Buffer.allocUnsafe(PIECE)
    let crc = 0
    let size = 0
    for (;;) {
      const n = readSync(input, buffer, 0, PIECE, size)
      if (n === 0) break
      for (let written = 0; written < n;) written += d.write(out, buffer, written, n - written)
      crc = crc32(buffer.subarray(0, n), crc)
      size += n
      await breathe()
    }
    d.fsync(out, 'move.fsync')
    d.close(out)
    out = null
    const back = await crcOf(tmp)
    if (back.size !== size || back.crc !== crc) {
      throw new LibraryError(
        'write-failed',
        `the copy of ${file.label} at ${tmp} does not read back as it was written; nothing was moved`,
      )
    }
    return tmp
  } catch (error) {
    if (out !== null) d.close(out)
    d.unlink(tmp)
    if (error instanceof LibraryError) throw error
    throw new LibraryError('write-failed', `${describeWriteError(error, tmp)}; nothing was moved`)
  } finally {
    closeSync(input)
  }
}

/**
 * Steps 1 and 2: every file copied and checked under a temporary name, then all renamed into
 * place (backups first, the library file last) and the folders flushed. Answers the files it
 * made, for `takeBack`; throws having taken them back itself.
 */
export async function copyLibrary(plan: MovePlan): Promise<string[]> {
  const made: string[] = []
  const all = [...plan.backups, ...plan.files]
  try {
    const temporaries: string[] = []
    for (const file of all) {
      temporaries.push(await copyToTemporary(file))
      made.push(temporaries.at(-1)!)
    }
    const d = disk()
    for (const [i, file] of all.entries()) {
      if (existsSync(file.to)) {
        throw new LibraryError(
          'conflict',
          `${file.to} appeared while the library was being moved; nothing was moved`,
        )
      }
      d.rename(temporaries[i]!, file.to)
      made.push(file.to)
      if (i === plan.backups.length - 1) d.fsyncDirectory(dirname(file.to), 'move.dir')
    }
    // Back where it was moved away from once: the note saying so goes, with the same flush (the
    // library, whole there now, would not open beside it).
    if (existsSync(movedNotePath(plan.to))) d.unlink(movedNotePath(plan.to))
    d.fsyncDirectory(dirname(plan.to), 'move.dir')
    return made
  } catch (error) {
    takeBack(plan, made)
    throw error
  }
}

/**
 * Removes the copies a move made (before it was remembered): the old place is the library. A
 * note the new place had (the library was moved away from there once) is put back.
 */
export function takeBack(plan: MovePlan, made: string[]): void {
  for (const file of made) {
    try {
      disk().unlink(file)
    } catch {
      // Left at the new place, which is not in use; the old place is whole.
    }
  }
  if (plan.noteThere !== null && !existsSync(movedNotePath(plan.to))) {
    try {
      writeFileAtomic(movedNotePath(plan.to), plan.noteThere, 'move-note')
    } catch {
      // The library is whole where it is; nothing but the note is missing there.
    }
  }
}

/** Step 3: the new place opens, checks out, and holds the library as it was closed. */
export async function verifyCopy(
  plan: MovePlan,
  expected: { revision: number; papers: number },
): Promise<void> {
  let copy: Library
  try {
    copy = await Library.open(plan.to, { readOnly: true })
  } catch (error) {
    throw new LibraryError(
      'write-failed',
      `the copy at ${plan.to} cannot be opened (${(error as Error).message}); nothing was moved`,
    )
  }
  try {
    const { revision, total } = copy.stats()
    if (revision !== expected.revision || total !== expected.papers) {
      throw new LibraryError(
        'write-failed',
        `the copy at ${plan.to} holds ${total} papers at change ${revision}, the library ${expected.papers} at change ${expected.revision}; nothing was moved`,
      )
    }
  } finally {
    copy.close()
  }
}

/**
 * Step 5: the note where the library was, saying where it went and when, flushed with its
 * folder before any old file goes. Answers whether it was written: without it, the old files
 * are left (a stale copy, whole, rather than nothing there for a new, empty library to start in).
 */
export function leaveNote(plan: MovePlan, when: Date): boolean {
  try {
    writeFileAtomic(movedNotePath(plan.from), movedNoteText(plan.from, plan.to, when), 'move-note')
    return true
  } catch {
    return false
  }
}

/**
 * Step 6: the old files removed, the library file first and its checksum file last, so that
 * what a crash leaves of the old place reports itself damaged (its library file missing) rather
 * than opening as a stale or empty library. Answers the files that could not be removed (the
 * library is whole at its new place; these are only left over). The `backups` folder itself
 * stays, empty or holding what is not Lectern's.
 */
export async function removeOld(plan: MovePlan): Promise<string[]> {
  const sum = libraryFiles(plan.from)[2]!.file
  const order = [
    ...plan.files.filter((f) => f.from !== sum).reverse(),
    ...plan.files.filter((f) => f.from === sum),
    ...plan.backups,
  ]
  const left: string[] = []
  for (const { from } of order) {
    try {
      // Freeing a large file's blocks can take a second: on a thread of the pool.
      await disk().removeInBackground(from)
    } catch {
      left.push(from)
    }
  }
  return left
}
