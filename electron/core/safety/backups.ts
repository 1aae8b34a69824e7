// Backups: whole-library copies in a `backups` folder beside the library. Automatic ones are
// made at most once a day and rotated; each new copy is written atomically and opened and
// checked before an older one is deleted, so a bad copy never pushes out a good one.
import { existsSync, readdirSync, statSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import type { BackupInfo, BackupKind } from '../../../shared/domain'
import { loadEngine } from '../db/database'
import { LibraryError, describeWriteError } from '../errors'
import { backupOffThread } from '../store/rebuildOffThread'
import { disk, mkdirDurable } from '../store/disk'
import { fileStamp, readWhole, writeFileAtomic } from '../store/files'
import type { Library } from '../store/library'
import { SnapshotProblem, openSnapshot, paperCount } from '../store/snapshot'

export const AUTO_BACKUPS_KEPT = 7
const AUTO_BACKUP_INTERVAL_MS = 20 * 60 * 60 * 1000
const NAME =
  /^library-(auto|manual|before-restore)-(\d{8}T\d{6}(?:\d{3})?Z)(?:-([a-z0-9]{1,32}))?\.sqlite$/

export function backupsDir(libraryPath: string): string {
  return join(dirname(libraryPath), 'backups')
}

function parseStamp(s: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})?Z$/.exec(s)
  if (!m) return s
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${m[7] ?? '000'}Z`
}

export function listBackups(libraryPath: string): BackupInfo[] {
  const dir = backupsDir(libraryPath)
  if (!existsSync(dir)) return []
  const out: BackupInfo[] = []
  for (const name of readdirSync(dir)) {
    const m = NAME.exec(name)
    if (!m) continue
    out.push({
      name,
      kind: m[1] as BackupKind,
      createdAt: parseStamp(m[2]!),
      libraryId: m[3] ?? null,
      bytes: statSync(join(dir, name)).size,
    })
  }
  return out.sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1))
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
): Promise<(BackupInfo & { papers: number }) | null> {
  for (const backup of listBackups(libraryPath)) {
    try {
      const papers = await verifyBackupFile(join(backupsDir(libraryPath), backup.name))
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

/**
 * Writes a verified copy of the library; rotates automatic copies only after the new one checks
 * out. The copy is made on a thread of its own from the library's durable files (its last
 * snapshot and the journal after it), so the app keeps answering meanwhile.
 */
export async function writeBackup(
  library: Library,
  options: { kind: BackupKind; now: Date; file?: string },
): Promise<WrittenBackup> {
  // Read now: the library may be closed by the time the copy is written (the app quitting).
  const libraryId = library.id
  const libraryPath = library.path
  const dir = backupsDir(libraryPath)
  const name = `library-${options.kind}-${fileStamp(options.now, { millis: true })}-${libraryId}.sqlite`
  const file = options.file ?? join(dir, name)
  let written: { papers: number; bytes: number } | null = null
  // A writer holds its snapshots while the files are read, so one try is enough; a reader
  // cannot, and tries again when the app wrote a snapshot between its two reads.
  for (let attempt = 1; !written; attempt += 1) {
    const source = library.backupSource()
    try {
      written = await backupOffThread(
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
    // Only this library's own daily copies rotate: after "start empty" or a restore of another
    // library, the copies of the one before are kept until the user removes them.
    const autos = listBackups(libraryPath).filter(
      (b) => b.kind === 'auto' && b.libraryId === libraryId,
    )
    // Removed on a thread of the pool: freeing a copy of a large library's blocks takes a
    // second or more on some file systems, and this thread answers the window meanwhile.
    for (const old of autos.slice(AUTO_BACKUPS_KEPT)) {
      await disk().removeInBackground(join(dir, old.name))
    }
  }
  return {
    name: basename(file),
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

/** A daily automatic backup, unless one is recent or the library is empty. */
export async function autoBackupIfDue(library: Library, now: Date): Promise<WrittenBackup | null> {
  if (library.stats().total === 0) return null
  const newest = listBackups(library.path).find(
    (b) => b.kind === 'auto' && b.libraryId === library.id,
  )
  if (newest && now.getTime() - Date.parse(newest.createdAt) < AUTO_BACKUP_INTERVAL_MS) return null
  return writeBackup(library, { kind: 'auto', now })
}
