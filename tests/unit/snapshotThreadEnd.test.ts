// A snapshot's thread ends after its result: freeing a large library's memory takes it a second
// or more. The snapshot is put in place when the result arrives, not when the thread has gone.
import { readdirSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import type { Db } from '../../electron/core/db/database'
import { threadedLibrary } from '../helpers/library'

/** How long a thread takes to end once told to (0: as it does). */
let slowEnd = 0

vi.mock('node:worker_threads', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:worker_threads')>()
  class Worker extends real.Worker {
    override terminate(): Promise<number> {
      const ended = super.terminate()
      if (slowEnd === 0) return ended
      return ended.then(
        (code) => new Promise((resolve) => setTimeout(() => resolve(code), slowEnd)),
      )
    }
  }
  return { ...real, Worker, default: { ...real, Worker } }
})

describe("a snapshot's thread ending slowly", () => {
  it('is not waited for before the snapshot is put in place (review: a close meanwhile wrote the library here and threw the snapshot away)', async () => {
    // No snapshot due by itself: the one asked for below is the only one.
    const { path, lib, ids } = await threadedLibrary(2 ** 20)
    const exports = vi.spyOn((lib as unknown as { db: Db }).db.raw, 'export')
    const id = ids[0]!
    for (let i = 0; i < 3; i += 1) lib.setNote(id, `a note, version ${i}`)
    const journal = `${path}.journal`
    const before = statSync(journal).size
    slowEnd = 3000
    try {
      const done = lib.snapshotOffThread().then(() => Date.now())
      let cutAt = 0
      const started = Date.now()
      while (statSync(journal).size >= before) {
        if (Date.now() - started > 30_000) throw new Error('the snapshot was never put in place')
        await new Promise((resolve) => setTimeout(resolve, 10))
      }
      cutAt = Date.now()
      // Closed while the thread is still ending: nothing is written here, nothing left behind.
      lib.close()
      const doneAt = await done
      expect(doneAt - cutAt).toBeGreaterThan(1500)
      expect(exports).not.toHaveBeenCalled()
      expect(readdirSync(dirname(path)).filter((name) => name.includes('.tmp-'))).toEqual([])
    } finally {
      slowEnd = 0
      lib.close()
    }
  }, 60_000)
})
