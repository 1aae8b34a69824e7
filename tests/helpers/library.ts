// A library of its own for a test, in a temporary folder, on the fixed clock.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Library } from '../../electron/core/store/library'
import type { Db } from '../../electron/core/db/database'
import type { OpenOptions } from '../../electron/core/store/library'
import { SAMPLE, fixedClock, tempDir } from './fixtures'

/** Opens a new, empty library; `options` override the fixed clock and the defaults. */
export async function openTempLibrary(
  options: OpenOptions = {},
): Promise<{ lib: Library; path: string }> {
  const path = join(tempDir(), 'library.sqlite')
  const lib = await Library.open(path, { now: fixedClock(), ...options })
  return { lib, path }
}

/**
 * The files as a crash right now would leave them (the snapshot from before, the journal since):
 * call the function returned to put them back so, after the library is closed.
 */
export function crashCopy(path: string): () => void {
  const files = [path, `${path}.sum`, `${path}.journal`].map((f) => [f, readFileSync(f)] as const)
  return () => files.forEach(([f, data]) => writeFileSync(f, data))
}

/** What `use` returns, and every statement a database was given meanwhile (its plans too). */
export function statementsDuring<T>(db: Db, use: () => T): { value: T; asked: string[] } {
  const asked: string[] = []
  const run = db.with.bind(db)
  db.with = (sql, withStatement) => {
    asked.push(sql)
    return run(sql, withStatement)
  }
  try {
    return { value: use(), asked }
  } finally {
    db.with = run
  }
}

/**
 * A library of the sample whose snapshots are always written on a thread, one due once the
 * journal passes `checkpointBytes`; its papers' ids by title.
 */
export async function threadedLibrary(
  checkpointBytes = 4000,
): Promise<{ path: string; lib: Library; ids: number[] }> {
  const path = join(tempDir(), 'library.sqlite')
  const seed = await Library.open(path, { now: fixedClock() })
  seed.importText('sample.txt', SAMPLE)
  seed.close()
  const lib = await Library.open(path, {
    now: fixedClock(),
    checkpointBytes,
    snapshotThreadBytes: 0,
  })
  const ids = lib
    .listPapers({ sort: { field: 'title', direction: 'asc' }, offset: 0, limit: 1000 })
    .rows.map((r) => r.id)
  return { path, lib, ids }
}
