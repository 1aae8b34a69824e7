// The library as a whole: whether it opened, where it lives and what it holds, its settings, and
// the ways out when its files are damaged.
import { existsSync, statSync } from 'node:fs'
import { resolve } from 'node:path'
import type { LibraryInfo } from '../../../shared/domain'
import { backupFolders } from '../safety/backups'
import type { LibrarySession } from '../safety/session'
import { libraryFiles } from '../store/location'
import { readOnlyFile } from './access'
import { localFile } from './context'
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
  const settings = library.settings()
  // The folder in use, then the others listed that are there (a disk not connected is not).
  const [folder, ...others] = backupFolders(session.path, settings.backupsFolder)
  const otherFolders = others.filter((f) => existsSync(f))
  return {
    path: session.path,
    bytes: bytesOnDisk(session.path),
    papers: library.stats().total,
    writable: !session.readOnly,
    readOnlyFile: readOnlyFile(session.path),
    backups: {
      folder: folder!,
      isDefault: settings.backupsFolder === null,
      otherFolders,
      every: settings.backupEvery,
      autoKept: settings.backupsKept,
      last: backups[0] ?? null,
      lastAuto: backups.find((b) => b.kind === 'auto' && b.libraryId === library.id) ?? null,
    },
  }
}

export const libraryHandlers: Handlers<
  'libraryStatus' | 'libraryInfo' | 'recover' | 'getSettings' | 'updateSettings' | 'moveLibrary'
> = {
  libraryStatus: ({ session }) => session.status(),
  libraryInfo: ({ session }) => libraryInfo(session),
  getSettings: ({ session }) => session.get().settings(),
  // A backups folder is a path: only from a host where the user typed or picked it.
  updateSettings: (ctx, r) =>
    ctx.session.updateSettings({
      ...r,
      backupsFolder:
        typeof r.backupsFolder === 'string'
          ? resolve(localFile(ctx, r.backupsFolder))
          : r.backupsFolder,
    }),
  // The library leaves this place: an import under way is cancelled (taken back) first.
  moveLibrary: async (ctx, r) => {
    const folder = resolve(localFile(ctx, r.folder))
    await cancelJobs(ctx.session)
    return ctx.session.moveTo(folder, ctx.libraryMoved)
  },
  // An import under way is cancelled (taken back) before the library is replaced.
  recover: async ({ session }, r) => {
    await cancelJobs(session)
    return session.recover(r)
  },
}
