// Which file a library is, and whether Lectern may use it, decided once at open before anything
// is read or written. Every file of a library (journal, checksum, lock, temporaries, backups) is
// found beside the library file's real path: beside a symbolic link instead, the snapshot's
// rename would replace the link with a file and split the library in two.
import { lstatSync, readFileSync, readlinkSync, realpathSync, statSync } from 'node:fs'
import type { Stats } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { LibraryError } from '../errors'
import { LIBRARY_FILE } from '../paths'
import { checksumPath, isReadOnly, kindOf } from './files'
import { lockPath } from './lock'

/** The library file and the files beside it that hold its data, with the words that name them. */
/** The copy a restore puts in place; there while one is under way (see installBackup). */
export function restoringPath(path: string): string {
  return `${path}.restoring`
}

export function libraryFiles(path: string): { file: string; label: string }[] {
  return [
    { file: path, label: 'the library file' },
    { file: `${path}.journal`, label: "the library's journal" },
    { file: checksumPath(path), label: "the library's checksum file" },
  ]
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path)
  } catch {
    return null
  }
}

/**
 * Refuses a file that is there but is not a regular file (a library's own, or a backup's):
 * reading a device or a pipe may never end, and renaming one, or over one, moves the node.
 */
export function ensureRegular(
  file: string,
  label: string,
  advice = 'move it away and open the library again',
): void {
  const stats = statOrNull(file)
  const kind = stats && kindOf(stats)
  if (kind) {
    throw new LibraryError(
      'library-error',
      `${label} ${file} is ${kind}, not a regular file; ${advice}`,
    )
  }
}

/** The real path of a folder: that of its nearest ancestor that exists, and the rest as named. */
function realFolder(dir: string): string {
  try {
    return realpathSync(dir)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return dir
    const parent = dirname(dir)
    return parent === dir ? dir : join(realFolder(parent), basename(dir))
  }
}

/**
 * A path with its links followed: the real file where it exists, else the name in its folder's
 * real path.
 */
export function realPath(path: string): string {
  const absolute = resolve(path)
  if (statOrNull(absolute)) return realpathSync(absolute)
  return join(realFolder(dirname(absolute)), basename(absolute))
}

/**
 * The note a move leaves where the library was (safety/move.ts writes it): a text file saying
 * where it went and when.
 */
export function movedNotePath(path: string): string {
  return `${path}.moved`
}

/** The note's text: for people first, with a line `to:` and a line `when:` Lectern reads back. */
export function movedNoteText(from: string, to: string, when: Date): string {
  return [
    `Lectern moved the library that was here (${basename(from)}) to another folder.`,
    '',
    `from: ${from}`,
    `to: ${to}`,
    `when: ${when.toISOString()}`,
    '',
    'Open it there: the app, and lectern without --library, open it there by themselves when it',
    `was theirs; a script names it with --library ${to}.`,
    'While this note is here, Lectern opens no library at the old place, and starts no new one',
    'there. To start a new library at the old place, remove this note.',
    '',
  ].join('\n')
}

/**
 * Refuses the library at `real` (named `named`) when a move left a note there: a script that
 * still names the old place must not start a new, empty library there (nor open files left or
 * copied back there), and is told where the library went.
 */
function refuseMoved(real: string, named: string): void {
  const note = movedNotePath(real)
  let stats: Stats | null = null
  try {
    stats = lstatSync(note)
  } catch {
    return
  }
  let text = ''
  try {
    // Only a regular file is read (a pipe would never end); what is there is refused anyway.
    if (stats.isFile()) text = readFileSync(note, 'utf8')
  } catch {
    text = ''
  }
  // A note opened in an editor and saved may have come back with Windows line ends.
  const to = /^to: (.+?)\r?$/m.exec(text)?.[1]
  const when = /^when: (.+?)\r?$/m.exec(text)?.[1]
  if (to === undefined) {
    throw new LibraryError(
      'library-error',
      `the library ${named} was moved to another folder: ${note} says so, but cannot be read; open the library at its new place, or remove ${note} to start a new library there`,
    )
  }
  throw new LibraryError(
    'library-error',
    `the library ${named} was moved to ${to}${when ? ` on ${when}` : ''} (${note} says so); open it there (--library ${to}), or remove ${note} to start a new library there`,
  )
}

/**
 * The library file `path` names, links followed (see realPath). A link to nothing is refused:
 * its target is most likely on a disk that is not connected, where a new, empty library must
 * not be started (nor the link replaced by one).
 */
export function realLibraryPath(path: string): string {
  const absolute = resolve(path)
  let link: Stats | null = null
  try {
    link = lstatSync(absolute)
  } catch {
    link = null
  }
  if (link?.isSymbolicLink() && !statOrNull(absolute)) {
    const target = resolve(dirname(absolute), readlinkSync(absolute))
    refuseMoved(realPath(target), absolute)
    throw new LibraryError(
      'library-error',
      `the library ${absolute} is a link to ${target}, which does not exist; connect the disk it is on, or remove the link`,
    )
  }
  const real = realPath(absolute)
  refuseMoved(real, real === absolute ? real : `${absolute} (a link to ${real})`)
  return real
}

/**
 * Where the library `path` names really is, once it is known to be usable: it, its journal, its
 * checksum file and its lock are regular files where they exist, and, to write, none of the
 * first three is read-only (by its permission bits, which a user sets to say "do not change
 * this": a write failing is no test, since the rename of a snapshot never needed the file to be
 * writable and nothing stops root). Throws a LibraryError naming the file otherwise.
 */
export function locateLibrary(path: string, access: 'read' | 'write'): string {
  const real = realLibraryPath(path)
  const stats = statOrNull(real)
  const kind = stats && kindOf(stats)
  if (kind) {
    const named = real === resolve(path) ? real : `${resolve(path)} (a link to ${real})`
    throw new LibraryError(
      'library-error',
      stats.isDirectory()
        ? `${named} is a folder, not a library file; name the library file in it (for example ${join(real, LIBRARY_FILE)})`
        : `${named} is ${kind}, not a library file; Lectern reads and writes only regular files`,
    )
  }
  for (const { file, label } of libraryFiles(real).slice(1)) ensureRegular(file, label)
  ensureRegular(lockPath(real), "the library's lock file")
  if (access === 'write') {
    for (const { file, label } of libraryFiles(real)) {
      const found = statOrNull(file)
      if (found && isReadOnly(found)) {
        throw new LibraryError(
          'library-error',
          `${label} ${file} is read-only, so Lectern leaves it as it is: it can still be read (lectern list, show, search, export, stats, backup); to change it, make it writable again`,
        )
      }
    }
  }
  return real
}
