// Backups: whole-library copies, in `backups` beside the library or in a folder the user chose
// (another disk). Automatic ones are made as often as the library's settings say (once a day
// unless changed) and rotated; each new copy is written atomically and opened and checked before
// an older one is deleted, so a bad copy never pushes out a good one.
//
// When the user chooses another folder, the backups already made stay where they are and are
// still listed and restorable: changing the folder copies nothing, so it is instant and cannot
// lose a backup halfway (a copy of gigabytes to a disk that is unplugged meanwhile), and the
// automatic ones left behind are rotated out by the new ones as usual. So that they can be found
// even when the library itself cannot be opened (damaged: the moment a backup matters most), the
// folders ever chosen are also written down beside the library, in `<library>.backup-folders`,
// before the setting that names one is saved: that list is always at least what the setting says.
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path'
import type { BackupInfo, BackupKind, BackupSchedule } from '../../../shared/domain'
import { loadEngine } from '../db/database'
import { LibraryError, describeWriteError } from '../errors'
import { backupInProcess } from '../store/rebuildOffThread'
import { disk, mkdirDurable } from '../store/disk'
import { fileStamp, kindOf, readWhole, tryWriting, writeFileAtomic } from '../store/files'
import type { Library } from '../store/library'
import { realPath } from '../store/location'
import { SnapshotProblem, openSnapshot, paperCount } from '../store/snapshot'

/**
 * The least time between two automatic backups on each schedule. A little less than the period,
 * since they are checked for every CHECK_EVERY_MS (autoBackup.ts): "daily" is never more than a
 * day and a check apart, and the weekly one falls on about the same day of the week even when
 * the app is opened later in the day.
 */
const AUTO_BACKUP_GAP_MS: Record<Exclude<BackupSchedule, 'off'>, number> = {
  hourly: 55 * 60 * 1000,
  daily: 20 * 60 * 60 * 1000,
  weekly: (7 * 24 - 4) * 60 * 60 * 1000,
}
const NAME =
  /^library-(auto|manual|before-restore)-(\d{8}T\d{6}(?:\d{3})?Z)(?:-([a-z0-9]{1,32}))?\.sqlite$/

/** The default backups folder: `backups` beside the library (it moves with the library). */
export function backupsDir(libraryPath: string): string {
  return join(dirname(libraryPath), 'backups')
}

/** The list of the folders chosen for a library's backups, beside it. */
export function backupFoldersPath(libraryPath: string): string {
  return `${libraryPath}.backup-folders`
}

/**
 * The folders the list beside the library names (none when there is no list), or why it cannot
 * be read: it is not a regular file, or does not hold a list of folders.
 */
function readNoted(libraryPath: string): { folders: string[] } | { problem: string } {
  const file = backupFoldersPath(libraryPath)
  try {
    const stats = statSync(file)
    // Only a regular file is read: a pipe there would never end.
    if (!stats.isFile()) return { problem: `it is ${kindOf(stats) ?? 'not a regular file'}` }
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { folders?: unknown } | null
    if (!Array.isArray(parsed?.folders)) return { problem: 'it holds no list of folders' }
    return { folders: parsed.folders.filter((f): f is string => typeof f === 'string') }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return { folders: [] }
    return { problem: code ? `it cannot be opened (${code})` : 'it is damaged' }
  }
}

/** The folders the list beside the library names; none when there is none, or it is unreadable. */
export function notedFolders(libraryPath: string): string[] {
  const read = readNoted(libraryPath)
  return 'folders' in read ? read.folders : []
}

/**
 * Adds `folder` to the list beside the library, durably, unless it is there already. Called
 * before the setting that names it is saved (and when a library is found whose setting names a
 * folder the list lacks), so that the list always names every folder the setting does. A list
 * that is there but cannot be read is not written over: the folders it names, and the backups in
 * them, would no longer be found.
 */
export function noteBackupsFolder(libraryPath: string, folder: string): void {
  const file = backupFoldersPath(libraryPath)
  const read = readNoted(libraryPath)
  if ('problem' in read) {
    throw new LibraryError(
      'write-failed',
      `the list of backup folders ${file} cannot be read: ${read.problem}; written again it would lose the folders it names, and the backups in them: put it right or move it away, then choose the folder again; the backups folder was not changed`,
    )
  }
  const noted = read.folders
  if (noted.includes(folder)) return
  try {
    writeFileAtomic(
      file,
      `${JSON.stringify({ format: 1, folders: [...noted, folder] }, null, 2)}\n`,
      'backup-folders',
      libraryPath,
    )
  } catch (error) {
    throw new LibraryError(
      'write-failed',
      `${describeWriteError(error, file)}; the backups folder was not changed`,
    )
  }
}

/**
 * Where a library's backups are looked for, without duplicates: the folder in use (when known),
 * `backups` beside the library, and every folder chosen before.
 */
export function backupFolders(libraryPath: string, current: string | null = null): string[] {
  const all = [
    current ?? backupsDir(libraryPath),
    backupsDir(libraryPath),
    ...notedFolders(libraryPath),
  ]
  return [...new Set(all.map((f) => resolve(f)))]
}

function parseStamp(s: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})?Z$/.exec(s)
  if (!m) return s
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${m[7] ?? '000'}Z`
}

/** The backups in one folder; none when it is not there (a disk not connected). */
function backupsIn(dir: string): BackupInfo[] {
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return []
  }
  const out: BackupInfo[] = []
  for (const name of names) {
    const m = NAME.exec(name)
    if (!m) continue
    let bytes: number
    try {
      bytes = statSync(join(dir, name)).size
    } catch {
      continue // removed meanwhile
    }
    out.push({
      name,
      folder: dir,
      kind: m[1] as BackupKind,
      createdAt: parseStamp(m[2]!),
      libraryId: m[3] ?? null,
      bytes,
    })
  }
  return out
}

/**
 * Every backup of the library, newest first, from each of `folders` (see backupFolders). A name
 * found in two folders (copied by hand) is listed once, from the first.
 */
export function listBackups(
  libraryPath: string,
  folders = backupFolders(libraryPath),
): BackupInfo[] {
  const seen = new Set<string>()
  const out: BackupInfo[] = []
  for (const folder of folders) {
    for (const backup of backupsIn(folder)) {
      if (seen.has(backup.name)) continue
      seen.add(backup.name)
      out.push(backup)
    }
  }
  return out.sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1))
}

/**
 * Makes `folder` ready to take the library's backups, or says clearly why it cannot: it is
 * created if needed (durably: the backups written there later flush only their own entries),
 * shown to be writable by writing a file there and removing it, and added to the list beside the
 * library. Answers the folder to store, null when it is the default one.
 */
export function prepareBackupsFolder(
  libraryPath: string,
  inboxFolder: string,
  named: string,
): string | null {
  const folder = realPath(named)
  if (folder === realPath(backupsDir(libraryPath))) return null
  let stats = null
  try {
    stats = statSync(folder)
  } catch {
    stats = null
  }
  if (stats && !stats.isDirectory()) {
    throw new LibraryError(
      'library-error',
      `the backups folder ${folder} is ${kindOf(stats) ?? 'a file'}, not a folder; choose a folder`,
    )
  }
  const inbox = realPath(inboxFolder)
  const fromInbox = relative(inbox, folder)
  if (!fromInbox.startsWith('..') && !isAbsolute(fromInbox)) {
    throw new LibraryError(
      'library-error',
      `the backups folder ${folder} is the inbox ${inbox} or inside it, where every file is taken for a dump to import; choose another folder`,
    )
  }
  try {
    mkdirDurable(folder, 'backups-folder.mkdir.dir')
    tryWriting(folder)
  } catch (error) {
    throw new LibraryError(
      'write-failed',
      `${describeWriteError(error, folder)}, so backups cannot be kept there; choose another folder`,
    )
  }
  noteBackupsFolder(libraryPath, folder)
  return folder
}

/** Opens a copy and checks it thoroughly. Returns its paper count; throws when it is unusable. */
export async function verifyLibraryBytes(data: Uint8Array, label: string): Promise<number> {
  const SQL = await loadEngine()
  try {
    const db = openSnapshot(SQL, data, { check: 'full' })
    try {
      return paperCount(db)
    } finally {
      db.close()
    }
  } catch (error) {
    if (!(error instanceof SnapshotProblem)) throw error
    throw new LibraryError('library-error', `${label} cannot be used: it ${error.message}`)
  }
}

export async function verifyBackupFile(file: string): Promise<number> {
  let data: Buffer
  try {
    data = readWhole(file)
  } catch (error) {
    if (error instanceof LibraryError) throw error // it says what the file is
    throw new LibraryError(
      'library-error',
      `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? error})`,
    )
  }
  return verifyLibraryBytes(data, file)
}

/** The newest backup that passes the full check, or null. */
export async function newestGoodBackup(
  libraryPath: string,
  folders = backupFolders(libraryPath),
): Promise<(BackupInfo & { papers: number }) | null> {
  for (const backup of listBackups(libraryPath, folders)) {
    try {
      const papers = await verifyBackupFile(join(backup.folder, backup.name))
      return { ...backup, papers }
    } catch {
      // A damaged backup is skipped; the next older one may be good.
    }
  }
  return null
}

export interface WrittenBackup extends BackupInfo {
  file: string
  papers: number
}

/** A backup's temporary file (see files.writeTemporary): `.library-….sqlite.tmp-…`. */
const TEMPORARY = /^\.library-.*\.sqlite\.tmp-/

/** How old a backup's temporary file must be to be taken as left by a backup that died. */
const STALE_TEMPORARY_MS = 60 * 60 * 1000

/**
 * Removes the temporary files of backups that died in this folder (a power cut while one was
 * written, an app ended before it put one in place): a backup of a million papers leaves 3 GB.
 * Only those an hour old: another program may be writing one now. Returns how many.
 */
export function removeStaleBackupTemporaries(dir: string, now = Date.now()): number {
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return 0 // no folder (yet), or a disk not connected
  }
  let removed = 0
  for (const name of names) {
    if (!TEMPORARY.test(name)) continue
    try {
      if (now - statSync(join(dir, name)).mtimeMs < STALE_TEMPORARY_MS) continue
      disk().unlink(join(dir, name))
      removed += 1
    } catch {
      // removed meanwhile, or not ours to remove: left as it is
    }
  }
  return removed
}

/**
 * Writes a verified copy of the library; rotates automatic copies only after the new one checks
 * out. The copy is made in a process of its own from the library's durable files (its last
 * snapshot and the journal after it), so the app keeps answering meanwhile.
 */
export async function writeBackup(
  library: Library,
  options: { kind: BackupKind; now: Date; file?: string },
): Promise<WrittenBackup> {
  // Read now: the library may be closed by the time the copy is written (the app quitting).
  const libraryId = library.id
  const libraryPath = library.path
  const settings = library.settings()
  const dir = settings.backupsFolder ?? backupsDir(libraryPath)
  const name = `library-${options.kind}-${fileStamp(options.now, { millis: true })}-${libraryId}.sqlite`
  const file = options.file ?? join(dir, name)
  removeStaleBackupTemporaries(dirname(file))
  let written: { papers: number; bytes: number } | null = null
  // A writer holds its snapshots while the files are read, so one try is enough; a reader
  // cannot, and tries again when the app wrote a snapshot between its two reads.
  for (let attempt = 1; !written; attempt += 1) {
    const source = library.backupSource()
    try {
      written = await backupInProcess(
        {
          path: source.path,
          journalPath: source.journalPath,
          journalBytes: source.journalBytes,
          seq: source.seq,
          out: file,
        },
        source.release,
      )
    } catch (error) {
      if (!(error instanceof LibraryError)) throw error
      if (error.code === 'conflict' && source.seq === null && attempt < 3) continue
      // The file on disk fails its checksum (damaged since it was opened): the library in
      // memory is whole, so the copy is made from it as it always could be.
      if (error.code === 'library-damaged' && !library.isClosed) {
        written = await backupFromMemory(library, file)
      } else {
        throw error
      }
    } finally {
      source.release()
    }
  }
  if (options.kind === 'auto') {
    // Only this library's own automatic copies rotate: after "start empty" or a restore of
    // another library, the copies of the one before are kept until the user removes them. They
    // rotate in every folder listed: those left in a folder used before go as new ones come.
    const autos = listBackups(libraryPath, backupFolders(libraryPath, dir)).filter(
      (b) => b.kind === 'auto' && b.libraryId === libraryId,
    )
    // Removed on a thread of the pool: freeing a copy of a large library's blocks takes a
    // second or more on some file systems, and this thread answers the window meanwhile.
    for (const old of autos.slice(settings.backupsKept)) {
      await disk().removeInBackground(join(old.folder, old.name))
    }
  }
  return {
    name: basename(file),
    folder: dirname(file),
    kind: options.kind,
    createdAt: options.now.toISOString(),
    libraryId,
    bytes: written.bytes,
    file,
    papers: written.papers,
  }
}

/**
 * A copy made from the database in memory (its whole size exported on this thread): only when
 * the files on disk cannot give one.
 */
async function backupFromMemory(
  library: Library,
  file: string,
): Promise<{ papers: number; bytes: number }> {
  const data = library.exportBytes()
  const papers = await verifyLibraryBytes(data, 'the backup copy')
  try {
    mkdirDurable(dirname(file), 'backups.mkdir.dir')
    writeFileAtomic(file, data, 'backup-memory')
  } catch (error) {
    throw new LibraryError('write-failed', `${describeWriteError(error, file)}; no backup was made`)
  }
  await verifyBackupFile(file)
  return { papers, bytes: data.length }
}

/**
 * An automatic backup when the library's schedule says one is due: none when backups are off,
 * the library is empty, or its newest automatic backup (in any folder listed) is recent. One
 * stamped ahead of now (made while the clock was wrong, since put right) is not recent: it would
 * stay "newest" until the clock caught up with it, and no backup would be due meanwhile.
 */
export async function autoBackupIfDue(library: Library, now: Date): Promise<WrittenBackup | null> {
  const { backupEvery, backupsFolder } = library.settings()
  if (backupEvery === 'off' || library.stats().total === 0) return null
  const newest = listBackups(library.path, backupFolders(library.path, backupsFolder)).find(
    (b) =>
      b.kind === 'auto' && b.libraryId === library.id && Date.parse(b.createdAt) <= now.getTime(),
  )
  if (newest && now.getTime() - Date.parse(newest.createdAt) < AUTO_BACKUP_GAP_MS[backupEvery]) {
    return null
  }
  return writeBackup(library, { kind: 'auto', now })
}
