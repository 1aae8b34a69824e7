// Bringing a snapshot up to date with its journal: every change after the snapshot's own
// sequence number is applied in order; a gap or a change that cannot be applied is damage.
import type { Db } from '../db/database'
import { applyOperation } from '../db/mutations'
import { LibraryDamagedError } from '../errors'
import { fileStamp, readWhole, writeFileAtomic } from './files'
import { readJournal } from './journal'
import type { JournalContents } from './journal'

/** Reads the journal, refusing a damaged one with where the good part ends. */
export function readJournalOrDamage(journalPath: string): JournalContents {
  let contents
  try {
    contents = readJournal(journalPath)
  } catch (error) {
    throw new LibraryDamagedError('journal', journalPath, (error as Error).message)
  }
  if (contents.damagedAt !== null) {
    throw new LibraryDamagedError(
      'journal',
      journalPath,
      `the change journal ${journalPath} is damaged at byte ${contents.damagedAt} (of ${contents.size}); the changes before that point can be recovered`,
      contents.damagedAt,
    )
  }
  return contents
}

/** Applies the journal's changes after `seq` to `db`; returns the last sequence number applied. */
export function replayJournal(
  db: Db,
  journalPath: string,
  contents: JournalContents,
  seq: number,
): number {
  for (const [i, record] of contents.records.entries()) {
    if (record.seq <= seq) continue
    const at = contents.offsets[i]!
    if (record.seq !== seq + 1) {
      throw new LibraryDamagedError(
        'journal',
        journalPath,
        `the change journal ${journalPath} does not follow on from the library file (it skips from change ${seq} to ${record.seq})`,
        at,
      )
    }
    try {
      db.transaction(() => applyOperation(db, record.op))
    } catch (error) {
      throw new LibraryDamagedError(
        'journal',
        journalPath,
        `change ${record.seq} in the journal ${journalPath} cannot be applied (${(error as Error).message})`,
        at,
      )
    }
    seq = record.seq
  }
  return seq
}

/** An unfinished last record is dropped from the journal, but its bytes are kept aside. */
export function keepTornTail(journalPath: string, contents: JournalContents, now: Date): void {
  if (!contents.tornTail || contents.size <= contents.validBytes) return
  const tail = readWhole(journalPath).subarray(contents.validBytes)
  if (tail.every((b) => b === 0)) return
  writeFileAtomic(`${journalPath}.torn-${fileStamp(now)}`, tail, 'torn-tail')
}
