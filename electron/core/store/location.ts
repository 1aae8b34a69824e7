// Whether a library's files are ones Lectern may use, decided once at open before anything is
// read or written: a device such as /dev/zero never ends when read, opening a pipe waits for a
// writer, and renaming either moves the node itself.
import { statSync } from 'node:fs'
import type { Stats } from 'node:fs'
import { join, resolve } from 'node:path'
import { LibraryError } from '../errors'
import { LIBRARY_FILE } from '../paths'
import { checksumPath, kindOf } from './files'
import { lockPath } from './lock'

/** The library file and the files beside it that hold its data, with the words that name them. */
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

/**
 * The library file `path` names, once it is known to be usable: it, its journal, its checksum
 * file and its lock are regular files where they exist. Throws a LibraryError naming the file
 * otherwise.
 */
export function locateLibrary(path: string): string {
  const real = resolve(path)
  const stats = statOrNull(real)
  const kind = stats && kindOf(stats)
  if (kind) {
    throw new LibraryError(
      'library-error',
      stats.isDirectory()
        ? `${real} is a folder, not a library file; name the library file in it (for example ${join(real, LIBRARY_FILE)})`
        : `${real} is ${kind}, not a library file; Lectern reads and writes only regular files`,
    )
  }
  for (const { file, label } of libraryFiles(real).slice(1)) ensureRegular(file, label)
  ensureRegular(lockPath(real), "the library's lock file")
  return real
}
