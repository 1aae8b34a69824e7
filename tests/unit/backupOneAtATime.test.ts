// Backups are written one at a time. Each rebuilds the library on a thread of its own, in memory
// as large as the library: a backup asked for while the automatic one ran (the first check comes
// ten seconds after start, and a backup of 100k papers takes 14 s) doubled the process's memory,
// to 1.9 GB at its peak in the benchmark.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, expect, it, vi } from 'vitest'
import { LibrarySession } from '../../electron/core/safety/session'
import { SAMPLE_PATH, tempDir } from '../helpers/fixtures'

const counted = vi.hoisted(() => ({ running: 0, most: 0 }))

vi.mock('../../electron/core/safety/backups', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../electron/core/safety/backups')>()
  const count =
    <A extends unknown[], R>(write: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      counted.running += 1
      counted.most = Math.max(counted.most, counted.running)
      try {
        // Long enough for the others to have started, were they not made to wait.
        await new Promise((done) => setTimeout(done, 50))
        return await write(...args)
      } finally {
        counted.running -= 1
      }
    }
  return {
    ...actual,
    writeBackup: count(actual.writeBackup),
    autoBackupIfDue: count(actual.autoBackupIfDue),
  }
})

const sessions: LibrarySession[] = []
afterEach(() => {
  while (sessions.length) sessions.pop()!.close()
})

it('writes a backup asked for while another is written after it, not beside it', async () => {
  const path = join(tempDir(), 'library.sqlite')
  const session = await LibrarySession.start(path, { owner: 'test' })
  sessions.push(session)
  session.get().importText('sample.txt', readFileSync(SAMPLE_PATH, 'utf8'))
  counted.most = 0
  const [first, auto, second] = await Promise.all([
    session.backupNow(),
    session.autoBackup(),
    session.backupNow(),
  ])
  expect(counted.most).toBe(1)
  // All three were written, the automatic one too (no automatic backup was there before).
  expect(first.kind).toBe('manual')
  expect(auto?.kind).toBe('auto')
  expect(second.kind).toBe('manual')
  expect(session.listBackups().length).toBeGreaterThanOrEqual(3)
})
