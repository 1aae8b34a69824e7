// Sync through a folder that a sync service keeps in step between computers: a pass now, the
// folder to use, what the last pass found, and a note's conflict version kept or discarded.
import { realpathSync } from 'node:fs'
import { dirname, isAbsolute, relative, resolve } from 'node:path'
import type { SyncPass, SyncStatus } from '../../../shared/domain'
import { LibraryError } from '../errors'
import { backupFolders } from '../safety/backups'
import type { LibrarySession } from '../safety/session'
import type { Library } from '../store/library'
import { syncOnce } from '../sync/pass'
import { localFile } from './context'
import type { Handlers } from './context'

/** The last pass of each open library, also when it moved nothing (not written down then). */
const lastPasses = new WeakMap<Library, SyncPass>()

function status(session: LibrarySession): SyncStatus {
  const library = session.get()
  const last = lastPasses.get(library) ?? library.lastSyncPass()
  return {
    folder: library.syncFolder(),
    device: library.syncDevice(),
    changes: library.syncCursors().own,
    last,
    pending: last ? last.devices.reduce((n, d) => n + d.waiting, 0) : 0,
  }
}

/** A path with its links followed, as far as it exists. */
function realPath(path: string): string {
  try {
    return realpathSync(path)
  } catch {
    return resolve(path)
  }
}

/** Whether `path` is `folder` or inside it. */
function within(path: string, folder: string): boolean {
  const rel = relative(folder, path)
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))
}

/**
 * Refuses a sync folder that holds the library or a folder of its backups (each a whole
 * library): a sync service would copy those SQLite files between computers, the way libraries
 * in cloud folders get corrupted, and a backup would reach every computer.
 */
function refuseSharingTheLibrary(library: Library, folder: string): void {
  const sync = realPath(folder)
  const places: [string, string][] = [
    [dirname(library.path), 'this library'],
    ...backupFolders(library.path, library.settings().backupsFolder).map((f): [string, string] => [
      f,
      'its backups',
    ]),
  ]
  for (const [place, what] of places) {
    if (within(realPath(place), sync)) {
      throw new LibraryError(
        'invalid-request',
        `the sync folder ${folder} holds ${what} (${place}): a sync service would copy the library's own files between computers, which corrupts them; choose a folder of its own, outside it`,
      )
    }
  }
}

/** One pass through `folder`, or the library's sync folder. */
export function syncPass(session: LibrarySession, folder?: string): SyncStatus {
  const library = session.get()
  const dir = folder ?? library.syncFolder()
  if (dir === null) {
    throw new LibraryError(
      'not-found',
      'no sync folder is chosen: choose one in Settings, or give one (lectern sync DIR)',
    )
  }
  refuseSharingTheLibrary(library, dir)
  const report = syncOnce(library, dir)
  const pass: SyncPass = {
    at: report.at,
    folder: report.folder,
    sent: report.sent,
    applied: report.applied,
    devices: report.devices,
    problems: report.problems,
    rekeyedFrom: report.rekeyedFrom,
  }
  lastPasses.set(library, pass)
  // Written down when it did something or found something wrong; a quiet pass (every half
  // minute while the app is open) would only grow the journal.
  const before = library.lastSyncPass()
  if (
    pass.sent > 0 ||
    pass.applied > 0 ||
    pass.rekeyedFrom !== null ||
    JSON.stringify(pass.problems) !== JSON.stringify(before?.problems ?? [])
  ) {
    library.recordSyncPass(pass)
  }
  return status(session)
}

export const syncHandlers: Handlers<
  'syncNow' | 'syncStatus' | 'setSyncFolder' | 'resolveNoteConflict'
> = {
  // A folder is a path: only from a host where the user typed or picked it.
  syncNow: (ctx, r) =>
    syncPass(ctx.session, r.folder === undefined ? undefined : resolve(localFile(ctx, r.folder))),
  syncStatus: ({ session }) => status(session),
  setSyncFolder: (ctx, r) => {
    const folder = r.folder === null ? null : resolve(localFile(ctx, r.folder))
    if (folder !== null) refuseSharingTheLibrary(ctx.session.get(), folder)
    ctx.session.get().setSyncFolder(folder)
    return status(ctx.session)
  },
  resolveNoteConflict: ({ session }, r) =>
    session.get().resolveNoteConflict(r.id, r.version, r.keep),
}

const FIRST_PASS_MS = 5_000
/** How often a long-running host (the app, `lectern serve`) syncs while a sync folder is set. */
export const SYNC_EVERY_MS = 30_000

/**
 * Sync for a long-running host: a pass shortly after start, then every SYNC_EVERY_MS, and one
 * when stopped (before the library closes), whenever the library has a sync folder. The folder
 * is read from the library at each pass, so choosing one from any host takes effect at once.
 * Returns what stops it.
 */
export function scheduleAutoSync(
  session: LibrarySession,
  report: (message: string) => void,
): () => void {
  let lastError = ''
  const pass = (): void => {
    try {
      if (session.readOnly || session.get().syncFolder() === null) return
      syncPass(session)
      lastError = ''
    } catch (error) {
      // Once per kind of failure (a drive not connected stays so for hours).
      const message = (error as Error).message
      if (message !== lastError) report(`sync failed: ${message}`)
      lastError = message
    }
  }
  const first = setTimeout(pass, FIRST_PASS_MS)
  const every = setInterval(pass, SYNC_EVERY_MS)
  first.unref()
  every.unref()
  return () => {
    clearTimeout(first)
    clearInterval(every)
    pass()
  }
}
