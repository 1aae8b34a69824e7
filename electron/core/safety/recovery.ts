// Getting out of a damaged library without losing anything: the damaged files are always kept
// aside under a new name (never overwritten, never deleted), then the library is rebuilt from
// the journal's good part, from a backup, or started empty.
import { existsSync } from 'node:fs'
import { dirname } from 'node:path'
import { disk } from '../store/disk'
import { fileStamp, readWhole, recordChecksum, writeFileAtomic } from '../store/files'
import { ensureRegular, libraryFiles, restoringPath } from '../store/location'
import { verifyLibraryBytes } from './backups'

/**
 * Renames the library's files to `<name>.<label>-<time>`. Returns the new names. Nothing is
 * moved when any of them is not a regular file (a device node must never be renamed).
 */
export function keepAside(path: string, label: string, now: Date): string[] {
  const suffix = `${label}-${fileStamp(now)}`
  const files = libraryFiles(path)
  for (const { file, label: named } of files) ensureRegular(file, named)
  const kept: string[] = []
  const d = disk()
  for (const [i, { file }] of files.entries()) {
    if (!existsSync(file)) continue
    const target = `${file}.${suffix}`
    d.rename(file, target)
    kept.push(target)
    // The library file goes first, and for good before the others: a power cut must never
    // leave the library without its journal (changes lost, unseen) or with no file at all
    // (taken for a new library).
    if (i === 0) d.fsyncDirectory(dirname(path), 'aside.library.dir')
  }
  d.fsyncDirectory(dirname(path), 'aside.dir')
  return kept
}

/**
 * Keeps a copy of the damaged journal, then cuts the journal at the first damaged record so
 * that every change before it is replayed and nothing after it is guessed at.
 */
export function recoverJournal(path: string, cut: number, now: Date): string[] {
  const journal = `${path}.journal`
  ensureRegular(journal, "the library's journal")
  const copy = `${journal}.damaged-${fileStamp(now)}`
  const d = disk()
  const data = readWhole(journal)
  const out = d.open(copy, 'w', 0o600)
  try {
    for (let written = 0; written < data.length;) {
      written += d.write(out, data, written, data.length - written)
    }
    d.fsync(out, 'recover.copy.fsync')
  } finally {
    d.close(out)
  }
  d.fsyncDirectory(dirname(journal), 'recover.aside.dir')
  // Cut only once the copy is safe: until then a power cut leaves the whole journal.
  const fd = d.open(journal, 'r+')
  try {
    d.truncate(fd, cut)
    d.fsync(fd, 'recover.cut.fsync')
  } finally {
    d.close(fd)
  }
  return [copy]
}

/** Puts a backup in the library's place, keeping whatever was there aside. */
export async function installBackup(
  path: string,
  backupFile: string,
  label: string,
  now: Date,
): Promise<{ kept: string[]; papers: number }> {
  const data = readWhole(backupFile)
  const papers = await verifyLibraryBytes(data, backupFile)
  // The copy is complete on disk before anything is moved, so a failure here changes nothing;
  // after the move, a crash leaves a library that reports itself missing (the staged copy tells
  // the next open a restore was under way), never an empty one.
  const staged = restoringPath(path)
  // With the permissions of the library it replaces (see writeTemporary).
  writeFileAtomic(staged, data, 'restore', path)
  const kept = keepAside(path, label, now)
  recordChecksum(path, data)
  disk().rename(staged, path)
  // Reported done only once the rename is flushed: else a power cut leaves the library missing.
  disk().fsyncDirectory(dirname(path), 'restore.install.dir')
  return { kept, papers }
}
