// The library the desktop app (and the command line, by default) opens next: remembered in the
// app's data folder as chosen-library.json, read by paths.ts (chosenLibrary). It is written
// through the disk port, whole, flushed, and its folder flushed too: moving a library removes
// the old files only once this names the new place, so a power cut must never bring the old name
// back (the app would then find no library there and start an empty one).
import { join, resolve } from 'node:path'
import { CHOSEN_LIBRARY_FILE, LIBRARY_FILE, chosenLibrary, userDataDir } from '../paths'
import { disk } from '../store/disk'
import { writeFileAtomic } from '../store/files'
import { realPath } from '../store/location'

/** Remembers `path` as the library to open next. */
export function rememberLibrary(path: string, dataDir = userDataDir()): void {
  // Recorded, not flushed: whenever a move remembers, the folder is there already (it holds
  // the file naming the library moved, or the default library itself), and the desktop app's
  // data folder is made by Electron before anything is remembered.
  disk().mkdir(dataDir)
  const file = join(dataDir, CHOSEN_LIBRARY_FILE)
  writeFileAtomic(file, `${JSON.stringify({ library: resolve(path) })}\n`, 'remember')
}

/**
 * After a library moved from `from` to `to`: when it was the one opened by default (the one
 * remembered, or with none remembered the default library in the data folder), remembers `to`
 * and answers true. Another library remembered is left as it is.
 */
export function followMove(from: string, to: string, dataDir = userDataDir()): boolean {
  const byDefault = chosenLibrary(dataDir) ?? join(dataDir, LIBRARY_FILE)
  if (realPath(byDefault) !== realPath(from)) return false
  rememberLibrary(to, dataDir)
  return true
}
