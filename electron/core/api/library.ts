// The library as a whole: whether it opened, where it lives and what it holds, its settings, and
// the ways out when its files are damaged.
import { statSync } from 'node:fs'
import type { LibraryInfo } from '../../../shared/domain'
import { AUTO_BACKUPS_KEPT, backupsDir } from '../safety/backups'
import type { LibrarySession } from '../safety/session'
import { libraryFiles } from '../store/location'
import { readOnlyFile } from './access'
import type { Handlers } from './context'
import { cancelJobs } from './jobs'

/** The bytes of the files that hold the library's data (a file not there yet counts nothing). */
function bytesOnDisk(path: string): number {
  let bytes = 0
  for (const { file } of libraryFiles(path)) {
    try {
      bytes += statSync(file).size
    } catch {
      // Not written yet.
    }
  }
  return bytes
}

function libraryInfo(session: LibrarySession): LibraryInfo {
  const library = session.get()
  const backups = session.listBackups()
  return {
    path: session.path,
    bytes: bytesOnDisk(session.path),
    papers: library.stats().total,
    writable: !session.readOnly,
    readOnlyFile: readOnlyFile(session.path),
    backups: {
      folder: backupsDir(session.path),
      autoKept: AUTO_BACKUPS_KEPT,
      last: backups[0] ?? null,
      lastAuto: backups.find((b) => b.kind === 'auto' && b.libraryId === library.id) ?? null,
    },
  }
}

export const libraryHandlers: Handlers<
  'libraryStatus' | 'libraryInfo' | 'recover' | 'getSettings' | 'updateSettings'
> = {
  libraryStatus: ({ session }) => session.status(),
  libraryInfo: ({ session }) => libraryInfo(session),
  getSettings: ({ session }) => session.get().settings(),
  updateSettings: ({ session }, r) => session.get().updateSettings(r),
  // An import under way is cancelled (taken back) before the library is replaced.
  recover: async ({ session }, r) => {
    await cancelJobs(session)
    return session.recover(r)
  },
}
