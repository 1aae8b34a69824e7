// Whether a library can be changed. A library whose files the user made read-only cannot be
// opened for writing (store/location.ts); the app then offers to open it only to read. Every
// change asked of such a session is refused before its handler runs, in words that say why and
// what to do, rather than with the store's bare "opened read-only".
import { statSync } from 'node:fs'
import type { ApiError } from '../../../shared/api'
import { isReadOnly } from '../store/files'
import { libraryFiles, realLibraryPath } from '../store/location'
import type { LibrarySession } from '../safety/session'

/**
 * The first of the library's own files (the library, its journal, its checksum) that is
 * read-only by its permission bits, or null: also null when there is no library at `path`, or
 * it cannot be found (a link to nothing).
 */
export function readOnlyFile(path: string): string | null {
  let real: string
  try {
    real = realLibraryPath(path)
  } catch {
    return null
  }
  for (const { file } of libraryFiles(real)) {
    try {
      if (isReadOnly(statSync(file))) return file
    } catch {
      // Not there (a library without a journal yet): nothing to refuse.
    }
  }
  return null
}

/** What a change asked of a session opened only to read is told. */
export function readOnlyRefusal(session: LibrarySession): ApiError {
  const file = readOnlyFile(session.path)
  return {
    code: 'read-only',
    message: file
      ? `this library is read-only (${file} cannot be written), so nothing in it can be changed; it can still be read, searched, exported and backed up. To change it, make its files writable and open it again`
      : 'this library was opened only to read it, so nothing in it can be changed',
  }
}
